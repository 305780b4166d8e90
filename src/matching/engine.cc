#include "matching/engine.h"

#include <algorithm>

namespace jobaid::matching {
namespace {

int64_t IdOf(const Opening& o) { return o.job_id; }
int64_t IdOf(const Seeker& s) { return s.person_id; }

template <typename T>
bool Before(const T& a, const T& b) {
  return a.region_code != b.region_code ? a.region_code < b.region_code : IdOf(a) < IdOf(b);
}

// The first element of `v` (in region order) at or after region code `code`.
template <typename T>
typename std::vector<T>::const_iterator From(const std::vector<T>& v, int64_t code) {
  return std::lower_bound(v.begin(), v.end(), code,
                          [](const T& x, int64_t c) { return x.region_code < c; });
}

// The entry `id` of `v`, found through its region in `where` by binary search; v.end() if
// there is none.
template <typename T>
typename std::vector<T>::const_iterator Find(const std::vector<T>& v,
                                             const absl::flat_hash_map<int64_t, int64_t>& where,
                                             int64_t id) {
  auto w = where.find(id);
  if (w == where.end()) return v.end();
  auto it = std::lower_bound(v.begin(), v.end(), std::pair{w->second, id},
                             [](const T& x, std::pair<int64_t, int64_t> key) {
                               return x.region_code != key.first ? x.region_code < key.first
                                                                 : IdOf(x) < key.second;
                             });
  return it != v.end() && IdOf(*it) == id ? it : v.end();
}

constexpr int64_t kCounty = 1000000, kProvince = 10000000000, kAll = 1000000000000;

// The region ranges where `s` wishes to work.
std::vector<std::pair<int64_t, int64_t>> Wished(const Seeker& s) {
  auto block = [](int64_t code, int64_t unit) {
    return std::pair{code / unit * unit, code / unit * unit + unit};
  };
  if (s.intention == "local") return {block(s.region_code, kCounty)};
  if (s.intention == "in_province") return {block(s.region_code, kProvince)};
  if (s.intention == "out_of_province") {
    auto [lo, hi] = block(s.region_code, kProvince);
    return {{0, lo}, {hi, kAll}};
  }
  if (s.intention == "named_region" && s.intention_region != 0) {
    return {block(s.intention_region, RegionBlock(s.intention_region))};
  }
  return {};
}

}  // namespace

template <typename T>
void Engine::Put(std::vector<T>& v, absl::flat_hash_map<int64_t, int64_t>& where, T x) {
  Remove(v, where, IdOf(x));
  where[IdOf(x)] = x.region_code;
  v.insert(std::upper_bound(v.begin(), v.end(), x, Before<T>), std::move(x));
}

template <typename T>
void Engine::Remove(std::vector<T>& v, absl::flat_hash_map<int64_t, int64_t>& where, int64_t id) {
  auto it = Find(v, where, id);
  if (it != v.end()) v.erase(it);
  where.erase(id);
}

void Engine::Load(std::vector<Opening> openings, std::vector<Seeker> seekers) {
  Clear();
  openings_ = std::move(openings);
  seekers_ = std::move(seekers);
  std::sort(openings_.begin(), openings_.end(), Before<Opening>);
  std::sort(seekers_.begin(), seekers_.end(), Before<Seeker>);
  for (const Opening& o : openings_) opening_region_[o.job_id] = o.region_code;
  for (const Seeker& s : seekers_) seeker_region_[s.person_id] = s.region_code;
}

int Engine::OpeningsLeft(int64_t job_id) const {
  auto it = Find(openings_, opening_region_, job_id);
  return it == openings_.end() ? 0 : it->openings_left;
}

void Engine::PutOpening(Opening o) { Put(openings_, opening_region_, std::move(o)); }
void Engine::RemoveOpening(int64_t job_id) { Remove(openings_, opening_region_, job_id); }
void Engine::PutSeeker(Seeker s) { Put(seekers_, seeker_region_, std::move(s)); }
void Engine::RemoveSeeker(int64_t person_id) { Remove(seekers_, seeker_region_, person_id); }
void Engine::Clear() {
  openings_.clear();
  seekers_.clear();
  opening_region_.clear();
  seeker_region_.clear();
}

// The k best of (score, id) pairs, best first (ties by id), reordering `all`.
std::vector<std::pair<double, int64_t>> Engine::Best(std::vector<std::pair<double, int64_t>>& all,
                                                     size_t k) {
  auto better = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  size_t n = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(), better);
  return {all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n)};
}

std::vector<Engine::Ranked> Engine::JobsFor(const Seeker& s, size_t k) const {
  // Ranking needs only scores: (score, id) pairs in a buffer kept per thread, so that a bulk
  // assignment's many questions do not allocate each time.
  thread_local std::vector<std::pair<double, int64_t>> all;
  all.clear();
  for (auto [lo, hi] : Wished(s)) {
    for (auto it = From(openings_, lo); it != openings_.end() && it->region_code < hi; ++it) {
      if (!Rejection(s, *it).empty()) continue;
      all.emplace_back(Score(s, *it, weights_, vocabulary_, /*explain=*/false).score, it->job_id);
    }
  }
  std::vector<Ranked> best;
  for (auto [score, id] : Best(all, k)) {  // the few shown get their reasons
    best.push_back({id, Score(s, *Find(openings_, opening_region_, id), weights_, vocabulary_)});
  }
  return best;
}

std::vector<Seeker> Engine::SeekersIn(domain::RegionRange scope) const {
  return std::vector<Seeker>(From(seekers_, scope.lo), From(seekers_, scope.hi));
}

std::vector<Engine::Ranked> Engine::SeekersFor(const Opening& o, size_t k,
                                               domain::RegionRange scope) const {
  thread_local std::vector<std::pair<double, int64_t>> all;
  all.clear();
  for (auto it = From(seekers_, scope.lo); it != seekers_.end() && it->region_code < scope.hi;
       ++it) {
    if (!Rejection(*it, o).empty()) continue;
    all.emplace_back(Score(*it, o, weights_, vocabulary_, /*explain=*/false).score, it->person_id);
  }
  std::vector<Ranked> best;
  for (auto [score, id] : Best(all, k)) {
    best.push_back({id, Score(*Find(seekers_, seeker_region_, id), o, weights_, vocabulary_)});
  }
  return best;
}

}  // namespace jobaid::matching
