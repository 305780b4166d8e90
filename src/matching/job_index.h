// The open jobs, indexed so that "the k best jobs for this laborer" reads a few hundred jobs
// instead of every job where the laborer wishes to work (a threshold algorithm).
//
// A laborer's wish covers rings of regions around home: the home township, the rest of the
// county, the rest of the prefecture, the rest of the province, the rest of the country. Within a
// ring the distance part of the score is known (at most), so a job's score is bounded by what the
// job alone says: its wage (against the laborer's expectation), its board and lodging, and what
// the laborer shares with it: how many of its skills (S) and whether its occupation (O). Per
// block of regions (township, county, prefecture, province, nation) the index keeps lists of
// jobs, one family for each case of what may be shared, so that a list's bound is tight:
//   - generic: every job (S = 0, O = 0);
//   - by occupation term: jobs of that occupation (S = 0, O > 0);
//   - by skill term: jobs that ask for it (S = 1, O = 0: the part is 1 / the job's skill count);
//   - by pair of skill terms: jobs that ask for both (S >= 2, O = 0);
//   - by skill term and occupation term: jobs of the occupation asking for the skill (S >= 1,
//     O > 0);
// each split by the job's skill count (1, 2, 3, 4 or more) or whether it lists skills, by
// board-and-lodging class and by whether a wage is stated, and sorted by wage, highest first,
// so that along a list the bound never rises. A job sits in every list whose key it has; it
// meets its score's bound in the list of its case. A question merges the lists of its rings
// best bound first, scores each job it meets exactly, and stops once no list can offer a job
// better than the k-th found. A ring whose block holds few jobs (a county's forty, say, which
// the families spread over a hundred lists) is read whole instead, before any list. The answer
// is the one a full scan gives, ties included: equal scores are ordered by wage (higher first),
// then by job id, the lists' own order, so that ties cost no extra reading.
//
// Changes go into the lists in place; removed jobs leave tombstones until they are a quarter
// of the index, which is then rebuilt. Not thread-safe for writes; questions may run on many
// threads at once.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "matching/huge_array.h"
#include "matching/score.h"
#include "matching/skills.h"

namespace jobaid::matching {

class JobIndex {
 public:
  JobIndex(const SkillVocabulary& vocabulary, const Weights& weights)
      : vocabulary_(vocabulary), weights_(weights) {}

  // Replaces everything.
  void Load(std::vector<Opening> openings);
  // Adds or replaces (by job id).
  void Put(Opening o);
  void Remove(int64_t job_id);
  void Clear();
  size_t size() const { return slot_of_.size(); }
  // The job `id`, or nullptr.
  const Opening* Find(int64_t job_id) const;

  // The k best (score, job id) pairs for `s` among the jobs it may take, best first; of equal
  // scores the better paid first (wage_max), then the lower id.
  std::vector<std::pair<double, int64_t>> Best(const Seeker& s, size_t k) const;

  // The same k best as (score, slot) into out[0, k), for bulk questions; returns how many. A
  // slot names a job (IdAt) until the next change; slots are below slots(). A hit takes 8 bytes
  // (a nation's candidate lists hold 20 million): the score in millionths, the grid scores lie on
  // (QuantizeScore), which kMaxWeightSum keeps within 32 bits.
  struct Hit {
    int32_t millionths;
    uint32_t slot;
    double score() const { return millionths / kScoreGrid; }  // the score Best() gives
  };
  size_t BestSlots(const Seeker& s, size_t k, Hit* out) const;
  int64_t IdAt(uint32_t slot) const { return packed_[slot].job_id; }
  size_t slots() const { return packed_.size(); }

  // How many jobs the last Best() or BestSlots() on this thread scored exactly (for benchmarks).
  static size_t LastScored();

