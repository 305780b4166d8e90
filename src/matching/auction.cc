#include "matching/auction.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>

#include "matching/auction_parts.h"

namespace jobaid::matching {
namespace {

using auction_internal::Copies;
using auction_internal::Halves;
using auction_internal::PersonState;
using auction_internal::Sum;
using auction_internal::TopTwo;

class Solver {
  // A job's row: a person, their edge to the job and its benefit. A gain: a row, and what its
  // person would gain from the job (or a bound on it).
  struct Row {
    uint32_t person, edge;
    int64_t benefit;
  };
  struct Gain {
    int64_t value;
    Row row;
  };
  // One thread's reverse bids: the jobs it has to serve (and those to try again, whose draw
  // stopped early), a draw's best gainers and a mark on each of them (per person), its bids.
  struct Drawer {
    std::vector<uint32_t> queue, retry;
    std::vector<Gain> top;
    std::vector<uint8_t> chosen;
    int64_t bids = 0;
  };

 public:
  Solver(const AuctionGraph& g, int threads)
      : g_(g), threads_(threads), state_(g.persons()), copies_(g, state_) {
    // Whether each person's edges come best first (as Assign's do): then a person's scan stops
    // at the first edge whose benefit cannot beat what was found, prices being never below 0.
    sorted_ = true;
    for (uint32_t i = 0; i < g.persons() && sorted_; ++i) {
      for (uint32_t e = g.first[i] + 1; e < g.first[i + 1]; ++e) {
        if (g.benefit[e] > g.benefit[e - 1]) sorted_ = false;
      }
    }
    // Each job's persons and their edges, for the reverse bids.
    const size_t jobs = g.capacity.size();
    rfirst_.assign(jobs + 1, 0);
    for (uint32_t j : g.job) ++rfirst_[j + 1];
    for (size_t j = 0; j < jobs; ++j) rfirst_[j + 1] += rfirst_[j];
    // Left uninitialised, as every row is written below: zeroing them first (300 MB nationally)
    // took 0.2 s on one thread.
    rows_ = std::make_unique_for_overwrite<Row[]>(g.job.size());
    // The jobs [from, to): their rows, then each job's rows by benefit, highest first, so that
    // Scan() can stop early. On two threads, each takes the jobs of half the rows.
    auto rows_of = [&](size_t from, size_t to) {
      std::vector<uint32_t> at(rfirst_.begin() + static_cast<ptrdiff_t>(from),
                               rfirst_.begin() + static_cast<ptrdiff_t>(to));
      for (uint32_t i = 0; i < g.persons(); ++i) {
        for (uint32_t e = g.first[i]; e < g.first[i + 1]; ++e) {
          const uint32_t j = g.job[e];
          if (j >= from && j < to) rows_[at[j - from]++] = Row{i, e, g.benefit[e]};
        }
      }
      for (size_t j = from; j < to; ++j) {
        std::sort(rows_.get() + rfirst_[j], rows_.get() + rfirst_[j + 1],
                  [](const Row& a, const Row& b) { return a.benefit > b.benefit; });
      }
    };
    half_ = static_cast<size_t>(std::lower_bound(rfirst_.begin(), rfirst_.end(), g.job.size() / 2) -
                                rfirst_.begin());
    Halves(threads_ > 1, half_, jobs, rows_of);
    // Uninitialised: a job's heap is read only below heap_size_.
    heap_ = std::make_unique_for_overwrite<Gain[]>(jobs * kHeapRoom);
    heap_size_.assign(jobs, 0);
    rest_.assign(jobs, 0);
    stamp_.assign(jobs, 0);
    for (int t = 0; t < threads_; ++t) drawers_[t].chosen.assign(g.persons(), 0);
    if (threads_ > 1) locks_ = std::make_unique<std::atomic_flag[]>(jobs);
  }

