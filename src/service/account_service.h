// Accounts, log-in sessions and who is acting. Passwords are argon2id hashes; a session is a
// random token of which the store keeps only a hash, valid for 12 hours.
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
  static constexpr int64_t kSessionMs = 12 * 3600 * 1000;

  // Subscribes to the store's changes, so that a log-out or a password change on any server
  // ends the session on every server at once.
  explicit AccountService(const Context& ctx);

  // Unauthenticated for an unknown user, a wrong password or a disabled account (one message
  // for all, so names cannot be probed).
  absl::StatusOr<LoginResult> Login(const std::string& username, const std::string& password);
  absl::Status Logout(const std::string& token);
  // The actor behind a session token; Unauthenticated if it is unknown or expired.
  absl::StatusOr<auth::Actor> Authenticate(const std::string& token);

  // Admins create any account; officers create helper, employer and laborer accounts inside
  // their own scope.
  absl::StatusOr<domain::User> CreateUser(const auth::Actor& a, const NewUser& u);
  absl::StatusOr<std::vector<domain::User>> ListUsers(const auth::Actor& a);
  absl::Status SetPassword(const auth::Actor& a, const std::string& username,
                           const std::string& password);

 private:
  const Context& ctx_;
  // Sessions recently checked against the store, by token hash. Shared with the change
  // subscription, which may outlive this service.
  struct SessionCache {
    struct Entry {
      auth::Actor actor;
      int64_t expires_at;
      int64_t checked_at;
    };
    absl::Mutex mu;
    absl::flat_hash_map<std::string, Entry> entries ABSL_GUARDED_BY(mu);
  };
  std::shared_ptr<SessionCache> cache_ = std::make_shared<SessionCache>();
};

}  // namespace jobaid::service
