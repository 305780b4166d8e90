#include "api/static_files.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
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

bool Compressible(const std::string& content_type) {
  return absl::StartsWith(content_type, "text/") || content_type == "application/json" ||
         content_type == "image/svg+xml";
}

std::string Gzip(const std::string& bytes) {
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return "";
  }
  std::string out(deflateBound(&z, bytes.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : "";
}

// The compressed form of each file, with the version (time and size) it was made from.
class GzipCache {
 public:
  std::string Get(const std::filesystem::path& file, const std::string& bytes) {
    std::error_code ec;
    auto when = std::filesystem::last_write_time(file, ec).time_since_epoch().count();
    std::string key = file.string();
    {
      absl::MutexLock lock(&mu_);
      auto it = files_.find(key);
      if (it != files_.end() && it->second.when == when && it->second.size == bytes.size()) {
        return it->second.gz;
      }
    }
    std::string gz = Gzip(bytes);
    absl::MutexLock lock(&mu_);
    files_[key] = {when, bytes.size(), gz};
    return gz;
  }

 private:
  struct Entry {
    int64_t when = 0;
    size_t size = 0;
    std::string gz;
  };
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> files_ ABSL_GUARDED_BY(mu_);
};

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

std::optional<std::filesystem::path> ResolveStaticPath(const std::filesystem::path& root,
                                                       absl::string_view path) {
  namespace fs = std::filesystem;
  if (!absl::ConsumePrefix(&path, "/")) return std::nullopt;
  fs::path rel;
  std::vector<absl::string_view> segments = absl::StrSplit(path, '/');
  for (size_t i = 0; i < segments.size(); ++i) {
    absl::string_view seg = segments[i];
    if (seg.empty()) {
      // Only "/" itself or one trailing slash; "//x" and "a//b" name no file of ours.
      if (i + 1 == segments.size()) break;
      return std::nullopt;
    }
    // ".", "..", dot files, and anything a file system or proxy might read as a separator or
    // an end: backslashes, NUL and other control bytes, ';' (as in "..;").
    if (seg.front() == '.') return std::nullopt;
    for (char c : seg) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\' || c == ';' || c == ':') {
        return std::nullopt;
      }
    }
    rel /= fs::path(std::string(seg));
  }
  std::error_code ec;
  fs::path base = fs::canonical(root, ec);
  if (ec) return std::nullopt;
  // Links are followed as far as the path exists, so that neither a file nor a folder on the
  // way may lead out of the web folder.
  fs::path real = fs::weakly_canonical(base / rel, ec);
  if (ec) return std::nullopt;
  auto [b, r] = std::mismatch(base.begin(), base.end(), real.begin(), real.end());
  if (b != base.end()) return std::nullopt;
  return real;
}

Response ServeStatic(const std::string& dir, const std::string& path, bool accepts_gzip) {
  Response r;
  if (dir.empty() || !std::filesystem::exists(std::filesystem::path(dir) / "index.html")) {
    if (path != "/" && path != "/index.html") {
      return ErrorResponse(404, "NOT_FOUND", absl::StrCat("no page ", path));
    }
    r.content_type = "text/html; charset=utf-8";
    r.body = kLanding;
    return r;
  }
  std::optional<std::filesystem::path> resolved = ResolveStaticPath(dir, path);
  if (!resolved) return ErrorResponse(404, "NOT_FOUND", "no such page");
  std::filesystem::path file = *resolved;
  std::error_code ec;
  if (path == "/" || !std::filesystem::is_regular_file(file, ec)) {
    // The app's own routes get its index.html, itself checked like any other file.
    std::optional<std::filesystem::path> index = ResolveStaticPath(dir, "/index.html");
    if (!index) return ErrorResponse(404, "NOT_FOUND", "no such page");
    file = *index;
  } else if (absl::StartsWith(path, "/assets/")) {
    r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  }
  auto bytes = io::ReadFile(file.string());
  if (!bytes.ok()) return ErrorResponse(404, "NOT_FOUND", "no such page");
  r.content_type = ContentType(file.string());
  r.body = std::move(*bytes);
  if (Compressible(r.content_type) && r.body.size() > 1024) {
    r.headers.emplace_back("Vary", "Accept-Encoding");
    if (accepts_gzip) {
      static auto* cache = new GzipCache;
      std::string gz = cache->Get(file, r.body);
      if (!gz.empty()) {
        r.body = std::move(gz);
        r.headers.emplace_back("Content-Encoding", "gzip");
      }
    }
  }
  return r;
}

}  // namespace jobaid::api
