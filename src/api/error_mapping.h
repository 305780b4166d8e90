// The one mapping from absl::Status to HTTP: status code and the error body
// {"error":{"code":"NOT_FOUND","message":"…","field":"…","reason":"…","params":{…}}}: reason and
// params (common/status.h Reason) where the message has a code.
#pragma once

#include "absl/status/status.h"
#include "api/router.h"

namespace jobaid::api {

int HttpStatusFor(absl::StatusCode code);
Response ErrorResponse(const absl::Status& s);
// An error response for a failure outside any Status (bad JSON, 405 …).
Response ErrorResponse(int http_status, absl::string_view code, absl::string_view message,
                       absl::string_view field = "");

}  // namespace jobaid::api
