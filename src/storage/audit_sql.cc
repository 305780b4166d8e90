#include "storage/audit_sql.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace jobaid::storage::audit_sql {
namespace {

using sql::Stmt;

constexpr absl::string_view kCols = "id, at, user_id, action, entity, entity_id, detail, seq, mac";
// Rows fetched per query of a scan: bounds the memory of a driver that buffers whole results.
constexpr int kChunk = 4096;

AuditEntry ReadEntry(const Stmt& st) {
  AuditEntry e;
  e.id = st.Int(0);
  e.at = st.Int(1);
  if (!st.IsNull(2)) e.user_id = UserId(st.Int(2));
  e.action = st.Text(3);
  e.entity = st.Text(4);
  e.entity_id = st.Int(5);
  e.detail = st.Text(6);
  if (!st.IsNull(7)) e.seq = st.Int(7);
  if (!st.IsNull(8)) e.mac = st.Blob(8);
  return e;
}

void BindEntry(Stmt& st, int64_t id, int64_t at, const AuditEntry& e) {
  st.Bind(id).Bind(at);
  if (e.user_id.valid()) {
    st.Bind(e.user_id.value());
  } else {
    st.BindNull();
  }
  st.Bind(e.action).Bind(e.entity).Bind(e.entity_id).Bind(e.detail);
  if (e.seq > 0) {
    st.Bind(e.seq).BindBlob(e.mac);
  } else {
    st.BindNull().BindNull();
  }
}

constexpr absl::string_view kInsert =
    "INSERT INTO audit (id, at, user_id, action, entity, entity_id, detail, seq, mac) VALUES ";
constexpr absl::string_view kRow = "(?,?,?,?,?,?,?,?,?)";
// Rows one statement inserts at most (a statement per size is prepared and kept).
constexpr size_t kRowsPerStatement = 32;

}  // namespace

absl::Status Insert(sql::Connection& c, int64_t id, int64_t at, const AuditEntry& e) {
  JA_ASSIGN_OR_RETURN(Stmt * st, c.Prepare(absl::StrCat(kInsert, kRow)));
  BindEntry(*st, id, at, e);
  return st->Run();
}

absl::Status InsertMany(sql::Connection& c, const std::vector<int64_t>& ids, int64_t now,
                        const std::vector<AuditEntry>& entries) {
  for (size_t i = 0; i < entries.size(); i += kRowsPerStatement) {
    size_t n = std::min(kRowsPerStatement, entries.size() - i);
    std::string sql(kInsert);
    for (size_t r = 0; r < n; ++r) absl::StrAppend(&sql, r ? "," : "", kRow);
    JA_ASSIGN_OR_RETURN(Stmt * st, c.Prepare(sql));
    for (size_t r = i; r < i + n; ++r) {
      BindEntry(*st, ids[r], entries[r].at ? entries[r].at : now, entries[r]);
    }
    JA_RETURN_IF_ERROR(st->Run());
  }
  return absl::OkStatus();
}

absl::StatusOr<AuditLink> Head(sql::Connection& c, Dialect dialect, bool lock) {
  // SQLite's writer already holds the only write lock; PostgreSQL locks the row.
  const char* select = lock && dialect == Dialect::kPostgres
                           ? "SELECT seq, mac FROM audit_head WHERE one = 1 FOR UPDATE"
                           : "SELECT seq, mac FROM audit_head WHERE one = 1";
  for (int pass = 0;; ++pass) {
    JA_ASSIGN_OR_RETURN(Stmt * st, c.Prepare(select));
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    AuditLink head;
    if (row) head = {st->Int(0), st->Blob(1)};
    JA_RETURN_IF_ERROR(st->Run());
    if (row || !lock || pass > 0) return head;
    // The first chaining ever makes the row (another server's may have made it meanwhile).
    JA_ASSIGN_OR_RETURN(Stmt * ins, c.Prepare("INSERT INTO audit_head (one, seq, mac) "
                                              "VALUES (1, 0, ?) ON CONFLICT (one) DO NOTHING"));
    JA_RETURN_IF_ERROR(ins->BindBlob(AuditGenesisMac()).Run());
  }
}

