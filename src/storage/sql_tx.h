// The Transaction of every SQL backend, written once over the driver interface of
// storage/sql/sql.h. SQL uses `?` placeholders and only what SQLite and PostgreSQL both speak;
// what differs is behind `Dialect`.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/dates.h"
#include "common/ids.h"
#include "storage/pii_codec.h"
#include "storage/sql/sql.h"
#include "storage/store.h"

namespace jobaid::storage {

enum class Dialect { kSqlite, kPostgres };

// A transaction over `c`, which must already be inside BEGIN; the caller commits. Changes
// announced with Notify() are appended to `changes` for the caller to publish after the commit.
std::unique_ptr<Transaction> NewSqlTx(sql::Connection& c, Dialect dialect, const PiiCodec& codec,
                                      IdGenerator& ids, const Clock& clock,
                                      std::vector<Change>* changes);

// Delivers changes to subscribers. Thread-safe.
class ChangeHub {
 public:
  void Subscribe(std::function<void(const Change&)> fn);
  void Deliver(const Change& c);

 private:
  absl::Mutex mu_;
  std::vector<std::function<void(const Change&)>> subscribers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobaid::storage
