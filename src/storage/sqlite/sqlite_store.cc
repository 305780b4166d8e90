#include "storage/sqlite/sqlite_store.h"

#include <deque>
#include <variant>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "domain/fields.h"
#include "storage/migrations.h"
#include "storage/sql_tx.h"
#include "storage/sqlite/sqlite_db.h"

namespace jobaid::storage::sqlite {

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                               const PiiCodec& codec,
                                                               IdGenerator& ids, const Clock& clock,
                                                               int readers) {
  std::unique_ptr<SqliteStore> s(new SqliteStore(codec, ids, clock));
  s->path_ = path;
  JA_ASSIGN_OR_RETURN(auto writer, Connection::Open(path));
  // Imports write hundreds of megabytes in one transaction; a large cache keeps them from
  // spilling dirty pages early.
  JA_RETURN_IF_ERROR(writer->Exec("PRAGMA cache_size=-524288"));
  {
    absl::MutexLock lock(&s->write_mu_);
    s->writer_ = std::move(writer);
  }
  absl::MutexLock lock(&s->pool_mu_);
  for (int i = 0; i < readers; ++i) {
    JA_ASSIGN_OR_RETURN(auto c, Connection::Open(path));
    s->readers_.push_back(std::move(c));
  }
  return s;
}

SqliteStore::~SqliteStore() = default;

std::unique_ptr<Connection> SqliteStore::AcquireReader() {
  absl::MutexLock lock(&pool_mu_);
  pool_mu_.Await(absl::Condition(
      +[](std::vector<std::unique_ptr<Connection>>* v) { return !v->empty(); }, &readers_));
  auto c = std::move(readers_.back());
  readers_.pop_back();
  return c;
}

void SqliteStore::ReleaseReader(std::unique_ptr<Connection> c) {
  absl::MutexLock lock(&pool_mu_);
  readers_.push_back(std::move(c));
}

absl::Status SqliteStore::Write(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  absl::MutexLock lock(&write_mu_);
  JA_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
  std::vector<Change> changes;
  auto tx = NewSqlTx(*writer_, Dialect::kSqlite, codec_, seal_cache_, ids_, clock_, &changes);
  absl::Status s = fn(*tx);
  writer_->ResetAll();
  seal_cache_.Clear();
  if (s.ok()) s = writer_->Exec("COMMIT");
  if (!s.ok()) {
    (void)writer_->Exec("ROLLBACK");
    return s;
  }
  for (const Change& c : changes) hub_.Deliver(c);
  return s;
}

absl::Status SqliteStore::Read(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  std::unique_ptr<Connection> c = AcquireReader();
  absl::Status s = c->Exec("BEGIN");
  if (s.ok()) {
    auto tx = NewSqlTx(*c, Dialect::kSqlite, codec_, seal_cache_, ids_, clock_, nullptr);
    s = fn(*tx);
    c->ResetAll();
    absl::Status end = c->Exec("COMMIT");
    if (s.ok()) s = end;
  }
  ReleaseReader(std::move(c));
  return s;
}

void SqliteStore::PrepareSealed(const std::vector<std::string>& clear_values) {
  seal_cache_.Put(codec_, clear_values);
}

absl::StatusOr<int> SqliteStore::SchemaVersion() {
  absl::MutexLock lock(&write_mu_);
  JA_RETURN_IF_ERROR(writer_->Exec(
      "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at INTEGER NOT NULL)"));
  JA_ASSIGN_OR_RETURN(sql::Stmt * st,
                      writer_->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migration"));
  JA_ASSIGN_OR_RETURN(bool row, st->Step());
  int v = row ? static_cast<int>(st->Int(0)) : 0;
  JA_RETURN_IF_ERROR(st->Run());
  return v;
}

absl::StatusOr<int> SqliteStore::Migrate() {
  JA_ASSIGN_OR_RETURN(int current, SchemaVersion());
  const auto& all = SqliteMigrations();
  if (!all.empty() && current > all.back().version) {
    return absl::FailedPreconditionError(absl::StrCat("the database is at schema version ", current,
                                                      ", newer than this jobaid knows (",
                                                      all.back().version, "); use a newer jobaid"));
  }
  absl::MutexLock lock(&write_mu_);
  for (const Migration& m : all) {
    if (m.version <= current) continue;
    JA_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
    absl::Status s = writer_->Exec(std::string(m.sql));
    if (s.ok()) {
      auto st = writer_->Prepare(
          "INSERT INTO schema_migration (version, name, applied_at) VALUES (?,?,?)");
      s = st.ok() ? (*st)->Bind(int64_t{m.version}).Bind(m.name).Bind(clock_.NowMs()).Run()
                  : st.status();
    }
    if (s.ok()) s = writer_->Exec("COMMIT");
    if (!s.ok()) {
      (void)writer_->Exec("ROLLBACK");
      return absl::Status(s.code(), absl::StrCat("migration ", m.name, " failed: ", s.message()));
    }
    current = m.version;
  }
  return current;
}

absl::Status SqliteStore::CheckIntegrity() {
  absl::MutexLock lock(&write_mu_);
  for (const char* sql : {"PRAGMA integrity_check", "PRAGMA foreign_key_check"}) {
    JA_ASSIGN_OR_RETURN(sql::Stmt * st, writer_->Prepare(sql));
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    std::string first = row ? st->Text(0) : "ok";
    bool fk = absl::string_view(sql).find("foreign") != absl::string_view::npos;
    JA_RETURN_IF_ERROR(st->Run());
    if ((fk && row) || (!fk && first != "ok")) {
      return absl::DataLossError(
          absl::StrCat(sql, " reports: ", fk ? "a dangling reference in " : "", first));
    }
  }
  return absl::OkStatus();
}

}  // namespace jobaid::storage::sqlite
