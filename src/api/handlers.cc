// One handler per endpoint; each parses its input, calls one service and shapes the JSON.
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
namespace {

using service::ListFilter;

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

// ?sort= ("-" first for descending), ?cursor= and ?limit= (1-1000, default 50).
absl::Status PageFrom(const Request& req, storage::PageRequest& page) {
  std::string sort = req.Query("sort");
  if (absl::StartsWith(sort, "-")) {
    page.descending = true;
    sort = sort.substr(1);
  }
  page.sort = sort;
  page.cursor = req.Query("cursor");
  JA_ASSIGN_OR_RETURN(page.limit, LimitParam(req, 50, 1000));
  return absl::OkStatus();
}

absl::StatusOr<ListFilter> FilterFrom(const Request& req) {
  ListFilter f;
  f.region = req.Query("region");
  f.poverty_type = req.Query("poverty_type");
  f.status = req.Query("status");
  f.intention = req.Query("intention");
  f.employment = req.Query("employment");
  f.kind = req.Query("kind");
  f.q = req.Query("q");
  f.id_number = req.Query("id_number");
  f.unverified = req.Query("unverified");
  f.deleted = req.Query("deleted") == "true";
  JA_RETURN_IF_ERROR(IdFields({{"household_id", &f.household_id}, {"employer_id", &f.employer_id}},
                              [&](const char* key) { return req.Query(key); }));
  JA_RETURN_IF_ERROR(PageFrom(req, f.page));
  return f;
}

// {"pairs": [{"person_id": 1, "job_id": 2}, ...]}; errors name pairs[i].field.
absl::StatusOr<std::vector<service::RecruitService::PersonJob>> PairsFromJson(
    absl::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(json::string_view(body.data(), body.size()), ec);
  if (ec || !v.is_object()) return FieldError("body", "the body must be a JSON object");
  const json::value* pairs = v.as_object().if_contains("pairs");
  if (pairs == nullptr || !pairs->is_array()) {
    return FieldError("pairs", "pairs must be an array of {person_id, job_id}");
  }
  std::vector<service::RecruitService::PersonJob> out;
  const json::array& arr = pairs->as_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    int64_t ids[2] = {0, 0};
    const char* keys[2] = {"person_id", "job_id"};
    for (int k = 0; k < 2; ++k) {
      const json::value* x = arr[i].is_object() ? arr[i].as_object().if_contains(keys[k]) : nullptr;
      bool ok =
          x != nullptr && ((x->is_int64() && (ids[k] = x->as_int64()) > 0) ||
                           (x->is_string() &&
                            absl::SimpleAtoi(std::string(x->as_string()), &ids[k]) && ids[k] > 0));
      if (!ok) {
        return FieldError(absl::StrCat("pairs[", i, "].", keys[k]),
                          absl::StrCat(keys[k], " must be a record id"));
      }
    }
    out.push_back({PersonId(ids[0]), JobId(ids[1])});
  }
  return out;
}

// The address of job `id`'s public page as the client reached this server (behind a proxy, as
// it says it was reached). A host with characters no host has falls back to 127.0.0.1.
std::string PublicJobUrl(const Request& req, int64_t id) {
  std::string host = req.Header("x-forwarded-host");
  if (host.empty()) host = req.Header("host");
  bool sane =
      !host.empty() && host.size() < 256 && std::all_of(host.begin(), host.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
               c == ':' || c == '[' || c == ']';
      });
  if (!sane) host = "127.0.0.1";
  std::string proto = req.Header("x-forwarded-proto") == "https" ? "https" : "http";
  return absl::StrCat(proto, "://", host, "/p/jobs/", id);
}

// Whole yuan without decimals: "4500", "4500.50".
std::string YuanText(int64_t fen) {
  return fen % 100 == 0 ? absl::StrCat(fen / 100) : FormatYuan(fen);
}

io::PosterJob PosterOf(const service::RegisterService::PublicJob& p,
                       const domain::RegionTable& regions, std::string url) {
  const domain::Job& j = p.job;
  io::PosterJob out;
  out.title = j.title;
  out.employer = p.employer_name;
  out.place = regions.PathName(j.region_code);
  if (j.wage_max <= 0) {
    out.wage = "工资面议";
  } else if (j.wage_min == j.wage_max || j.wage_min <= 0) {
    out.wage = absl::StrCat(YuanText(j.wage_max), " 元/月");
  } else {
    out.wage = absl::StrCat(YuanText(j.wage_min), "–", YuanText(j.wage_max), " 元/月");
  }
  if (j.board) out.perks.push_back("包吃");
  if (j.lodging) out.perks.push_back("包住");
  if (j.transport) out.perks.push_back("交通接送");
  int left = std::max(0, j.openings - j.hired);
  out.openings = j.status == "open" && left > 0 ? absl::StrCat("招 ", left, " 人")
                                                : std::string(domain::JobStatuses().Zh(j.status));
  out.description = j.description;
  out.url = std::move(url);
  return out;
}

