// The audit table's SQL, shared by both backends' transactions (storage/sql_tx.cc delegates
// here): entries, the chain's head and the scans behind `jobaid audit` and the audit page.
// Internal to storage/.
#pragma once

#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "storage/sql/sql.h"
#include "storage/sql_tx.h"
#include "storage/store.h"

namespace jobaid::storage::audit_sql {

absl::Status Insert(sql::Connection& c, int64_t id, int64_t at, const AuditEntry& e);
// Entries `entries` with ids `ids`, `now` for those without a time, in multi-row statements.
absl::Status InsertMany(sql::Connection& c, const std::vector<int64_t>& ids, int64_t now,
                        const std::vector<AuditEntry>& entries);
absl::StatusOr<AuditLink> Head(sql::Connection& c, Dialect dialect, bool lock);
absl::Status PutHead(sql::Connection& c, const AuditLink& head);
absl::StatusOr<std::vector<AuditEntry>> ListUnchained(sql::Connection& c, int limit);
absl::StatusOr<int64_t> CountUnchained(sql::Connection& c);
absl::Status Chain(sql::Connection& c, int64_t id, int64_t seq, const std::string& mac);
absl::Status Scan(sql::Connection& c, const AuditFilter& f,
                  absl::FunctionRef<bool(const AuditEntry&)> fn);

}  // namespace jobaid::storage::audit_sql
