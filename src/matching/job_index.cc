#include "matching/job_index.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>
#include <limits>
#include <span>

namespace jobaid::matching {
namespace {

// The levels of region blocks: township, county, prefecture, province, nation.
constexpr int kLevels = 5;
constexpr int64_t kUnit[kLevels] = {1000, 1000000, 100000000, 10000000000, 1000000000000};
// A ring whose block holds at most this many jobs is read whole rather than list by list.
constexpr int kReadWhole = 64;
// The families of lists, by what the laborer shares with their jobs (see job_index.h).
constexpr int kGeneric = 0, kSkill = 1, kOccupation = 2, kPair = 3, kSkillOccupation = 4;

// A bound on the score grid, rounded up (a sum's rounding noise is far below the grid).
double BoundOnGrid(double bound) { return std::ceil(bound * kScoreGrid - 1e-3) / kScoreGrid; }

// A group of lists: jobs of one block at one level, of one family and up to two terms (-1:
// none). A township's block has nine digits.
std::pair<uint64_t, uint64_t> GroupKey(int level, int64_t block, int family, int a, int b = -1) {
  return {(static_cast<uint64_t>(level) << 40) | (static_cast<uint64_t>(block) << 3) |
              static_cast<uint64_t>(family),
          (static_cast<uint64_t>(a + 1) << 32) | static_cast<uint64_t>(b + 1)};
}

// The skill count's bucket of a job that lists skills: 1-3, or 4 for four or more. A job that
// lists a term twice counts it twice in Score(), so its share is bounded only by 1: bucket 1.
int SkillBucket(size_t count, bool repeated) {
  return repeated ? 1 : static_cast<int>(std::min<size_t>(count, 4));
}

int LodgingClass(const Opening& o) { return (o.board ? 1 : 0) + (o.lodging ? 1 : 0); }
int ClassOf(const Opening& o) { return LodgingClass(o) + (o.wage_max > 0 ? 0 : 3); }

// A ring of regions around the laborer's home: jobs of `level`'s block `block` in [lo, hi)
// but not in [xlo, xhi), at most `km` from home... as the score estimates it.
struct Ring {
  int level;
  int64_t block;
  int64_t lo, hi, xlo, xhi;
  double km;
  bool away;  // outside the home county
};

// The rings of s's wish, into `out` (at most five); returns how many.
size_t RingsOf(const Seeker& s, std::array<Ring, kLevels>& out) {
  const int64_t home = s.region_code;
  auto lo = [&](int level) { return home / kUnit[level] * kUnit[level]; };
  // The home county is two rings, so that the bound of the rest of it is its distance (25 km
  // as EstimatedDistanceKm has it), not the home village's 0.
  const std::array<Ring, kLevels> all = {
      {{0, home / kUnit[0], lo(0), lo(0) + kUnit[0], 0, 0, 0, false},
       {1, home / kUnit[1], lo(1), lo(1) + kUnit[1], lo(0), lo(0) + kUnit[0], 25, false},
       {2, home / kUnit[2], lo(2), lo(2) + kUnit[2], lo(1), lo(1) + kUnit[1], 80, true},
       {3, home / kUnit[3], lo(3), lo(3) + kUnit[3], lo(2), lo(2) + kUnit[2], 250, true},
       {4, 0, 0, kUnit[4], lo(3), lo(3) + kUnit[3], 1200, true}}};
  if (s.intention == "local" || s.intention == "in_province") {
    const size_t n = s.intention == "local" ? 2 : 4;
    std::copy(all.begin(), all.begin() + n, out.begin());
    return n;
  }
  if (s.intention == "out_of_province") {
    out[0] = all[4];
    return 1;
  }
  if (s.intention != "named_region" || s.intention_region == 0) return 0;
  // The named region's part of each ring, read from the lists of the smallest block holding
  // it (a county's for a township or village).
  int64_t unit = RegionBlock(s.intention_region);
  int64_t nlo = s.intention_region / unit * unit, nhi = nlo + unit;
  size_t n = 0;
  for (Ring r : all) {
    int64_t a = std::max(r.lo, nlo), b = std::min(r.hi, nhi);
    if (a >= b || (a >= r.xlo && b <= r.xhi)) continue;
    if (a != r.lo || b != r.hi) {
      int level = 0;
      while (level < kLevels - 1 && kUnit[level] < unit) ++level;
      r.level = level;
      r.block = a / kUnit[level];
      r.lo = a;
      r.hi = b;
    }
    out[n++] = r;
  }
  return n;
}

// The rings of s to read, where a ring that leaves out a child block holding more than a
// quarter of its jobs (the home province, for one who wants to go out of it, when most jobs
// are near home) is read from its other child blocks instead, so that the lists read hold few
// jobs outside the ring. `jobs_in` and `children` are JobIndex's.
template <typename Counts, typename Children>
void RingsToRead(const Seeker& s, const Counts& jobs_in, const Children& children,
                 std::vector<Ring>& rings) {
  auto count = [&](int level, int64_t block) {
    auto it = jobs_in[level].find(block);
    return it == jobs_in[level].end() ? 0 : it->second;
  };
  rings.clear();
  std::array<Ring, kLevels> wished;
  const size_t n = RingsOf(s, wished);
  for (const Ring& r : std::span(wished.data(), n)) {
    const int down = r.level - 1;
    const bool child = down >= 0 && r.xhi - r.xlo == kUnit[down] && r.xlo % kUnit[down] == 0;
    auto kids = child ? children[r.level].find(r.block) : children[0].end();
    if (!child || kids == children[r.level].end() ||
        4 * count(down, r.xlo / kUnit[down]) <= count(r.level, r.block)) {
      rings.push_back(r);
      continue;
    }
    for (int64_t c : kids->second) {
      const int64_t lo = std::max(r.lo, c * kUnit[down]),
                    hi = std::min(r.hi, (c + 1) * kUnit[down]);
      if (lo >= hi || c == r.xlo / kUnit[down] || count(down, c) == 0) continue;
      rings.push_back(Ring{down, c, lo, hi, 0, 0, r.km, r.away});
    }
  }
}

// A job found: its score and what breaks ties (the higher wage, then the lower id).
struct Found {
  double score;
  int64_t wage;
  int64_t id;
  uint32_t slot;
};

// Is `a` ahead of `b` in the answer's order?
bool Ahead(double a_score, int64_t a_wage, int64_t a_id, double b_score, int64_t b_wage,
           int64_t b_id) {
  if (a_score != b_score) return a_score > b_score;
  if (a_wage != b_wage) return a_wage > b_wage;
  return a_id < b_id;
}

// One list being read: its next entry's bound is offset + the entry's wage part, and the
// entry's wage and id order lists of equal bounds as the answer orders equal scores.
// A cursor without a list (nullptr) stands for a group of lists not yet opened: `at` is its
// index in PerThread::groups, and its bound holds for every list of the group, so that groups
// whose bound stays below the k-th job found are never looked up.
struct Cursor {
  double bound;
  int64_t wage;
  int64_t id;
  // The list's next entry and its end (nullptr: a group, whose index is `group`).
  const uint32_t *next, *end;
  double offset;  // the bound less the wage part: the shared terms', distance, lodging, priority
  const Ring* ring;
  uint32_t group;
};

// A group of lists to open: jobs of the sub-tag s (the skill count's bucket, or 1 for jobs
// listing no skills) score at most base + part[s] + lodging + wage.
struct Group {
  std::pair<uint64_t, uint64_t> key;
  double base;
  std::array<double, 5> part;
  const Ring* ring;
};

struct PerThread {
  std::vector<uint32_t> seen;
  uint32_t epoch = 0;
  std::vector<Cursor> heap;
  std::vector<Group> groups;
  std::vector<Found> best;
  std::vector<Ring> rings;
  std::vector<std::pair<int, double>> occupation;
  std::vector<int> skills;
  size_t scored = 0;
};

PerThread& Buffers() {
  thread_local PerThread t;
  return t;
}

}  // namespace

size_t JobIndex::LastScored() { return Buffers().scored; }

JobIndex::Packed JobIndex::Pack(const Opening& o) {
  Packed p{};
  p.job_id = o.job_id;
  p.region_code = o.region_code;
  p.wage_max = o.wage_max;
  p.openings_left = o.openings_left;
  p.min_age = static_cast<int16_t>(std::clamp(o.min_age, -30000, 30000));
  p.max_age = static_cast<int16_t>(std::clamp(o.max_age, -30000, 30000));
  p.min_education = static_cast<int8_t>(std::clamp(o.min_education, -100, 100));
  p.skill_count =
      static_cast<uint8_t>(std::min<size_t>(255, o.skills.known.size() + o.skills.other.size()));
  p.board = o.board;
  p.lodging = o.lodging;
  p.open = o.open;
  p.masked = o.skills.other.empty() && o.occupation.other.empty() &&
             o.skills.known.size() + o.skills.other.size() < 255;
  for (auto [terms, mask] : {std::pair{&o.skills, &p.skills}, {&o.occupation, &p.occupation}}) {
    for (int t : terms->known) {
      if (t < 0 || t >= 64) {
        p.masked = false;
      } else {
        *mask |= uint64_t{1} << t;
      }
    }
    // A term listed twice counts twice in Score(): leave such a job to it.
    if (static_cast<size_t>(std::popcount(*mask)) != terms->known.size()) p.masked = false;
  }
  return p;
}

int JobIndex::TermId(const std::string& other) const {
  auto it = other_terms_.find(other);
  return it == other_terms_.end() ? -1 : it->second;
}

void JobIndex::Keys(const Opening& o, std::vector<std::pair<Key, uint8_t>>& out) const {
  out.clear();
  auto ids = [&](const SkillVocabulary::Terms& t, std::vector<int>& v) {
    v.clear();
    for (int id : t.known) v.push_back(id);
    for (const std::string& w : t.other) v.push_back(TermId(w));
    std::sort(v.begin(), v.end());
    const size_t all = v.size();
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v.size() != all;
  };
  thread_local std::vector<int> skills, occupations;
  const bool repeated = ids(o.skills, skills);
  ids(o.occupation, occupations);
  const bool empty = o.skills.empty();
  const int cls = ClassOf(o);
  const uint8_t plain = static_cast<uint8_t>(cls + (empty ? 6 : 0));
  const uint8_t bucket = static_cast<uint8_t>(
      cls + 6 * SkillBucket(o.skills.known.size() + o.skills.other.size(), repeated));
  for (int level = 0; level < kLevels; ++level) {
    int64_t block = o.region_code / kUnit[level];
    out.emplace_back(GroupKey(level, block, kGeneric, -1), plain);
    for (int u : occupations) out.emplace_back(GroupKey(level, block, kOccupation, u), plain);
    if (empty) continue;
    for (size_t i = 0; i < skills.size(); ++i) {
      out.emplace_back(GroupKey(level, block, kSkill, skills[i]), bucket);
      for (size_t j = i + 1; j < skills.size(); ++j) {
        out.emplace_back(GroupKey(level, block, kPair, skills[i], skills[j]), bucket);
      }
      for (int u : occupations) {
        out.emplace_back(GroupKey(level, block, kSkillOccupation, skills[i], u), bucket);
      }
    }
  }
}

JobIndex::List& JobIndex::ListOf(const Key& key, uint8_t tag) {
  std::vector<List>& group = lists_[key];
  for (List& list : group) {
    if (list.tag == tag) return list;
  }
  group.emplace_back().tag = tag;
  return group.back();
}

void JobIndex::Count(int64_t region_code, int delta) {
  for (int level = 0; level < kLevels; ++level) {
    const int64_t block = region_code / kUnit[level];
    auto [it, fresh] = jobs_in_[level].try_emplace(block, 0);
    it->second += delta;
    if (fresh && level + 1 < kLevels) {
      children_[level + 1][region_code / kUnit[level + 1]].push_back(block);
    }
  }
}

void JobIndex::Insert(uint32_t slot) {
  const Opening& o = jobs_[slot];
  Count(o.region_code, 1);
  for (const auto* terms : {&o.skills, &o.occupation}) {
    for (const std::string& w : terms->other) {
      other_terms_.try_emplace(w, vocabulary_.size() + static_cast<int>(other_terms_.size()));
    }
  }
  thread_local std::vector<std::pair<Key, uint8_t>> keys;
  Keys(o, keys);
  auto before = [this](uint32_t a, uint32_t b) {
    const Opening &x = jobs_[a], &y = jobs_[b];
    return x.wage_max != y.wage_max ? x.wage_max > y.wage_max : x.job_id < y.job_id;
  };
  for (const auto& [key, tag] : keys) {
    List& list = ListOf(key, tag);
    if (list.own.empty()) {
      const std::span<const uint32_t> slots = Slots(list);
      list.own.assign(slots.begin(), slots.end());
    }
    auto at =
        list.own.insert(std::upper_bound(list.own.begin(), list.own.end(), slot, before), slot);
    if (at == list.own.begin()) {
      list.head_wage = o.wage_max;
      list.head_id = o.job_id;
      list.head_slot = slot;
    }
    list.Widen(o);
  }
}

void JobIndex::Load(std::vector<Opening> openings) {
  Clear();
  jobs_ = std::move(openings);
  live_.assign(jobs_.size(), 1);
  packed_.clear();
  for (uint32_t slot = 0; slot < jobs_.size(); ++slot) {
    auto [it, fresh] = slot_of_.try_emplace(jobs_[slot].job_id, slot);
    if (!fresh) {  // the last of equal ids wins
      live_[it->second] = 0;
      ++dead_;
      it->second = slot;
    }
  }
  Rebuild();
}

void JobIndex::Rebuild() {
  // Compact: live jobs only, in slot order.
  std::vector<Opening> kept;
  kept.reserve(slot_of_.size());
  for (uint32_t slot = 0; slot < jobs_.size(); ++slot) {
    if (live_[slot]) kept.push_back(std::move(jobs_[slot]));
  }
  jobs_ = std::move(kept);
  live_.assign(jobs_.size(), 1);
  packed_.clear();
  for (const Opening& o : jobs_) packed_.push_back(Pack(o));
  dead_ = 0;
  slot_of_.clear();
  lists_.clear();
  other_terms_.clear();
  for (auto& m : jobs_in_) m.clear();
  for (auto& m : children_) m.clear();
  std::vector<std::pair<Key, uint8_t>> keys;
  for (uint32_t slot = 0; slot < jobs_.size(); ++slot) {
    slot_of_[jobs_[slot].job_id] = slot;
    Count(jobs_[slot].region_code, 1);
    for (const auto* terms : {&jobs_[slot].skills, &jobs_[slot].occupation}) {
      for (const std::string& w : terms->other) {
        other_terms_.try_emplace(w, vocabulary_.size() + static_cast<int>(other_terms_.size()));
      }
    }
    Keys(jobs_[slot], keys);
    for (const auto& [key, tag] : keys) {
      List& list = ListOf(key, tag);
      list.own.push_back(slot);
      list.Widen(jobs_[slot]);
    }
  }
  auto before = [this](uint32_t a, uint32_t b) {
    const Opening &x = jobs_[a], &y = jobs_[b];
    return x.wage_max != y.wage_max ? x.wage_max > y.wage_max : x.job_id < y.job_id;
  };
  std::vector<std::pair<Key, std::vector<List>*>> groups;
  size_t total = 0;
  for (auto& [key, group] : lists_) {
    groups.emplace_back(key, &group);
    for (List& list : group) {
      std::sort(list.own.begin(), list.own.end(), before);
      list.head_wage = jobs_[list.own.front()].wage_max;
      list.head_id = jobs_[list.own.front()].job_id;
      list.head_slot = list.own.front();
      total += list.own.size();
    }
  }
  // Into flat_, group after group in key order.
  std::sort(groups.begin(), groups.end());
  flat_ = HugeArray<uint32_t>(total);
  size_t at = 0;
  for (auto& [key, group] : groups) {
    for (List& list : *group) {
      list.at = at;
      list.count = static_cast<uint32_t>(list.own.size());
      std::copy(list.own.begin(), list.own.end(), flat_.data() + at);
      at += list.own.size();
      list.own = {};
    }
  }
}

void JobIndex::Put(Opening o) {
  Remove(o.job_id);
  uint32_t slot = static_cast<uint32_t>(jobs_.size());
  slot_of_[o.job_id] = slot;
  packed_.push_back(Pack(o));
  jobs_.push_back(std::move(o));
  live_.push_back(1);
  Insert(slot);
}

void JobIndex::Remove(int64_t job_id) {
  auto it = slot_of_.find(job_id);
  if (it == slot_of_.end()) return;
  live_[it->second] = 0;
  Count(jobs_[it->second].region_code, -1);
  slot_of_.erase(it);
  ++dead_;
  if (dead_ > slot_of_.size() / 4 + 256) Rebuild();
}

void JobIndex::Clear() {
  jobs_.clear();
  packed_.clear();
  live_.clear();
  slot_of_.clear();
  lists_.clear();
  flat_ = {};
  other_terms_.clear();
  for (auto& m : jobs_in_) m.clear();
  for (auto& m : children_) m.clear();
  dead_ = 0;
}

const Opening* JobIndex::Find(int64_t job_id) const {
  auto it = slot_of_.find(job_id);
  return it == slot_of_.end() ? nullptr : &jobs_[it->second];
}

std::vector<std::pair<double, int64_t>> JobIndex::Best(const Seeker& s, size_t k) const {
  Search(s, k);
  const std::vector<Found>& best = Buffers().best;
  std::vector<std::pair<double, int64_t>> out;
  out.reserve(best.size());
  for (const Found& f : best) out.emplace_back(f.score, f.id);
  return out;
}

size_t JobIndex::BestSlots(const Seeker& s, size_t k, Hit* out) const {
  Search(s, k);
  const std::vector<Found>& best = Buffers().best;
  for (size_t n = 0; n < best.size(); ++n) {
    assert(best[n].score >= 0 && best[n].score <= kMaxWeightSum);
    out[n] = Hit{static_cast<int32_t>(std::llround(best[n].score * kScoreGrid)), best[n].slot};
    assert(out[n].score() == best[n].score);
  }
  return best.size();
}

// One question to the index: the laborer, the k wanted and this thread's buffers, with the
// steps of Search() as methods over what they share.
struct JobIndex::Query {
  Query(const JobIndex& index, const Seeker& seeker, size_t want, PerThread& buffers)
      : ix(index), s(seeker), k(want), t(buffers), w(index.weights_) {}