  // One phase at `eps`: persons who break eps-complementary slackness (all, the first time)
  // leave their copy and bid again; then jobs with seats left lower their price by reverse
  // bids until each is full or free. Returns the bids made.
  // Gives up (returning -1) once the forward bids pass `budget`.
  int64_t Phase(int64_t eps, bool first, int64_t budget) {
    // Found on two threads by halves of the persons: a person who leaves frees their copy at
    // its job's cheapest price, which changes nobody's view of the job, so the finding only
    // reads. The leaving, which changes the copies, follows on one.
    std::vector<uint32_t> now, second;
    const size_t persons = g_.persons();
    Halves(threads_ > 1 && persons >= 2, persons / 2, persons, [&](size_t from, size_t to) {
      std::vector<uint32_t>& out = from == 0 ? now : second;
      for (uint32_t i = static_cast<uint32_t>(from); i < to; ++i) {
        if (g_.first[i] == g_.first[i + 1]) continue;
        if (first || Profit(i) < Best(i) - eps) out.push_back(i);
      }
    });
    now.insert(now.end(), second.begin(), second.end());
    for (uint32_t i : now) Leave(i);
    std::atomic<int64_t> bids{0};
    std::atomic<bool> within{true};
    const bool shared = threads_ > 1 && now.size() >= 2;
    Halves(shared, now.size() / 2, now.size(), [&](size_t from, size_t to) {
      std::vector<uint32_t> mine(now.begin() + static_cast<ptrdiff_t>(from),
                                 now.begin() + static_cast<ptrdiff_t>(to));
      if (!(shared ? Bids<true>(std::move(mine), eps, budget, bids)
                   : Bids<false>(std::move(mine), eps, budget, bids))) {
        within = false;
      }
    });
    return within ? bids.load() + Reverse(eps) : -1;
  }

  // Everyone unplaced, every copy free at 0.
  void Reset() {
    std::fill(state_.begin(), state_.end(), PersonState{});
    copies_.Reset();
  }

  // The benefit taken, and two bounds on the optimum (the dual). The first is at the auction's
  // own prices: a full job costs its cheapest copy's price, a job with seats left nothing.
  // Those prices are only epsilon-optimal for the dual; the second is at prices lowered from
  // them by a sweep of coordinate descent (Descend). Nationally after the third phase it leaves
  // a third of the first's gap.
  void Account(AuctionResult& r) const {
    const size_t jobs = g_.capacity.size();
    std::vector<int64_t> price(jobs, 0);
    for (uint32_t j = 0; j < jobs; ++j) {
      if (copies_.size(j) > 0 && FreeCopy(j) < 0) price[j] = copies_.price(copies_.first(j));
    }
    r.primal = 0;
    for (uint32_t i = 0; i < g_.persons(); ++i) {
      if (state_[i].edge >= 0) r.primal += g_.benefit[state_[i].edge];
    }
    std::vector<TopTwo> top(g_.persons(), TopTwo(0));
    r.dual_at_prices = Bound(price, &top);
    // On two threads each takes the jobs of half the rows (as the rows were made), the second
    // with its own copy of the prices and gains, so that the halves meet (as a round of every
    // job at once would) only through persons with jobs in both: jobs are numbered as their
    // persons come, and most persons' jobs are near one another.
    const bool two = threads_ > 1 && jobs >= 2;
    const size_t half = two ? std::clamp<size_t>(half_, 1, jobs - 1) : jobs;
    std::vector<int64_t> lowered;
    std::vector<TopTwo> own;
    if (two) {
      lowered = price;
      own = top;
    }
    Halves(two, half, jobs, [&](size_t from, size_t to) {
      if (from == 0) {
        Descend(from, to, price, top);
      } else {
        Descend(from, to, lowered, own);
      }
    });
    if (two) {
      std::copy(lowered.begin() + static_cast<ptrdiff_t>(half), lowered.end(),
                price.begin() + static_cast<ptrdiff_t>(half));
    }
    // Each step lowers the bound with the others' prices held, but the halves' steps together
    // may not (a person with jobs in both, one dearer and one cheaper), nor steps guided by the
    // gains of a person who lists a job twice: the lesser bound counts.
    r.dual = std::min(r.dual_at_prices, Bound(price, nullptr));
    r.edge_of.resize(g_.persons());
    for (uint32_t i = 0; i < g_.persons(); ++i) r.edge_of[i] = state_[i].edge;
  }

