// The register: households, persons, employers and jobs (list, create, read, change, delete,
// restore).
#include <boost/json.hpp>

#include "api/api.h"
#include "api/body.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "common/status.h"

namespace jobaid::api {
namespace {

using service::ListFilter;

// The CRUD routes of one register entity.
template <typename T, typename Create, typename Get, typename Update, typename Del,
          typename Restore, typename List, typename ToJson>
void AddEntity(Router& router, const std::string& base, Create create, Get get, Update update,
               Del del, Restore restore, List list, ToJson to_json) {
  router.AddAll({
      {.method = "GET",
       .pattern = base,
       .body_limit = 1 << 20,
       .handler = [=](Request& req) -> HandlerResult {
         JA_ASSIGN_OR_RETURN(auto f, FilterFrom(req));
         return Reply(list(ActorOf(req), f), [&](const storage::Page<T>& p) {
           return json::value(PageJson(p, [&](const T& t) { return to_json(req, t); }));
         });
       }},
      {.method = "POST",
       .pattern = base,
       .body_limit = 1 << 20,
       .handler = [=](Request& req) -> HandlerResult {
         // Entities whose create takes members (households) accept them in the body.
         constexpr bool kWithMembers =
             std::is_invocable_v<Create, const auth::Actor&, const domain::Fields&,
                                 const std::vector<domain::Fields>&>;
         std::vector<domain::Fields> members;
         JA_ASSIGN_OR_RETURN(auto f, FieldsFromJson(req.body, kWithMembers ? &members : nullptr));
         auto created = [&] {
           if constexpr (kWithMembers) {
             return create(ActorOf(req), f, members);
           } else {
             return create(ActorOf(req), f);
           }
         };
         return Reply(
             created(),
             [&](const service::WriteResult<T>& w) {
               json::object o = to_json(req, w.record);
               o["warnings"] = StringArray(w.warnings);
               return json::value(std::move(o));
             },
             201);
       }},
      {.method = "GET",
       .pattern = base + "/{id}",
       .body_limit = 1 << 20,
       .handler = [=](Request& req) -> HandlerResult {
         JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
         return get(req, id);
       }},
      {.method = "PATCH",
       .pattern = base + "/{id}",
       .body_limit = 1 << 20,
       .handler = [=](Request& req) -> HandlerResult {
         JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
         JA_ASSIGN_OR_RETURN(auto f, FieldsFromJson(req.body));
         return Reply(update(ActorOf(req), id, f), [&](const service::WriteResult<T>& w) {
           json::object o = to_json(req, w.record);
           o["warnings"] = StringArray(w.warnings);
           return json::value(std::move(o));
         });
       }},
      {.method = "DELETE",
       .pattern = base + "/{id}",
       .body_limit = 1 << 20,
       .handler = [=](Request& req) -> HandlerResult {
         JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
         JA_ASSIGN_OR_RETURN(auto vr, DecodeVersionReason(req.body, req.query));
         return Reply(del(ActorOf(req), id, vr.version, vr.reason),
                      [&](const T& t) { return json::value(to_json(req, t)); });
       }},
      {.method = "POST",
       .pattern = base + "/{id}/restore",
       .body_limit = 1 << 20,
       .handler = [=](Request& req) -> HandlerResult {
         JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
         JA_ASSIGN_OR_RETURN(auto vr, DecodeVersionReason(req.body, req.query));
         return Reply(restore(ActorOf(req), id, vr.version),
                      [&](const T& t) { return json::value(to_json(req, t)); });
       }},
  });
}

}  // namespace

void AddRegisterRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
  const Clock& clock = s.ctx.clock;
  service::RegisterService& reg = s.reg;
  // ---- the register ----
  AddEntity<domain::Household>(
      router, "/api/v1/households",
      [&reg](const auth::Actor& a, const domain::Fields& f,
             const std::vector<domain::Fields>& members) {
        return reg.CreateHousehold(a, f, members);
      },
      [&reg, &regions, &clock](Request& req, int64_t id) {
        return Reply(reg.GetHousehold(ActorOf(req), HouseholdId(id)),
                     [&](const service::HouseholdDetail& d) {
                       json::object o = HouseholdJson(d.household, ActorOf(req), regions);
                       json::array members;
                       for (const auto& p : d.members) {
                         members.push_back(PersonJson(p, ActorOf(req), regions, clock.Today()));
                       }
                       o["members"] = std::move(members);
                       o["laborers"] = d.laborers;
                       return json::value(std::move(o));
                     });
      },
      [&reg](const auth::Actor& a, int64_t id, const domain::Fields& f) {
        return reg.UpdateHousehold(a, HouseholdId(id), f);
      },
      [&reg](const auth::Actor& a, int64_t id, int64_t v, const std::string& why) {
        return reg.DeleteHousehold(a, HouseholdId(id), v, why);
      },
      [&reg](const auth::Actor& a, int64_t id, int64_t v) {
        return reg.RestoreHousehold(a, HouseholdId(id), v);
      },
      [&reg](const auth::Actor& a, const ListFilter& f) { return reg.ListHouseholds(a, f); },
      [&regions](const Request& req, const domain::Household& h) {
        return HouseholdJson(h, ActorOf(req), regions);
      });