absl::Status PutHead(sql::Connection& c, const AuditLink& head) {
  JA_ASSIGN_OR_RETURN(Stmt * st, c.Prepare("UPDATE audit_head SET seq = ?, mac = ? WHERE one = 1"));
  return st->Bind(head.seq).BindBlob(head.mac).Run();
}

absl::StatusOr<std::vector<AuditEntry>> ListUnchained(sql::Connection& c, int limit) {
  JA_ASSIGN_OR_RETURN(Stmt * st, c.Prepare(absl::StrCat("SELECT ", kCols,
                                                        " FROM audit WHERE seq IS NULL "
                                                        "ORDER BY id LIMIT ?")));
  st->Bind(int64_t{limit});
  std::vector<AuditEntry> out;
  for (;;) {
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back(ReadEntry(*st));
  }
  return out;
}

absl::StatusOr<int64_t> CountUnchained(sql::Connection& c) {
  JA_ASSIGN_OR_RETURN(Stmt * st, c.Prepare("SELECT COUNT(*) FROM audit WHERE seq IS NULL"));
  JA_ASSIGN_OR_RETURN(bool row, st->Step());
  int64_t n = row ? st->Int(0) : 0;
  JA_RETURN_IF_ERROR(st->Run());
  return n;
}

absl::Status Chain(sql::Connection& c, int64_t id, int64_t seq, const std::string& mac) {
  JA_ASSIGN_OR_RETURN(Stmt * st, c.Prepare("UPDATE audit SET seq = ?, mac = ? "
                                           "WHERE id = ? AND seq IS NULL"));
  JA_RETURN_IF_ERROR(st->Bind(seq).BindBlob(mac).Bind(id).Run());
  if (c.Changes() != 1) {
    return absl::AbortedError(absl::StrCat("audit entry ", id, " was chained by another server"));
  }
  return absl::OkStatus();
}

absl::Status Scan(sql::Connection& c, const AuditFilter& f,
                  absl::FunctionRef<bool(const AuditEntry&)> fn) {
  std::string where = f.chain_order ? "seq IS NOT NULL" : "1 = 1";
  if (f.user_id.valid()) absl::StrAppend(&where, " AND user_id = ?");
  if (!f.action.empty()) absl::StrAppend(&where, " AND action = ?");
  if (!f.entity.empty()) absl::StrAppend(&where, " AND entity = ?");
  if (f.entity_id >= 0) absl::StrAppend(&where, " AND entity_id = ?");
  if (f.from_ms > 0) absl::StrAppend(&where, " AND at >= ?");
  if (f.to_ms > 0) absl::StrAppend(&where, " AND at < ?");
  // Each chunk goes on from the last row of the one before.
  std::string sql = absl::StrCat(
      "SELECT ", kCols, " FROM audit WHERE ", where,
      f.chain_order ? " AND seq > ? ORDER BY seq LIMIT ?" : " AND id < ? ORDER BY id DESC LIMIT ?");
  int64_t cursor = f.chain_order ? 0 : (f.before_id > 0 ? f.before_id : INT64_MAX);
  for (;;) {
    JA_ASSIGN_OR_RETURN(Stmt * st, c.Prepare(sql));
    if (f.user_id.valid()) st->Bind(f.user_id.value());
    if (!f.action.empty()) st->Bind(f.action);
    if (!f.entity.empty()) st->Bind(f.entity);
    if (f.entity_id >= 0) st->Bind(f.entity_id);
    if (f.from_ms > 0) st->Bind(f.from_ms);
    if (f.to_ms > 0) st->Bind(f.to_ms);
    st->Bind(cursor).Bind(int64_t{kChunk});
    std::vector<AuditEntry> chunk;
    for (;;) {
      JA_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      chunk.push_back(ReadEntry(*st));
    }
    for (const AuditEntry& e : chunk) {
      if (!fn(e)) return absl::OkStatus();
    }
    if (chunk.size() < static_cast<size_t>(kChunk)) return absl::OkStatus();
    cursor = f.chain_order ? chunk.back().seq : chunk.back().id;
  }
}

}  // namespace jobaid::storage::audit_sql