 private:
  // The dual bound at job prices `price` (any prices of at least 0 bound the optimum): every
  // job's seats at its price, plus what each person would gain at most (at least 0). Each person's
  // best two gains go into `top` when it is given. On two threads, by halves of the persons.
  Sum Bound(const std::vector<int64_t>& price, std::vector<TopTwo>* top) const {
    Sum sums[2] = {0, 0};
    const size_t persons = g_.persons();
    Halves(threads_ > 1 && persons >= 2, persons / 2, persons, [&](size_t from, size_t to) {
      Sum sum = 0;
      for (size_t i = from; i < to; ++i) {
        const TopTwo t = Gains(static_cast<uint32_t>(i), price);
        sum += t.best;
        if (top != nullptr) (*top)[i] = t;
      }
      sums[from == 0 ? 0 : 1] = sum;
    });
    for (uint32_t j = 0; j < price.size(); ++j) {
      sums[0] += static_cast<Sum>(price[j]) * copies_.size(j);
    }
    return sums[0] + sums[1];
  }

  // Person i's best two gains at job prices `price`, above a floor of 0 (staying unplaced).
  TopTwo Gains(uint32_t i, const std::vector<int64_t>& price) const {
    TopTwo t(0);
    for (uint32_t e = g_.first[i]; e < g_.first[i + 1]; ++e) {
      if (copies_.size(g_.job[e]) > 0) t.Offer(g_.benefit[e] - price[g_.job[e]], g_.job[e]);
    }
    return t;
  }

  // The price of job j that makes the least bound with every other job's held where `top`
  // (each person's best two gains) was taken. Job j's part of the bound, c x p + the sum over
  // its persons of max(best gain elsewhere, benefit - p), falls while more than c persons
  // would gain more from j than elsewhere (c: its copies), so it is least at the c-th greatest
  // of (benefit - best gain elsewhere), or at 0 when fewer than c of those are above 0.
  // `least` is room for the c greatest.
  int64_t Reprice(uint32_t j, const std::vector<TopTwo>& top, std::vector<int64_t>& least) const {
    const uint32_t c = copies_.size(j);
    if (c == 0 || c >= rfirst_[j + 1] - rfirst_[j]) return 0;
    least.clear();
    const auto above = std::greater<>();  // a min-heap
    // Rows come by benefit, highest first, and (benefit - a gain of at least 0) is at most the
    // benefit: the read stops at the first row that could not enter.
    for (uint32_t k = rfirst_[j]; k < rfirst_[j + 1]; ++k) {
      if (least.size() == c && rows_[k].benefit <= least.front()) break;
      if (k + kAhead < rfirst_[j + 1]) __builtin_prefetch(&top[rows_[k + kAhead].person]);
      const TopTwo& t = top[rows_[k].person];
      const int64_t value = rows_[k].benefit - (t.at == j ? t.second : t.best);
      if (value <= 0) continue;
      if (least.size() < c) {
        least.push_back(value);
        std::push_heap(least.begin(), least.end(), above);
      } else if (value > least.front()) {
        std::pop_heap(least.begin(), least.end(), above);
        least.back() = value;
        std::push_heap(least.begin(), least.end(), above);
      }
    }
    return least.size() == c ? least.front() : 0;
  }

  // One sweep of coordinate descent over jobs [from, to): each in turn takes its best price
  // (Reprice) with the others' as they stand, and the persons' best two gains in `top` follow
  // it (reading a person's edges again when the best or second fell). Exact steps when no
  // person lists a job twice (Assign's never do); else `top` may be a little off, which only
  // guides the prices: the bound is read afresh from them.
  void Descend(size_t from, size_t to, std::vector<int64_t>& price,
               std::vector<TopTwo>& top) const {
    std::vector<int64_t> least;
    for (uint32_t j = static_cast<uint32_t>(from); j < to; ++j) {
      const int64_t p = Reprice(j, top, least), was = price[j];
      if (p == was) continue;
      price[j] = p;
      // From the first row with a benefit at most the lower price on, j's gain is at most 0
      // both before and after: nobody's best two change.
      const int64_t low = std::min(p, was);
      for (uint32_t k = rfirst_[j]; k < rfirst_[j + 1] && rows_[k].benefit > low; ++k) {
        if (k + kAhead < rfirst_[j + 1]) __builtin_prefetch(&top[rows_[k + kAhead].person]);
        const uint32_t i = rows_[k].person;
        TopTwo& t = top[i];
        const int64_t gain = rows_[k].benefit - p;
        if (p < was) {  // the gain from j rose
          if (t.at == j) {
            t.best = std::max(t.best, gain);  // the max: a job listed twice
          } else {
            t.Offer(gain, j);
          }
        } else if (t.at == j && gain >= t.second) {  // it fell, and is still the best
          t.best = gain;
        } else if (t.at == j || (t.second > 0 && rows_[k].benefit - was == t.second)) {
          // It fell from the best, or from the second (not the floor of 0): read i again.
          t = Gains(i, price);
        }
      }
    }
  }

