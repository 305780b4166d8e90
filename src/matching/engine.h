// The matcher's in-memory index: the open jobs and the laborers looking for work, each as the
// small view the score needs. Jobs are in a JobIndex (lists by region block, term and wage, read
// best bound first); laborers in region-code order, so that a region selects a contiguous run.
// Top-k both ways: jobs for a laborer, laborers (within a region) for a job. Questions may run
// on several threads at once; changes may not run beside them.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "domain/region.h"
#include "matching/job_index.h"
#include "matching/score.h"
#include "matching/skills.h"

namespace jobaid::matching {

class Engine {
 public:
  Engine(const SkillVocabulary& vocabulary, Weights weights)
      : vocabulary_(vocabulary), weights_(weights), jobs_(vocabulary, weights) {}

  // Replaces everything: sorts once (a load of millions stays O(n log n)).
  void Load(std::vector<Opening> openings, std::vector<Seeker> seekers);
  // Adds or replaces (by id).
  void PutOpening(Opening o);
  void RemoveOpening(int64_t job_id);
  void PutSeeker(Seeker s);
  void RemoveSeeker(int64_t person_id);
  void Clear();
  size_t openings() const { return jobs_.size(); }
  // The openings left of a job in the engine (0 if it is not there).
  int OpeningsLeft(int64_t job_id) const;
  size_t seekers() const { return seekers_.size(); }

  struct Ranked {
    int64_t id = 0;  // the job's or the person's
    Match match;
  };
  // The k best jobs `s` may take, best first (equal scores: higher wage, then lower id).
  std::vector<Ranked> JobsFor(const Seeker& s, size_t k) const;
  // The same ranking into out[0, k) as (score, slot), without the reasons, for bulk questions;
  // returns how many. A slot names a job (JobAt) until the next change, and is below slots().
  size_t BestSlots(const Seeker& s, size_t k, JobIndex::Hit* out) const {
    return jobs_.BestSlots(s, k, out);
  }
  int64_t JobAt(uint32_t slot) const { return jobs_.IdAt(slot); }
  size_t slots() const { return jobs_.slots(); }
  // The laborers living in `scope`, in region order.
  std::vector<Seeker> SeekersIn(domain::RegionRange scope) const;
  // The k best laborers living in `scope` who may take `o`, best first (ties by id).
  std::vector<Ranked> SeekersFor(const Opening& o, size_t k, domain::RegionRange scope) const;

 private:
  template <typename T>
  static void Put(std::vector<T>& v, absl::flat_hash_map<int64_t, int64_t>& where, T x);
  template <typename T>
  static void Remove(std::vector<T>& v, absl::flat_hash_map<int64_t, int64_t>& where, int64_t id);
  static std::vector<std::pair<double, int64_t>> Best(std::vector<std::pair<double, int64_t>>& all,
                                                      size_t k);

  const SkillVocabulary& vocabulary_;
  Weights weights_;
  JobIndex jobs_;
  std::vector<Seeker> seekers_;  // by (region_code, person_id)
  // person id -> region code, to find an entry by binary search.
  absl::flat_hash_map<int64_t, int64_t> seeker_region_;
};

}  // namespace jobaid::matching
