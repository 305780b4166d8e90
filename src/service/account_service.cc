#include "service/account_service.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "auth/passwords.h"
#include "common/status.h"

namespace jobaid::service {
namespace {
constexpr int64_t kCacheMs = 30 * 1000;  // how long a cached session is trusted

absl::Status BadLogin() { return absl::UnauthenticatedError("wrong user name or password"); }
}  // namespace

AccountService::AccountService(const Context& ctx, LoginPolicy policy) : ctx_(ctx), guard_(policy) {
  ctx_.store.Subscribe([cache = cache_](const storage::Change& c) {
    absl::MutexLock lock(&cache->mu);
    if (c.topic == storage::Topic::kSession) {
      cache->entries.erase(c.token_hash);
    } else if (c.topic == storage::Topic::kUser) {
      absl::erase_if(cache->entries,
                     [&](const auto& kv) { return kv.second.actor.user_id.value() == c.id; });
    }
  });
}

absl::StatusOr<LoginResult> AccountService::Login(const std::string& username,
                                                  const std::string& password,
                                                  const std::string& client) {
  int64_t now = ctx_.clock.NowMs();
  JA_RETURN_IF_ERROR(guard_.CheckAddress(client, now));
  std::optional<domain::User> user;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](storage::Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(user, tx.FindUserByName(username));
    return absl::OkStatus();
  }));
  if (!user) {
    // The same answers as for a real account, in the same time, so that names cannot be
    // probed by the lock or the clock.
    JA_RETURN_IF_ERROR(guard_.CheckUnknownName(username, now));
    static const std::string* dummy = new std::string(*auth::HashPassword("not-a-real-password"));
    auth::VerifyPassword(*dummy, password);
    guard_.UnknownNameFailed(username, now);
    guard_.AddressFailed(client, now);
    return BadLogin();
  }
  if (user->locked_until > now) {
    return LockedError("this account is locked after too many wrong passwords", user->locked_until,
                       now);
  }
  if (user->disabled || !auth::VerifyPassword(user->password_hash, password)) {
    int failures = user->failed_logins + 1;
    int64_t lock_ms = LockMsAfter(guard_.policy(), failures, guard_.policy().account_free_failures);
    JA_RETURN_IF_ERROR(ctx_.store.Write([&](storage::Transaction& tx) -> absl::Status {
      JA_RETURN_IF_ERROR(tx.SetLoginFailures(user->id, failures, lock_ms ? now + lock_ms : 0));
      storage::AuditEntry e;
      e.user_id = user->id;
      e.action = "login_failed";
      e.entity = "user";
      e.entity_id = user->id.value();
      e.detail = absl::StrCat(failures, " in a row", client.empty() ? "" : " from ", client);
      return tx.InsertAudit(e);
    }));
    guard_.AddressFailed(client, now);
    return BadLogin();
  }
  LoginResult out;
  out.token = auth::NewSessionToken();
  out.actor = auth::Actor::FromUser(*user);
  out.expires_at = now + kSessionMs;
  storage::SessionRecord s{auth::HashSessionToken(out.token), user->id, now, out.expires_at, now};
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](storage::Transaction& tx) -> absl::Status {
    if (user->failed_logins != 0 || user->locked_until != 0) {
      JA_RETURN_IF_ERROR(tx.SetLoginFailures(user->id, 0, 0));
    }
    JA_RETURN_IF_ERROR(tx.InsertSession(s));
    storage::AuditEntry e;
    e.user_id = user->id;
    e.action = "login";
    e.entity = "user";
    e.entity_id = user->id.value();
    if (!client.empty()) e.detail = absl::StrCat("from ", client);
    return tx.InsertAudit(e);
  }));
  return out;
}

absl::Status AccountService::Logout(const std::string& token) {
  std::string hash = auth::HashSessionToken(token);
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](storage::Transaction& tx) -> absl::Status {
    JA_RETURN_IF_ERROR(tx.DeleteSession(hash));
    tx.Notify(storage::Change::Session(hash));
    return absl::OkStatus();
  }));
  // Other servers forget it when the change reaches them; this one at once.
  absl::MutexLock lock(&cache_->mu);
  cache_->entries.erase(hash);
  return absl::OkStatus();
}

void AccountService::ForgetUser(UserId id) {
  absl::MutexLock lock(&cache_->mu);
  absl::erase_if(cache_->entries, [&](const auto& kv) { return kv.second.actor.user_id == id; });
}