  // The unplaced persons `now` bid until none is left unplaced who would rather be placed; the
  // bids are counted into `bids`. Gives up (false) once they pass `budget`.
  //
  // kShared: on one of two threads, each with its share of `now` and the persons its bids
  // displace. A bid reads other jobs' prices unlocked, perhaps stale: in the forward bids prices
  // only rise, so a stale price only raises the second-best value the bid sets its price by,
  // which lowers that price and keeps the bidder's slackness. The job bid for is locked and its
  // cheapest copy read again: if that has risen meanwhile, the person bids again.
  template <bool kShared>
  bool Bids(std::vector<uint32_t> now, int64_t eps, int64_t budget, std::atomic<int64_t>& bids) {
    std::vector<uint32_t> next;
    while (!now.empty()) {
      if (bids.fetch_add(static_cast<int64_t>(now.size()), std::memory_order_relaxed) > budget) {
        return false;
      }
      for (uint32_t i : now) {
        int32_t displaced = Bid<kShared>(i, eps);
        if (displaced >= 0) next.push_back(static_cast<uint32_t>(displaced));
      }
      now.swap(next);
      next.clear();
    }
    return true;
  }

  // Person i bids for the best job's cheapest copy; returns the person displaced, or -1.
  template <bool kShared>
  int32_t Bid(uint32_t i, int64_t eps) {
    for (;;) {
      TopTwo top(0);  // staying unplaced is worth 0
      for (uint32_t e = g_.first[i]; e < g_.first[i + 1]; ++e) {
        if (sorted_ && g_.benefit[e] <= top.second) break;
        top.Offer(g_.benefit[e] - copies_.cheapest(g_.job[e]), e);
      }
      // Nothing worth more than eps: staying unplaced keeps eps-complementary slackness.
      const int64_t e1 = top.at;
      if (e1 < 0 || top.best <= eps) return -1;
      const uint32_t j = g_.job[e1];
      if constexpr (kShared) {
        Lock(j);
        if (copies_.cheapest(j) != g_.benefit[e1] - top.best) {  // outbid meanwhile
          Unlock(j);
          continue;
        }
      }
      int64_t b2 = top.second;
      if (copies_.size(j) > 1) b2 = std::max(b2, g_.benefit[e1] - copies_.SecondPrice(j));
      const uint32_t c = copies_.first(j);
      assert(g_.benefit[e1] - b2 + eps > copies_.price(c));  // prices only rise
      const int32_t displaced = copies_.holder(c);
      if (displaced >= 0) Unplace(static_cast<uint32_t>(displaced));
      state_[i].edge = static_cast<int32_t>(e1);
      state_[i].profit = b2 - eps;
      state_[i].job = static_cast<int32_t>(j);
      copies_.Set(j, c, static_cast<int32_t>(i), g_.benefit[e1] - b2 + eps);
      if constexpr (kShared) Unlock(j);
      return displaced;
    }
  }

