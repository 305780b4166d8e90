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

Response ErrorResponse(int http_status, absl::string_view code, absl::string_view message,
                       absl::string_view field) {
  boost::json::object err;
  err["code"] = boost::json::string_view(code.data(), code.size());
  err["message"] = boost::json::string_view(message.data(), message.size());
  if (!field.empty()) err["field"] = boost::json::string_view(field.data(), field.size());
  boost::json::object body;
  body["error"] = std::move(err);
  Response r;
  r.status = http_status;
  r.body = boost::json::serialize(body);
  return r;
}

Response ErrorResponse(const absl::Status& s) {
  std::string code = absl::StatusCodeToString(s.code());
  for (char& c : code)
    c = c == ' ' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Response r = ErrorResponse(HttpStatusFor(s.code()), code, s.message(), FieldOf(s));
  if (int64_t wait = RetryAfterOf(s); wait > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(wait));
  }
  return r;
}

}  // namespace jobaid::api
