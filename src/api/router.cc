#include "api/router.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace jobaid::api {
namespace {

bool MatchPattern(absl::string_view pattern, absl::string_view path,
                  std::vector<std::string>& params) {
  std::vector<absl::string_view> ps = absl::StrSplit(pattern, '/');
  std::vector<absl::string_view> xs = absl::StrSplit(path, '/');
  if (!xs.empty() && xs.back().empty() && xs.size() > 1) xs.pop_back();  // trailing slash
  if (ps.size() != xs.size()) return false;
  std::vector<std::string> out;
  for (size_t i = 0; i < ps.size(); ++i) {
    if (absl::StartsWith(ps[i], "{")) {
      if (xs[i].empty()) return false;
      out.emplace_back(xs[i]);
    } else if (ps[i] != xs[i]) {
      return false;
    }
  }
  params = std::move(out);
  return true;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decode(absl::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 && Hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2])));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::string Request::Cookie(absl::string_view name) const {
  for (absl::string_view part : absl::StrSplit(Header("cookie"), ';')) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::ConsumePrefix(&part, name) && absl::ConsumePrefix(&part, "=")) {
      return std::string(part);
    }
  }
  return "";
}

const Route* Router::Match(const std::string& method, const std::string& path,
                           std::vector<std::string>& params, bool& path_known) const {
  path_known = false;
  std::vector<std::string> p;
  for (const Route& r : routes_) {
    if (!MatchPattern(r.pattern, path, p)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      params = std::move(p);
      return &r;
    }
    path_known = true;
  }
  return nullptr;
}

size_t Router::BodyLimit(const std::string& method, const std::string& path) const {
  std::vector<std::string> params;
  bool known;
  const Route* r = Match(method, path, params, known);
  return r ? r->body_limit : 1 << 20;
}

void ParseTarget(absl::string_view target, std::string& path,
                 std::map<std::string, std::string>& query) {
  size_t q = target.find('?');
  path = Decode(target.substr(0, q), false);
  if (q == absl::string_view::npos) return;
  for (absl::string_view kv : absl::StrSplit(target.substr(q + 1), '&', absl::SkipEmpty())) {
    size_t eq = kv.find('=');
    std::string key = Decode(kv.substr(0, eq), true);
    std::string value = eq == absl::string_view::npos ? "" : Decode(kv.substr(eq + 1), true);
    query[key] = value;
  }
}

}  // namespace jobaid::api
