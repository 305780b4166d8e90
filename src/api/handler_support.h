// What every file of route handlers shares: JSON answers, path and query parameters, the
// acting user and file downloads. Internal to api/.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "api/error_mapping.h"
#include "api/json_codec.h"
#include "api/router.h"
#include "auth/actor.h"
#include "io/table.h"

namespace jobaid::api {

Response Json(const json::value& v, int status = 200);

// The error's response, or `fn(value)` as JSON.
template <typename T, typename Fn>
Response Reply(const absl::StatusOr<T>& v, Fn fn, int status = 200) {
  if (!v.ok()) return ErrorResponse(v.status());
  return Json(fn(*v), status);
}

// The record id in path parameter `i`; NotFound (like a record that does not exist) if it is
// not a positive number.
absl::StatusOr<int64_t> IdParam(const Request& req, size_t i = 0);
// ?limit=, `fallback` when absent; InvalidArgument naming it outside 1..`max`.
absl::StatusOr<int> LimitParam(const Request& req, int fallback, int max);
// ?format=csv|xlsx (default xlsx).
absl::StatusOr<io::Format> FormatParam(const Request& req);

inline const auth::Actor& ActorOf(const Request& req) { return *req.actor; }

// A file to save: `name` plus the format's extension.
Response Download(std::string bytes, io::Format format, const std::string& name);
// `t` as a file named for what it holds, who made it and when ("审计日志-chen-20261207T193000"),
// as an exported file must be.
Response TableDownload(const io::Table& t, io::Format format, absl::string_view what);

struct Services;
// Revealing full ID and phone numbers, and the audit (api/privacy_handlers.cc).
void AddPrivacyRoutes(Router& router, Services& s);

}  // namespace jobaid::api
