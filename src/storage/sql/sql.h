// The small driver interface the shared SQL transaction code (storage/sql_tx.h) runs on. Each
// backend implements it over its client library; SQL text uses `?` placeholders and the
// driver maps them to its own syntax. Errors are already absl::Status here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid::storage::sql {

// A prepared statement with sequential binding. Not thread-safe.
class Stmt {
 public:
  virtual ~Stmt() = default;

  // Clears bindings and results; every cached statement is reset before reuse.
  virtual Stmt& Reset() = 0;
  virtual Stmt& BindInt(int64_t v) = 0;
  virtual Stmt& BindText(absl::string_view text) = 0;
  virtual Stmt& BindBlob(absl::string_view bytes) = 0;
  // Bind without copying: the string must stay alive and unchanged until the statement is
  // reset.
  virtual Stmt& BindTextRef(const std::string& text) = 0;
  virtual Stmt& BindBlobRef(const std::string& bytes) = 0;
  virtual Stmt& BindNull() = 0;
  virtual Stmt& BindDouble(double v) = 0;

  Stmt& Bind(int64_t v) { return BindInt(v); }
  Stmt& Bind(absl::string_view text) { return BindText(text); }
  Stmt& Bind(const char* text) { return BindText(text); }
  Stmt& Bind(const std::string& text) { return BindText(text); }
  Stmt& BindRef(const std::string& text) { return BindTextRef(text); }
  Stmt& BindRef(const std::string&& text) = delete;
  Stmt& BindBlobRef(const std::string&& bytes) = delete;

  // True when a row is ready, false when done.
  virtual absl::StatusOr<bool> Step() = 0;
  // Runs to completion.
  absl::Status Run() {
    for (;;) {
      auto row = Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
    }
  }

  // What a column of the current row holds, for code that copies rows it does not know.
  enum class Kind { kNull, kInt, kDouble, kText, kBlob };
  virtual int ColumnCount() const = 0;
  virtual std::string ColumnName(int col) const = 0;
  virtual Kind ColumnKind(int col) const = 0;

  virtual int64_t Int(int col) const = 0;
  virtual double Double(int col) const = 0;
  virtual std::string Text(int col) const = 0;
  virtual std::string Blob(int col) const = 0;
  virtual bool IsNull(int col) const = 0;
};

// One database session. Not thread-safe.
class Connection {
 public:
  virtual ~Connection() = default;
  // A cached prepared statement for `sql`, reset and ready to bind.
  virtual absl::StatusOr<Stmt*> Prepare(absl::string_view sql) = 0;
  // Runs one or more statements without results.
  virtual absl::Status Exec(const std::string& sql) = 0;
  // Rows changed by the last statement.
  virtual int64_t Changes() const = 0;
  // Resets every statement used since the last call (at the end of each transaction).
  virtual void ResetAll() = 0;
  // A hint that many rows are about to be inserted into `tables` (parents before children):
  // a driver may gather the rows of plain INSERTs (every value a placeholder) and send them
  // in bulk, in the order of `tables`, before any other statement runs and at EndBulkInsert.
  // A row's error may then surface at a later statement. ROLLBACK drops what was gathered.
  virtual absl::Status BeginBulkInsert(const std::vector<std::string>& tables) {
    (void)tables;
    return absl::OkStatus();
  }
  virtual absl::Status EndBulkInsert() { return absl::OkStatus(); }
};

// The first column of the first row `sql` yields (0 when there is none), for one-number
// questions; resets the connection's statements after.
inline absl::StatusOr<int64_t> QueryInt(Connection& c, absl::string_view sql) {
  absl::StatusOr<int64_t> out = int64_t{0};
  absl::StatusOr<Stmt*> st = c.Prepare(sql);
  if (!st.ok()) {
    out = st.status();
  } else if (absl::StatusOr<bool> row = (*st)->Step(); !row.ok()) {
    out = row.status();
  } else if (*row) {
    out = (*st)->Int(0);
  }
  c.ResetAll();
  return out;
}

}  // namespace jobaid::storage::sql
