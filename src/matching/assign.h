// Bulk assignment: laborers to open jobs so that priority laborers (zero-employment, monitored
// and relocated households) are placed first and, among such placements, the total score is
// the greatest, within each job's openings and every hard constraint. Each laborer brings
// their best `candidates` jobs (the engine's top-k, asked on every core); the choice among
// those edges is a min-cost flow solved by LEMON's network simplex.
#pragma once

#include <cstdint>
#include <vector>

#include "matching/engine.h"

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
};

// `engine` must hold the jobs; `seekers` are the laborers to place.
Proposal Assign(const Engine& engine, const std::vector<Seeker>& seekers, size_t candidates);

// Whether `s` counts first in an assignment.
inline bool Priority(const Seeker& s) {
  return s.zero_employment_household || s.monitored || s.relocated;
}

}  // namespace jobaid::matching
