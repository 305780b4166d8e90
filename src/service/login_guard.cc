#include "service/login_guard.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace jobaid::service {
namespace {

constexpr size_t kMaxEntries = 100000;

}  // namespace

int64_t LockMsAfter(const LoginPolicy& p, int failures, int free_failures) {
  if (failures < free_failures) return 0;
  int doublings = std::min(failures - free_failures, 30);
  return std::min(p.first_lock_ms << doublings, p.max_lock_ms);
}

absl::Status LockedError(absl::string_view what, int64_t until_ms, int64_t now_ms) {
  int64_t seconds = std::max<int64_t>(1, (until_ms - now_ms + 999) / 1000);
  absl::Status s = absl::ResourceExhaustedError(
      absl::StrCat(what, "; try again in ", seconds >= 120 ? seconds / 60 : seconds,
                   seconds >= 120 ? " minutes" : " seconds"));
  return WithRetryAfter(s, seconds);
}

void LoginGuard::Prune(absl::flat_hash_map<std::string, Entry>& m, int64_t now_ms) {
  if (m.size() < kMaxEntries) return;
  absl::erase_if(m, [&](const auto& kv) {
    return kv.second.locked_until <= now_ms &&
           now_ms - kv.second.window_start > policy_.address_window_ms;
  });
  // Still full of live entries (a flood from 100,000 distinct addresses): forget them all
  // rather than grow without bound. Accounts keep their own locks in the store.
  if (m.size() >= kMaxEntries) m.clear();
}

absl::Status LoginGuard::CheckAddress(const std::string& address, int64_t now_ms) {
  absl::MutexLock lock(&mu_);
  auto it = addresses_.find(address);
  if (it == addresses_.end() || it->second.locked_until <= now_ms) return absl::OkStatus();
  return LockedError("too many failed log-ins from your address", it->second.locked_until, now_ms);
}

void LoginGuard::AddressFailed(const std::string& address, int64_t now_ms) {
  absl::MutexLock lock(&mu_);
  Prune(addresses_, now_ms);
  Entry& e = addresses_[address];
  if (now_ms - e.window_start > policy_.address_window_ms) {
    e.failures = 0;
    e.window_start = now_ms;
  }
  ++e.failures;
  int64_t lock_ms = LockMsAfter(policy_, e.failures, policy_.address_free_failures);
  if (lock_ms > 0) e.locked_until = now_ms + lock_ms;
}

absl::Status LoginGuard::CheckUnknownName(const std::string& name, int64_t now_ms) {
  absl::MutexLock lock(&mu_);
  auto it = unknown_names_.find(name);
  if (it == unknown_names_.end() || it->second.locked_until <= now_ms) return absl::OkStatus();
  return LockedError("this account is locked after too many wrong passwords",
                     it->second.locked_until, now_ms);
}

void LoginGuard::UnknownNameFailed(const std::string& name, int64_t now_ms) {
  absl::MutexLock lock(&mu_);
  Prune(unknown_names_, now_ms);
  Entry& e = unknown_names_[name];
  if (e.window_start == 0) e.window_start = now_ms;
  ++e.failures;
  int64_t lock_ms = LockMsAfter(policy_, e.failures, policy_.account_free_failures);
  if (lock_ms > 0) e.locked_until = now_ms + lock_ms;
}

}  // namespace jobaid::service
