#include "storage/sqlite/sqlite_db.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"

namespace jobaid::storage::sqlite {

absl::Status SqliteError(int rc, sqlite3* db, absl::string_view what) {
  std::string msg = absl::StrCat(what, ": ", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return absl::AlreadyExistsError(msg);
      }
      return absl::FailedPreconditionError(msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(msg);
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(msg);
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
      return absl::UnavailableError(msg);
    default:
      return absl::InternalError(msg);
  }
}

Stmt::~Stmt() { sqlite3_finalize(s_); }

Stmt& Stmt::Reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
  next_ = 1;
  return *this;
}

Stmt& Stmt::BindInt(int64_t v) {
  sqlite3_bind_int64(s_, next_++, v);
  return *this;
}
Stmt& Stmt::BindText(absl::string_view text) {
  sqlite3_bind_text(s_, next_++, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindBlob(absl::string_view bytes) {
  sqlite3_bind_blob(s_, next_++, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindTextRef(const std::string& text) {
  sqlite3_bind_text(s_, next_++, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::BindBlobRef(const std::string& bytes) {
  sqlite3_bind_blob(s_, next_++, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::BindNull() {
  sqlite3_bind_null(s_, next_++);
  return *this;
}
Stmt& Stmt::BindDouble(double v) {
  sqlite3_bind_double(s_, next_++, v);
  return *this;
}

absl::StatusOr<bool> Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  absl::Status s = SqliteError(sqlite3_extended_errcode(db_), db_, "query failed");
  sqlite3_reset(s_);
  return s;
}

int Stmt::ColumnCount() const { return sqlite3_column_count(s_); }
std::string Stmt::ColumnName(int col) const { return sqlite3_column_name(s_, col); }
Stmt::Kind Stmt::ColumnKind(int col) const {
  switch (sqlite3_column_type(s_, col)) {
    case SQLITE_INTEGER:
      return Kind::kInt;
    case SQLITE_FLOAT:
      return Kind::kDouble;
    case SQLITE_BLOB:
      return Kind::kBlob;
    case SQLITE_NULL:
      return Kind::kNull;
    default:
      return Kind::kText;
  }
}

int64_t Stmt::Int(int col) const { return sqlite3_column_int64(s_, col); }
double Stmt::Double(int col) const { return sqlite3_column_double(s_, col); }
std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(s_, col)))
           : std::string();
}
std::string Stmt::Blob(int col) const {
  const void* p = sqlite3_column_blob(s_, col);
  return p ? std::string(static_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(s_, col)))
           : std::string();
}
bool Stmt::IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& path) {
  // Memory statistics put a process-wide mutex around every SQLite allocation; JobAid never
  // reads them. Must run before the library initialises, so once, before the first open.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s = SqliteError(rc, db, absl::StrCat("cannot open ", path));
    sqlite3_close(db);
    return s;
  }
  std::unique_ptr<Connection> c(new Connection(db));
  sqlite3_busy_timeout(db, 10000);
  sqlite3_extended_result_codes(db, 1);
  absl::Status s = c->Exec(
      "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA "
      "foreign_keys=ON; "
      "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;");
  if (!s.ok()) return s;
  return c;
}

Connection::~Connection() {
  cache_.clear();
  sqlite3_close(db_);
}

absl::StatusOr<sql::Stmt*> Connection::Prepare(absl::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    used_.insert(it->second.get());
    return &it->second->Reset();
  }
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, db_, absl::StrCat("cannot prepare ", sql));
  auto [ins, _] = cache_.emplace(sql, std::make_unique<Stmt>(s, db_));
  used_.insert(ins->second.get());
  return ins->second.get();
}

absl::Status Connection::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    absl::Status s = SqliteError(sqlite3_extended_errcode(db_), db_, "statement failed");
    sqlite3_free(err);
    return s;
  }
  return absl::OkStatus();
}

void Connection::ResetAll() {
  for (Stmt* s : used_) s->Reset();
  used_.clear();
}

int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

}  // namespace jobaid::storage::sqlite
