// Routes that guard personal data: revealing a record's full ID and phone numbers with a
// reason, and the audit (its pages, its export and the check of its chain) for administrators.
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/body.h"
#include "api/handler_support.h"
#include "common/status.h"

namespace jobaid::api {
namespace {

// ?from= / ?to=: a day (YYYY-MM-DD, from its start in UTC) or a time in ms since the epoch.
absl::StatusOr<int64_t> TimeParam(const Request& req, const char* key) {
  std::string text = req.Query(key);
  if (text.empty()) return int64_t{0};
  int64_t ms = 0;
  if (absl::SimpleAtoi(text, &ms) && ms > 0) return ms;
  auto day = Date::Parse(text);
  if (!day.ok()) {
    return FieldError(key, absl::StrCat(key, " must be a day (YYYY-MM-DD) or a time in ms, not \"",
                                        text.substr(0, 40), "\""));
  }
  return int64_t{day->days()} * 86400000;
}

absl::StatusOr<service::AuditQuery> AuditQueryFrom(const Request& req) {
  service::AuditQuery q;
  q.username = req.Query("user");
  q.action = req.Query("action");
  q.entity = req.Query("entity");
  for (const auto& [key, max] : {std::pair{"user", 64}, {"action", 32}, {"entity", 32}}) {
    if (req.Query(key).size() > static_cast<size_t>(max)) {
      return FieldError(key, absl::StrCat(key, " has at most ", max, " bytes"));
    }
  }
  std::string id = req.Query("entity_id");
  if (!id.empty() && (!absl::SimpleAtoi(id, &q.entity_id) || q.entity_id < 0)) {
    return FieldError("entity_id", "entity_id must be a record id");
  }
  if (std::string person = req.Query("person"); !person.empty()) {
    if (!absl::SimpleAtoi(person, &q.entity_id) || q.entity_id <= 0) {
      return FieldError("person", "person must be a record id");
    }
    q.entity = "person";
  }
  JA_ASSIGN_OR_RETURN(q.from_ms, TimeParam(req, "from"));
  JA_ASSIGN_OR_RETURN(q.to_ms, TimeParam(req, "to"));
  // A day given as the end includes that day.
  if (q.to_ms > 0 && req.Query("to").find('-') != std::string::npos) q.to_ms += 86400000;
  std::string before = req.Query("before");
  if (!before.empty() && (!absl::SimpleAtoi(before, &q.before_id) || q.before_id <= 0)) {
    return FieldError("before", "before must be an entry id");
  }
  return q;
}

json::object AuditRowJson(const service::AuditRow& r) {
  const storage::AuditEntry& e = r.entry;
  return json::object{
      {"id", e.id},
      {"seq", e.seq > 0 ? json::value(e.seq) : json::value(nullptr)},
      {"at", Sv(FormatIsoMs(e.at))},
      {"user_id", e.user_id.valid() ? json::value(e.user_id.value()) : json::value(nullptr)},
      {"username", Sv(r.username)},
      {"display_name", Sv(r.display_name)},
      {"action", Sv(e.action)},
      {"entity", Sv(e.entity)},
      {"entity_id", e.entity_id},
      {"detail", Sv(e.detail)}};
}

// The query's filters in words, for the export's audit entry and file note.
std::string Describe(const service::AuditQuery& q) {
  std::string out;
  auto add = [&](absl::string_view k, const std::string& v) {
    if (!v.empty()) absl::StrAppend(&out, out.empty() ? "" : ", ", k, "=", v);
  };
  add("user", q.username);
  add("action", q.action);
  add("entity", q.entity);
  add("entity_id", q.entity_id >= 0 ? absl::StrCat(q.entity_id) : "");
  add("from", q.from_ms ? FormatIsoMs(q.from_ms) : "");
  add("to", q.to_ms ? FormatIsoMs(q.to_ms) : "");
  return out.empty() ? "all" : out;
}

void AddReveal(Router& router, Services& s, const std::string& plural, const std::string& one) {
  router.AddAll({
      {.method = "POST",
       .pattern = absl::StrCat("/api/v1/", plural, "/{id}/reveal"),
       .body_limit = 1 << 12,
       .handler = [&s, one](Request& req) -> HandlerResult {
         JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
         JA_ASSIGN_OR_RETURN(auto body, Body::Parse(req.body));
         body.Only({"reason"});
         std::string reason = body.Text("reason", Need::kRequired, 500);
         JA_RETURN_IF_ERROR(body.status());
         return Reply(s.reg.Reveal(ActorOf(req), one, id, reason),
                      [&](const service::RegisterService::Revealed& r) {
                        json::object o{{"phone", Sv(r.phone)}};
                        if (one != "employer") o["id_number"] = Sv(r.id_number);
                        return json::value(std::move(o));
                      });
       }},
  });
}

}  // namespace

void AddPrivacyRoutes(Router& router, Services& s) {
  AddReveal(router, s, "persons", "person");
  AddReveal(router, s, "households", "household");
  AddReveal(router, s, "employers", "employer");

  auto get_audit = [&s](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto q, AuditQueryFrom(req));
    JA_ASSIGN_OR_RETURN(auto limit, LimitParam(req, 100, 1000));
    q.limit = limit;
    json::array items;
    int64_t last = 0;
    absl::Status st = s.audit.Query(ActorOf(req), q, [&](const service::AuditRow& r) {
      items.push_back(AuditRowJson(r));
      last = r.entry.id;
    });
    JA_RETURN_IF_ERROR(st);
    bool more = static_cast<int>(items.size()) == q.limit;
    return Json(json::object{{"items", std::move(items)},
                             {"next_before", more ? json::value(last) : json::value(nullptr)}});
  };

  auto get_audit_export = [&s](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto q, AuditQueryFrom(req));
    JA_ASSIGN_OR_RETURN(auto format, FormatParam(req));
    q.limit = 0;
    const auth::Actor& a = ActorOf(req);
    JA_ASSIGN_OR_RETURN(auto table, s.audit.Export(a, q, Describe(q)));
    return TableDownload(table, format, "审计日志");
  };

  auto get_audit_verify = [&s](Request& req) -> HandlerResult {
    if (ActorOf(req).role != auth::Role::kAdmin) {
      return absl::PermissionDeniedError("only an administrator may check the audit");
    }
    return Reply(s.audit.Verify(), [](const service::AuditVerification& v) {
      json::array problems;
      for (const auto& p : v.problems) problems.push_back(Sv(p));
      return json::value(json::object{{"ok", v.ok()},
                                      {"entries", v.entries},
                                      {"unchained", v.unchained},
                                      {"head_seq", v.head.seq},
                                      {"head_mac", Sv(absl::BytesToHexString(v.head.mac))},
                                      {"problems", std::move(problems)}});
    });
  };

  router.AddAll({
      {.method = "GET", .pattern = "/api/v1/audit", .body_limit = 1 << 12, .handler = get_audit},
      {.method = "GET",
       .pattern = "/api/v1/audit/export",
       .body_limit = 1 << 12,
       .handler = get_audit_export},
      {.method = "GET",
       .pattern = "/api/v1/audit/verify",
       .body_limit = 1 << 12,
       .handler = get_audit_verify},
  });
}

}  // namespace jobaid::api
