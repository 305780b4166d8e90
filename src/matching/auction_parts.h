// The auction's data structures (matching/auction.cc): each person's state, the copies of every
// job as price heaps, the best two of offered values, and running a loop in two halves.
// Internal to matching/.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <thread>
#include <vector>

#include "matching/auction.h"

namespace jobaid::matching::auction_internal {

using Sum = AuctionResult::Sum;

// Per person, in one record so that a bid or a draw finds it all in one line: the profit where
// they are (a held copy's price only changes with its holder) and the job (-1: unplaced), which
// the reverse bids read unlocked on two threads; the copy held and the edge taken (-1: none).
struct alignas(32) PersonState {
  int64_t profit = 0;
  int32_t job = -1, slot = -1, edge = -1;
};

// The copies of every job, each job's a binary min-heap by price over its own range, with the
// person holding each copy (-1: free). A person's `slot` follows their copy as the heap moves.
class Copies {
 public:
  Copies(const AuctionGraph& g, std::vector<PersonState>& persons) : persons_(persons) {
    // A job never needs more copies than it has edges.
    std::vector<int32_t> degree(g.capacity.size());
    for (uint32_t j : g.job) ++degree[j];
    first_.resize(g.capacity.size() + 1);
    for (size_t j = 0; j < g.capacity.size(); ++j) {
      first_[j + 1] = first_[j] + static_cast<uint32_t>(std::min(g.capacity[j], degree[j]));
    }
    Reset();
  }

  // Every copy free at 0.
  void Reset() {
    price_.assign(first_.back(), 0);
    holder_.assign(first_.back(), -1);
    cheapest_.assign(first_.size() - 1, 0);
    for (size_t j = 0; j + 1 < first_.size(); ++j) {
      if (size(static_cast<uint32_t>(j)) == 0) cheapest_[j] = kNever;
    }
  }

  // What a person pays for job j: its cheapest copy's price, or kNever if it has no copies
  // (so high that the job is never worth taking). One dense array, for the bids' scans.
  static constexpr int64_t kNever = int64_t{1} << 62;
  int64_t cheapest(uint32_t j) const {
    return std::atomic_ref<int64_t>(const_cast<int64_t&>(cheapest_[j]))
        .load(std::memory_order_relaxed);
  }

  uint32_t first(uint32_t j) const { return first_[j]; }
  uint32_t end(uint32_t j) const { return first_[j + 1]; }
  uint32_t size(uint32_t j) const { return first_[j + 1] - first_[j]; }
  int64_t price(uint32_t c) const { return price_[c]; }
  int32_t holder(uint32_t c) const { return holder_[c]; }

  // The cheapest copy but one of job j (which has at least two).
  int64_t SecondPrice(uint32_t j) const {
    uint32_t c = first_[j] + 1;
    return c + 1 < first_[j + 1] ? std::min(price_[c], price_[c + 1]) : price_[c];
  }

  // Gives copy c to `person` at `price` and restores job j's heap.
  void Set(uint32_t j, uint32_t c, int32_t person, int64_t price) {
    bool rose = price > price_[c];
    price_[c] = price;
    holder_[c] = person;
    if (person >= 0) persons_[person].slot = static_cast<int32_t>(c);
    rose ? SiftDown(j, c) : SiftUp(j, c);
    std::atomic_ref<int64_t>(cheapest_[j]).store(price_[first_[j]], std::memory_order_relaxed);
  }

 private:
  void Swap(uint32_t a, uint32_t b) {
    std::swap(price_[a], price_[b]);
    std::swap(holder_[a], holder_[b]);
    if (holder_[a] >= 0) persons_[holder_[a]].slot = static_cast<int32_t>(a);
    if (holder_[b] >= 0) persons_[holder_[b]].slot = static_cast<int32_t>(b);
  }
  void SiftDown(uint32_t j, uint32_t c) {
    const uint32_t base = first_[j], n = first_[j + 1] - base;
    for (uint32_t t = c - base;;) {
      uint32_t l = 2 * t + 1, best = t;
      if (l < n && price_[base + l] < price_[base + best]) best = l;
      if (l + 1 < n && price_[base + l + 1] < price_[base + best]) best = l + 1;
      if (best == t) return;
      Swap(base + t, base + best);
      t = best;
    }
  }
  void SiftUp(uint32_t j, uint32_t c) {
    const uint32_t base = first_[j];
    for (uint32_t t = c - base; t > 0;) {
      uint32_t up = (t - 1) / 2;
      if (price_[base + up] <= price_[base + t]) return;
      Swap(base + t, base + up);
      t = up;
    }
  }

  std::vector<PersonState>& persons_;
  std::vector<uint32_t> first_;
  std::vector<int64_t> price_;
  std::vector<int32_t> holder_;
  std::vector<int64_t> cheapest_;  // per job
};

// The best and second-best of values offered in turn, and where the best came from; both
// start at `floor` (the value of taking nothing), which the best must beat.
struct TopTwo {
  explicit TopTwo(int64_t floor) : best(floor), second(floor) {}
  void Offer(int64_t value, int64_t from) {
    if (value > best) {
      second = best;
      best = value;
      at = from;
    } else if (value > second) {
      second = value;
    }
  }
  int64_t best, second;
  int64_t at = -1;
};

// Runs fn(0, at) and fn(at, n), the second on a thread of its own, when `two`; else fn(0, n).
template <typename Fn>
void Halves(bool two, size_t at, size_t n, Fn fn) {
  if (!two) {
    fn(size_t{0}, n);
    return;
  }
  std::thread other(fn, at, n);
  fn(size_t{0}, at);
  other.join();
}

}  // namespace jobaid::matching::auction_internal
