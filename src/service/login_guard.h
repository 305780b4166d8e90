// Log-in protection against guessing: how long an account or a client address is locked after
// wrong passwords in a row, with the lock doubling at each further failure.
//
// An account's count and lock live in the store (app_user.failed_logins, locked_until), so that
// every server sees them. What is not an account lives here, in memory: the failures of each
// client address (across accounts, so that one address cannot try a few passwords on many
// accounts), and those of user names that do not exist, which must earn the same answers as
// real ones lest the lock tell which names exist.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace jobaid::service {

struct LoginPolicy {
  int account_free_failures = 5;               // wrong passwords in a row before an account locks
  int address_free_failures = 20;              // failures from one address before it locks
  int64_t first_lock_ms = 60 * 1000;           // the first lock; doubled at each further failure
  int64_t max_lock_ms = 30 * 60 * 1000;        // and never longer
  int64_t address_window_ms = 15 * 60 * 1000;  // an address's failures older than this fade
};

// The lock that `failures` wrong passwords in a row earn: 0 while within the free failures,
// then first_lock_ms, doubled for each failure beyond, at most max_lock_ms.
int64_t LockMsAfter(const LoginPolicy& p, int failures, int free_failures);

// ResourceExhausted (429) saying when to try again, with the seconds attached (RetryAfterOf),
// which the API sends as Retry-After.
absl::Status LockedError(absl::string_view what, int64_t until_ms, int64_t now_ms);

class LoginGuard {
 public:
  explicit LoginGuard(LoginPolicy policy = {}) : policy_(policy) {}
  const LoginPolicy& policy() const { return policy_; }

  // OK, or ResourceExhausted while `address` is locked.
  absl::Status CheckAddress(const std::string& address, int64_t now_ms);
  // Counts a wrong password (or an unknown name) from `address`.
  void AddressFailed(const std::string& address, int64_t now_ms);

  // The same bookkeeping an account has, for a user name that does not exist.
  absl::Status CheckUnknownName(const std::string& name, int64_t now_ms);
  void UnknownNameFailed(const std::string& name, int64_t now_ms);

 private:
  struct Entry {
    int failures = 0;
    int64_t window_start = 0;
    int64_t locked_until = 0;
  };
  // Keeps the maps bounded: entries neither locked nor recent are dropped when one grows large.
  void Prune(absl::flat_hash_map<std::string, Entry>& m, int64_t now_ms)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const LoginPolicy policy_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> addresses_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Entry> unknown_names_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobaid::service
