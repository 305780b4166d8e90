// The API's table of routes (the system's own here, each resource's in its file,
// api/<resource>_handlers.cc) and the dispatcher that authenticates, checks the CSRF token,
// calls the handler and maps errors. One handler per endpoint; each parses its input, calls one
// service and shapes the JSON.
#include <boost/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "api/static_files.h"
#include "auth/passwords.h"
#include "common/status.h"
#include "domain/vocabulary.h"

namespace jobaid::api {
namespace {

json::object VocabularyJson(const domain::Vocabulary& v) {
  json::array terms;
  for (const auto& t : v.terms()) {
    json::object o;
    o["code"] = Sv(t.code);
    o["zh"] = Sv(t.zh);
    o["en"] = Sv(t.en);
    terms.push_back(std::move(o));
  }
  json::object o;
  o["terms"] = std::move(terms);
  return o;
}

}  // namespace

void AddRoutes(Router& router, Services& s) {
  auto get_health = [&s](Request&) -> HandlerResult {
    json::object o;
    auto v = s.ctx.store.SchemaVersion();
    o["status"] = v.ok() ? "ok" : "degraded";
    o["version"] = Sv(s.version);
    o["schema_version"] = v.ok() ? *v : 0;
    o["regions"] = s.ctx.regions.size();
    return Json(o, v.ok() ? 200 : 503);
  };
  auto get_openapi_json = [](Request&) -> HandlerResult {
    Response r;
    r.body = std::string(OpenApiDocument());
    return r;
  };
  auto get_vocabularies = [](Request&) -> HandlerResult {
    json::object o;
    for (const auto* v :
         {&domain::PovertyTypes(), &domain::MonitorTypes(), &domain::HouseholdStatuses(),
          &domain::Relations(), &domain::Educations(), &domain::Healths(), &domain::WorkAbilities(),
          &domain::Intentions(), &domain::EmployerKinds(), &domain::JobKinds(),
          &domain::JobStatuses(), &domain::EmploymentKinds(), &domain::HowFound(),
          &domain::ApplicationStates(), &domain::Genders(), &domain::Roles()}) {
      std::string key(v->name());
      if (v == &domain::HouseholdStatuses()) key = "household_status";
      if (v == &domain::EmployerKinds()) key = "employer_kind";
      if (v == &domain::JobKinds()) key = "job_kind";
      if (v == &domain::JobStatuses()) key = "job_status";
      if (v == &domain::EmploymentKinds()) key = "employment_kind";
      if (v == &domain::ApplicationStates()) key = "application_state";
      o[key] = VocabularyJson(*v);
    }
    return Json(o);
  };

  AddAccountRoutes(router, s);
  AddRegionRoutes(router, s);
  AddRegisterRoutes(router, s);
  AddTransferRoutes(router, s);
  AddMatchRoutes(router, s);
  AddPublicRoutes(router, s);
  AddApplicationRoutes(router, s);
  AddPrivacyRoutes(router, s);
  AddFollowUpRoutes(router, s);
  AddIndicatorRoutes(router, s);
  AddTargetRoutes(router, s);
  AddReportRoutes(router, s);

  router.AddAll({
      {.method = "GET",
       .pattern = "/api/v1/health",
       .authenticated = false,
       .body_limit = 1 << 20,
       .handler = get_health},
      {.method = "GET",
       .pattern = "/api/v1/openapi.json",
       .authenticated = false,
       .body_limit = 1 << 20,
       .handler = get_openapi_json},
      {.method = "GET",
       .pattern = "/api/v1/vocabularies",
       .authenticated = false,
       .body_limit = 1 << 20,
       .handler = get_vocabularies},
  });
}

Response Dispatch(const Router& router, Services& s, Request& req) {
  bool path_known = false;
  const Route* route = router.Match(req.method, req.path, req.params, path_known);
  if (route == nullptr) {
    if ((req.method == "GET" || req.method == "HEAD") && !absl::StartsWith(req.path, "/api/")) {
      return ServeStatic(s.static_dir, req.path,
                         absl::StrContains(req.Header("accept-encoding"), "gzip"));
    }
    if (path_known) {
      return ErrorResponse(405, "METHOD_NOT_ALLOWED",
                           absl::StrCat(req.method, " is not allowed on ", req.path));
    }
    return ErrorResponse(404, "NOT_FOUND", absl::StrCat("no endpoint ", req.path));
  }
  if (route->authenticated) {
    auto actor = s.accounts.Authenticate(req.Cookie(kSessionCookie));
    if (!actor.ok()) return ErrorResponse(actor.status());
    req.actor = *std::move(actor);
    // A request that may change something must prove it comes from our own pages: another
    // site can make the browser send the session cookie, but cannot read the CSRF token.
    bool safe = req.method == "GET" || req.method == "HEAD";
    if (!safe &&
        !auth::SameToken(req.Header("x-csrf-token"), auth::CsrfToken(req.Cookie(kSessionCookie)))) {
      return ErrorResponse(403, "CSRF",
                           "the X-CSRF-Token header is missing or wrong; reload the page and try "
                           "again");
    }
  }
  try {
    HandlerResult r = route->handler(req);
    if (!r.ok()) return ErrorResponse(r.status());
    return *std::move(r);
  } catch (const std::exception& e) {
    return ErrorResponse(500, "INTERNAL", absl::StrCat("internal error: ", e.what()));
  }
}

}  // namespace jobaid::api