  AddEntity<domain::Person>(
      router, "/api/v1/persons",
      [&reg](const auth::Actor& a, const domain::Fields& f) { return reg.CreatePerson(a, f); },
      [&reg, &regions, &clock](Request& req, int64_t id) {
        return Reply(reg.GetPerson(ActorOf(req), PersonId(id)), [&](const domain::Person& p) {
          return json::value(PersonJson(p, ActorOf(req), regions, clock.Today()));
        });
      },
      [&reg](const auth::Actor& a, int64_t id, const domain::Fields& f) {
        return reg.UpdatePerson(a, PersonId(id), f);
      },
      [&reg](const auth::Actor& a, int64_t id, int64_t v, const std::string& why) {
        return reg.DeletePerson(a, PersonId(id), v, why);
      },
      [&reg](const auth::Actor& a, int64_t id, int64_t v) {
        return reg.RestorePerson(a, PersonId(id), v);
      },
      [&reg](const auth::Actor& a, const ListFilter& f) { return reg.ListPersons(a, f); },
      [&regions, &clock](const Request& req, const domain::Person& p) {
        return PersonJson(p, ActorOf(req), regions, clock.Today());
      });

  AddEntity<domain::Employer>(
      router, "/api/v1/employers",
      [&reg](const auth::Actor& a, const domain::Fields& f) { return reg.CreateEmployer(a, f); },
      [&reg, &regions](Request& req, int64_t id) {
        return Reply(reg.GetEmployer(ActorOf(req), EmployerId(id)), [&](const domain::Employer& e) {
          return json::value(EmployerJson(e, ActorOf(req), regions));
        });
      },
      [&reg](const auth::Actor& a, int64_t id, const domain::Fields& f) {
        return reg.UpdateEmployer(a, EmployerId(id), f);
      },
      [&reg](const auth::Actor& a, int64_t id, int64_t v, const std::string& why) {
        return reg.DeleteEmployer(a, EmployerId(id), v, why);
      },
      [&reg](const auth::Actor& a, int64_t id, int64_t v) {
        return reg.RestoreEmployer(a, EmployerId(id), v);
      },
      [&reg](const auth::Actor& a, const ListFilter& f) { return reg.ListEmployers(a, f); },
      [&regions](const Request& req, const domain::Employer& e) {
        return EmployerJson(e, ActorOf(req), regions);
      });

  AddEntity<domain::Job>(
      router, "/api/v1/jobs",
      [&reg](const auth::Actor& a, const domain::Fields& f) { return reg.CreateJob(a, f); },
      [&reg, &regions](Request& req, int64_t id) {
        return Reply(reg.GetJob(ActorOf(req), JobId(id)),
                     [&](const domain::Job& j) { return json::value(JobJson(j, regions)); });
      },
      [&reg](const auth::Actor& a, int64_t id, const domain::Fields& f) {
        return reg.UpdateJob(a, JobId(id), f);
      },
      [&reg](const auth::Actor& a, int64_t id, int64_t v, const std::string& why) {
        return reg.DeleteJob(a, JobId(id), v, why);
      },
      [&reg](const auth::Actor& a, int64_t id, int64_t v) {
        return reg.RestoreJob(a, JobId(id), v);
      },
      [&reg](const auth::Actor& a, const ListFilter& f) { return reg.ListJobs(a, f); },
      [&regions](const Request&, const domain::Job& j) { return JobJson(j, regions); });
}

}  // namespace jobaid::api