  // Reverse bids: a job with a free copy priced above 0 draws the person who would gain most
  // from it (their copy is freed in turn), at a price that keeps everyone's slackness, or drops
  // the price to 0 when nobody gains more than eps. Prices only fall, profits only rise.
  // A job with m such copies draws its best m persons at once: drawing one changes no other
  // person's gain from the job, so the k-th copy goes to the k-th best at the (k+1)-th best's
  // value less eps, as m bids one after another would give. The (m+1)-th best's value may be
  // known only by a bound (see Gainers); the price is then that bound less eps, which keeps
  // everyone's slackness as well, but never above the copy's own price, so prices still fall.
  //
  // On two threads each takes half of the jobs to start with, and the jobs its own draws free.
  // A draw holds its job's lock, and a person is moved under the lock of the job they leave
  // (see Move): whoever changes a person holds the lock of the job they are at. Gains are read
  // unlocked, perhaps stale; as profits only rise, a stale gain is still a bound, and a drawn
  // person whose gain has fallen since is noticed under the lock and ends the draw early.
  int64_t Reverse(int64_t eps) {
    ++stage_;  // the forward bids have lowered profits: every job's gainers are read afresh
    std::vector<uint32_t> queue;
    for (uint32_t j = 0; j < g_.capacity.size(); ++j) {
      if (FreePricedCopy(j) >= 0) queue.push_back(j);
    }
    const bool shared = threads_ > 1 && queue.size() >= 2;
    Halves(shared, queue.size() / 2, queue.size(), [&](size_t from, size_t to) {
      Drawer& d = drawers_[from == 0 ? 0 : 1];
      d.queue.assign(queue.begin() + static_cast<ptrdiff_t>(from),
                     queue.begin() + static_cast<ptrdiff_t>(to));
      d.bids = 0;
      shared ? Draws<true>(d, eps) : Draws<false>(d, eps);
    });
    return drawers_[0].bids + (shared ? drawers_[1].bids : 0);
  }

  // The draws of one thread's jobs, until none of them has a free copy priced above 0.
  template <bool kShared>
  void Draws(Drawer& d, int64_t eps) {
    for (;;) {
      if (d.queue.empty()) {
        if (d.retry.empty()) return;
        // Jobs whose draw met a person under the other thread's lock: give it a moment.
        std::this_thread::yield();
        d.queue.swap(d.retry);
      }
      const uint32_t j = d.queue.back();
      d.queue.pop_back();
      if constexpr (kShared) Lock(j);
      const bool whole = Draw<kShared>(d, j, eps);
      if constexpr (kShared) Unlock(j);
      if (!whole) d.retry.push_back(j);
    }
  }

  // Job j (locked, on two threads) draws its best gainers into its free copies priced above 0,
  // a batch at a time, until it has none. False when the draw stopped early: its next person
  // was held under a lock it could not take, or had moved since their gain was read (j's free
  // copies then wait for another draw).
  template <bool kShared>
  bool Draw(Drawer& d, uint32_t j, int64_t eps) {
    for (;;) {
      size_t m = 0;
      for (uint32_t c = copies_.first(j); c < copies_.end(j) && m < kReverseBatch; ++c) {
        m += copies_.holder(c) < 0 && copies_.price(c) > 0;
      }
      if (m == 0) return true;
      const int64_t others = Gainers(d, j, m, eps);
      for (size_t k = 0; k < m; ++k) {
        const int64_t c = FreePricedCopy(j);
        assert(c >= 0);
        if (k >= d.top.size()) {  // nobody gains more than eps: a seat left empty is worth 0
          ++d.bids;
          copies_.Set(j, static_cast<uint32_t>(c), -1, 0);
          continue;
        }
        const int64_t next = k + 1 < d.top.size() ? d.top[k + 1].value : others;
        const int64_t price =
            std::min(copies_.price(static_cast<uint32_t>(c)), std::max<int64_t>(0, next - eps));
        if (!Move<kShared>(d, d.top[k], j, static_cast<uint32_t>(c), price)) {
          // The rest go back into j's heap: their gains can only have fallen.
          for (size_t r = k; r < d.top.size(); ++r) Cache(j, d.top[r]);
          return false;
        }
        ++d.bids;
      }
    }
  }