absl::StatusOr<auth::Actor> AccountService::Authenticate(const std::string& token) {
  if (token.empty()) return absl::UnauthenticatedError("log in first");
  std::string hash = auth::HashSessionToken(token);
  int64_t now = ctx_.clock.NowMs();
  std::optional<auth::Actor> cached;
  bool touch = false;
  {
    absl::MutexLock lock(&cache_->mu);
    auto it = cache_->entries.find(hash);
    if (it != cache_->entries.end() && it->second.expires_at > now &&
        now - it->second.checked_at < kCacheMs && now - it->second.last_seen < kIdleMs) {
      cached = it->second.actor;
      // A use is written to the store once a minute at most, for every server's idle clock.
      touch = now - it->second.last_seen >= kTouchMs;
      if (touch) it->second.last_seen = now;
    }
  }
  if (cached) {
    if (touch) {
      JA_RETURN_IF_ERROR(
          ctx_.store.Write([&](storage::Transaction& tx) { return tx.TouchSession(hash, now); }));
    }
    return *cached;
  }
  std::optional<storage::SessionRecord> s;
  domain::User user;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](storage::Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(s, tx.FindSession(hash));
    if (!s) return absl::OkStatus();
    JA_ASSIGN_OR_RETURN(user, tx.GetUser(s->user_id));
    return absl::OkStatus();
  }));
  bool idle = s && now - s->last_seen >= kIdleMs;
  if (!s || s->expires_at <= now || idle || user.disabled) {
    {
      absl::MutexLock lock(&cache_->mu);
      cache_->entries.erase(hash);
    }
    if (s) {
      JA_RETURN_IF_ERROR(
          ctx_.store.Write([&](storage::Transaction& tx) { return tx.DeleteSession(hash); }));
    }
    return absl::UnauthenticatedError(
        idle ? "your session ended after an hour without use; log in again"
             : "your session has ended; log in again");
  }
  int64_t last_seen = s->last_seen;
  if (now - last_seen >= kTouchMs) {
    JA_RETURN_IF_ERROR(
        ctx_.store.Write([&](storage::Transaction& tx) { return tx.TouchSession(hash, now); }));
    last_seen = now;
  }
  auth::Actor a = auth::Actor::FromUser(user);
  absl::MutexLock lock(&cache_->mu);
  if (cache_->entries.size() > 100000) cache_->entries.clear();
  cache_->entries[hash] = {a, s->expires_at, now, last_seen};
  return a;
}

absl::StatusOr<int64_t> AccountService::EndSessions(const auth::Actor& a, UserId id) {
  if (!a.system && a.role != auth::Role::kAdmin && a.user_id != id) {
    return absl::PermissionDeniedError("only admins end other accounts' sessions");
  }
  int64_t ended = 0;
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](storage::Transaction& tx) -> absl::Status {
    JA_RETURN_IF_ERROR(tx.GetUser(id).status());
    JA_ASSIGN_OR_RETURN(ended, tx.DeleteSessionsOf(id));
    storage::AuditEntry e;
    e.user_id = a.user_id;
    e.action = "end_sessions";
    e.entity = "user";
    e.entity_id = id.value();
    e.detail = absl::StrCat(ended, " sessions");
    JA_RETURN_IF_ERROR(tx.InsertAudit(e));
    tx.Notify(storage::Change::Record(storage::Topic::kUser, id.value()));
    return absl::OkStatus();
  }));
  ForgetUser(id);
  return ended;
}

