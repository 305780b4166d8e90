// Bulk assignment: laborers to open jobs so that priority laborers (zero-employment, monitored
// and relocated households) are placed first and, among such placements, the total score is
// the greatest, within each job's openings and every hard constraint. Each laborer brings
// their best `candidates` jobs (the engine's top-k, asked on every core); the choice among
// those edges is solved by our auction (matching/auction.h), one connected component of the
// graph per core, exact and proved so by its prices. LEMON's network simplex solves the same
// problem as a min-cost flow for comparison (bench/match) and in tests; on our graphs the
// auction is about 2.5 times faster for a county and 5 times faster nationally.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "matching/engine.h"
#include "matching/huge_array.h"

namespace jobaid::matching {

struct Pair {
  int64_t person_id = 0;
  int64_t job_id = 0;
  double score = 0;
};

struct Proposal {
  std::vector<Pair> pairs;  // by person
  double total_score = 0;
  int priority_placed = 0;  // laborers of priority households among the pairs
  int candidates = 0;       // edges the flow chose from
  // How far the total score may be below the best possible (0: optimal, as proved by the
  // solver's prices; LEMON's flows are exact and report 0).
  double gap = 0;
};

// `engine` must hold the jobs; `seekers` are the laborers to place. Exact.
Proposal Assign(const Engine& engine, const std::vector<Seeker>& seekers, size_t candidates);

// The parts of Assign, for benchmarks that compare ways of solving the same graph.
// Each laborer's best jobs, best first, as (score, job number): a job's number is its slot in
// the engine's index when the lists were found, or, when the lists name few of the engine's jobs,
// its place in the order they first come (numbers are below jobs(); id() gives a number's job
// id). The laborers' lists lie in one array in locality order (laborer(n): neighbours one after
// another, see FindCandidates), so that the auction, which takes them in that order, reads them
// straight through.
class Candidates {
 public:
  using Edge = JobIndex::Hit;  // score, and the job's number in `slot`
  Candidates() = default;

  size_t size() const { return order_.size(); }  // laborers
  // Laborer i's list.
  std::span<const Edge> of(size_t i) const { return at(position_[i]); }
  // The n-th laborer in locality order, and their list.
  uint32_t laborer(size_t n) const { return order_[n]; }
  std::span<const Edge> at(size_t n) const { return {edges_.data() + n * k_, count_[n]}; }
  size_t jobs() const { return ids_.size(); }
  int64_t id(uint32_t job) const { return ids_[job]; }

 private:
  friend Candidates FindCandidates(const Engine&, const std::vector<Seeker>&, size_t);
  size_t k_ = 0;
  // The laborers in locality order, in which their lists lie; where each laborer comes in it
  // (position_[order_[n]] == n); and by position, the length of the list.
  std::vector<uint32_t> order_, position_, count_;
  HugeArray<Edge> edges_;  // k_ a laborer, by position
  std::vector<int64_t> ids_;
};
// Each laborer's best `k` jobs, found on every core.
Candidates FindCandidates(const Engine& engine, const std::vector<Seeker>& seekers, size_t k);
enum class Solver {
  kComponents,   // one LEMON min-cost flow per connected component, in parallel
  kWhole,        // one min-cost flow over the whole graph
  kGreedy,       // pairs best first (priority laborers first), while openings last: a baseline
  kPartitioned,  // per home province with openings shared out, then a repair flow: a heuristic
  kAuction,      // the auction (matching/auction.h) per component, in parallel; exact unless
                 // `tolerance` (Assign)
};
// `tolerance` (kAuction only): stop as soon as the total score is proved within this share of
// the best (e.g. 0.001), every priority laborer who can be placed placed; 0: exact.
Proposal Solve(const Engine& engine, const std::vector<Seeker>& seekers,
               const Candidates& candidates, Solver solver, double tolerance = 0);

// Whether `s` counts first in an assignment.
inline bool Priority(const Seeker& s) {
  return s.zero_employment_household || s.monitored || s.relocated;
}

}  // namespace jobaid::matching
