#include "matching/engine.h"

#include <algorithm>

namespace jobaid::matching {
namespace {

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
  jobs_.Load(std::move(openings));
  seekers_ = std::move(seekers);
  std::sort(seekers_.begin(), seekers_.end(), Before<Seeker>);
  for (const Seeker& s : seekers_) seeker_region_[s.person_id] = s.region_code;
}

int Engine::OpeningsLeft(int64_t job_id) const {
  const Opening* o = jobs_.Find(job_id);
  return o == nullptr ? 0 : o->openings_left;
}

void Engine::PutOpening(Opening o) { jobs_.Put(std::move(o)); }
void Engine::RemoveOpening(int64_t job_id) { jobs_.Remove(job_id); }
void Engine::PutSeeker(Seeker s) { Put(seekers_, seeker_region_, std::move(s)); }
void Engine::RemoveSeeker(int64_t person_id) { Remove(seekers_, seeker_region_, person_id); }
void Engine::Clear() {
  jobs_.Clear();
  seekers_.clear();
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
  std::vector<Ranked> best;
  for (auto [score, id] : jobs_.Best(s, k)) {  // the few shown get their reasons
    best.push_back({id, Score(s, *jobs_.Find(id), weights_, vocabulary_)});
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
