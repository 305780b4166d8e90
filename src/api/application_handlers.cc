// Applications and their moves, from recommended to hired.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "api/api.h"
#include "api/body.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "api/static_files.h"
#include "auth/passwords.h"
#include "common/money.h"
#include "common/status.h"
#include "domain/vocabulary.h"
#include "io/poster.h"
#include "io/table.h"

namespace jobaid::api {

void AddApplicationRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
  const Clock& clock = s.ctx.clock;
  // ---- applications: recommended -> applied -> interview -> offered -> hired ----
  router.Add({"GET", "/api/v1/applications",
              "Applications you may see (?state=, ?job_id=, ?person_id=, ?region=, paging)",
              "applications", true, 1 << 16, [&s, &regions](Request& req) {
                service::ApplicationFilter f;
                f.region = req.Query("region");
                f.state = req.Query("state");
                absl::Status bad = IdFields({{"job_id", &f.job_id}, {"person_id", &f.person_id}},
                                            [&](const char* key) { return req.Query(key); });
                if (bad.ok()) bad = PageFrom(req, f.page);
                if (!bad.ok()) return ErrorResponse(bad);
                return Reply(s.recruit.List(ActorOf(req), f), [&](const auto& page) {
                  return json::value(PageJson(page, [&](const service::ApplicationView& v) {
                    return ApplicationJson(v, regions);
                  }));
                });
              }});
  router.Add({"POST", "/api/v1/applications",
              "Apply to a job {job_id} (laborers), or record that a person applied {person_id, "
              "job_id} (staff)",
              "applications", true, 1 << 16, [&s, &regions](Request& req) {
                auto body = Body::Parse(req.body);
                if (!body.ok()) return ErrorResponse(body.status());
                body->Only({"person_id", "job_id"});
                int64_t person = body->Id("person_id", Need::kOptional);
                int64_t job = body->Id("job_id", Need::kRequired);
                if (!body->status().ok()) return ErrorResponse(body->status());
                return Reply(
                    s.recruit.Apply(ActorOf(req), PersonId(person), JobId(job)),
                    [&](const service::ApplicationView& v) {
                      return json::value(ApplicationJson(v, regions));
                    },
                    201);
              }});
  router.Add({"GET", "/api/v1/applications/{id}",
              "An application with its history and, once hired, the spell of employment",
              "applications", true, 1 << 16, [&s, &regions](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                return Reply(s.recruit.Get(ActorOf(req), ApplicationId(*id)),
                             [&](const service::ApplicationView& v) {
                               return json::value(ApplicationJson(v, regions));
                             });
              }});
  router.Add({"POST", "/api/v1/applications/{id}/transition",
              "Move an application {to, version, reason (rejected, withdrawn)}; a hire takes "
              "{start_date, monthly_income (fen), kind, part_time, end_current_spell}",
              "applications", true, 1 << 16, [&s, &regions, &clock](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                auto move = MoveFromJson(req.body, regions, clock);
                if (!move.ok()) return ErrorResponse(move.status());
                return Reply(s.recruit.Transition(ActorOf(req), ApplicationId(*id), *move),
                             [&](const service::ApplicationView& v) {
                               return json::value(ApplicationJson(v, regions));
                             });
              }});
}

}  // namespace jobaid::api
