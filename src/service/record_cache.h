// Recently read register records, kept in memory so that detail reads need no database round
// trip. Writes announce themselves on the store's change feed (Transaction::Notify), on this
// server and every other, and the cache drops what they changed.
//
// A read that started before an invalidation must not put back what it read: Put() takes the
// epoch seen before the read and stores nothing if any invalidation happened since.
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace jobaid::service {

template <typename T>
class RecordCache {
 public:
  static constexpr size_t kMaxEntries = 200000;

  uint64_t Epoch() {
    absl::MutexLock lock(&mu_);
    return epoch_;
  }
  std::optional<T> Get(int64_t id) {
    absl::MutexLock lock(&mu_);
    auto it = map_.find(id);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  void Put(int64_t id, const T& value, uint64_t epoch_before_read) {
    absl::MutexLock lock(&mu_);
    if (epoch_ != epoch_before_read) return;
    if (map_.size() >= kMaxEntries) map_.clear();
    map_.insert_or_assign(id, value);
  }
  void Invalidate(int64_t id) {
    absl::MutexLock lock(&mu_);
    ++epoch_;
    map_.erase(id);
  }
  void Clear() {
    absl::MutexLock lock(&mu_);
    ++epoch_;
    map_.clear();
  }

 private:
  absl::Mutex mu_;
  uint64_t epoch_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<int64_t, T> map_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobaid::service