// The body of a transition: to, version, reason, and the terms of a hire.
absl::StatusOr<service::RecruitService::Move> MoveFromJson(absl::string_view body,
                                                           const domain::RegionTable& regions,
                                                           const Clock& clock) {
  JA_ASSIGN_OR_RETURN(domain::Fields f, FieldsFromJson(body));
  JA_RETURN_IF_ERROR(
      service::RejectUnknownFields(f, {"to", "version", "reason", "start_date", "monthly_income",
                                       "kind", "part_time", "end_current_spell"}));
  service::RecruitService::Move m;
  JA_ASSIGN_OR_RETURN(m.version, service::VersionOf(f));
  domain::ValidationContext vc{&regions, clock.Today()};
  domain::FieldReader r(f, vc);
  m.to = std::string(r.Raw("to"));
  m.reason = std::string(r.Raw("reason"));
  m.hire.start_date = r.DateField("start_date", false);
  if (!r.Raw("monthly_income").empty()) m.hire.monthly_income = r.Fen("monthly_income", false);
  m.hire.kind = std::string(r.Raw("kind"));
  m.hire.part_time = r.Bool("part_time", false);
  m.hire.end_current_spell = r.Bool("end_current_spell", false);
  JA_RETURN_IF_ERROR(r.status());
  return m;
}

// The {kind} of an import or export path; an unknown kind is an unknown path (404).
absl::StatusOr<io::EntityKind> KindParam(const Request& req) {
  auto kind = io::ParseEntityKind(req.params[0]);
  if (!kind.ok()) return absl::NotFoundError(kind.status().message());
  return kind;
}

// The CRUD routes of one register entity.
template <typename T, typename Create, typename Get, typename Update, typename Del,
          typename Restore, typename List, typename ToJson>