absl::StatusOr<domain::User> AccountService::CreateUser(const auth::Actor& a, const NewUser& nu) {
  auto role = auth::ParseRole(nu.role);
  if (!role) {
    return FieldError("role", absl::StrCat("\"", nu.role,
                                           "\" is not a role; use admin, officer, "
                                           "helper, employer or laborer"));
  }
  if (!a.system && a.role != auth::Role::kAdmin &&
      !(a.role == auth::Role::kOfficer &&
        (*role == auth::Role::kHelper || *role == auth::Role::kEmployer ||
         *role == auth::Role::kLaborer))) {
    return absl::PermissionDeniedError(
        absl::StrCat("the role ", auth::RoleCode(a.role), " cannot create ", nu.role, " accounts"));
  }
  std::string name(absl::StripAsciiWhitespace(nu.username));
  if (name.size() < 2 || name.size() > 40 ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
          std::string::npos) {
    return FieldError("username",
                      "a user name has 2-40 letters, digits, dots, dashes or underscores");
  }
  domain::User u;
  u.username = name;
  u.display_name = nu.display_name.empty() ? name : nu.display_name;
  u.role = nu.role;
  if (!nu.region.empty()) {
    auto r = ctx_.regions.Lookup(nu.region);
    if (!r.ok()) return WithField(r.status(), "region");
    u.region_code = r->code;
    u.scope_level = static_cast<int>(r->level);
    if (!a.scope.Contains(r->range())) {
      return WithField(absl::PermissionDeniedError("the account's region lies outside yours"),
                       "region");
    }
  } else if (*role != auth::Role::kAdmin && *role != auth::Role::kLaborer &&
             *role != auth::Role::kEmployer) {
    return FieldError("region", "officers and helpers need a region");
  } else if (!a.scope.IsNation()) {
    return FieldError("region", "give the account a region inside yours");
  }
  if (*role == auth::Role::kEmployer && nu.employer_id <= 0) {
    return FieldError("employer_id", "an employer account needs the employer it acts for");
  }
  if (*role == auth::Role::kLaborer && nu.person_id <= 0) {
    return FieldError("person_id", "a laborer account needs the person it belongs to");
  }
  u.employer_id = EmployerId(nu.employer_id);
  u.person_id = PersonId(nu.person_id);
  JA_RETURN_IF_ERROR(auth::CheckNewPassword(nu.password, name));
  JA_ASSIGN_OR_RETURN(u.password_hash, auth::HashPassword(nu.password));
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](storage::Transaction& tx) -> absl::Status {
    if (u.employer_id.valid()) {
      auto e = tx.GetEmployer(u.employer_id);
      if (!e.ok()) return WithField(e.status(), "employer_id");
    }
    if (u.person_id.valid()) {
      auto p = tx.GetPerson(u.person_id);
      if (!p.ok()) return WithField(p.status(), "person_id");
    }
    absl::Status s = tx.InsertUser(u);
    if (absl::IsAlreadyExists(s)) {
      return WithField(
          absl::AlreadyExistsError(absl::StrCat("the user name ", u.username, " is taken")),
          "username");
    }
    JA_RETURN_IF_ERROR(s);
    storage::AuditEntry e;
    e.user_id = a.user_id;
    e.action = "create";
    e.entity = "user";
    e.entity_id = u.id.value();
    return tx.InsertAudit(e);
  }));
  return u;
}

absl::StatusOr<std::vector<domain::User>> AccountService::ListUsers(const auth::Actor& a) {
  if (!a.system && a.role != auth::Role::kAdmin && a.role != auth::Role::kOfficer) {
    return absl::PermissionDeniedError("only admins and officers see the accounts");
  }
  std::vector<domain::User> all, out;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](storage::Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(all, tx.ListUsers());
    return absl::OkStatus();
  }));
  for (auto& u : all) {
    bool nation = u.scope_level == 0;
    if (a.scope.IsNation() || (!nation && a.scope.Contains(u.region_code))) {
      out.push_back(std::move(u));
    }
  }
  return out;
}

absl::Status AccountService::SetPassword(const auth::Actor& a, const std::string& username,
                                         const std::string& password) {
  if (!a.system && a.role != auth::Role::kAdmin && a.username != username) {
    return absl::PermissionDeniedError("only admins change other people's passwords");
  }
  JA_RETURN_IF_ERROR(auth::CheckNewPassword(password, username));
  JA_ASSIGN_OR_RETURN(std::string hash, auth::HashPassword(password));
  UserId id;
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](storage::Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(auto u, tx.FindUserByName(username));
    if (!u) return absl::NotFoundError(absl::StrCat("no user ", username));
    u->password_hash = hash;
    JA_RETURN_IF_ERROR(tx.UpdateUser(*u));
    // A new password ends every session, and lifts a lock (an admin's reset after one).
    JA_RETURN_IF_ERROR(tx.DeleteSessionsOf(u->id).status());
    JA_RETURN_IF_ERROR(tx.SetLoginFailures(u->id, 0, 0));
    tx.Notify(storage::Change::Record(storage::Topic::kUser, u->id.value()));
    id = u->id;
    return absl::OkStatus();
  }));
  ForgetUser(id);
  return absl::OkStatus();
}

}  // namespace jobaid::service
