// What every file of route handlers shares: JSON answers, path and query parameters, the
// acting user and file downloads. Internal to api/.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/body.h"
#include "api/error_mapping.h"
#include "api/json_codec.h"
#include "api/router.h"
#include "auth/actor.h"
#include "common/status.h"
#include "io/columns.h"
#include "io/poster.h"
#include "io/table.h"
#include "service/recruit_service.h"
#include "service/register_service.h"

namespace jobaid::api {

Response Json(const json::value& v, int status = 200);

// `v`'s error, or `fn(value)` as JSON.
template <typename T, typename Fn>
HandlerResult Reply(const absl::StatusOr<T>& v, Fn fn, int status = 200) {
  if (!v.ok()) return v.status();
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
HandlerResult Download(std::string bytes, io::Format format, const std::string& name);
// `t` as a file named for what it holds, who made it and when ("审计日志-chen-20261207T193000"),
// as an exported file must be.
HandlerResult TableDownload(const io::Table& t, io::Format format, absl::string_view what);

// The list filters of ?region=, ?q=, ?status= and the others, with ?sort=, ?cursor= and
// ?limit= (1-1000, default 50).
absl::StatusOr<service::ListFilter> FilterFrom(const Request& req);
// ?sort= ("-" first for descending), ?cursor= and ?limit= (1-1000, default 50).
absl::Status PageFrom(const Request& req, storage::PageRequest& page);
// {"pairs": [{"person_id": 1, "job_id": 2}, ...]}; errors name pairs[i].field.
absl::StatusOr<std::vector<service::RecruitService::PersonJob>> PairsFromJson(
    absl::string_view body);
// The address of job `id`'s public page as the client reached this server (behind a proxy, as
// it says it was reached). A host with characters no host has falls back to 127.0.0.1.
std::string PublicJobUrl(const Request& req, int64_t id);
// Whole yuan without decimals: "4500", "4500.50".
std::string YuanText(int64_t fen);
// What a job's poster shows.
io::PosterJob PosterOf(const service::RegisterService::PublicJob& p,
                       const domain::RegionTable& regions, std::string url);
// The body of a transition: to, version, reason, and the terms of a hire.
absl::StatusOr<service::RecruitService::Move> MoveFromJson(absl::string_view body,
                                                           const domain::RegionTable& regions,
                                                           const Clock& clock);
// ?date= (YYYY-MM-DD), today by `clock` when absent.
absl::StatusOr<Date> DayParam(const Request& req, const Clock& clock);
// The {kind} of an import or export path; an unknown kind is an unknown path (404).
absl::StatusOr<io::EntityKind> KindParam(const Request& req);

// Record ids named by `keys`, read by `get` (a query or body field); "" leaves them as they
// are; InvalidArgument naming the first that is not a number.
template <typename Get>
absl::Status IdFields(std::initializer_list<std::pair<const char*, int64_t*>> keys, Get get) {
  for (auto [key, out] : keys) {
    std::string v = get(key);
    if (!v.empty() && !absl::SimpleAtoi(v, out)) {
      return FieldError(key, absl::StrCat(key, " must be a record id"));
    }
  }
  return absl::OkStatus();
}

// The routes of each resource, one file each (api/<resource>_handlers.cc), added in this order
// by AddRoutes.
struct Services;
void AddAccountRoutes(Router& router, Services& s);
void AddRegionRoutes(Router& router, Services& s);
void AddRegisterRoutes(Router& router, Services& s);
void AddTransferRoutes(Router& router, Services& s);
void AddMatchRoutes(Router& router, Services& s);
void AddPublicRoutes(Router& router, Services& s);
void AddApplicationRoutes(Router& router, Services& s);
// Revealing full ID and phone numbers, and the audit.
void AddPrivacyRoutes(Router& router, Services& s);
void AddFollowUpRoutes(Router& router, Services& s);
void AddIndicatorRoutes(Router& router, Services& s);
void AddTargetRoutes(Router& router, Services& s);
void AddReportRoutes(Router& router, Services& s);

}  // namespace jobaid::api