  // Moves the person of `drawn` (whose gain from job j the draw read as drawn.value) into j's
  // copy c at `price`, out of the job they hold, if any, whose lock is taken on two threads:
  // waiting for it when it comes after j, else only if free (so that two draws never wait for
  // each other). False, with nothing changed, when that lock is not free or the person's gain
  // is no longer what the draw read.
  template <bool kShared>
  bool Move(Drawer& d, const Gain& drawn, uint32_t j, uint32_t c, int64_t price) {
    const Row& row = drawn.row;
    const uint32_t i = row.person;
    const int32_t at = JobOf(i);
    if (at >= 0) {
      const uint32_t old = static_cast<uint32_t>(at);
      if constexpr (kShared) {
        if (old > j) {
          Lock(old);
        } else if (locks_[old].test_and_set(std::memory_order_acquire)) {
          return false;
        }
        if (JobOf(i) != at || Profit(i) != row.benefit - drawn.value) {
          Unlock(old);
          return false;
        }
      }
      // The price i paid there bounds what the old job is worth to them from now on.
      const uint32_t held = static_cast<uint32_t>(state_[i].slot);
      const int64_t paid = copies_.price(held);
      Cache(old, Gain{paid, Row{i, static_cast<uint32_t>(state_[i].edge), Profit(i) + paid}});
      copies_.Set(old, held, -1, copies_.cheapest(old));
      if (FreePricedCopy(old) >= 0) d.queue.push_back(old);
      // i is j's before old's lock is let go: nobody sees i between jobs.
      Place(i, row, j, c, price);
      if constexpr (kShared) Unlock(old);
      return true;
    }
    if constexpr (kShared) {  // unplaced: claimed by whoever first marks them j's
      int32_t unplaced = -1;
      if (row.benefit != drawn.value ||
          !std::atomic_ref<int32_t>(state_[i].job)
               .compare_exchange_strong(unplaced, static_cast<int32_t>(j),
                                        std::memory_order_relaxed)) {
        return false;
      }
    }
    Place(i, row, j, c, price);
    return true;
  }

  // Person i takes job j's copy c at `price` by the edge of `row`.
  void Place(uint32_t i, const Row& row, uint32_t j, uint32_t c, int64_t price) {
    state_[i].edge = static_cast<int32_t>(row.edge);
    std::atomic_ref<int64_t>(state_[i].profit)
        .store(row.benefit - price, std::memory_order_relaxed);
    std::atomic_ref<int32_t>(state_[i].job)
        .store(static_cast<int32_t>(j), std::memory_order_relaxed);
    copies_.Set(j, c, static_cast<int32_t>(i), price);
  }

  // Job j's lock, for bids on two threads: Lock spins until it is taken.
  void Lock(uint32_t j) {
    while (locks_[j].test_and_set(std::memory_order_acquire)) {
      while (locks_[j].test(std::memory_order_relaxed)) {
      }
    }
  }
  void Unlock(uint32_t j) { locks_[j].clear(std::memory_order_release); }

  // The (at most) `m` persons outside job j who would gain most from it, more than eps, best
  // first, each once, into top_ with their gains; returns a bound on anyone else's gain.
  //
  // Within the reverse bids profits only rise, so a gain once read bounds the gain from then
  // on. Each job keeps the best kCache gains of its last read of all its rows in a heap by
  // bound, and a bound on the rest (rest_): the heap's top is read again, and is the best
  // when its gain is still its bound and no less than the rest's; else it sinks to its gain,
  // or, when the rest may be better, the rows are read again. A person who leaves the job
  // joins its heap (Cache). A job's rows are read again and again in a long chain of reverse
  // bids (each draw frees a seat elsewhere); this way mostly once.
  int64_t Gainers(Drawer& d, uint32_t j, size_t m, int64_t eps) {
    std::vector<Gain>& top = d.top;
    top.clear();
    if (stamp_[j] != stage_) Scan(d, j, eps);
    Gain* heap = HeapOf(j);
    uint32_t& n = heap_size_[j];
    while (top.size() < m) {
      const int64_t best = n > 0 ? heap[0].value : 0;
      if (std::max(best, rest_[j]) <= eps) break;  // nobody gains more than eps
      if (best < rest_[j]) {                       // the rows outside the heap may hold the best
        Scan(d, j, eps);
        continue;
      }
      const Row& row = heap[0].row;
      const int64_t gain = row.benefit - Profit(row.person);
      assert(gain <= best);
      if (JobOf(row.person) == static_cast<int32_t>(j) || d.chosen[row.person] || gain <= eps) {
        std::pop_heap(heap, heap + n--, ByBound);
      } else if (gain < best) {
        std::pop_heap(heap, heap + n, ByBound);
        heap[n - 1].value = gain;
        std::push_heap(heap, heap + n, ByBound);
      } else {
        top.push_back(heap[0]);
        d.chosen[row.person] = 1;
        std::pop_heap(heap, heap + n--, ByBound);
      }
    }
    for (const Gain& g : top) d.chosen[g.row.person] = 0;
    return std::max(n > 0 ? heap[0].value : 0, rest_[j]);
  }

