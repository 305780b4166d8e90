// Log-in, log-out, the session and accounts.
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/body.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "auth/passwords.h"
#include "common/status.h"

namespace jobaid::api {

void AddAccountRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
  // ---- sessions ----
  auto post_auth_login = [&s, &regions](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto form, DecodeLogin(req.body));
    JA_ASSIGN_OR_RETURN(auto r, s.accounts.Login(form.username, form.password, req.remote));
    std::string csrf = auth::CsrfToken(r.token);
    json::object o;
    o["user"] = ActorJson(r.actor, regions);
    o["expires_at"] = Sv(FormatIsoMs(r.expires_at));
    o["csrf_token"] = Sv(csrf);
    Response resp = Json(o);
    int64_t max_age = service::AccountService::kSessionMs / 1000;
    resp.headers.emplace_back(
        "Set-Cookie", absl::StrCat(kSessionCookie, "=", r.token,
                                   "; Path=/; HttpOnly; SameSite=Strict; Max-Age=", max_age));
    resp.headers.emplace_back(
        "Set-Cookie",
        absl::StrCat(kCsrfCookie, "=", csrf, "; Path=/; SameSite=Strict; Max-Age=", max_age));
    return resp;
  };
  auto post_auth_logout = [&s](Request& req) -> HandlerResult {
    absl::Status st = s.accounts.Logout(req.Cookie(kSessionCookie));
    JA_RETURN_IF_ERROR(st);
    Response r = Json(json::object{{"ok", true}});
    r.headers.emplace_back("Set-Cookie", absl::StrCat(kSessionCookie,
                                                      "=; Path=/; HttpOnly; "
                                                      "SameSite=Strict; Max-Age=0"));
    r.headers.emplace_back("Set-Cookie",
                           absl::StrCat(kCsrfCookie, "=; Path=/; SameSite=Strict; Max-Age=0"));
    return r;
  };
  auto get_auth_me = [&regions](Request& req) -> HandlerResult {
    json::object o = ActorJson(ActorOf(req), regions);
    o["csrf_token"] = Sv(auth::CsrfToken(req.Cookie(kSessionCookie)));
    return Json(o);
  };

  // ---- accounts ----
  auto get_users = [&s, &regions](Request& req) -> HandlerResult {
    return Reply(s.accounts.ListUsers(ActorOf(req)), [&](const auto& users) {
      json::array a;
      for (const auto& u : users) a.push_back(UserJson(u, regions));
      return json::value(json::object{{"items", a}});
    });
  };
  auto post_users = [&s, &regions](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto body, Body::Parse(req.body));
    body.Only({"username", "display_name", "role", "region_code", "password", "employer_id",
               "person_id"});
    service::NewUser nu;
    nu.username = body.Text("username", Need::kRequired, 64);
    nu.display_name = body.Text("display_name", Need::kOptional, 100);
    nu.role = body.Text("role", Need::kRequired, 20);
    nu.region = body.Text("region_code", Need::kOptional, 12);
    nu.password = body.Text("password", Need::kRequired, 1024);
    nu.employer_id = body.Id("employer_id", Need::kOptional);
    nu.person_id = body.Id("person_id", Need::kOptional);
    JA_RETURN_IF_ERROR(body.status());
    return Reply(
        s.accounts.CreateUser(ActorOf(req), nu),
        [&](const domain::User& u) { return json::value(UserJson(u, regions)); }, 201);
  };

  auto delete_users_sessions = [&s](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    return Reply(s.accounts.EndSessions(ActorOf(req), UserId(id)), [](int64_t n) {
      return json::value(json::object{{"ended", n}});
    });
  };

  router.AddAll({
      {.method = "POST",
       .pattern = "/api/v1/auth/login",
       .authenticated = false,
       .body_limit = 1 << 16,
       .handler = post_auth_login},
      {.method = "POST",
       .pattern = "/api/v1/auth/logout",
       .body_limit = 1 << 16,
       .handler = post_auth_logout},
      {.method = "GET",
       .pattern = "/api/v1/auth/me",
       .body_limit = 1 << 16,
       .handler = get_auth_me},
      {.method = "GET", .pattern = "/api/v1/users", .body_limit = 1 << 16, .handler = get_users},
      {.method = "POST", .pattern = "/api/v1/users", .body_limit = 1 << 16, .handler = post_users},
      {.method = "DELETE",
       .pattern = "/api/v1/users/{id}/sessions",
       .body_limit = 1 << 16,
       .handler = delete_users_sessions},
  });
}

}  // namespace jobaid::api
