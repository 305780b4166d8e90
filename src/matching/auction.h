// A maximum-benefit bipartite b-matching by the auction algorithm with epsilon scaling
// (Bertsekas). Each person takes at most one job, each job at most its capacity; a person may
// stay unplaced (benefit 0), and in a phase at epsilon does when nothing is worth more to them
// than epsilon (which keeps epsilon-complementary slackness). A job of capacity c is c copies, each
// with its own price; a person bids for the cheapest copy of the job that gives them the most
// (benefit - price), raising its price by their margin over the second-best choice plus epsilon,
// and displaces its holder. A job left with seats whose price is above 0 bids in reverse: it draws
// the person who would gain most, at a lower price, or drops its price to 0 when nobody would gain
// more than epsilon. Each phase ends in epsilon-complementary slackness with every job that has
// seats left priced 0, so the answer is within (persons x epsilon) of the optimum; epsilon falls by
// `theta` each phase, and the last phase's epsilon of 1 makes it exact when the benefits are
// integers scaled by more than the number of persons.
//
// The prices bound the optimum from above (the dual); the result carries both sums, so that the
// distance from the optimum is known without solving the problem another way, and a caller may
// stop as soon as it is small enough. The auction's prices are only epsilon-optimal for the dual,
// so the bound is also taken at prices lowered from them by a sweep of coordinate descent (each
// job in turn at the price that makes the least bound with the others' held), which proves a gap
// a few times smaller and so lets a caller stop a phase or so earlier.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace jobaid::matching {

// Persons' edges in compressed rows: person i's edges are [first[i], first[i + 1]).
struct AuctionGraph {
  std::vector<uint32_t> first{0};
  std::vector<uint32_t> job;      // per edge: a job index, < capacity.size()
  std::vector<int64_t> benefit;   // per edge: > 0
  std::vector<int32_t> capacity;  // per job: >= 0

  size_t persons() const { return first.size() - 1; }
};

struct AuctionResult {
  std::vector<int32_t> edge_of;  // per person: the edge taken, or -1
  __extension__ typedef __int128 Sum;
  Sum primal = 0;  // the benefits of the edges taken
  // Upper bounds on any assignment's benefit: at the auction's own prices, and the lesser of
  // that and the bound at prices lowered from them (the one to stop by).
  Sum dual_at_prices = 0;
  Sum dual = 0;
  int phases = 0;
  int64_t bids = 0;        // forward and reverse
  bool restarted = false;  // from the coarse epsilon, after a price war (see AuctionOptions)
};

struct AuctionOptions {
  int64_t final_epsilon = 1;  // >= 1
  int64_t theta = 5;          // > 1: epsilon falls by this factor from phase to phase
  int64_t start_epsilon = 0;  // 0: the greatest benefit / theta
  // Above start_epsilon, for benefits in tiers far apart (a bonus above any sum of the rest):
  // persons of a tier who outnumber the seats they may take raise those seats' prices to the
  // bonus by epsilon at a time before the last of them gives up, a price war of bonus / epsilon
  // bids. A phase that makes more than a hundred forward bids a person is taken for such a war:
  // the auction starts again from this epsilon, where they settle who goes without in a bid or
  // two (persons of lower tiers, worth less than epsilon, sit those phases out), and falls by
  // theta as ever. 0: no restart.
  int64_t coarse_epsilon = 0;
  // Asked after each phase (with the result so far, bound included): true stops there, before
  // the final epsilon. Empty: go on to the final epsilon.
  std::function<bool(const AuctionResult&)> enough;
  // Ask `enough` only after phases at an epsilon of at most this (0: after every phase). The
  // bound costs a pass over every edge, and the gap is at most persons x epsilon.
  int64_t ask_below = 0;
  // From this many persons on, the forward and the reverse bids run on two threads (when
  // there are two cores): faster, but bids then meet in an order that varies from run to run,
  // and so may the answer among equally good ones (or, stopped by `enough`, within the bound).
  int64_t parallel_from = 250000;
};

AuctionResult Auction(const AuctionGraph& g, const AuctionOptions& options = {});

}  // namespace jobaid::matching
