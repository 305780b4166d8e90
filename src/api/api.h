// The JSON HTTP API under /api/v1: its routes, bound to the services, and the dispatcher that
// authenticates, calls the handler and maps errors. Knows requests, not sockets.
#pragma once

#include <string>

#include "api/router.h"
#include "service/account_service.h"
#include "service/audit_log.h"
#include "service/employment_service.h"
#include "service/import_service.h"
#include "service/income_service.h"
#include "service/indicator_service.h"
#include "service/match_service.h"
#include "service/recruit_service.h"
#include "service/region_service.h"
#include "service/register_service.h"
#include "service/report_service.h"

namespace jobaid::api {

inline constexpr char kSessionCookie[] = "jobaid_session";
// Readable by the web client (not HttpOnly): it sends the value back as X-CSRF-Token.
inline constexpr char kCsrfCookie[] = "jobaid_csrf";

struct Services {
  const service::Context& ctx;
  service::RegisterService& reg;
  service::ImportService& imports;
  service::AccountService& accounts;
  service::RegionService& regions;
  service::AuditLog& audit;
  service::MatchService& match;
  service::RecruitService& recruit;
  service::EmploymentService& employment;
  service::IncomeService& income;
  service::IndicatorService& indicators;
  service::ReportService& reports;
  std::string version;
  std::string static_dir;  // the built web front end, "" if none
};

// Adds every route of the API (and the static front end) to `router`.
void AddRoutes(Router& router, Services& s);

// Routes one request: 404/405 for unknown paths, 401 for a missing session on an
// authenticated route, 403 (code CSRF) for a request that changes something on one without the
// session's X-CSRF-Token header, the handler's response otherwise.
Response Dispatch(const Router& router, Services& s, Request& req);

// The OpenAPI 3 document describing the API (embedded from api/openapi.json).
absl::string_view OpenApiDocument();

}  // namespace jobaid::api
