// The production backend: PostgreSQL through libpq, with a pool of connections. Writes run as
// REPEATABLE READ transactions and are run again (up to five times) when PostgreSQL reports a
// serialization failure or deadlock; reads run on a REPEATABLE READ READ ONLY snapshot.
// Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/dates.h"
#include "common/ids.h"
#include "storage/pii_codec.h"
#include "storage/postgres/pg_db.h"
#include "storage/sql_tx.h"
#include "storage/store.h"

namespace jobaid::storage::postgres {

class PostgresStore final : public Store {
 public:
  // Connects `pool` sessions to `url` (postgresql://user@host:port/db). Does not migrate.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(const std::string& url,
                                                             const PiiCodec& codec,
                                                             IdGenerator& ids, const Clock& clock,
                                                             int pool = 8);
  ~PostgresStore() override;

  absl::Status Write(absl::FunctionRef<absl::Status(Transaction&)> fn) override;
  absl::Status Read(absl::FunctionRef<absl::Status(Transaction&)> fn) override;
  void SealAhead(absl::string_view id_number, absl::string_view phone,
                 SealedPii* out) const override;
  // Changes reach every server through LISTEN/NOTIFY on the channel "jobaid".
  void Subscribe(std::function<void(const Change&)> fn) override;
  absl::StatusOr<int> Migrate() override;
  absl::StatusOr<int> SchemaVersion() override;
  absl::Status CheckIntegrity() override;

 private:
  PostgresStore(const PiiCodec& codec, IdGenerator& ids, const Clock& clock)
      : codec_(codec), ids_(ids), clock_(clock) {}
  // A pooled connection, replaced by a new one if it broke.
  absl::StatusOr<std::unique_ptr<PgConnection>> Acquire();
  void Release(std::unique_ptr<PgConnection> c);
  absl::Status Run(bool write, absl::FunctionRef<absl::Status(Transaction&)> fn);

  const PiiCodec& codec_;
  ChangeHub hub_;
  std::thread listener_;
  std::atomic<bool> stop_{false};
  IdGenerator& ids_;
  const Clock& clock_;
  std::string url_;
  // Begins this store's notifications ("origin topic:payload"), so that the listener skips
  // them: the store's own subscribers had each at commit, in commit order.
  std::string origin_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<PgConnection>> pool_ ABSL_GUARDED_BY(mu_);
  int size_ = 0;
};

}  // namespace jobaid::storage::postgres
