// Log-in, log-out, the session and accounts.
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

void AddAccountRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
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
}

}  // namespace jobaid::api