  // The laborer's terms: skills (distinct, for the skill families) and occupation terms with
  // the occupation part each gives (a wished one in full, a skill's half); and as masks, for
  // jobs whose terms are (Packed::masked).
  void Terms();
  // Score(s, o).score, step for step (the same sums in the same order give the same double),
  // for a job of ring r: outside the home township its distance and whether it is away from
  // the home county are the ring's.
  double ScoreOf(uint32_t slot, const Ring& r) const;
  double WagePart(int64_t wage_max) const {
    if (s.expected_wage <= 0 || wage_max <= 0) return 0.5 * w.wage;
    return w.wage *
           std::min(1.0, static_cast<double>(wage_max) / static_cast<double>(s.expected_wage));
  }
  // A job the ring holds that the laborer may take: the wish is the ring's, so only the job's
  // own limits are left to check (as Rejection() would).
  bool MayTake(const Packed& o, const Ring& r) const {
    return o.region_code >= r.lo && o.region_code < r.hi &&
           !(o.region_code >= r.xlo && o.region_code < r.xhi) && o.open && o.openings_left > 0 &&
           s.age >= o.min_age && s.age <= o.max_age && s.education >= o.min_education;
  }
  // Is no list able to offer a job ahead of the k-th? Every job left in a list scores at most
  // its head's bound and, at an equal bound, comes after the head.
  bool Done(const Cursor& top) const {
    if (t.best.size() < k) return false;
    const Found& kth = t.best.front();
    return !Ahead(top.bound, top.wage, top.id, kth.score, kth.wage, kth.id);
  }
  // Job `slot` of ring r, which the laborer may take, scored and kept if among the k best.
  void Offer(uint32_t slot, const Ring& r);
  // A group of lists, opened only when its bound comes to the top (Expand).
  template <typename Part>
  void Defer(const Ring& r, const Key& key, double base, Part part);
  // Every ring's jobs: a small ring read whole, a large one's lists deferred by group.
  void Seed();
  // Opens the lists of group g that may hold a job for the laborer.
  void Expand(const Group& g);
  // The heap's root moved down to its place after its bound fell.
  void Sink();
  // Reads the lists in order of their bounds until none can offer a job ahead of the k-th.
  void Drain();