void AddEntity(Router& router, const std::string& base, const std::string& tag, Create create,
               Get get, Update update, Del del, Restore restore, List list, ToJson to_json) {
  router.Add({"GET", base, "List " + tag + " with filters, sorting and cursor paging", tag, true,
              1 << 20, [=](Request& req) {
                auto f = FilterFrom(req);
                if (!f.ok()) return ErrorResponse(f.status());
                return Reply(list(ActorOf(req), *f), [&](const storage::Page<T>& p) {
                  return json::value(PageJson(p, [&](const T& t) { return to_json(req, t); }));
                });
              }});
  router.Add({"POST", base, "Create a record", tag, true, 1 << 20, [=](Request& req) {
                // Entities whose create takes members (households) accept them in the body.
                constexpr bool kWithMembers =
                    std::is_invocable_v<Create, const auth::Actor&, const domain::Fields&,
                                        const std::vector<domain::Fields>&>;
                std::vector<domain::Fields> members;
                auto f = FieldsFromJson(req.body, kWithMembers ? &members : nullptr);
                if (!f.ok()) return ErrorResponse(f.status());
                auto created = [&] {
                  if constexpr (kWithMembers) {
                    return create(ActorOf(req), *f, members);
                  } else {
                    return create(ActorOf(req), *f);
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
              }});
  router.Add({"GET", base + "/{id}", "Read one record", tag, true, 1 << 20, [=](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                return get(req, *id);
              }});
  router.Add({"PATCH", base + "/{id}", "Change fields of a record; the body names the version read",
              tag, true, 1 << 20, [=](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                auto f = FieldsFromJson(req.body);
                if (!f.ok()) return ErrorResponse(f.status());
                return Reply(update(ActorOf(req), *id, *f), [&](const service::WriteResult<T>& w) {
                  json::object o = to_json(req, w.record);
                  o["warnings"] = StringArray(w.warnings);
                  return json::value(std::move(o));
                });
              }});
  router.Add({"DELETE", base + "/{id}", "Soft-delete a record with a reason", tag, true, 1 << 20,
              [=](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                auto vr = DecodeVersionReason(req.body, req.query);
                if (!vr.ok()) return ErrorResponse(vr.status());
                return Reply(del(ActorOf(req), *id, vr->version, vr->reason),
                             [&](const T& t) { return json::value(to_json(req, t)); });
              }});
  router.Add(
      {"POST", base + "/{id}/restore", "Undo a soft delete", tag, true, 1 << 20, [=](Request& req) {
         auto id = IdParam(req);
         if (!id.ok()) return ErrorResponse(id.status());
         auto vr = DecodeVersionReason(req.body, req.query);
         if (!vr.ok()) return ErrorResponse(vr.status());
         return Reply(restore(ActorOf(req), *id, vr->version),
                      [&](const T& t) { return json::value(to_json(req, t)); });
       }});
}

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
  const domain::RegionTable& regions = s.ctx.regions;
  const Clock& clock = s.ctx.clock;
  service::RegisterService& reg = s.reg;

  router.Add({"GET", "/api/v1/health", "Liveness and store check", "system", false, 1 << 20,
              [&s](Request&) {
                json::object o;
                auto v = s.ctx.store.SchemaVersion();
                o["status"] = v.ok() ? "ok" : "degraded";
                o["version"] = Sv(s.version);
                o["schema_version"] = v.ok() ? *v : 0;
                o["regions"] = s.ctx.regions.size();
                return Json(o, v.ok() ? 200 : 503);
              }});
  router.Add({"GET", "/api/v1/openapi.json", "This API's OpenAPI 3 document", "system", false,
              1 << 20, [](Request&) {
                Response r;
                r.body = std::string(OpenApiDocument());
                return r;
              }});
  router.Add({"GET", "/api/v1/vocabularies", "Codes and labels of every closed vocabulary",
              "system", false, 1 << 20, [](Request&) {
                json::object o;
                for (const auto* v :
                     {&domain::PovertyTypes(), &domain::MonitorTypes(),
                      &domain::HouseholdStatuses(), &domain::Relations(), &domain::Educations(),
                      &domain::Healths(), &domain::WorkAbilities(), &domain::Intentions(),
                      &domain::EmployerKinds(), &domain::JobKinds(), &domain::JobStatuses(),
                      &domain::EmploymentKinds(), &domain::HowFound(), &domain::ApplicationStates(),
                      &domain::Genders(), &domain::Roles()}) {
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
              }});

  // ---- sessions ----
  router.Add(
      {"POST", "/api/v1/auth/login", "Log in; sets the session cookie", "auth", false, 1 << 16,
       [&s, &regions](Request& req) {
         auto form = DecodeLogin(req.body);
         if (!form.ok()) return ErrorResponse(form.status());
         auto r = s.accounts.Login(form->username, form->password, req.remote);
         if (!r.ok()) return ErrorResponse(r.status());
         std::string csrf = auth::CsrfToken(r->token);
         json::object o;
         o["user"] = ActorJson(r->actor, regions);
         o["expires_at"] = Sv(FormatIsoMs(r->expires_at));
         o["csrf_token"] = Sv(csrf);
         Response resp = Json(o);
         int64_t max_age = service::AccountService::kSessionMs / 1000;
         resp.headers.emplace_back(
             "Set-Cookie", absl::StrCat(kSessionCookie, "=", r->token,
                                        "; Path=/; HttpOnly; SameSite=Strict; Max-Age=", max_age));
         resp.headers.emplace_back(
             "Set-Cookie",
             absl::StrCat(kCsrfCookie, "=", csrf, "; Path=/; SameSite=Strict; Max-Age=", max_age));
         return resp;
       }});
  router.Add(
      {"POST", "/api/v1/auth/logout", "End the session", "auth", true, 1 << 16, [&s](Request& req) {
         absl::Status st = s.accounts.Logout(req.Cookie(kSessionCookie));
         if (!st.ok()) return ErrorResponse(st);
         Response r = Json(json::object{{"ok", true}});
         r.headers.emplace_back("Set-Cookie", absl::StrCat(kSessionCookie,
                                                           "=; Path=/; HttpOnly; "
                                                           "SameSite=Strict; Max-Age=0"));
         r.headers.emplace_back("Set-Cookie",
                                absl::StrCat(kCsrfCookie, "=; Path=/; SameSite=Strict; Max-Age=0"));
         return r;
       }});
  router.Add({"GET", "/api/v1/auth/me", "The logged-in user, with the session's CSRF token", "auth",
              true, 1 << 16, [&regions](Request& req) {
                json::object o = ActorJson(ActorOf(req), regions);
                o["csrf_token"] = Sv(auth::CsrfToken(req.Cookie(kSessionCookie)));
                return Json(o);
              }});

  // ---- accounts ----
  router.Add({"GET", "/api/v1/users", "Accounts in your region", "users", true, 1 << 16,
              [&s, &regions](Request& req) {
                return Reply(s.accounts.ListUsers(ActorOf(req)), [&](const auto& users) {
                  json::array a;
                  for (const auto& u : users) a.push_back(UserJson(u, regions));
                  return json::value(json::object{{"items", a}});
                });
              }});
  router.Add({"POST", "/api/v1/users", "Create an account", "users", true, 1 << 16,
              [&s, &regions](Request& req) {
                auto body = Body::Parse(req.body);
                if (!body.ok()) return ErrorResponse(body.status());
                body->Only({"username", "display_name", "role", "region_code", "password",
                            "employer_id", "person_id"});
                service::NewUser nu;
                nu.username = body->Text("username", Need::kRequired, 64);
                nu.display_name = body->Text("display_name", Need::kOptional, 100);
                nu.role = body->Text("role", Need::kRequired, 20);
                nu.region = body->Text("region_code", Need::kOptional, 12);
                nu.password = body->Text("password", Need::kRequired, 1024);
                nu.employer_id = body->Id("employer_id", Need::kOptional);
                nu.person_id = body->Id("person_id", Need::kOptional);
                if (!body->status().ok()) return ErrorResponse(body->status());
                return Reply(
                    s.accounts.CreateUser(ActorOf(req), nu),
                    [&](const domain::User& u) { return json::value(UserJson(u, regions)); }, 201);
              }});

  router.Add({"DELETE", "/api/v1/users/{id}/sessions",
              "End every session of an account (admins; or your own)", "users", true, 1 << 16,
              [&s](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                return Reply(s.accounts.EndSessions(ActorOf(req), UserId(*id)), [](int64_t n) {
                  return json::value(json::object{{"ended", n}});
                });
              }});

  // ---- regions ----
  router.Add({"GET", "/api/v1/regions", "Sub-regions of ?parent= (provinces without it)", "regions",
              true, 1 << 16, [&s](Request& req) {
                return Reply(s.regions.Children(req.Query("parent")), [](const auto& list) {
                  json::array a;
                  for (const auto& r : list) a.push_back(RegionJson(r));
                  return json::value(json::object{{"items", a}});
                });
              }});
  router.Add({"GET", "/api/v1/regions/search", "Regions whose name contains ?q=", "regions", true,
              1 << 16, [&s](Request& req) {
                auto limit = LimitParam(req, 20, 200);
                if (!limit.ok()) return ErrorResponse(limit.status());
                return Reply(s.regions.Search(req.Query("q"), req.Query("within"),
                                              static_cast<size_t>(*limit)),
                             [](const auto& list) {
                               json::array a;
                               for (const auto& r : list) a.push_back(RegionJson(r));
                               return json::value(json::object{{"items", a}});
                             });
              }});
  router.Add({"GET", "/api/v1/regions/flagged", "Regions under ?region= with a flag set", "regions",
              true, 1 << 16, [&s](Request& req) {
                return Reply(s.regions.Flagged(req.Query("region")), [](const auto& list) {
                  json::array a;
                  for (const auto& r : list) a.push_back(RegionJson(r));
                  return json::value(json::object{{"items", a}});
                });
              }});
  router.Add({"GET", "/api/v1/regions/{code}", "One region, its path and flags", "regions", true,
              1 << 16, [&s](Request& req) {
                return Reply(s.regions.Get(req.params[0]), [](const service::RegionInfo& r) {
                  return json::value(RegionJson(r));
                });
              }});
  router.Add(
      {"PUT", "/api/v1/regions/{code}/flags", "Set key_county / poverty_village / relocation_site",
       "regions", true, 1 << 16, [&s](Request& req) {
         auto f = FieldsFromJson(req.body);
         if (!f.ok()) return ErrorResponse(f.status());
         auto r = s.regions.SetFlags(ActorOf(req), req.params[0], *f);
         if (!r.ok()) return ErrorResponse(r.status());
         return Reply(s.regions.Get(req.params[0]),
                      [](const service::RegionInfo& i) { return json::value(RegionJson(i)); });
       }});

  // ---- the register ----
  AddEntity<domain::Household>(
      router, "/api/v1/households", "households",
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
      router, "/api/v1/persons", "persons",
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
      router, "/api/v1/employers", "employers",
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
      router, "/api/v1/jobs", "jobs",
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

  // ---- import and export ----
  router.Add({"GET", "/api/v1/import/{kind}/template", "The import template (?format=csv|xlsx)",
              "import", true, 1 << 16, [&s](Request& req) {
                auto kind = KindParam(req);
                if (!kind.ok()) return ErrorResponse(kind.status());
                auto format = FormatParam(req);
                if (!format.ok()) return ErrorResponse(format.status());
                auto bytes = s.imports.Template(*kind, *format);
                if (!bytes.ok()) return ErrorResponse(bytes.status());
                return Download(std::move(*bytes), *format,
                                absl::StrCat(io::EntityKindZh(*kind), "导入模板"));
              }});
  router.Add({"POST", "/api/v1/import/{kind}",
              "Import a CSV or XLSX file sent as the body (?skip_invalid=true, ?dry_run=true)",
              "import", true, size_t{512} << 20, [&s](Request& req) {
                auto kind = KindParam(req);
                if (!kind.ok()) return ErrorResponse(kind.status());
                service::ImportOptions opt;
                opt.kind = *kind;
                opt.skip_invalid = req.Query("skip_invalid") == "true";
                opt.dry_run = req.Query("dry_run") == "true";
                auto report = s.imports.Import(ActorOf(req), std::move(req.body), opt);
                if (!report.ok()) return ErrorResponse(report.status());
                int status = report->errors.empty() || report->written ? 200 : 422;
                if (opt.dry_run) status = 200;
                return Json(ImportReportJson(*report), status);
              }});
  router.Add({"GET", "/api/v1/export/{kind}",
              "Every record of a list as CSV or XLSX (?format=, and the list's filters)", "import",
              true, 1 << 16, [&s](Request& req) {
                auto kind = KindParam(req);
                if (!kind.ok()) return ErrorResponse(kind.status());
                auto format = FormatParam(req);
                if (!format.ok()) return ErrorResponse(format.status());
                auto f = FilterFrom(req);
                if (!f.ok()) return ErrorResponse(f.status());
                // ID numbers and phones go out in full only with a reason, which is audited.
                std::string reason = req.Query("reason");
                if (reason.size() > 500) {
                  return ErrorResponse(FieldError("reason", "a reason has at most 500 bytes"));
                }
                auto table = s.imports.Export(ActorOf(req), *kind, *f, reason);
                if (!table.ok()) return ErrorResponse(table.status());
                storage::AuditEntry e;
                e.user_id = ActorOf(req).user_id;
                e.action = "export";
                e.entity = std::string(io::EntityKindName(*kind));
                e.detail = absl::StrCat(table->rows.size(), " rows; ", table->note);
                if (absl::Status st = s.audit.Record(std::move(e)); !st.ok())
                  return ErrorResponse(st);
                // The file's name says who made it and when (an XLSX also in its properties).
                return TableDownload(*table, *format, io::EntityKindZh(*kind));
              }});

  // ---- figures for the dashboard ----
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

  // ---- sharing: a job's public page, QR code and poster (no login, no personal data) ----
  router.Add({"GET", "/api/v1/public/jobs/{id}", "A job as its public page shows it", "public",
              false, 1 << 16, [&reg, &regions](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                return Reply(reg.GetPublicJob(JobId(*id)), [&](const auto& p) {
                  return json::value(PublicJobJson(p, regions, PublicJobUrl(req, *id)));
                });
              }});
  router.Add({"GET", "/api/v1/public/jobs/{id}/qr.png",
              "A QR code (PNG, ?scale=2-20 pixels a module) that opens the job's public page",
              "public", false, 1 << 16, [&reg](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                int scale = 8;
                std::string s = req.Query("scale");
                if (!s.empty() && (!absl::SimpleAtoi(s, &scale) || scale < 2 || scale > 20)) {
                  return ErrorResponse(FieldError("scale", "scale must be between 2 and 20"));
                }
                auto job = reg.GetPublicJob(JobId(*id));
                if (!job.ok()) return ErrorResponse(job.status());
                auto qr = io::EncodeQr(PublicJobUrl(req, *id));
                if (!qr.ok()) return ErrorResponse(qr.status());
                Response r;
                r.content_type = "image/png";
                r.body = io::QrPng(*qr, scale);
                r.headers.emplace_back("Cache-Control", "public, max-age=300");
                return r;
              }});
  router.Add({"GET", "/api/v1/public/jobs/{id}/poster.svg",
              "A poster of the job (SVG, 1080 x 1440) with the QR code of its public page",
              "public", false, 1 << 16, [&reg, &regions](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                auto job = reg.GetPublicJob(JobId(*id));
                if (!job.ok()) return ErrorResponse(job.status());
                auto svg = io::JobPosterSvg(PosterOf(*job, regions, PublicJobUrl(req, *id)));
                if (!svg.ok()) return ErrorResponse(svg.status());
                Response r;
                r.content_type = "image/svg+xml; charset=utf-8";
                r.body = std::move(*svg);
                r.headers.emplace_back("Cache-Control", "public, max-age=300");
                return r;
              }});

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
  AddPrivacyRoutes(router, s);
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

  // ---- indicators and targets ----
  auto day_param = [&clock](const Request& req) -> absl::StatusOr<Date> {
    std::string text = req.Query("date");
    if (text.empty()) return clock.Today();
    auto d = Date::Parse(text);
    if (!d.ok()) return WithField(d.status(), "date");
    return *d;
  };
  auto figure_json = [](const analytics::Figure& f) {
    json::object o;
    o["numerator"] = f.numerator;
    o["denominator"] = f.denominator;
    std::optional<double> v = f.value();
    o["value"] = v ? json::value(*v) : json::value(nullptr);
    return o;
  };
  auto region_json = [figure_json](const service::IndicatorService::RegionFigures& r) {
    json::object o;
    o["code"] = Sv(r.short_code);
    o["name"] = Sv(r.name);
    json::array figures;
    for (size_t i = 0; i < r.figures.size(); ++i) {
      const analytics::Figure& f = r.figures[i];
      json::object x = figure_json(f);
      x["key"] = Sv(f.def->key);
      x["kind"] = f.def->kind == analytics::FigureKind::kRate ? "rate" : "count";
      x["last_year"] = figure_json(r.last_year[i]);
      std::optional<double> now = f.value(), then = r.last_year[i].value();
      x["yoy_change"] = now && then ? json::value(*now - *then) : json::value(nullptr);
      x["yoy_rate"] =
          now && then && *then != 0 ? json::value((*now - *then) / *then) : json::value(nullptr);
      const std::optional<double>& target = r.targets[i];
      x["target"] = target ? json::value(*target) : json::value(nullptr);
      x["completion"] =
          now && target && *target != 0 ? json::value(*now / *target) : json::value(nullptr);
      figures.push_back(std::move(x));
    }
    o["figures"] = std::move(figures);
    return o;
  };
  router.Add({"GET", "/api/v1/indicators",
              "The indicators of ?region= and of each sub-region on ?date= (default today): "
              "numerator, denominator, value, last year's, year-over-year change, target and "
              "completion",
              "indicators", true, 1 << 16, [&s, day_param, region_json](Request& req) {
                auto day = day_param(req);
                if (!day.ok()) return ErrorResponse(day.status());
                return Reply(s.indicators.Of(ActorOf(req), req.Query("region"), *day),
                             [&](const service::IndicatorService::Figures& f) {
                               json::object o = region_json(f.total);
                               o["as_of"] = Sv(f.as_of.ToString());
                               o["last_year"] = Sv(f.last_year.ToString());
                               json::array subs;
                               for (const auto& r : f.subregions) subs.push_back(region_json(r));
                               o["subregions"] = std::move(subs);
                               return json::value(std::move(o));
                             });
              }});
  router.Add({"GET", "/api/v1/indicators/definitions",
              "Every indicator: key, kind (count or rate), Chinese and English headings, what "
              "its numerator and denominator count",
              "indicators", true, 1 << 16, [](Request&) {
                json::array items;
                for (const analytics::IndicatorDef& d : analytics::Indicators()) {
                  items.push_back(json::object{
                      {"key", Sv(d.key)},
                      {"kind", d.kind == analytics::FigureKind::kRate ? "rate" : "count"},
                      {"zh", Sv(d.zh)},
                      {"en", Sv(d.en)},
                      {"numerator", Sv(d.numerator_zh)},
                      {"denominator", Sv(d.denominator_zh)}});
                }
                return Json(json::object{{"items", std::move(items)}});
              }});
  router.Add({"GET", "/api/v1/indicators/ranking",
              "The sub-regions of ?region= ranked by ?indicator= on ?date=, highest first",
              "indicators", true, 1 << 16, [&s, day_param, figure_json](Request& req) {
                auto day = day_param(req);
                if (!day.ok()) return ErrorResponse(day.status());
                auto def = analytics::RequireIndicator(req.Query("indicator"));
                if (!def.ok()) return ErrorResponse(def.status());
                return Reply(s.indicators.Of(ActorOf(req), req.Query("region"), *day),
                             [&](const service::IndicatorService::Figures& f) {
                               json::array items;
                               int rank = 0;
                               for (const auto& [r, x] : service::IndicatorService::Rank(f, *def)) {
                                 json::object o = figure_json(*x);
                                 o["rank"] = ++rank;
                                 o["code"] = Sv(r->short_code);
                                 o["name"] = Sv(r->name);
                                 items.push_back(std::move(o));
                               }
                               return json::value(json::object{{"as_of", Sv(f.as_of.ToString())},
                                                               {"indicator", Sv((*def)->key)},
                                                               {"items", std::move(items)}});
                             });
              }});
  router.Add({"GET", "/api/v1/indicators/series",
              "?indicator= of ?region= at the end of each of ?months= (default 12) months up to "
              "?date=",
              "indicators", true, 1 << 16, [&s, day_param, figure_json](Request& req) {
                auto day = day_param(req);
                if (!day.ok()) return ErrorResponse(day.status());
                int months = 12;
                std::string m = req.Query("months");
                if (!m.empty() && !absl::SimpleAtoi(m, &months)) {
                  return ErrorResponse(FieldError("months", "give 1 to 36 months"));
                }
                return Reply(s.indicators.Series(ActorOf(req), req.Query("region"),
                                                 req.Query("indicator"), *day, months),
                             [&](const std::vector<service::IndicatorService::Point>& points) {
                               json::array items;
                               for (const auto& p : points) {
                                 json::object o = figure_json(p.figure);
                                 o["date"] = Sv(p.day.ToString());
                                 items.push_back(std::move(o));
                               }
                               return json::value(json::object{{"items", std::move(items)}});
                             });
              }});
  auto target_json = [&regions](const domain::Target& t) {
    json::object o;
    o["indicator"] = Sv(t.indicator);
    auto r = regions.Find(t.region_code);
    o["region"] = t.region_code == 0 || !r.ok() ? "" : Sv(r->ShortCode());
    o["region_name"] = t.region_code == 0 ? "全国" : r.ok() ? Sv(r->name) : "";
    o["year"] = t.year;
    o["value"] = t.value;
    o["version"] = t.version;
    o["updated_at"] = Sv(FormatIsoMs(t.updated_at));
    return o;
  };
  auto targets_json = [target_json](const std::vector<domain::Target>& ts) {
    json::array items;
    for (const auto& t : ts) items.push_back(target_json(t));
    return json::value(json::object{{"items", std::move(items)}});
  };
  // The path's region: its code, or 0 for the nation (the services' "").
  auto target_region = [](const std::string& param) { return param == "0" ? "" : param; };
  auto year_param = [](const std::string& text) -> absl::StatusOr<int> {
    int year = 0;
    if (!absl::SimpleAtoi(text, &year)) {
      return FieldError("year",
                        absl::StrCat("the year must be a number, as 2026, not \"", text, "\""));
    }
    return year;
  };
  router.Add({"GET", "/api/v1/targets",
              "Targets of ?year= for ?region= and every region below it (a rate as a fraction)",
              "indicators", true, 1 << 16, [&s, &clock, targets_json, year_param](Request& req) {
                std::string y = req.Query("year");
                auto year = y.empty() ? absl::StatusOr<int>(clock.Today().year()) : year_param(y);
                if (!year.ok()) return ErrorResponse(year.status());
                return Reply(s.indicators.Targets(ActorOf(req), req.Query("region"), *year),
                             targets_json);
              }});
  router.Add({"PUT", "/api/v1/targets/{indicator}/{region}/{year}",
              "Set a target {value (a count, or a rate in percent), version (0 for a new one)}; "
              "region 0 is the nation",
              "indicators", true, 1 << 16,
              [&s, target_json, target_region, year_param](Request& req) {
                auto year = year_param(req.params[2]);
                if (!year.ok()) return ErrorResponse(year.status());
                auto f = FieldsFromJson(req.body);
                if (!f.ok()) return ErrorResponse(f.status());
                return Reply(s.indicators.PutTarget(ActorOf(req), req.params[0],
                                                    target_region(req.params[1]), *year, *f),
                             [&](const domain::Target& t) { return json::value(target_json(t)); });
              }});
  router.Add(
      {"POST", "/api/v1/targets/{indicator}/{region}/{year}/split",
       "Split a region's target among its sub-regions (a count in proportion to each "
       "one's denominator, adding up exactly; a rate as the same rate), and with "
       "?down_to=county (a level) theirs again, level by level down to it",
       "indicators", true, 1 << 16, [&s, targets_json, target_region, year_param](Request& req) {
         auto year = year_param(req.params[2]);
         if (!year.ok()) return ErrorResponse(year.status());
         std::optional<domain::RegionLevel> down_to;
         if (std::string level = req.Query("down_to"); !level.empty()) {
           down_to = domain::ParseRegionLevel(level);
           if (!down_to) {
             return ErrorResponse(FieldError(
                 "down_to", absl::StrCat("unknown level \"", level,
                                         "\"; one of prefecture, county, township, village")));
           }
         }
         return Reply(s.indicators.SplitTarget(ActorOf(req), req.params[0],
                                               target_region(req.params[1]), *year, down_to),
                      targets_json);
       }});

  // ---- reports ----
  router.Add({"GET", "/api/v1/reports/monthly.xlsx",
              "The monthly report of ?region= on ?date= as XLSX: a summary sheet, then one sheet "
              "per level below with numerators, denominators, rates, targets and completion",
              "indicators", true, 1 << 16, [&s, day_param](Request& req) {
                auto day = day_param(req);
                if (!day.ok()) return ErrorResponse(day.status());
                auto report = s.reports.Monthly(ActorOf(req), req.Query("region"), *day);
                if (!report.ok()) return ErrorResponse(report.status());
                auto bytes = service::ReportService::Xlsx(*report);
                if (!bytes.ok()) return ErrorResponse(bytes.status());
                std::string code = report->figures.total.short_code;
                return Download(std::move(*bytes), io::Format::kXlsx,
                                absl::StrCat("jobaid-report-", code.empty() ? "nation" : code, "-",
                                             day->ToString()));
              }});
  router.Add({"GET", "/api/v1/reports/monthly.html",
              "The monthly report of ?region= on ?date= as a printable page with charts",
              "indicators", true, 1 << 16, [&s, day_param](Request& req) {
                auto day = day_param(req);
                if (!day.ok()) return ErrorResponse(day.status());
                auto report = s.reports.Monthly(ActorOf(req), req.Query("region"), *day, 1);
                if (!report.ok()) return ErrorResponse(report.status());
                Response r;
                r.content_type = "text/html; charset=utf-8";
                r.body = service::ReportService::Html(*report);
                return r;
              }});

  router.Add({"GET", "/api/v1/stats/summary",
              "Register and labor tallies for ?region= today, in all and per sub-region", "stats",
              true, 1 << 16, [&s, &reg, &clock](Request& req) {
                const auth::Actor& a = ActorOf(req);
                auto counts = reg.Counts(a, req.Query("region"));
                if (!counts.ok()) return ErrorResponse(counts.status());
                auto labor = s.indicators.Of(a, req.Query("region"), clock.Today());
                if (!labor.ok()) return ErrorResponse(labor.status());
                json::object o;
                AddLaborCounts(o, labor->total.counts);
                o["as_of"] = Sv(labor->as_of.ToString());
                o["households"] = counts->households;
                o["persons"] = counts->persons;
                o["employers"] = counts->employers;
                o["jobs_open"] = counts->jobs_open;
                o["openings"] = counts->openings;
                json::array subs;
                for (const auto& r : labor->subregions) {
                  json::object x;
                  x["code"] = Sv(r.short_code);
                  x["name"] = Sv(r.name);
                  AddLaborCounts(x, r.counts);
                  x["households"] = r.counts.households;
                  subs.push_back(std::move(x));
                }
                o["subregions"] = std::move(subs);
                return Json(o);
              }});
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
    req.actor = std::move(*actor);
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
    return route->handler(req);
  } catch (const std::exception& e) {
    return ErrorResponse(500, "INTERNAL", absl::StrCat("internal error: ", e.what()));
  }
}

}  // namespace jobaid::api
