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
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct sqlite3;
struct sqlite3_stmt;

namespace jobaid::storage::sqlite {

// Maps a SQLite result code to a Status: constraint violations to AlreadyExists or
// FailedPrecondition, busy/locked to Unavailable, the rest to Internal.
absl::Status SqliteError(int rc, sqlite3* db, absl::string_view what);

class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* s, sqlite3* db) : s_(s), db_(db) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Clears bindings and rewinds; call before each use of a cached statement.
  Stmt& Reset();
  Stmt& Bind(int64_t v);
  Stmt& Bind(absl::string_view text);
  Stmt& Bind(const char* text) { return Bind(absl::string_view(text)); }
  Stmt& Bind(const std::string& text) { return Bind(absl::string_view(text)); }
  Stmt& BindBlob(absl::string_view bytes);
  // Bind without copying: `text` must stay alive and unchanged until the statement is reset.
  Stmt& BindRef(const std::string& text);
  Stmt& BindRef(const std::string&& text) = delete;
  Stmt& BindBlobRef(const std::string& bytes);
  Stmt& BindBlobRef(const std::string&& bytes) = delete;
  Stmt& BindNull();
  Stmt& BindDouble(double v);

  // True when a row is ready, false when done.
  absl::StatusOr<bool> Step();
  // Runs to completion.
  absl::Status Run();

  int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  std::string Blob(int col) const;
  bool IsNull(int col) const;

 private:
  sqlite3_stmt* s_;
  sqlite3* db_;
  int next_ = 1;
};

class Connection {
 public:
  // Opens (creating if needed) the database at `path` in WAL mode with foreign keys on.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path);
  ~Connection();

  // A cached prepared statement for `sql`, reset and ready to bind.
  absl::StatusOr<Stmt*> Prepare(const std::string& sql);
  // Resets every statement used since the last call. A statement left on a row keeps its read
  // snapshot open in WAL mode, so this runs at the end of every transaction.
  void ResetAll();
  // Runs one or more statements without results.
  absl::Status Exec(const std::string& sql);
  int64_t Changes() const;
  sqlite3* raw() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  absl::flat_hash_map<std::string, std::unique_ptr<Stmt>> cache_;
  std::vector<Stmt*> used_;
};

}  // namespace jobaid::storage::sqlite
