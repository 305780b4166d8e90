#include "api/static_files.h"

#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/error_mapping.h"
#include "io/table.h"

namespace jobaid::api {
namespace {

std::string ContentType(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"}};
  for (const auto& [ext, type] : kTypes) {
    if (absl::EndsWith(path, ext)) return type;
  }
  return "application/octet-stream";
}

constexpr char kLanding[] = R"(<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>JobAid 就业帮扶</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.6}</style>
</head><body>
<h1>JobAid 就业帮扶平台</h1>
<p>服务已启动。网页工作台尚未构建；接口文档见 <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>，健康检查见 <a href="/api/v1/health">/api/v1/health</a>。</p>
<p lang="en">The server is running. The web workbench has not been built; the API is described at
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body></html>
)";

}  // namespace

Response ServeStatic(const std::string& dir, const std::string& path) {
  Response r;
  if (dir.empty() || !std::filesystem::exists(std::filesystem::path(dir) / "index.html")) {
    if (path != "/" && path != "/index.html") {
      return ErrorResponse(404, "NOT_FOUND", absl::StrCat("no page ", path));
    }
    r.content_type = "text/html; charset=utf-8";
    r.body = kLanding;
    return r;
  }
  if (path.find("..") != std::string::npos || path.find('\0') != std::string::npos) {
    return ErrorResponse(404, "NOT_FOUND", "no such page");
  }
  std::filesystem::path file = std::filesystem::path(dir) / path.substr(1);
  std::error_code ec;
  if (path == "/" || !std::filesystem::is_regular_file(file, ec)) {
    file = std::filesystem::path(dir) / "index.html";  // the app's own routes
  } else if (absl::StartsWith(path, "/assets/")) {
    r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  }
  auto bytes = io::ReadFile(file.string());
  if (!bytes.ok()) return ErrorResponse(404, "NOT_FOUND", "no such page");
  r.content_type = ContentType(file.string());
  r.body = std::move(*bytes);
  return r;
}

}  // namespace jobaid::api
