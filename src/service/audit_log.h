// Records reads of personal data without putting a write on every read: entries are queued and
// written in one transaction per second (and at shutdown). Changes are audited inside their
// own transaction instead, by the services.
// Thread-safe.
#pragma once

#include <thread>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "auth/actor.h"
#include "storage/store.h"

namespace jobaid::service {

// An audit entry: `a` did `action` to `entity` record `id` (0 for a list), with `detail`.
storage::AuditEntry Audit(const auth::Actor& a, absl::string_view action, absl::string_view entity,
                          int64_t id, std::string detail = "");

class AuditLog {
 public:
  explicit AuditLog(storage::Store& store);
  ~AuditLog();  // flushes
  void Record(storage::AuditEntry e);
  // Writes everything queued so far.
  absl::Status Flush();

 private:
  void Loop();
  storage::Store& store_;
  absl::Mutex mu_;
  std::vector<storage::AuditEntry> pending_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace jobaid::service
