#include "api/body.h"

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace jobaid::api {
namespace json = boost::json;
namespace {

json::string_view Sv(absl::string_view s) { return json::string_view(s.data(), s.size()); }

// A JSON number that is a whole number within int64, or nullopt.
std::optional<int64_t> WholeNumber(const json::value& x) {
  if (x.is_int64()) return x.as_int64();
  if (x.is_uint64()) {
    if (x.as_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<int64_t>(x.as_uint64());
  }
  if (x.is_double()) {
    double d = x.as_double();
    // 2^63 is exact in a double; anything at or beyond it does not fit.
    if (!(std::fabs(d) < 9223372036854775808.0) || d != std::trunc(d)) return std::nullopt;
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

absl::StatusOr<domain::Fields> FieldsOf(const json::object& o,
                                        std::vector<domain::Fields>* members) {
  domain::Fields f;
  for (const auto& kv : o) {
    std::string key(kv.key());
    const json::value& x = kv.value();
    if (members != nullptr && key == "members") {
      if (!x.is_array()) return FieldError(key, "members must be a list of persons");
      for (const auto& item : x.as_array()) {
        std::string at = absl::StrCat("members[", members->size(), "]");
        if (!item.is_object()) return FieldError(at, absl::StrCat(at, " must be an object"));
        for (const auto& member : item.as_object()) {
          if (member.key().empty()) {
            return FieldError(at, absl::StrCat(at, " has a member with an empty name"));
          }
        }
        auto m = FieldsOf(item.as_object(), nullptr);
        if (!m.ok()) return WithField(m.status(), absl::StrCat(at, ".", FieldOf(m.status())));
        members->push_back(std::move(*m));
      }
      continue;
    }
    std::string text;
    if (x.is_string()) {
      text = std::string(x.as_string());
    } else if (x.is_bool()) {
      text = x.as_bool() ? "true" : "false";
    } else if (x.is_null()) {
      text = "";
    } else if (x.is_number()) {
      std::optional<int64_t> n = WholeNumber(x);
      if (!n) return FieldError(key, absl::StrCat(key, " must be a whole number"));
      text = absl::StrCat(*n);
    } else if (x.is_array()) {
      for (const auto& item : x.as_array()) {
        if (!item.is_string()) return FieldError(key, absl::StrCat(key, " must be a list of text"));
        absl::StrAppend(&text, text.empty() ? "" : ",", std::string(item.as_string()));
      }
    } else {
      return FieldError(key, absl::StrCat(key, " must not be an object"));
    }
    f.insert_or_assign(std::move(key), std::move(text));
  }
  return f;
}

// Whether `x` is absent, null or "": what an optional member may be.
bool Blank(const json::value* x) {
  return x == nullptr || x->is_null() || (x->is_string() && x->as_string().empty());
}

// A whole number, or its decimal text; nullopt for anything else.
std::optional<int64_t> WholeOrText(const json::value& x) {
  if (x.is_number()) return WholeNumber(x);
  int64_t n = 0;
  if (x.is_string() && absl::SimpleAtoi(std::string(x.as_string()), &n)) return n;
  return std::nullopt;
}

}  // namespace

absl::StatusOr<Body> Body::Parse(absl::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  if (i == absl::string_view::npos) return Body(json::object());
  json::parser p;
  boost::system::error_code ec;
  size_t used = p.write_some(text.data(), text.size(), ec);
  if (ec) {
    return FieldError(
        "body", absl::StrCat("the body is not valid JSON (at byte ", used, "): ", ec.message()));
  }
  if (text.find_first_not_of(" \t\r\n", used) != absl::string_view::npos) {
    return FieldError("body",
                      absl::StrCat("the body has more than one JSON value (at byte ", used, ")"));
  }
  json::value v = p.release();
  if (!v.is_object()) return FieldError("body", "the body must be a JSON object");
  for (const auto& kv : v.as_object()) {
    if (kv.key().empty()) return FieldError("body", "a member of the body has an empty name");
  }
  return Body(std::move(v.as_object()));
}

const json::value* Body::Find(absl::string_view key) const { return o_.if_contains(Sv(key)); }

bool Body::Has(absl::string_view key) const { return Find(key) != nullptr; }

void Body::Fail(absl::string_view field, std::string message) {
  if (status_.ok()) status_ = FieldError(field, message);
}

std::string Body::Text(absl::string_view key, Need need, size_t max_bytes) {
  const json::value* x = Find(key);
  if (Blank(x)) {
    if (need == Need::kRequired) Fail(key, absl::StrCat(key, " is required"));
    return "";
  }
  if (!x->is_string()) {
    Fail(key, absl::StrCat(key, " must be text"));
    return "";
  }
  if (x->as_string().size() > max_bytes) {
    Fail(key, absl::StrCat(key, " is longer than ", max_bytes, " bytes"));
    return "";
  }
  return std::string(x->as_string());
}

int64_t Body::Int(absl::string_view key, Need need, int64_t min, int64_t max, int64_t fallback) {
  const json::value* x = Find(key);
  if (Blank(x)) {
    if (need == Need::kRequired) Fail(key, absl::StrCat(key, " is required"));
    return fallback;
  }
  std::optional<int64_t> n = WholeOrText(*x);
  if (!n || *n < min || *n > max) {
    Fail(key, absl::StrCat(key, " must be a whole number from ", min, " to ", max));
    return fallback;
  }
  return *n;
}

int64_t Body::Id(absl::string_view key, Need need) {
  const json::value* x = Find(key);
  if (Blank(x)) {
    if (need == Need::kRequired) Fail(key, absl::StrCat(key, " is required"));
    return 0;
  }
  std::optional<int64_t> n = WholeOrText(*x);
  if (!n || *n <= 0) {
    Fail(key, absl::StrCat(key, " must be a record id"));
    return 0;
  }
  return *n;
}

bool Body::Bool(absl::string_view key, bool fallback) {
  const json::value* x = Find(key);
  if (x == nullptr || x->is_null()) return fallback;
  if (x->is_bool()) return x->as_bool();
  if (x->is_string() && (x->as_string() == "true" || x->as_string() == "false")) {
    return x->as_string() == "true";
  }
  Fail(key, absl::StrCat(key, " must be true or false"));
  return fallback;
}

std::vector<int64_t> Body::Ids(absl::string_view key, Need need, size_t max_items) {
  std::vector<int64_t> out;
  const json::value* x = Find(key);
  if (x == nullptr || x->is_null()) {
    if (need == Need::kRequired) Fail(key, absl::StrCat(key, " is required"));
    return out;
  }
  if (!x->is_array()) {
    Fail(key, absl::StrCat(key, " must be a list of record ids"));
    return out;
  }
  const json::array& a = x->as_array();
  if (a.size() > max_items) {
    Fail(key, absl::StrCat(key, " may list at most ", max_items, " ids"));
    return out;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    std::optional<int64_t> n = a[i].is_number() ? WholeNumber(a[i]) : std::nullopt;
    if (!n || *n <= 0) {
      Fail(absl::StrCat(key, "[", i, "]"), "must be a record id");
      return {};
    }
    out.push_back(*n);
  }
  return out;
}

void Body::Only(std::initializer_list<absl::string_view> known) {
  for (const auto& kv : o_) {
    absl::string_view k(kv.key().data(), kv.key().size());
    bool ok = false;
    for (absl::string_view x : known) ok = ok || x == k;
    if (!ok) {
      Fail(k, absl::StrCat("unknown field \"", k, "\""));
      return;
    }
  }
}

absl::StatusOr<domain::Fields> Body::AsFields(std::vector<domain::Fields>* members) const {
  return FieldsOf(o_, members);
}

absl::StatusOr<LoginForm> DecodeLogin(absl::string_view text) {
  JA_ASSIGN_OR_RETURN(Body b, Body::Parse(text));
  LoginForm f;
  f.username = b.Text("username", Need::kRequired, 64);
  f.password = b.Text("password", Need::kRequired, 1024);
  JA_RETURN_IF_ERROR(b.status());
  return f;
}

absl::StatusOr<VersionReason> DecodeVersionReason(absl::string_view text,
                                                  const std::map<std::string, std::string>& query) {
  JA_ASSIGN_OR_RETURN(Body b, Body::Parse(text));
  VersionReason out;
  auto q = [&](const char* key) {
    auto it = query.find(key);
    return it == query.end() ? std::string() : it->second;
  };
  if (b.Has("version")) {
    out.version = b.Id("version", Need::kRequired);
  } else {
    std::string v = q("version");
    if (v.empty()) return FieldError("version", "version is required");
    if (!absl::SimpleAtoi(v, &out.version) || out.version <= 0) {
      return FieldError("version", absl::StrCat("version must be a record id, not \"", v, "\""));
    }
  }
  out.reason = b.Has("reason") ? b.Text("reason", Need::kOptional, 2000) : q("reason");
  JA_RETURN_IF_ERROR(b.status());
  return out;
}

}  // namespace jobaid::api
