// Applications and their moves, from recommended to hired.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/body.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "common/status.h"

namespace jobaid::api {

void AddApplicationRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
  const Clock& clock = s.ctx.clock;
  // ---- applications: recommended -> applied -> interview -> offered -> hired ----
  auto get_applications = [&s, &regions](Request& req) -> HandlerResult {
    service::ApplicationFilter f;
    f.region = req.Query("region");
    f.state = req.Query("state");
    absl::Status bad = IdFields({{"job_id", &f.job_id}, {"person_id", &f.person_id}},
                                [&](const char* key) { return req.Query(key); });
    if (bad.ok()) bad = PageFrom(req, f.page);
    JA_RETURN_IF_ERROR(bad);
    return Reply(s.recruit.List(ActorOf(req), f), [&](const auto& page) {
      return json::value(PageJson(
          page, [&](const service::ApplicationView& v) { return ApplicationJson(v, regions); }));
    });
  };
  auto post_applications = [&s, &regions](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto body, Body::Parse(req.body));
    body.Only({"person_id", "job_id"});
    int64_t person = body.Id("person_id", Need::kOptional);
    int64_t job = body.Id("job_id", Need::kRequired);
    JA_RETURN_IF_ERROR(body.status());
    return Reply(
        s.recruit.Apply(ActorOf(req), PersonId(person), JobId(job)),
        [&](const service::ApplicationView& v) { return json::value(ApplicationJson(v, regions)); },
        201);
  };
  auto get_applications_one = [&s, &regions](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    return Reply(s.recruit.Get(ActorOf(req), ApplicationId(id)),
                 [&](const service::ApplicationView& v) {
                   return json::value(ApplicationJson(v, regions));
                 });
  };
  auto post_applications_transition = [&s, &regions, &clock](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    JA_ASSIGN_OR_RETURN(auto move, MoveFromJson(req.body, regions, clock));
    return Reply(s.recruit.Transition(ActorOf(req), ApplicationId(id), move),
                 [&](const service::ApplicationView& v) {
                   return json::value(ApplicationJson(v, regions));
                 });
  };

  router.AddAll({
      {.method = "GET",
       .pattern = "/api/v1/applications",
       .body_limit = 1 << 16,
       .handler = get_applications},
      {.method = "POST",
       .pattern = "/api/v1/applications",
       .body_limit = 1 << 16,
       .handler = post_applications},
      {.method = "GET",
       .pattern = "/api/v1/applications/{id}",
       .body_limit = 1 << 16,
       .handler = get_applications_one},
      {.method = "POST",
       .pattern = "/api/v1/applications/{id}/transition",
       .body_limit = 1 << 16,
       .handler = post_applications_transition},
  });
}

}  // namespace jobaid::api
