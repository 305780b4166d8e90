#include "common/ids.h"

#include <chrono>

#include "common/status.h"

namespace jobaid {
namespace {
constexpr int64_t kEpochMs = 1704067200000;  // 2024-01-01T00:00:00Z
constexpr int kSeqBits = 8;
constexpr int kNodeBits = 4;

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

IdGenerator::IdGenerator(int node, std::function<int64_t()> now_ms)
    : node_(node), now_ms_(now_ms ? std::move(now_ms) : SystemNowMs) {
  JA_CHECK(node >= 0 && node < (1 << kNodeBits));
}

int64_t IdGenerator::Next() {
  absl::MutexLock lock(&mu_);
  int64_t ms = now_ms_() - kEpochMs;
  if (ms > last_ms_) {
    last_ms_ = ms;
    seq_ = 0;
  } else if (++seq_ == (1 << kSeqBits)) {
    ++last_ms_;  // borrow the next millisecond
    seq_ = 0;
  }
  return (last_ms_ << (kSeqBits + kNodeBits)) | (int64_t{node_} << kSeqBits) | seq_;
}

}  // namespace jobaid
