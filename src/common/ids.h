// Strongly typed entity ids and the generator that makes them globally unique without a
// database sequence, so several servers and several databases can create rows at once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/synchronization/mutex.h"

namespace jobaid {

// An id of one entity kind. Values fit in 53 bits, so JSON clients read them exactly.
template <typename Tag>
class Id {
 public:
  constexpr Id() = default;
  constexpr explicit Id(int64_t v) : v_(v) {}
  constexpr int64_t value() const { return v_; }
  constexpr bool valid() const { return v_ > 0; }
  friend constexpr bool operator==(Id a, Id b) { return a.v_ == b.v_; }
  friend constexpr auto operator<=>(Id a, Id b) { return a.v_ <=> b.v_; }
  template <typename H>
  friend H AbslHashValue(H h, Id id) {
    return H::combine(std::move(h), id.v_);
  }

 private:
  int64_t v_ = 0;
};

using HouseholdId = Id<struct HouseholdTag>;
using PersonId = Id<struct PersonTag>;
using EmployerId = Id<struct EmployerTag>;
using JobId = Id<struct JobTag>;
using UserId = Id<struct UserTag>;
using EmploymentId = Id<struct EmploymentTag>;
using ApplicationId = Id<struct ApplicationTag>;

// Makes time-ordered 53-bit ids: 41 bits of milliseconds since 2024-01-01, 4 bits of node
// number, 8 bits of sequence. When more than 256 ids are asked for in one millisecond the
// generator borrows the next millisecond, so ids stay unique and increasing.
// Thread-safe.
class IdGenerator {
 public:
  // `node` distinguishes servers sharing one database (0-15).
  explicit IdGenerator(int node = 0, std::function<int64_t()> now_ms = nullptr);
  int64_t Next();

 private:
  const int node_;
  const std::function<int64_t()> now_ms_;
  absl::Mutex mu_;
  int64_t last_ms_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t seq_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace jobaid
