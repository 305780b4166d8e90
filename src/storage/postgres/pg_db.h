// The PostgreSQL driver of storage/sql/sql.h over libpq: the only code besides postgres_store.cc
// that includes <libpq-fe.h>. Statements are prepared once per connection; `?` placeholders
// become $1, $2 …; results come as text (bytea unescaped).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "storage/sql/sql.h"
#include "storage/store.h"

struct pg_conn;
struct pg_result;

namespace jobaid::storage::postgres {

// kRetryPayload (storage/store.h) marks serialization failures and deadlocks (SQLSTATE
// 40001, 40P01).

class PgConnection;

class PgStmt final : public sql::Stmt {
 public:
  // `insert`: for a plain INSERT (see PlainInsertOf), its table and column list.
  PgStmt(PgConnection& conn, std::string name, int params, std::string insert_table,
         std::string insert_columns)
      : conn_(conn),
        name_(std::move(name)),
        insert_table_(std::move(insert_table)),
        insert_columns_(std::move(insert_columns)) {
    values_.resize(static_cast<size_t>(params));
  }
  ~PgStmt() override;

  PgStmt& Reset() override;
  PgStmt& BindInt(int64_t v) override;
  PgStmt& BindText(absl::string_view text) override;
  PgStmt& BindBlob(absl::string_view bytes) override;
  PgStmt& BindTextRef(const std::string& text) override;
  PgStmt& BindBlobRef(const std::string& bytes) override;
  PgStmt& BindNull() override;
  PgStmt& BindDouble(double v) override;
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
  struct Param {
    std::string owned;
    const char* ref = nullptr;  // when not owned
    bool null = true;
    bool is_owned = false;
    int length = 0;
    bool binary = false;
    // The value's bytes (nullptr for SQL NULL); asked for only once binding is done, since
    // the Params may move while more are bound.
    const char* data() const { return null ? nullptr : is_owned ? owned.data() : ref; }
  };
  PgStmt& Set(const char* data, size_t length, bool binary, bool copy);

  // Appends the bound values to `out` as one line of COPY's text format.
  void AppendCopyLine(std::string& out) const;

  PgConnection& conn_;
  std::string name_;
  std::string insert_table_, insert_columns_;  // empty unless a plain INSERT
  std::vector<Param> values_;
  size_t next_ = 0;
  pg_result* res_ = nullptr;
  int row_ = -1;
  int rows_ = 0;
  bool gathered_ = false;  // the row went to a bulk insert
};

class PgConnection final : public sql::Connection {
 public:
  // Connects with a libpq connection string or URL. Unavailable if the server cannot be reached.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Open(const std::string& url);
  ~PgConnection() override;

  absl::StatusOr<sql::Stmt*> Prepare(absl::string_view sql) override;
  // ROLLBACK drops the rows gathered for a bulk insert; any other statement sends them first.
  absl::Status Exec(const std::string& sql) override;
  // The first statement error since the transaction began (OK if none). PostgreSQL refuses every
  // statement after a failed one with "current transaction is aborted", which hides the cause
  // (and a serialization failure's retry): those answers are replaced by this first error, and
  // the store does not commit a transaction that has one, whatever the caller made of it.
  const absl::Status& first_error() const { return first_error_; }
  int64_t Changes() const override { return changes_; }
  void ResetAll() override;
  // Rows of plain INSERTs into `tables` are gathered per table and column list and sent with
  // COPY FROM STDIN (tables in the order given) once 16 MB have gathered, before any other
  // statement, and at EndBulkInsert.
  absl::Status BeginBulkInsert(const std::vector<std::string>& tables) override;
  absl::Status EndBulkInsert() override;
  bool Broken() const;
  // Waits up to `timeout_ms` for NOTIFY messages on channels this session LISTENs to; returns
  // their payloads (empty on time-out). Unavailable if the connection broke.
  absl::StatusOr<std::vector<std::string>> WaitForNotifications(int timeout_ms);

 private:
  friend class PgStmt;
  explicit PgConnection(pg_conn* c) : c_(c) {}
  // The rows gathered for one table and column list.
  struct Gathered {
    size_t order;  // the table's place in BeginBulkInsert's list
    std::string table, columns, lines;
  };
  // Where rows of an INSERT into `table` (`columns`) gather; nullptr if not bulk inserting
  // into it.
  Gathered* GatherFor(const std::string& table, const std::string& columns);
  // Sends every gathered row.
  absl::Status SendGathered();
  // The status of a failed statement, `res` (or the connection's error), remembered as the
  // transaction's first.
  absl::Status Error(pg_result* res, absl::string_view what);
  absl::Status first_error_;

  pg_conn* c_;
  absl::flat_hash_map<std::string, std::unique_ptr<PgStmt>> cache_;
  absl::flat_hash_set<PgStmt*> used_;  // each once, however often prepared
  int64_t changes_ = 0;
  std::vector<std::string> bulk_tables_;
  std::vector<Gathered> gathered_;
  size_t gathered_bytes_ = 0;
};

// For "INSERT INTO t (a, b) VALUES (?, ?)" with nothing after the values: true, with t and
// "a, b"; false for any other statement.
bool PlainInsertOf(absl::string_view sql, std::string* table, std::string* columns);

// Maps a failed result to a Status by its SQLSTATE.
absl::Status PgError(pg_result* res, pg_conn* conn, absl::string_view what);

// "SELECT ?, ?" -> "SELECT $1, $2" (outside quotes and -- comments, where an apostrophe or a
// question mark is just text); `count` gets the number of parameters.
std::string NumberPlaceholders(absl::string_view sql, int* count);

}  // namespace jobaid::storage::postgres
