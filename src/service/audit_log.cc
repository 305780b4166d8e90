#include "service/audit_log.h"

#include <cstdio>

#include "common/status.h"

namespace jobaid::service {

storage::AuditEntry Audit(const auth::Actor& a, absl::string_view action, absl::string_view entity,
                          int64_t id, std::string detail) {
  storage::AuditEntry e;
  e.user_id = a.user_id;
  e.action = std::string(action);
  e.entity = std::string(entity);
  e.entity_id = id;
  e.detail = std::move(detail);
  return e;
}

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
