// Thin RAII wrappers over the SQLite C API: a connection with a prepared-statement cache and
// a statement with sequential binding. The only header besides sqlite_store.cc that sees
// <sqlite3.h>; errors are translated to absl::Status here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/sql/sql.h"

struct sqlite3;
struct sqlite3_stmt;

namespace jobaid::storage::sqlite {

// Maps a SQLite result code to a Status: constraint violations to AlreadyExists or
// FailedPrecondition, busy/locked to Unavailable, the rest to Internal.
absl::Status SqliteError(int rc, sqlite3* db, absl::string_view what);

class Stmt final : public sql::Stmt {
 public:
  explicit Stmt(sqlite3_stmt* s, sqlite3* db) : s_(s), db_(db) {}
  ~Stmt() override;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Reset() override;
  Stmt& BindInt(int64_t v) override;
  Stmt& BindText(absl::string_view text) override;
  Stmt& BindBlob(absl::string_view bytes) override;
  Stmt& BindTextRef(const std::string& text) override;
  Stmt& BindBlobRef(const std::string& bytes) override;
  Stmt& BindNull() override;
  Stmt& BindDouble(double v) override;
  absl::StatusOr<bool> Step() override;
  int ColumnCount() const override;
  std::string ColumnName(int col) const override;
  Kind ColumnKind(int col) const override;
  int64_t Int(int col) const override;
  double Double(int col) const override;
  std::string Text(int col) const override;
  std::string Blob(int col) const override;
  bool IsNull(int col) const override;

 private:
  sqlite3_stmt* s_;
  sqlite3* db_;
  int next_ = 1;
};

class Connection final : public sql::Connection {
 public:
  // Opens (creating if needed) the database at `path` in WAL mode with foreign keys on.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path);
  ~Connection() override;

  absl::StatusOr<sql::Stmt*> Prepare(absl::string_view sql) override;
  // A statement left on a row keeps its read snapshot open in WAL mode, so this runs at the
  // end of every transaction.
  void ResetAll() override;
  absl::Status Exec(const std::string& sql) override;
  int64_t Changes() const override;
  sqlite3* raw() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  absl::flat_hash_map<std::string, std::unique_ptr<Stmt>> cache_;
  absl::flat_hash_set<Stmt*> used_;  // each once, however often prepared
};

}  // namespace jobaid::storage::sqlite