 private:
  // The k best for s into this thread's buffers, best first (Best and BestSlots read them).
  void Search(const Seeker& s, size_t k) const;
  struct Query;  // one Search: its steps and what they share (job_index.cc)
  // A group of lists: a block at a level, a family and up to two terms.
  using Key = std::pair<uint64_t, uint64_t>;
  // The lists a job is in, at each of the five levels: (group, list tag).
  void Keys(const Opening& o, std::vector<std::pair<Key, uint8_t>>& out) const;
  void Insert(uint32_t slot);
  void Rebuild();
  int TermId(const std::string& other) const;

  // What the score reads of a job, packed: terms as bit masks (when every term is a vocabulary
  // term numbered below 64; otherwise `masked` is false and the score reads the Opening).
  struct Packed {
    int64_t job_id;
    int64_t region_code;
    int64_t wage_max;
    uint64_t skills, occupation;  // term masks
    int32_t openings_left;
    int16_t min_age, max_age;
    int8_t min_education;
    uint8_t skill_count;
    bool board, lodging, open, masked;
  };
  static Packed Pack(const Opening& o);
  // Asks for job `slot`'s packed record ahead of its reading.
  void Fetch(uint32_t slot) const {
    const char* at = reinterpret_cast<const char*>(&packed_[slot]);
    __builtin_prefetch(at);
    __builtin_prefetch(at + sizeof(Packed) - 1);
  }

  const SkillVocabulary& vocabulary_;
  Weights weights_;
  std::vector<Opening> jobs_;   // by slot; dead slots stay until a rebuild
  std::vector<Packed> packed_;  // by slot
  std::vector<uint8_t> live_;
  absl::flat_hash_map<int64_t, uint32_t> slot_of_;
  size_t dead_ = 0;
  // Free-text terms (not in the vocabulary) seen on jobs, numbered after the vocabulary's.
  absl::flat_hash_map<std::string, int> other_terms_;
  // A list: slots by wage high to low, and the loosest age and education limits among its
  // jobs (never tightened by removals), so that a laborer no job of it takes skips it whole.
  // Its tag: the board-and-lodging class and wage (0-5) + 6 x the skill count's bucket (1-4),
  // or + 6 if the jobs list no skills.
  struct List {
    uint8_t tag = 0;
    // Its slots: a run of flat_ [at, at + count) as the last rebuild left them, or `own` once a
    // Put has changed the list (never empty then: removals leave tombstones).
    uint32_t count = 0;
    size_t at = 0;
    std::vector<uint32_t> own;
    int min_age = 1000, max_age = -1, min_education = 1000;
    // The first slot's job: its wage and id, read when a question opens the list, and its slot,
    // whose record is fetched then.
    int64_t head_wage = 0, head_id = 0;
    uint32_t head_slot = 0;
    // Whether a job of the list may take s, by the list's loosest limits.
    bool MayTake(const Seeker& s) const {
      return s.age >= min_age && s.age <= max_age && s.education >= min_education;
    }
    void Widen(const Opening& o) {
      min_age = std::min(min_age, o.min_age);
      max_age = std::max(max_age, o.max_age);
      min_education = std::min(min_education, o.min_education);
    }
  };
  List& ListOf(const Key& key, uint8_t tag);
  std::span<const uint32_t> Slots(const List& list) const {
    return !list.own.empty() ? std::span<const uint32_t>(list.own)
                             : flat_.subspan(list.at, list.count);
  }
  // Every list's slots from the last rebuild, group after group in key order (a block's lists
  // side by side), in huge pages: questions read the lists at random.
  HugeArray<uint32_t> flat_;
  // Counts a job in (delta 1) or out (-1) of the blocks holding `region_code`.
  void Count(int64_t region_code, int delta);
  // Live jobs per block at each of the five levels, and each block's child blocks (a level
  // down) that ever held a job: a ring that leaves out a child block holding much of it is
  // read from its other children instead.
  std::array<absl::flat_hash_map<int64_t, int32_t>, 5> jobs_in_;
  std::array<absl::flat_hash_map<int64_t, std::vector<int64_t>>, 5> children_;
  absl::flat_hash_map<Key, std::vector<List>> lists_;  // by group, then tag
};

}  // namespace jobaid::matching
