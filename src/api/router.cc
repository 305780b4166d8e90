#include "api/router.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
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

absl::Status ParseTarget(absl::string_view target, std::string& path,
                         std::map<std::string, std::string>& query) {
  auto url = boost::urls::parse_origin_form(boost::core::string_view(target.data(), target.size()));
  if (!url) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request target is not a valid path: ", url.error().message()));
  }
  path = url->path();
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (const auto& param : url->params(opts)) query[param.key] = param.value;
  return absl::OkStatus();
}

}  // namespace jobaid::api
