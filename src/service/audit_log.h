// Records reads of personal data without putting a write on every read: entries are queued and
// written in one transaction per second (and at shutdown). Changes are audited inside their
// own transaction instead, by the services.
// Thread-safe.
#pragma once

#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "storage/store.h"

namespace jobaid::service {

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