  // Reads all of job j's rows: the best kCache gains above 0 of persons outside the job (and
  // not chosen) into its heap, and a bound on the others' into rest_. The rows come by benefit,
  // highest first, and nobody's profit is below -eps within a phase (a bid leaves at least
  // -eps; a phase starts by letting go those below their best - eps, and the best is at least
  // 0), so no row's gain exceeds its benefit + eps: the read stops at the first row that could
  // not enter.
  void Scan(Drawer& d, uint32_t j, int64_t eps) {
    stamp_[j] = stage_;
    Gain* heap = HeapOf(j);
    uint32_t n = 0;
    int64_t rest = 0;
    auto by_gain = [](const Gain& a, const Gain& b) { return a.value > b.value; };  // min-heap
    for (uint32_t r = rfirst_[j]; r < rfirst_[j + 1]; ++r) {
      if (n == kCache && rows_[r].benefit + eps <= heap[0].value) {
        rest = std::max(rest, rows_[r].benefit + eps);
        break;
      }
      // The rows' persons are all over: their states are fetched a few rows ahead.
      if (r + kAhead < rfirst_[j + 1]) __builtin_prefetch(&state_[rows_[r + kAhead].person]);
      const uint32_t person = rows_[r].person;
      if (JobOf(person) == static_cast<int32_t>(j) || d.chosen[person]) continue;
      const int64_t gain = rows_[r].benefit - Profit(person);
      if (gain <= 0) continue;
      if (n < kCache) {
        heap[n++] = Gain{gain, rows_[r]};
        std::push_heap(heap, heap + n, by_gain);
      } else if (gain > heap[0].value) {
        rest = std::max(rest, heap[0].value);
        std::pop_heap(heap, heap + n, by_gain);
        heap[n - 1] = Gain{gain, rows_[r]};
        std::push_heap(heap, heap + n, by_gain);
      } else {
        rest = std::max(rest, gain);
      }
    }
    std::make_heap(heap, heap + n, ByBound);
    heap_size_[j] = n;
    rest_[j] = rest;
  }

  // A row of job j, whose gain is at most `g.value` from now on, joins the job's heap (or, when
  // that is full, the rest's bound). Nothing to do for a job not read in this reverse stage.
  void Cache(uint32_t j, const Gain& g) {
    if (stamp_[j] != stage_ || g.value <= 0) return;
    Gain* heap = HeapOf(j);
    uint32_t& n = heap_size_[j];
    if (n == kHeapRoom) {
      rest_[j] = std::max(rest_[j], g.value);
      return;
    }
    heap[n++] = g;
    std::push_heap(heap, heap + n, ByBound);
  }

  // Job j's heap of gains (kHeapRoom of them), highest bound on top.
  Gain* HeapOf(uint32_t j) { return &heap_[static_cast<size_t>(j) * kHeapRoom]; }
  static bool ByBound(const Gain& a, const Gain& b) { return a.value < b.value; }

  // Person i gives up their copy, whose price falls to its job's cheapest (nobody's view of
  // the job changes: a person sees a job at its cheapest copy).
  void Leave(uint32_t i) {
    if (state_[i].slot >= 0) {
      uint32_t c = static_cast<uint32_t>(state_[i].slot), j = static_cast<uint32_t>(state_[i].job);
      copies_.Set(j, c, -1, copies_.cheapest(j));
    }
    Unplace(i);
  }

  // Person i holds nothing (their copy, if any, is already someone else's or free).
  void Unplace(uint32_t i) {
    state_[i].slot = -1;
    state_[i].edge = -1;
    state_[i].profit = 0;
    state_[i].job = -1;
  }

