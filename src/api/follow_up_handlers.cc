// Following people: a person's access log and spells of employment, household income, the
// verification round.
#include <boost/json.hpp>

#include "absl/strings/numbers.h"
#include "api/api.h"
#include "api/body.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "common/status.h"

namespace jobaid::api {

void AddFollowUpRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
  auto get_persons_access_log = [&s](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    return Reply(s.reg.PersonAccessLog(ActorOf(req), PersonId(id)),
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
  };
  auto get_persons_employment = [&s, &regions](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    return Reply(s.employment.Of(ActorOf(req), PersonId(id)),
                 [&](const std::vector<domain::Employment>& spells) {
                   json::array items;
                   for (const auto& e : spells) {
                     items.push_back(EmploymentJson(e, regions));
                   }
                   return json::value(json::object{{"items", std::move(items)}});
                 });
  };

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
  auto get_households_income = [&s, income_json](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    return Reply(s.income.Of(ActorOf(req), HouseholdId(id)),
                 [&](const std::vector<domain::HouseholdIncome>& years) {
                   json::array items;
                   for (const auto& i : years) items.push_back(income_json(i));
                   return json::value(json::object{{"items", std::move(items)}});
                 });
  };
  auto put_households_income_one = [&s, income_json](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    int year = 0;
    if (!absl::SimpleAtoi(req.params[1], &year)) {
      return FieldError("year", "the year must be a number, as 2025");
    }
    JA_ASSIGN_OR_RETURN(auto f, FieldsFromJson(req.body));
    return Reply(s.income.Put(ActorOf(req), HouseholdId(id), year, f),
                 [&](const domain::HouseholdIncome& i) { return json::value(income_json(i)); });
  };
  auto post_verification = [&s](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto body, Body::Parse(req.body));
    std::vector<PersonId> ids;
    for (int64_t id : body.Ids("person_ids", Need::kRequired, 100000)) {
      ids.emplace_back(id);
    }
    JA_RETURN_IF_ERROR(body.status());
    return Reply(s.reg.VerifyPersons(ActorOf(req), ids), [&](int64_t at) {
      return json::value(
          json::object{{"verified", ids.size()}, {"verified_at", Sv(FormatIsoMs(at))}});
    });
  };
  auto spell_json = [&regions](const domain::Employment& e) {
    return json::value(EmploymentJson(e, regions));
  };
  auto post_persons_employment = [&s, spell_json](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    JA_ASSIGN_OR_RETURN(auto f, FieldsFromJson(req.body));
    return Reply(s.employment.Create(ActorOf(req), PersonId(id), f), spell_json, 201);
  };
  auto get_employment_one = [&s, spell_json](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    return Reply(s.employment.Get(ActorOf(req), EmploymentId(id)), spell_json);
  };
  auto patch_employment_one = [&s, spell_json](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    JA_ASSIGN_OR_RETURN(auto f, FieldsFromJson(req.body));
    return Reply(s.employment.Update(ActorOf(req), EmploymentId(id), f), spell_json);
  };
  auto delete_employment_one = [&s, spell_json](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    JA_ASSIGN_OR_RETURN(auto vr, DecodeVersionReason(req.body, req.query));
    return Reply(s.employment.Delete(ActorOf(req), EmploymentId(id), vr.version, vr.reason),
                 spell_json);
  };

  router.AddAll({
      {.method = "GET",
       .pattern = "/api/v1/persons/{id}/access-log",
       .body_limit = 1 << 16,
       .handler = get_persons_access_log},
      {.method = "GET",
       .pattern = "/api/v1/persons/{id}/employment",
       .body_limit = 1 << 16,
       .handler = get_persons_employment},
      {.method = "GET",
       .pattern = "/api/v1/households/{id}/income",
       .body_limit = 1 << 16,
       .handler = get_households_income},
      {.method = "PUT",
       .pattern = "/api/v1/households/{id}/income/{year}",
       .body_limit = 1 << 16,
       .handler = put_households_income_one},
      {.method = "POST",
       .pattern = "/api/v1/verification",
       .body_limit = 1 << 20,
       .handler = post_verification},
      {.method = "POST",
       .pattern = "/api/v1/persons/{id}/employment",
       .body_limit = 1 << 16,
       .handler = post_persons_employment},
      {.method = "GET",
       .pattern = "/api/v1/employment/{id}",
       .body_limit = 1 << 16,
       .handler = get_employment_one},
      {.method = "PATCH",
       .pattern = "/api/v1/employment/{id}",
       .body_limit = 1 << 16,
       .handler = patch_employment_one},
      {.method = "DELETE",
       .pattern = "/api/v1/employment/{id}",
       .body_limit = 1 << 16,
       .handler = delete_employment_one},
  });
}

}  // namespace jobaid::api
