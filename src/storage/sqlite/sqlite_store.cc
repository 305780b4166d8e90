#include "storage/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <deque>
#include <variant>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/status.h"
#include "domain/fields.h"
#include "spdlog/spdlog.h"
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
  {
    absl::MutexLock lock(&s->pool_mu_);
    for (int i = 0; i < readers; ++i) {
      JA_ASSIGN_OR_RETURN(auto c, Connection::Open(path));
      s->readers_.push_back(std::move(c));
    }
  }
  JA_ASSIGN_OR_RETURN(s->checkpointer_, Connection::Open(path));
  absl::MutexLock lock(&s->write_mu_);
  JA_RETURN_IF_ERROR(s->writer_->Exec("PRAGMA wal_autocheckpoint=0"));
  sqlite3_wal_hook(
      s->writer_->raw(),
      +[](void* store, sqlite3*, const char*, int frames) {
        auto* self = static_cast<SqliteStore*>(store);
        absl::MutexLock lock(&self->checkpoint_mu_);
        self->log_frames_ = frames;
        return SQLITE_OK;
      },
      s.get());
  s->checkpoint_thread_ = std::thread([self = s.get()] { self->CheckpointLoop(); });
  return s;
}

SqliteStore::~SqliteStore() {
  if (checkpoint_thread_.joinable()) {
    {
      absl::MutexLock lock(&checkpoint_mu_);
      closing_ = true;
    }
    checkpoint_thread_.join();
  }
  // Closing the last connection checkpoints what is left and removes the log.
}

void SqliteStore::CheckpointLoop() {
  for (;;) {
    {
      absl::MutexLock lock(&checkpoint_mu_);
      checkpoint_mu_.Await(absl::Condition(
          +[](SqliteStore* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->checkpoint_mu_) {
            return s->closing_ || s->log_frames_ >= kCheckpointFrames;
          },
          this));
      if (closing_) return;
      log_frames_ = 0;
    }
    int log = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(checkpointer_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                       &log, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("checkpoint of {} failed: {}", path_, sqlite3_errstr(rc));
    }
  }
}

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
  auto tx = NewSqlTx(*writer_, Dialect::kSqlite, codec_, ids_, clock_, &changes);
  absl::Status s = fn(*tx);
  writer_->ResetAll();
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
    auto tx = NewSqlTx(*c, Dialect::kSqlite, codec_, ids_, clock_, nullptr);
    s = fn(*tx);
    c->ResetAll();
    absl::Status end = c->Exec("COMMIT");
    if (s.ok()) s = end;
  }
  ReleaseReader(std::move(c));
  return s;
}

void SqliteStore::SealAhead(absl::string_view id_number, absl::string_view phone,
                            SealedPii* out) const {
  codec_.SealRecord(id_number, phone, out);
}

absl::StatusOr<int> SqliteStore::SchemaVersion() {
  absl::MutexLock lock(&write_mu_);
  JA_RETURN_IF_ERROR(writer_->Exec(
      "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at INTEGER NOT NULL)"));
  JA_ASSIGN_OR_RETURN(int64_t v, sql::QueryInt(*writer_,
                                               "SELECT COALESCE(MAX(version), 0) "
                                               "FROM schema_migration"));
  return static_cast<int>(v);
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
