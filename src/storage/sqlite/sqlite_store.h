// The embedded default backend: one SQLite file in WAL mode, synchronous=NORMAL, foreign keys
// on. Writes are serialised by a mutex and run as BEGIN IMMEDIATE transactions; reads run
// concurrently on a pool of connections, each a consistent snapshot. The log is copied into
// the database file by a thread of the store's, so that a commit returns once its log is
// written rather than after copying it (for a large import, seconds).
// Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/dates.h"
#include "common/ids.h"
#include "storage/pii_codec.h"
#include "storage/sql_tx.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/store.h"

namespace jobaid::storage::sqlite {

class SqliteStore final : public Store {
 public:
  // Opens or creates the database at `path`. Does not migrate: call Migrate().
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                           const PiiCodec& codec, IdGenerator& ids,
                                                           const Clock& clock, int readers = 4);
  ~SqliteStore() override;

  absl::Status Write(absl::FunctionRef<absl::Status(Transaction&)> fn) override;
  absl::Status Read(absl::FunctionRef<absl::Status(Transaction&)> fn) override;
  void SealAhead(absl::string_view id_number, absl::string_view phone,
                 SealedPii* out) const override;
  // In-process: a SQLite file is served by one process.
  void Subscribe(std::function<void(const Change&)> fn) override { hub_.Subscribe(std::move(fn)); }
  absl::StatusOr<int> Migrate() override;
  absl::StatusOr<int> SchemaVersion() override;
  absl::Status CheckIntegrity() override;

 private:
  SqliteStore(const PiiCodec& codec, IdGenerator& ids, const Clock& clock)
      : codec_(codec), ids_(ids), clock_(clock) {}
  std::unique_ptr<Connection> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> c);
  // Runs on checkpoint_thread_: a PASSIVE checkpoint (one that waits for no reader or writer)
  // whenever a commit leaves kCheckpointFrames or more frames in the log.
  void CheckpointLoop();
  static constexpr int kCheckpointFrames = 1000;  // SQLite's own default threshold

  const PiiCodec& codec_;
  ChangeHub hub_;
  IdGenerator& ids_;
  const Clock& clock_;
  std::string path_;
  absl::Mutex write_mu_;
  std::unique_ptr<Connection> writer_ ABSL_GUARDED_BY(write_mu_);
  absl::Mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> readers_ ABSL_GUARDED_BY(pool_mu_);
  absl::Mutex checkpoint_mu_;
  int log_frames_ ABSL_GUARDED_BY(checkpoint_mu_) = 0;  // after the last commit
  bool closing_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  std::unique_ptr<Connection> checkpointer_;  // used by checkpoint_thread_ only
  std::thread checkpoint_thread_;
};

}  // namespace jobaid::storage::sqlite
