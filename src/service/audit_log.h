// The audit: who did what to whose record, kept so that it can be neither lost nor quietly
// changed.
//
// - A read of personal data is recorded with Record(), which returns only once the entry is
//   committed: the caller answers after it, so an answer that was sent is in the audit even if
//   the server dies the next instant. Concurrent Record() calls share one transaction (group
//   commit): while one batch commits, the next one gathers.
// - A change is audited inside its own transaction (Transaction::InsertAudit, unchained), so the
//   change and its entry commit together.
// - One sequencer chains every entry: it gives each its place `seq` and a MAC over its fields and
//   the MAC of the entry before (PiiCodec::ChainMac, keyed from the store's key file), holding
//   the chain's head locked (one sequencer at a time, across servers on PostgreSQL). Read
//   entries are chained as they are written; a change's entry by Flush(), which a thread calls
//   within a second of the change. Verify() finds an entry changed, removed or moved.
// Thread-safe.
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "auth/actor.h"
#include "io/table.h"
#include "service/context.h"
#include "storage/pii_codec.h"
#include "storage/store.h"

namespace jobaid::service {

// An audit entry: `a` did `action` to `entity` record `id` (0 for a list), with `detail`.
storage::AuditEntry Audit(const auth::Actor& a, absl::string_view action, absl::string_view entity,
                          int64_t id, std::string detail = "");

// The bytes of `e` that its chain MAC covers: its place, time, user, action, record and detail.
std::string CanonicalAuditBytes(const storage::AuditEntry& e);

// What Verify() found.
struct AuditVerification {
  int64_t entries = 0;      // chained entries checked
  int64_t unchained = 0;    // entries still waiting for the sequencer
  storage::AuditLink head;  // the head as stored
  // Up to 20 findings, in chain order, each naming the place (`seq`) and what is wrong.
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

// The audit page's and `jobaid audit export`'s question. Unset members do not filter.
struct AuditQuery {
  std::string username;
  std::string action;
  std::string entity;
  int64_t entity_id = -1;
  int64_t from_ms = 0, to_ms = 0;
  int64_t before_id = 0;  // the page after the one that ended at this id
  int limit = 100;        // 1-1000; 0 for all (exports)
};

// One entry as the audit page shows it.
struct AuditRow {
  storage::AuditEntry entry;
  std::string username, display_name;  // "" for the system
};

class AuditLog {
 public:
  AuditLog(const Context& ctx, const storage::PiiCodec& codec);
  ~AuditLog();  // chains what is left

  // Commits `e` into the chain; the caller shows the data `e` records only after OK.
  absl::Status Record(storage::AuditEntry e);
  // Chains the entries that write transactions left unchained.
  absl::Status Flush();
  // Checks every chained entry against its MAC and place, and the head against the last one.
  absl::StatusOr<AuditVerification> Verify();
  // Entries newest first, for admins: those of users inside the admin's scope (the system's
  // entries only for an admin of the whole nation). PermissionDenied for other roles.
  // `fn` gets each row; a limit of 0 streams every match.
  absl::Status Query(const auth::Actor& a, const AuditQuery& q,
                     absl::FunctionRef<void(const AuditRow&)> fn);
  // Every entry Query() selects (`q.limit` ignored), as a table naming who made it, when and
  // with which filters (`described`); the export itself is audited.
  absl::StatusOr<io::Table> Export(const auth::Actor& a, AuditQuery q,
                                   const std::string& described);

 private:
  struct Batch {
    std::vector<storage::AuditEntry> entries;
    bool done = false;
    absl::Status status;
  };
  // Writes the open batch (if any) and chains unchained entries, as the one writer of this
  // process; returns with `mu_` held again.
  void Lead() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Chains `entries`, after the entries changes left unchained if `backlog`, trying again on
  // conflicts with other servers.
  absl::Status WriteBatch(const std::vector<storage::AuditEntry>& entries, bool backlog);
  absl::Status WriteChain(const std::vector<storage::AuditEntry>& entries, bool backlog);
  void Loop();

  const Context& ctx_;
  const storage::PiiCodec& codec_;
  absl::Mutex mu_;
  absl::CondVar cv_;
  std::shared_ptr<Batch> open_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  absl::BitGen bitgen_;  // used by the one writer only
  std::thread thread_;
};

}  // namespace jobaid::service
