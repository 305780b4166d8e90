#include "api/error_mapping.h"

#include <boost/json.hpp>

#include "common/status.h"

namespace jobaid::api {

int HttpStatusFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kFailedPrecondition:
      return 422;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

namespace {

Response ErrorWith(int http_status, absl::string_view code, absl::string_view message,
                   absl::string_view field, const Reason& reason) {
  auto sv = [](absl::string_view x) { return boost::json::string_view(x.data(), x.size()); };
  boost::json::object err;
  err["code"] = sv(code);
  err["message"] = sv(message);
  if (!field.empty()) err["field"] = sv(field);
  // The message as a code with parameters, for clients that say it in their own language.
  if (!reason.empty()) {
    err["reason"] = sv(reason.code);
    boost::json::object params;
    for (const auto& [name, value] : reason.params) params[name] = sv(value);
    err["params"] = std::move(params);
  }
  boost::json::object body;
  body["error"] = std::move(err);
  Response r;
  r.status = http_status;
  r.body = boost::json::serialize(body);
  return r;
}

}  // namespace

Response ErrorResponse(int http_status, absl::string_view code, absl::string_view message,
                       absl::string_view field) {
  return ErrorWith(http_status, code, message, field, Reason());
}

Response ErrorResponse(const absl::Status& s) {
  std::string code = absl::StatusCodeToString(s.code());
  for (char& c : code)
    c = c == ' ' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Response r = ErrorWith(HttpStatusFor(s.code()), code, s.message(), FieldOf(s), ReasonOf(s));
  if (int64_t wait = RetryAfterOf(s); wait > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(wait));
  }
  return r;
}

}  // namespace jobaid::api