  // The k best so far, the one furthest behind on top.
  static bool Better(const Found& a, const Found& b) {
    return Ahead(a.score, a.wage, a.id, b.score, b.wage, b.id);
  }
  // The cursor that may offer the job furthest ahead on top.
  static bool Behind(const Cursor& a, const Cursor& b) {
    return Ahead(b.bound, b.wage, b.id, a.bound, a.wage, a.id);
  }

  const JobIndex& ix;
  const Seeker& s;
  const size_t k;
  PerThread& t;
  const Weights& w;
  bool anywhere = false;  // out of the province is the wish: the distance does not count
  double priority_value = 0;
  uint64_t skill_mask = 0, wanted_mask = 0;
};

void JobIndex::Query::Terms() {
  std::vector<std::pair<int, double>>& occupation = t.occupation;  // term, occupation part
  std::vector<int>& skills = t.skills;
  occupation.clear();
  skills.clear();
  auto add = [&](const SkillVocabulary::Terms& terms, bool wished) {
    auto one = [&](int id) {
      if (id < 0) return;
      if (!wished) skills.push_back(id);
      double part = w.occupation * (wished ? 1.0 : 0.5);
      auto it = std::find_if(occupation.begin(), occupation.end(),
                             [&](const auto& p) { return p.first == id; });
      if (it == occupation.end()) {
        occupation.emplace_back(id, part);
      } else {
        it->second = std::max(it->second, part);
      }
    };
    for (int id : terms.known) one(id);
    for (const std::string& word : terms.other) one(ix.TermId(word));
  };
  add(s.skills, false);
  add(s.wanted, true);
  std::sort(skills.begin(), skills.end());
  skills.erase(std::unique(skills.begin(), skills.end()), skills.end());
  for (auto [terms, mask] : {std::pair{&s.skills, &skill_mask}, {&s.wanted, &wanted_mask}}) {
    for (int term : terms->known) {
      if (term >= 0 && term < 64) *mask |= uint64_t{1} << term;
    }
  }
}

double JobIndex::Query::ScoreOf(uint32_t slot, const Ring& r) const {
  const Packed& o = ix.packed_[slot];
  if (!o.masked) return Score(s, ix.jobs_[slot], w, ix.vocabulary_, false).score;
  double sum = 0;
  auto part = [&](double value, double weight) { sum += std::clamp(value, 0.0, 1.0) * weight; };
  const int shared = std::popcount(skill_mask & o.skills);
  part(o.skill_count == 0 ? 0.5 : static_cast<double>(shared) / static_cast<double>(o.skill_count),
       w.skills);
  part((wanted_mask & o.occupation) ? 1.0 : (skill_mask & o.occupation) ? 0.5 : 0.0, w.occupation);
  const double km = r.level == 0 ? EstimatedDistanceKm(s.region_code, o.region_code) : r.km;
  const bool away = r.away;
  assert(km == EstimatedDistanceKm(s.region_code, o.region_code));
  assert(away == (s.region_code / 1000000 != o.region_code / 1000000));
  part(anywhere ? 1.0 : 1.0 - km / w.distance_scale_km, w.distance);
  double wage = 0.5;
  if (s.expected_wage > 0 && o.wage_max > 0) {
    wage = static_cast<double>(o.wage_max) / static_cast<double>(s.expected_wage);
  }
  part(wage, w.wage);
  part(!away ? 1.0 : (o.board ? 0.5 : 0.0) + (o.lodging ? 0.5 : 0.0), w.lodging);
  part(priority_value, w.priority);
  return QuantizeScore(sum);
}

void JobIndex::Query::Offer(uint32_t slot, const Ring& r) {
  assert(Rejection(s, ix.jobs_[slot]).empty());
  assert(ScoreOf(slot, r) == Score(s, ix.jobs_[slot], w, ix.vocabulary_, false).score);
  ++t.scored;
  const Packed& o = ix.packed_[slot];
  std::vector<Found>& best = t.best;
  Found got{ScoreOf(slot, r), o.wage_max, o.job_id, slot};
  if (best.size() < k) {
    best.push_back(got);
    std::push_heap(best.begin(), best.end(), Better);
  } else if (Better(got, best.front())) {
    std::pop_heap(best.begin(), best.end(), Better);
    best.back() = got;
    std::push_heap(best.begin(), best.end(), Better);
  }
}

template <typename Part>
void JobIndex::Query::Defer(const Ring& r, const Key& key, double base, Part part) {
  ix.lists_.prefetch(key);  // its lists are looked up if it comes to the top
  Group g{key, base, {}, &r};
  double most = 0;
  for (int sub = 0; sub < 5; ++sub) most = std::max(most, g.part[sub] = part(sub));
  t.heap.push_back(Cursor{BoundOnGrid(base + most + w.lodging + w.wage),
                          std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(),
                          nullptr, nullptr, 0, &r, static_cast<uint32_t>(t.groups.size())});
  t.groups.push_back(g);
}

void JobIndex::Query::Seed() {
  const double priority = w.priority * priority_value;
  // The most of a job's skills the laborer can have, as a share, for a job of skill bucket b.
  const double m = static_cast<double>(t.skills.size());
  auto share = [&](int b) { return std::min(m, static_cast<double>(b)) / b; };
  // Jobs listing no skills (sub-tag 1 in the generic and occupation families) give half.
  auto plain = [&](int sub) { return sub == 1 ? 0.5 * w.skills : 0.0; };
  auto one = [&](int b) { return b == 0 ? 0.0 : w.skills / b; };  // one skill of b shared
  auto some = [&](int b) { return b == 0 ? 0.0 : w.skills * share(b); };
  const std::vector<int>& skills = t.skills;
  for (const Ring& r : t.rings) {
    // A ring of few jobs is read whole, before any list: cheaper than its lists' bounds (a
    // county's forty jobs sit in a hundred lists), and the k found make a bar for the rest.
    auto count = ix.jobs_in_[r.level].find(r.block);
    if (count == ix.jobs_in_[r.level].end() || count->second == 0) continue;
    if (count->second <= kReadWhole) {
      auto lists = ix.lists_.find(GroupKey(r.level, r.block, kGeneric, -1));
      if (lists == ix.lists_.end()) continue;
      for (const List& list : lists->second) {
        if (!list.MayTake(s)) continue;
        for (uint32_t slot : ix.Slots(list)) {
          if (ix.live_[slot] && MayTake(ix.packed_[slot], r)) Offer(slot, r);
        }
      }
      continue;
    }
    double near = anywhere ? 1.0 : 1.0 - r.km / w.distance_scale_km;
    double distance = w.distance * std::clamp(near, 0.0, 1.0);
    double base = priority + distance;
    Defer(r, GroupKey(r.level, r.block, kGeneric, -1), base, plain);
    for (auto [term, part] : t.occupation) {
      Defer(r, GroupKey(r.level, r.block, kOccupation, term), base + part, plain);
    }
    for (size_t i = 0; i < skills.size(); ++i) {
      Defer(r, GroupKey(r.level, r.block, kSkill, skills[i]), base, one);
      for (size_t j = i + 1; j < skills.size(); ++j) {
        Defer(r, GroupKey(r.level, r.block, kPair, skills[i], skills[j]), base, some);
      }
      for (auto [term, part] : t.occupation) {
        Defer(r, GroupKey(r.level, r.block, kSkillOccupation, skills[i], term), base + part, some);
      }
    }
  }
  std::make_heap(t.heap.begin(), t.heap.end(), Behind);
}

void JobIndex::Query::Expand(const Group& g) {
  auto it = ix.lists_.find(g.key);
  if (it == ix.lists_.end()) return;
  for (const List& list : it->second) {
    const std::span<const uint32_t> slots = ix.Slots(list);
    if (slots.empty() || !list.MayTake(s)) continue;
    const int cls = list.tag % 6;
    double lodging = g.ring->away ? w.lodging * 0.5 * (cls % 3) : w.lodging;
    const double offset = g.base + g.part[list.tag / 6] + lodging;
    __builtin_prefetch(slots.data());
    ix.Fetch(list.head_slot);
    t.heap.push_back(Cursor{BoundOnGrid(offset + WagePart(list.head_wage)), list.head_wage,
                            list.head_id, slots.data(), slots.data() + slots.size(), offset, g.ring,
                            0});
    std::push_heap(t.heap.begin(), t.heap.end(), Behind);
  }
}

void JobIndex::Query::Sink() {
  std::vector<Cursor>& h = t.heap;
  const size_t n = h.size();
  Cursor moving = h[0];
  size_t at = 0;
  for (;;) {
    size_t child = 2 * at + 1;
    if (child >= n) break;
    if (child + 1 < n && Behind(h[child], h[child + 1])) ++child;
    if (!Behind(moving, h[child])) break;
    h[at] = h[child];
    at = child;
  }
  h[at] = moving;
}

void JobIndex::Query::Drain() {
  while (!t.heap.empty() && !Done(t.heap.front())) {
    Cursor& c = t.heap.front();
    if (c.next == nullptr) {
      const size_t g = c.group;
      std::pop_heap(t.heap.begin(), t.heap.end(), Behind);
      t.heap.pop_back();
      Expand(t.groups[g]);
      continue;
    }
    // Read this list on while its next entry stays ahead of every other list's (the root's
    // children are the best of the rest).
    for (;;) {
      const uint32_t slot = *c.next;
      const Packed& o = ix.packed_[slot];
      if (ix.live_[slot] && t.seen[slot] != t.epoch && MayTake(o, *c.ring)) {
        t.seen[slot] = t.epoch;
        Offer(slot, *c.ring);
      }
      if (++c.next == c.end) {
        std::pop_heap(t.heap.begin(), t.heap.end(), Behind);
        t.heap.pop_back();
        break;
      }
      const uint32_t next = *c.next;
      if (c.next + 1 != c.end) ix.Fetch(c.next[1]);
      c.bound = BoundOnGrid(c.offset + WagePart(ix.packed_[next].wage_max));
      c.wage = ix.packed_[next].wage_max;
      c.id = ix.packed_[next].job_id;
      const size_t n = t.heap.size();
      if ((n > 1 && Behind(c, t.heap[1])) || (n > 2 && Behind(c, t.heap[2]))) {
        Sink();
        break;
      }
      if (Done(c)) break;
    }
  }
}

void JobIndex::Search(const Seeker& s, size_t k) const {
  PerThread& t = Buffers();
  t.scored = 0;
  t.best.clear();
  if (k == 0 || jobs_.empty()) return;
  if (t.seen.size() < jobs_.size()) t.seen.resize(jobs_.size(), 0);
  if (++t.epoch == 0) {
    std::fill(t.seen.begin(), t.seen.end(), 0);
    t.epoch = 1;
  }
  // The cursors and groups hold pointers into `rings`: it is not resized past this point.
  RingsToRead(s, jobs_in_, children_, t.rings);
  Query q(*this, s, k, t);
  q.anywhere = s.intention == "out_of_province";
  q.priority_value = s.zero_employment_household ? 1.0 : (s.monitored || s.relocated) ? 0.5 : 0.0;
  q.Terms();
  t.heap.clear();
  t.groups.clear();
  q.Seed();
  q.Drain();
  std::sort(t.best.begin(), t.best.end(), Query::Better);
}

}  // namespace jobaid::matching
