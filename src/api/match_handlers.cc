// Matching: jobs for a laborer, people for a job, bulk assignment.
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

void AddMatchRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
  const Clock& clock = s.ctx.clock;
  // ---- matching ----
  router.Add({"GET", "/api/v1/match/persons/{id}/jobs",
              "The open jobs that fit a laborer best (?limit=, 1-100), with scores and reasons",
              "match", true, 1 << 16, [&s, &regions](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                auto limit = LimitParam(req, 10, 100);
                if (!limit.ok()) return ErrorResponse(limit.status());
                return Reply(s.match.JobsFor(ActorOf(req), PersonId(*id), *limit),
                             [&](const auto& ranked) {
                               json::array items;
                               for (const auto& r : ranked) {
                                 json::object o = MatchJson(r.match);
                                 o["job"] = JobJson(r.job, regions);
                                 items.push_back(std::move(o));
                               }
                               return json::value(json::object{{"items", std::move(items)}});
                             });
              }});
  router.Add({"GET", "/api/v1/match/jobs/{id}/persons",
              "The laborers in your region (?region=) who fit a job best (?limit=), with scores "
              "and reasons",
              "match", true, 1 << 16, [&s, &regions, &clock](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                auto limit = LimitParam(req, 10, 100);
                if (!limit.ok()) return ErrorResponse(limit.status());
                return Reply(
                    s.match.PeopleFor(ActorOf(req), JobId(*id), req.Query("region"), *limit),
                    [&](const auto& ranked) {
                      json::array items;
                      for (const auto& r : ranked) {
                        json::object o = MatchJson(r.match);
                        o["person"] = PersonJson(r.person, ActorOf(req), regions, clock.Today());
                        items.push_back(std::move(o));
                      }
                      return json::value(json::object{{"items", std::move(items)}});
                    });
              }});

  router.Add({"POST", "/api/v1/match/assign",
              "Propose a bulk assignment of the laborers of ?region= to open jobs (nothing is "
              "written)",
              "match", true, 1 << 16, [&s, &regions, &clock](Request& req) {
                return Reply(s.match.Propose(ActorOf(req), req.Query("region")),
                             [&](const service::MatchService::Proposal& p) {
                               json::array pairs;
                               for (size_t i = 0; i < p.people.size(); ++i) {
                                 json::object o = MatchJson(p.people[i].match);
                                 o["person"] = PersonJson(p.people[i].person, ActorOf(req), regions,
                                                          clock.Today());
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
              }});

  router.Add({"POST", "/api/v1/match/confirm",
              "Confirm reviewed pairs {pairs: [{person_id, job_id}]} as recommendations, in one "
              "transaction",
              "match", true, 8 << 20, [&s, &regions](Request& req) {
                auto pairs = PairsFromJson(req.body);
                if (!pairs.ok()) return ErrorResponse(pairs.status());
                return Reply(
                    s.recruit.Recommend(ActorOf(req), *pairs),
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
              }});
}

}  // namespace jobaid::api
