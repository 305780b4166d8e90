// Following people: a person's access log and spells of employment, household income, the
// verification round.
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

void AddFollowUpRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
  router.Add({"GET", "/api/v1/persons/{id}/access-log",
              "Who read or changed a person's record and when, newest first (the right to know)",
              "persons", true, 1 << 16, [&s](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                return Reply(s.reg.PersonAccessLog(ActorOf(req), PersonId(*id)),
                             [](const std::vector<service::RegisterService::AccessEntry>& log) {
                               json::array items;
                               for (const auto& e : log) {
                                 items.push_back(json::object{{"at", Sv(FormatIsoMs(e.at))},
                                                              {"username", Sv(e.username)},
                                                              {"display_name", Sv(e.display_name)},
                                                              {"role", Sv(e.role)},
                                                              {"action", Sv(e.action)},
                                                              {"detail", Sv(e.detail)}});
                               }
                               return json::value(json::object{{"items", std::move(items)}});
                             });
              }});
  router.Add({"GET", "/api/v1/persons/{id}/employment",
              "A person's spells of employment, by start date", "persons", true, 1 << 16,
              [&s, &regions](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                return Reply(s.employment.Of(ActorOf(req), PersonId(*id)),
                             [&](const std::vector<domain::Employment>& spells) {
                               json::array items;
                               for (const auto& e : spells) {
                                 items.push_back(EmploymentJson(e, regions));
                               }
                               return json::value(json::object{{"items", std::move(items)}});
                             });
              }});

  auto income_json = [](const domain::HouseholdIncome& i) {
    json::object o;
    o["year"] = i.year;
    o["wage"] = i.wage;
    o["business"] = i.business;
    o["property"] = i.property;
    o["transfer"] = i.transfer;
    o["total"] = i.total();
    o["work_share"] = i.work_share();
    o["updated_at"] = Sv(FormatIsoMs(i.updated_at));
    return o;
  };
  router.Add({"GET", "/api/v1/households/{id}/income",
              "A household's income by source per year (fen), oldest first, with the work share",
              "households", true, 1 << 16, [&s, income_json](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                return Reply(s.income.Of(ActorOf(req), HouseholdId(*id)),
                             [&](const std::vector<domain::HouseholdIncome>& years) {
                               json::array items;
                               for (const auto& i : years) items.push_back(income_json(i));
                               return json::value(json::object{{"items", std::move(items)}});
                             });
              }});
  router.Add({"PUT", "/api/v1/households/{id}/income/{year}",
              "Set a household's income of a year {wage, business, property, transfer} (fen)",
              "households", true, 1 << 16, [&s, income_json](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                int year = 0;
                if (!absl::SimpleAtoi(req.params[1], &year)) {
                  return ErrorResponse(FieldError("year", "the year must be a number, as 2025"));
                }
                auto f = FieldsFromJson(req.body);
                if (!f.ok()) return ErrorResponse(f.status());
                return Reply(
                    s.income.Put(ActorOf(req), HouseholdId(*id), year, *f),
                    [&](const domain::HouseholdIncome& i) { return json::value(income_json(i)); });
              }});
  router.Add({"POST", "/api/v1/verification",
              "The verification round: confirm {person_ids} still as recorded (stamps now); "
              "GET /persons?unverified=2026Q4 lists who is left",
              "persons", true, 1 << 20, [&s](Request& req) {
                auto body = Body::Parse(req.body);
                if (!body.ok()) return ErrorResponse(body.status());
                std::vector<PersonId> ids;
                for (int64_t id : body->Ids("person_ids", Need::kRequired, 100000)) {
                  ids.emplace_back(id);
                }
                if (!body->status().ok()) return ErrorResponse(body->status());
                return Reply(s.reg.VerifyPersons(ActorOf(req), ids), [&](int64_t at) {
                  return json::value(
                      json::object{{"verified", ids.size()}, {"verified_at", Sv(FormatIsoMs(at))}});
                });
              }});
  auto spell_json = [&regions](const domain::Employment& e) {
    return json::value(EmploymentJson(e, regions));
  };
  router.Add({"POST", "/api/v1/persons/{id}/employment",
              "Record a spell of employment {kind, region_code, start_date, end_date, "
              "monthly_income (fen), how_found, part_time, employer_id, job_id, "
              "end_current_spell}",
              "persons", true, 1 << 16, [&s, spell_json](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                auto f = FieldsFromJson(req.body);
                if (!f.ok()) return ErrorResponse(f.status());
                return Reply(s.employment.Create(ActorOf(req), PersonId(*id), *f), spell_json, 201);
              }});
  router.Add({"GET", "/api/v1/employment/{id}", "One spell of employment", "persons", true, 1 << 16,
              [&s, spell_json](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                return Reply(s.employment.Get(ActorOf(req), EmploymentId(*id)), spell_json);
              }});
  router.Add({"PATCH", "/api/v1/employment/{id}",
              "Change or end a spell (end_date); the body names the version read", "persons", true,
              1 << 16, [&s, spell_json](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                auto f = FieldsFromJson(req.body);
                if (!f.ok()) return ErrorResponse(f.status());
                return Reply(s.employment.Update(ActorOf(req), EmploymentId(*id), *f), spell_json);
              }});
  router.Add(
      {"DELETE", "/api/v1/employment/{id}", "Delete a spell recorded by mistake, with a reason",
       "persons", true, 1 << 16, [&s, spell_json](Request& req) {
         auto id = IdParam(req);
         if (!id.ok()) return ErrorResponse(id.status());
         auto vr = DecodeVersionReason(req.body, req.query);
         if (!vr.ok()) return ErrorResponse(vr.status());
         return Reply(s.employment.Delete(ActorOf(req), EmploymentId(*id), vr->version, vr->reason),
                      spell_json);
       }});
}

}  // namespace jobaid::api
