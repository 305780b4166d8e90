// Matching: jobs for a laborer, people for a job, bulk assignment.
#include <boost/json.hpp>
#include <cmath>

#include "api/api.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "common/status.h"

namespace jobaid::api {

void AddMatchRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
  const Clock& clock = s.ctx.clock;
  // ---- matching ----
  auto get_match_persons_jobs = [&s, &regions](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    JA_ASSIGN_OR_RETURN(auto limit, LimitParam(req, 10, 100));
    return Reply(s.match.JobsFor(ActorOf(req), PersonId(id), limit), [&](const auto& ranked) {
      json::array items;
      for (const auto& r : ranked) {
        json::object o = MatchJson(r.match);
        o["job"] = JobJson(r.job, regions);
        items.push_back(std::move(o));
      }
      return json::value(json::object{{"items", std::move(items)}});
    });
  };
  auto get_match_jobs_persons = [&s, &regions, &clock](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    JA_ASSIGN_OR_RETURN(auto limit, LimitParam(req, 10, 100));
    return Reply(s.match.PeopleFor(ActorOf(req), JobId(id), req.Query("region"), limit),
                 [&](const auto& ranked) {
                   json::array items;
                   for (const auto& r : ranked) {
                     json::object o = MatchJson(r.match);
                     o["person"] = PersonJson(r.person, ActorOf(req), regions, clock.Today());
                     items.push_back(std::move(o));
                   }
                   return json::value(json::object{{"items", std::move(items)}});
                 });
  };

  auto post_match_assign = [&s, &regions, &clock](Request& req) -> HandlerResult {
    return Reply(s.match.Propose(ActorOf(req), req.Query("region")),
                 [&](const service::MatchService::Proposal& p) {
                   json::array pairs;
                   for (size_t i = 0; i < p.people.size(); ++i) {
                     json::object o = MatchJson(p.people[i].match);
                     o["person"] =
                         PersonJson(p.people[i].person, ActorOf(req), regions, clock.Today());
                     o["job"] = JobJson(p.jobs[i], regions);
                     pairs.push_back(std::move(o));
                   }
                   json::object o;
                   o["pairs"] = std::move(pairs);
                   o["laborers"] = p.laborers;
                   o["following"] = p.following;
                   o["placed"] = static_cast<int64_t>(p.people.size());
                   o["priority_placed"] = p.summary.priority_placed;
                   o["total_score"] = std::round(p.summary.total_score * 10) / 10;
                   o["candidates"] = p.summary.candidates;
                   o["weights"] = WeightsJson(s.match.weights());
                   return json::value(std::move(o));
                 });
  };

  auto post_match_confirm = [&s, &regions](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto pairs, PairsFromJson(req.body));
    return Reply(
        s.recruit.Recommend(ActorOf(req), pairs),
        [&](const service::RecruitService::RecommendResult& r) {
          json::array items;
          for (const auto& v : r.created) items.push_back(ApplicationJson(v, regions));
          json::object o;
          o["created"] = static_cast<int64_t>(r.created.size());
          o["already"] = r.already;
          o["items"] = std::move(items);
          return json::value(std::move(o));
        },
        201);
  };

  router.AddAll({
      {.method = "GET",
       .pattern = "/api/v1/match/persons/{id}/jobs",
       .body_limit = 1 << 16,
       .handler = get_match_persons_jobs},
      {.method = "GET",
       .pattern = "/api/v1/match/jobs/{id}/persons",
       .body_limit = 1 << 16,
       .handler = get_match_jobs_persons},
      {.method = "POST",
       .pattern = "/api/v1/match/assign",
       .body_limit = 1 << 16,
       .handler = post_match_assign},
      {.method = "POST",
       .pattern = "/api/v1/match/confirm",
       .body_limit = 8 << 20,
       .handler = post_match_confirm},
  });
}

}  // namespace jobaid::api
