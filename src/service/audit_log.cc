#include "service/audit_log.h"

#include <cstdio>

#include "common/status.h"

namespace jobaid::service {

AuditLog::AuditLog(storage::Store& store) : store_(store), thread_([this] { Loop(); }) {}

AuditLog::~AuditLog() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
  (void)Flush();
}

void AuditLog::Record(storage::AuditEntry e) {
  absl::MutexLock lock(&mu_);
  pending_.push_back(std::move(e));
}

absl::Status AuditLog::Flush() {
  std::vector<storage::AuditEntry> batch;
  {
    absl::MutexLock lock(&mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return absl::OkStatus();
  absl::Status s = store_.Write([&](storage::Transaction& tx) -> absl::Status {
    for (const auto& e : batch) JA_RETURN_IF_ERROR(tx.InsertAudit(e));
    return absl::OkStatus();
  });
  if (!s.ok()) {
    std::fprintf(stderr, "audit: could not write %zu entries: %s\n", batch.size(),
                 std::string(s.message()).c_str());
    absl::MutexLock lock(&mu_);
    pending_.insert(pending_.begin(), batch.begin(), batch.end());
  }
  return s;
}

void AuditLog::Loop() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stop_), absl::Seconds(1));
      if (stop_) return;
    }
    (void)Flush();
  }
}

}  // namespace jobaid::service
