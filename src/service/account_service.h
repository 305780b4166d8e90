// Accounts, log-in sessions and who is acting. Passwords are argon2id hashes; a session is a
// random token of which the store keeps only a hash. A session ends 12 hours after the log-in,
// or after an hour without a request. Wrong passwords lock the account, and the client
// address, for a while (service/login_guard.h).
// Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "auth/actor.h"
#include "service/context.h"
#include "service/login_guard.h"

namespace jobaid::service {

struct NewUser {
  std::string username;
  std::string display_name;
  std::string role;
  std::string region;  // scope: a region code, "" for the whole country (admins only)
  std::string password;
  int64_t employer_id = 0;
  int64_t person_id = 0;
};

struct LoginResult {
  std::string token;
  auth::Actor actor;
  int64_t expires_at = 0;
};

class AccountService {
 public:
  static constexpr int64_t kSessionMs = 12 * 3600 * 1000;  // absolute, from the log-in
  static constexpr int64_t kIdleMs = 3600 * 1000;          // without a request
  // How often a session's last use is written to the store (the idle clock's grain).
  static constexpr int64_t kTouchMs = 60 * 1000;

  // Subscribes to the store's changes, so that a log-out or a password change on any server
  // ends the session on every server at once.
  explicit AccountService(const Context& ctx, LoginPolicy policy = {});

  // Unauthenticated for an unknown user, a wrong password or a disabled account (one message
  // for all, so names cannot be probed). ResourceExhausted, before any password is checked,
  // while the account (or the name) or `client` (the caller's address) is locked after wrong
  // passwords in a row; the status carries the seconds to wait (RetryAfterOf).
  absl::StatusOr<LoginResult> Login(const std::string& username, const std::string& password,
                                    const std::string& client = "");
  absl::Status Logout(const std::string& token);
  // The actor behind a session token; Unauthenticated if it is unknown, past its 12 hours or
  // unused for an hour.
  absl::StatusOr<auth::Actor> Authenticate(const std::string& token);
  // Ends every session of account `id` (admins, or the account itself); returns how many.
  absl::StatusOr<int64_t> EndSessions(const auth::Actor& a, UserId id);

  // Admins create any account; officers create helper, employer and laborer accounts inside
  // their own scope.
  absl::StatusOr<domain::User> CreateUser(const auth::Actor& a, const NewUser& u);
  absl::StatusOr<std::vector<domain::User>> ListUsers(const auth::Actor& a);
  absl::Status SetPassword(const auth::Actor& a, const std::string& username,
                           const std::string& password);

 private:
  // Drops this server's cached sessions of `id` (others drop them when the change arrives).
  void ForgetUser(UserId id);

  const Context& ctx_;
  LoginGuard guard_;
  // Sessions recently checked against the store, by token hash. Shared with the change
  // subscription, which may outlive this service.
  struct SessionCache {
    struct Entry {
      auth::Actor actor;
      int64_t expires_at;
      int64_t checked_at;
      int64_t last_seen;  // as the store has it, or as this server last wrote it
    };
    absl::Mutex mu;
    absl::flat_hash_map<std::string, Entry> entries ABSL_GUARDED_BY(mu);
  };
  std::shared_ptr<SessionCache> cache_ = std::make_shared<SessionCache>();
};

}  // namespace jobaid::service