  // What person i gains where they are (0 unplaced), and the most they could at today's prices.
  // Cached (see PersonState), and read unlocked by the reverse bids on two threads, as is the job.
  int64_t Profit(uint32_t i) const {
    return std::atomic_ref<int64_t>(const_cast<int64_t&>(state_[i].profit))
        .load(std::memory_order_relaxed);
  }
  int32_t JobOf(uint32_t i) const {
    return std::atomic_ref<int32_t>(const_cast<int32_t&>(state_[i].job))
        .load(std::memory_order_relaxed);
  }
  int64_t Best(uint32_t i) const {
    int64_t best = 0;
    for (uint32_t e = g_.first[i]; e < g_.first[i + 1]; ++e) {
      if (sorted_ && g_.benefit[e] <= best) break;
      best = std::max(best, g_.benefit[e] - copies_.cheapest(g_.job[e]));
    }
    return best;
  }

  // A free copy of job j, or -1; a free copy priced above 0, or -1.
  int64_t FreeCopy(uint32_t j) const {
    for (uint32_t c = copies_.first(j); c < copies_.end(j); ++c) {
      if (copies_.holder(c) < 0) return c;
    }
    return -1;
  }
  int64_t FreePricedCopy(uint32_t j) const {
    for (uint32_t c = copies_.first(j); c < copies_.end(j); ++c) {
      if (copies_.holder(c) < 0 && copies_.price(c) > 0) return c;
    }
    return -1;
  }

  const AuctionGraph& g_;
  const int threads_;
  std::unique_ptr<std::atomic_flag[]> locks_;  // per job, for bids on two threads
  bool sorted_;                                // every person's edges by benefit, highest first
  std::vector<PersonState> state_;
  Copies copies_;
  // Each job's persons, the edges that reach it and their benefits, in compressed rows.
  std::vector<uint32_t> rfirst_;
  std::unique_ptr<Row[]> rows_;
  size_t half_ = 0;  // the first job of the second half of the rows (for two threads)
  // Reverse bids: each job's heap of bounds on gains (kHeapRoom a job, kCache of them filled
  // by a read of its rows, the rest left for those who leave it), with the bound on its other
  // rows, and the reverse stage in which it was last read (its heap is stale in a later one);
  // and per thread, a Drawer.
  static constexpr size_t kReverseBatch = 32;  // copies served by one draw
  static constexpr uint32_t kCache = 32, kHeapRoom = 48;
  static constexpr uint32_t kAhead = 8;  // rows read ahead (see Scan)
  std::unique_ptr<Gain[]> heap_;
  std::vector<uint32_t> heap_size_;
  std::vector<int64_t> rest_;
  std::vector<uint32_t> stamp_;
  uint32_t stage_ = 0;
  Drawer drawers_[2];
};

// Forward bids a person in one phase past which the phase counts as a price war (an ordinary
// phase makes a few a person: about 6 nationally, 4 in a county).
constexpr int64_t kWarBids = 100;

}  // namespace

AuctionResult Auction(const AuctionGraph& g, const AuctionOptions& options) {
  const int64_t final_epsilon = options.final_epsilon, theta = options.theta;
  assert(final_epsilon >= 1 && theta > 1);
  AuctionResult r;
  const int threads = static_cast<int64_t>(g.persons()) >= options.parallel_from &&
                              std::thread::hardware_concurrency() > 1
                          ? 2
                          : 1;
  Solver solver(g, threads);
  int64_t start = options.start_epsilon;
  if (start <= 0) {
    for (int64_t b : g.benefit) start = std::max(start, b / theta);
  }
  // A phase that passes the budget has turned into a price war: start again from the coarse
  // epsilon, with no budget.
  const int64_t persons = static_cast<int64_t>(g.persons());
  int64_t budget = options.coarse_epsilon > start ? kWarBids * persons + 100000 : INT64_MAX;
  for (int64_t eps = std::max(final_epsilon, start);; eps = std::max(final_epsilon, eps / theta)) {
    const int64_t bids = solver.Phase(eps, r.phases++ == 0, budget);
    if (bids < 0) {
      solver.Reset();
      r.bids += budget;
      r.phases = 0;
      r.restarted = true;
      budget = INT64_MAX;
      eps = options.coarse_epsilon * theta;  // the loop divides it by theta
      continue;
    }
    r.bids += bids;
    bool last = eps <= final_epsilon;
    if (last || (options.enough && (options.ask_below <= 0 || eps <= options.ask_below))) {
      solver.Account(r);
      if (last || options.enough(r)) break;
    }
  }
  return r;
}

}  // namespace jobaid::matching
