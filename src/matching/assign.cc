#include "matching/assign.h"

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cmath>
#include <numeric>
#include <string_view>
#include <thread>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "matching/auction.h"

namespace jobaid::matching {
namespace {

// Scores in hundredths; a priority laborer's edges carry a bonus above any sum of scores, so
// that placing one more of them always wins (lexicographic: priority placed, then score).
constexpr int64_t kScale = 100;

// From this many laborers on, an auction's graph is built on two threads (when there are two
// cores): worth it well below this, which lets the tests reach it.
constexpr size_t kSplitFrom = 4096;

// A score in hundredths, rounded half away from zero as std::llround does, without its call
// (twenty million edges nationally). Exact while the hundredths are below 2^52 (adding a half
// is then exact) and not within a rounding error of a half below one; scores are at least 0,
// at most kMaxWeightSum and on a grid of a millionth.
int64_t Hundredths(double score) {
  const double x = score * kScale;
  assert(std::abs(x) < 0x1p52);
  return x >= 0 ? static_cast<int64_t>(x + 0.5) : -static_cast<int64_t>(0.5 - x);
}

size_t Threads(size_t work) {
  if (work < 1000) return 1;
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 16);
}

// Runs fn(i) for i in [0, n) on `threads` threads, handing out chunks of `chunk`.
template <typename Fn>
void ParallelFor(size_t n, size_t threads, size_t chunk, Fn fn) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t from; (from = next.fetch_add(chunk)) < n;) {
      for (size_t i = from; i < std::min(from + chunk, n); ++i) fn(i);
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

// The min-cost flow over the laborers `people` (indices into seekers) and their candidates; the
// pairs come in the laborers' order. Openings per job: `caps` where given, else the engine's.
Proposal SolveFlow(const Engine& engine, const std::vector<Seeker>& seekers,
                   const Candidates& options, std::vector<size_t> people,
                   const absl::flat_hash_map<int64_t, int>* caps = nullptr) {
  std::sort(people.begin(), people.end());
  using Graph = lemon::SmartDigraph;
  Graph g;
  Graph::ArcMap<int64_t> cap(g), cost(g);
  Graph::Node source = g.addNode(), sink = g.addNode();
  int64_t max_total = 1;
  for (size_t i : people) {
    if (!options.of(i).empty()) {
      max_total += static_cast<int64_t>(std::ceil(options.of(i).front().score() * kScale));
    }
  }
  const int64_t bonus = max_total + 1;

  absl::flat_hash_map<int64_t, Graph::Node> job_node;
  struct Edge {
    Graph::Arc arc;
    size_t seeker;
    int64_t job_id;
    double score;
  };
  std::vector<Edge> edges;
  for (size_t i : people) {
    if (options.of(i).empty()) continue;
    Graph::Node person = g.addNode();
    Graph::Arc in = g.addArc(source, person);
    cap[in] = 1;
    cost[in] = 0;
    for (const Candidates::Edge& edge : options.of(i)) {
      const double score = edge.score();
      const int64_t job_id = options.id(edge.slot);
      auto [it, fresh] = job_node.try_emplace(job_id);
      if (fresh) {
        it->second = g.addNode();
        Graph::Arc out = g.addArc(it->second, sink);
        auto c = caps != nullptr ? caps->find(job_id)
                                 : absl::flat_hash_map<int64_t, int>::const_iterator();
        cap[out] = caps == nullptr ? engine.OpeningsLeft(job_id) : c == caps->end() ? 0 : c->second;
        cost[out] = 0;
      }
      Graph::Arc a = g.addArc(person, it->second);
      cap[a] = 1;
      int64_t gain = Hundredths(score) + (Priority(seekers[i]) ? bonus : 0);
      cost[a] = -gain;
      edges.push_back({a, i, job_id, score});
    }
  }
  // Nobody has to be placed: what is not placed flows straight to the sink at no cost.
  Graph::Arc skip = g.addArc(source, sink);
  cap[skip] = static_cast<int64_t>(people.size());
  cost[skip] = 0;

  Proposal p;
  p.candidates = static_cast<int>(edges.size());
  lemon::NetworkSimplex<Graph, int64_t, int64_t> solver(g);
  solver.upperMap(cap).costMap(cost).stSupply(source, sink, static_cast<int64_t>(people.size()));
  if (solver.run() != lemon::NetworkSimplex<Graph, int64_t, int64_t>::OPTIMAL) return p;
  for (const Edge& e : edges) {
    if (solver.flow(e.arc) > 0) {
      p.pairs.push_back({seekers[e.seeker].person_id, e.job_id, e.score});
      p.total_score += e.score;
      p.priority_placed += Priority(seekers[e.seeker]);
    }
  }
  return p;
}

// The laborers in order of wish, named region and home region: neighbours in this order want the
// same kind of work from the same place, so they read the same lists of jobs when their
// candidates are found, and share jobs in the auction, whose per-person and per-job arrays are
// then read in a few narrow ranges instead of all over.
std::vector<uint32_t> LocalityOrder(const std::vector<Seeker>& seekers) {
  // Wishes are a handful of words: ranked once, so that the sort compares only integers.
  absl::flat_hash_map<std::string_view, uint32_t> rank;
  for (const Seeker& s : seekers) rank.try_emplace(s.intention, 0);
  std::vector<std::string_view> words;
  for (const auto& [word, r] : rank) words.push_back(word);
  std::sort(words.begin(), words.end());
  for (uint32_t r = 0; r < words.size(); ++r) rank[words[r]] = r;
  struct Key {
    uint32_t wish, index;
    int64_t named, home;
  };
  std::vector<Key> keys(seekers.size());
  for (uint32_t i = 0; i < seekers.size(); ++i) {
    const Seeker& s = seekers[i];
    keys[i] = {rank.find(s.intention)->second, i, s.intention_region, s.region_code};
  }
  std::sort(keys.begin(), keys.end(), [](const Key& x, const Key& y) {
    return std::tie(x.wish, x.named, x.home, x.index) < std::tie(y.wish, y.named, y.home, y.index);
  });
  std::vector<uint32_t> order(seekers.size());
  for (size_t n = 0; n < keys.size(); ++n) order[n] = keys[n].index;
  return order;
}

// Laborers grouped by the connected components of the candidate graph (a laborer joins the
// jobs they may take), as positions in the candidates' order (in which their lists lie);
// laborers without candidates are left out. Largest first, each in that order.
std::vector<std::vector<size_t>> Components(const Candidates& c) {
  std::vector<uint32_t> parent(c.jobs());
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (size_t n = 0; n < c.size(); ++n) {
    const std::span<const Candidates::Edge> edges = c.at(n);
    if (edges.empty()) continue;
    uint32_t root = find(edges[0].slot);
    for (const Candidates::Edge& e : edges.subspan(1)) {
      uint32_t other = find(e.slot);
      if (other != root) parent[other] = root;
    }
  }
  std::vector<int64_t> slot(c.jobs(), -1);  // per root: its component
  std::vector<std::vector<size_t>> out;
  for (size_t n = 0; n < c.size(); ++n) {
    if (c.at(n).empty()) continue;
    int64_t& at = slot[find(c.at(n)[0].slot)];
    if (at < 0) {
      at = static_cast<int64_t>(out.size());
      out.emplace_back();
    }
    out[static_cast<size_t>(at)].push_back(n);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return out;
}

// Laborers by home province, each part with a share of every job's openings (as its laborers'
// edges to the job are a share of all), solved apart in parallel; then one flow over those left
// unplaced and the openings left unused. Not exact: a heuristic for national scale.
Proposal Partitioned(const Engine& engine, const std::vector<Seeker>& seekers,
                     const Candidates& options) {
  absl::flat_hash_map<int64_t, size_t> part_of;
  std::vector<std::vector<size_t>> parts;
  for (size_t i = 0; i < seekers.size(); ++i) {
    if (options.of(i).empty()) continue;
    auto [it, fresh] = part_of.try_emplace(seekers[i].region_code / 10000000000, parts.size());
    if (fresh) parts.emplace_back();
    parts[it->second].push_back(i);
  }
  // Edges per job and part, then the openings shared out by largest remainder.
  absl::flat_hash_map<int64_t, absl::flat_hash_map<size_t, int>> edges;
  for (size_t p = 0; p < parts.size(); ++p) {
    for (size_t i : parts[p]) {
      for (const Candidates::Edge& e : options.of(i)) ++edges[options.id(e.slot)][p];
    }
  }
  std::vector<absl::flat_hash_map<int64_t, int>> caps(parts.size());
  for (const auto& [job, by_part] : edges) {
    int total_edges = 0;
    for (const auto& [p, n] : by_part) total_edges += n;
    int openings = engine.OpeningsLeft(job), given = 0;
    std::vector<std::pair<double, size_t>> rest;
    for (const auto& [p, n] : by_part) {
      double exact = static_cast<double>(openings) * n / total_edges;
      int share = static_cast<int>(exact);
      caps[p][job] = share;
      given += share;
      rest.emplace_back(exact - share, p);
    }
    std::sort(rest.begin(), rest.end(), std::greater<>());
    for (size_t r = 0; given < openings && r < rest.size(); ++r, ++given)
      ++caps[rest[r].second][job];
  }
  std::vector<Proposal> solved(parts.size());
  ParallelFor(parts.size(), parts.size() > 1 ? Threads(1000) : 1, 1, [&](size_t p) {
    solved[p] = SolveFlow(engine, seekers, options, parts[p], &caps[p]);
  });
  Proposal out;
  absl::flat_hash_set<int64_t> placed;
  absl::flat_hash_map<int64_t, int> left;
  for (const auto& [job, by_part] : edges) left[job] = engine.OpeningsLeft(job);
  for (Proposal& part : solved) {
    for (const Pair& pair : part.pairs) {
      placed.insert(pair.person_id);
      --left[pair.job_id];
    }
    out.pairs.insert(out.pairs.end(), part.pairs.begin(), part.pairs.end());
    out.total_score += part.total_score;
    out.priority_placed += part.priority_placed;
    out.candidates += part.candidates;
  }
  std::vector<size_t> unplaced;
  for (size_t p = 0; p < parts.size(); ++p) {
    for (size_t i : parts[p]) {
      if (placed.contains(seekers[i].person_id)) continue;
      bool room = std::any_of(options.of(i).begin(), options.of(i).end(),
                              [&](const auto& e) { return left[options.id(e.slot)] > 0; });
      if (room) unplaced.push_back(i);
    }
  }
  Proposal repair = SolveFlow(engine, seekers, options, unplaced, &left);
  out.pairs.insert(out.pairs.end(), repair.pairs.begin(), repair.pairs.end());
  out.total_score += repair.total_score;
  out.priority_placed += repair.priority_placed;
  return out;
}

// The same problem as SolveFlow's, by auction: benefits in hundredths with the priority bonus,
// times (laborers + 1) so that a final epsilon of 1 leaves the answer exact. The graph's persons
// and jobs are numbered in the order of `people` (positions in the candidates' order); the pairs
// come in the laborers' order.
Proposal SolveAuction(const Engine& engine, const std::vector<Seeker>& seekers,
                      const Candidates& options, const std::vector<size_t>& people,
                      double tolerance) {
  // The graph: person k is the laborer at people[k]; jobs are numbered as they first come.
  AuctionGraph g;
  const size_t persons = people.size();
  g.first.resize(persons + 1);
  size_t edges = 0;
  for (size_t k = 0; k < persons; ++k) {
    edges += options.at(people[k]).size();
    g.first[k + 1] = static_cast<uint32_t>(edges);
  }
  assert(edges < (size_t{1} << 32));
  g.job.resize(g.first.back());
  g.benefit.resize(g.first.back());
  std::vector<uint8_t> priority(persons);
  // A large graph is built in two halves of the persons side by side, each numbering the jobs
  // as they first come in it; the second's numbers are then mapped to the whole's (its jobs the
  // first half has, then its own in their order), as one pass over all would number them.
  // Each half takes its edges' scores in hundredths; the priority bonus and the scale, which
  // need the sum of the best scores, are applied after. The laborers come in the candidates'
  // order, so their lists are read straight through; whether each counts first is all over
  // memory: fetched ahead.
  struct Half {
    size_t from, to;
    std::vector<uint32_t> numbers;  // per number of the half: the job's slot
    int64_t max_total = 0, top = 0;
  };
  const bool two = persons >= kSplitFrom && Threads(persons) > 1;
  Half halves[2] = {{0, two ? persons / 2 : persons, {}},
                    {two ? persons / 2 : persons, persons, {}}};
  // Per job slot: its number in the half (-1: none yet). The first half's array is the
  // calling thread's, kept all -1 between parts; the second's is made for it.
  // (Named by reference: inside the lambda, which may run on the other thread, the
  // thread_local's name would be that thread's.)
  thread_local std::vector<int32_t> calling_thread_index;
  std::vector<int32_t>& index_of = calling_thread_index;
  index_of.resize(options.jobs(), -1);
  std::vector<int32_t> second_index(two ? options.jobs() : 0, -1);
  auto build = [&](size_t h) {
    Half& half = halves[h];
    std::vector<int32_t>& index_in = h == 0 ? index_of : second_index;
    constexpr size_t kAhead = 8;
    for (size_t k = half.from; k < half.to; ++k) {
      if (k + kAhead < half.to) {
        __builtin_prefetch(&seekers[options.laborer(people[k + kAhead])].zero_employment_household);
      }
      const size_t i = options.laborer(people[k]);
      priority[k] = Priority(seekers[i]);
      const std::span<const Candidates::Edge> edges = options.at(people[k]);
      if (edges.empty()) continue;
      const int64_t best = static_cast<int64_t>(std::ceil(edges.front().score() * kScale));
      half.max_total += best;
      half.top = std::max(half.top, best);
      uint32_t e = g.first[k];
      for (const Candidates::Edge& edge : edges) {
        int32_t& index = index_in[edge.slot];
        if (index < 0) {
          index = static_cast<int32_t>(half.numbers.size());
          half.numbers.push_back(edge.slot);
        }
        g.job[e] = static_cast<uint32_t>(index);
        g.benefit[e++] = Hundredths(edge.score());
      }
    }
  };
  ParallelFor(two ? 2 : 1, two ? 2 : 1, 1, build);
  std::vector<uint32_t> numbers = std::move(halves[0].numbers);
  std::vector<uint32_t> mapped(halves[1].numbers.size());  // the second half's numbers
  for (size_t l = 0; l < mapped.size(); ++l) {
    int32_t& index = index_of[halves[1].numbers[l]];
    if (index < 0) {
      index = static_cast<int32_t>(numbers.size());
      numbers.push_back(halves[1].numbers[l]);
    }
    mapped[l] = static_cast<uint32_t>(index);
  }
  for (uint32_t slot : numbers) index_of[slot] = -1;
  g.capacity.resize(numbers.size());
  for (size_t n = 0; n < numbers.size(); ++n) {
    g.capacity[n] = engine.OpeningsLeft(options.id(numbers[n]));
  }
  const int64_t max_total = 1 + halves[0].max_total + halves[1].max_total;
  const int64_t top = std::max(halves[0].top, halves[1].top);
  const int64_t bonus = max_total + 1;
  const int64_t limit = int64_t{1} << 60;
  int64_t mult = static_cast<int64_t>(persons) + 1;
  if (mult > limit / (bonus + top + 1)) mult = std::max<int64_t>(1, limit / (bonus + top + 1));
  ParallelFor(two ? 2 : 1, two ? 2 : 1, 1, [&](size_t h) {
    for (size_t k = halves[h].from; k < halves[h].to; ++k) {
      const int64_t bonus_of = priority[k] ? bonus : 0;
      for (uint32_t e = g.first[k]; e < g.first[k + 1]; ++e) {
        if (h == 1) g.job[e] = mapped[g.job[e]];
        g.benefit[e] = (g.benefit[e] + bonus_of) * mult;
      }
    }
  });
  AuctionOptions o;
  // Epsilon starts at a fifth of the greatest score, not of the greatest benefit: the priority
  // bonus sets priority laborers apart by margins far above any epsilon, which bids settle at
  // once, so phases at the bonus's scale would only repeat the same bids.
  o.start_epsilon = std::max<int64_t>(1, top * mult / o.theta);
  // Should priority laborers outnumber the openings they may take, the auction starts again at
  // the bonus's scale (see AuctionOptions::coarse_epsilon).
  o.coarse_epsilon = std::max(o.start_epsilon, bonus / o.theta * mult);
  // The gap after a phase is at most persons x epsilon, in practice a tenth to a twentieth of
  // that (the bound is lowered from the prices', see AuctionResult::dual): ask for the bound
  // only once that is within 16 times a gap small enough to stop (asking costs a fifth of a
  // phase nationally).
  const double stop_gap =
      std::max(static_cast<double>(mult), tolerance * static_cast<double>(max_total) * mult);
  o.ask_below = static_cast<int64_t>(
      std::min(1e18, 16 * stop_gap / static_cast<double>(std::max<size_t>(1, persons))));
  // Exact once the bound is less than one unscaled unit above the total (the optimum is a
  // whole number of units); within `tolerance` once the bound is that close to the score part
  // (a gap below the priority bonus proves no priority laborer could be added).
  o.enough = [&](const AuctionResult& r) {
    const AuctionResult::Sum gap = r.dual - r.primal;
    if (gap < mult) return true;
    if (tolerance <= 0 || gap >= static_cast<AuctionResult::Sum>(bonus) * mult) return false;
    AuctionResult::Sum placed_first = 0;  // priority laborers placed
    for (size_t k = 0; k < persons; ++k) placed_first += r.edge_of[k] >= 0 && priority[k];
    AuctionResult::Sum score = r.primal - placed_first * bonus * mult;
    return static_cast<double>(gap) <= tolerance * static_cast<double>(score);
  };
  AuctionResult r = Auction(g, o);
  Proposal p;
  p.candidates = static_cast<int>(g.job.size());
  // The persons of g placed, as (laborer, person) in one integer each, in the laborers' order.
  std::vector<uint64_t> placed;
  for (size_t k = 0; k < persons; ++k) {
    if (r.edge_of[k] >= 0) placed.push_back(uint64_t{options.laborer(people[k])} << 32 | k);
  }
  std::sort(placed.begin(), placed.end());
  p.pairs.reserve(placed.size());
  for (uint64_t both : placed) {
    const size_t i = both >> 32, k = both & UINT32_MAX;
    double score = options.at(people[k])[r.edge_of[k] - g.first[k]].score();
    p.pairs.push_back({seekers[i].person_id, options.id(numbers[g.job[r.edge_of[k]]]), score});
    p.total_score += score;
    p.priority_placed += priority[k];
  }
  // Below 1 in scaled units the gap is nothing: the optimum is an integer number of units.
  p.gap = r.dual - r.primal < mult
              ? 0
              : static_cast<double>(r.dual - r.primal) / static_cast<double>(mult) / kScale;
  return p;
}

Proposal Greedy(const Engine& engine, const std::vector<Seeker>& seekers,
                const Candidates& options) {
  struct Edge {
    bool priority;
    double score;
    size_t seeker;
    int64_t job_id;
  };
  std::vector<Edge> edges;
  for (size_t i = 0; i < options.size(); ++i) {
    for (const Candidates::Edge& e : options.of(i)) {
      edges.push_back({Priority(seekers[i]), e.score(), i, options.id(e.slot)});
    }
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    if (a.priority != b.priority) return a.priority;
    if (a.score != b.score) return a.score > b.score;
    return a.seeker != b.seeker ? a.seeker < b.seeker : a.job_id < b.job_id;
  });
  absl::flat_hash_map<int64_t, int> left;
  std::vector<bool> placed(seekers.size());
  Proposal p;
  p.candidates = static_cast<int>(edges.size());
  for (const Edge& e : edges) {
    if (placed[e.seeker]) continue;
    auto [it, fresh] = left.try_emplace(e.job_id, 0);
    if (fresh) it->second = engine.OpeningsLeft(e.job_id);
    if (it->second <= 0) continue;
    --it->second;
    placed[e.seeker] = true;
    p.pairs.push_back({seekers[e.seeker].person_id, e.job_id, e.score});
    p.total_score += e.score;
    p.priority_placed += e.priority;
  }
  return p;
}

}  // namespace

Candidates FindCandidates(const Engine& engine, const std::vector<Seeker>& seekers, size_t k) {
  // Asked in locality order, laborers find the lists of jobs their neighbours read, and the jobs
  // in them, still in the cache (a third less time nationally than in the order given).
  // Each laborer's list goes where the laborer comes in that order, room for k each.
  Candidates out;
  out.k_ = std::min(k, engine.slots());
  out.order_ = LocalityOrder(seekers);
  out.position_.resize(seekers.size());
  for (uint32_t n = 0; n < out.order_.size(); ++n) out.position_[out.order_[n]] = n;
  out.count_.resize(seekers.size());
  out.edges_ = HugeArray<Candidates::Edge>(seekers.size() * out.k_);
  // A laborer's record and their terms lie all over memory: fetched a few laborers ahead, the
  // terms (which the record points to) once the record has come.
  constexpr size_t kAhead = 8;
  ParallelFor(seekers.size(), Threads(seekers.size()), 256, [&](size_t n) {
    if (n + kAhead < seekers.size()) {
      const char* record = reinterpret_cast<const char*>(&seekers[out.order_[n + kAhead]]);
      for (size_t at = 0; at < sizeof(Seeker); at += 64) __builtin_prefetch(record + at);
    }
    if (n + kAhead / 2 < seekers.size()) {
      const Seeker& soon = seekers[out.order_[n + kAhead / 2]];
      if (!soon.skills.known.empty()) __builtin_prefetch(soon.skills.known.data());
      if (!soon.wanted.known.empty()) __builtin_prefetch(soon.wanted.known.data());
    }
    out.count_[n] = static_cast<uint32_t>(
        engine.BestSlots(seekers[out.order_[n]], out.k_, out.edges_.data() + n * out.k_));
  });
  // The jobs are numbered by the engine's slots, by which the solvers size their arrays: when
  // the lists name few of them (a township's laborers among a nation's jobs), they are numbered
  // again, densely as they first come, so that the solvers' work is the size of the lists.
  size_t edges = 0;
  for (uint32_t count : out.count_) edges += count;
  if (edges >= engine.slots() / 4) {
    out.ids_.resize(engine.slots());
    for (uint32_t slot = 0; slot < out.ids_.size(); ++slot) out.ids_[slot] = engine.JobAt(slot);
    return out;
  }
  absl::flat_hash_map<uint32_t, uint32_t> number_of;  // slot -> number
  for (size_t n = 0; n < out.order_.size(); ++n) {
    for (size_t c = 0; c < out.count_[n]; ++c) {
      Candidates::Edge& edge = out.edges_[n * out.k_ + c];
      auto [it, fresh] = number_of.try_emplace(edge.slot, static_cast<uint32_t>(out.ids_.size()));
      if (fresh) out.ids_.push_back(engine.JobAt(edge.slot));
      edge.slot = it->second;
    }
  }
  return out;
}

Proposal Solve(const Engine& engine, const std::vector<Seeker>& seekers,
               const Candidates& candidates, Solver solver, double tolerance) {
  if (solver == Solver::kGreedy) return Greedy(engine, seekers, candidates);
  if (solver == Solver::kPartitioned) return Partitioned(engine, seekers, candidates);
  if (solver == Solver::kWhole) {
    std::vector<size_t> everyone(seekers.size());
    std::iota(everyone.begin(), everyone.end(), size_t{0});
    return SolveFlow(engine, seekers, candidates, everyone);
  }
  // The connected components of the candidate graph (laborers who want local work and those
  // who want to go out of the province, say, share no job) are solved apart, on every core,
  // largest first. Each is solved in the candidates' (locality) order (the national auction
  // takes a fifth less time than in the order given), and its pairs come back in the order
  // given.
  std::vector<std::vector<size_t>> parts = Components(candidates);
  if (solver != Solver::kAuction) {  // the flow takes laborers
    for (auto& part : parts) {
      for (size_t& n : part) n = candidates.laborer(n);
    }
  }
  std::vector<Proposal> solved(parts.size());
  ParallelFor(parts.size(), parts.size() > 1 ? Threads(1000) : 1, 1, [&](size_t i) {
    solved[i] = solver == Solver::kAuction
                    ? SolveAuction(engine, seekers, candidates, parts[i], tolerance)
                    : SolveFlow(engine, seekers, candidates, parts[i]);
  });
  if (solved.size() == 1) return std::move(solved[0]);
  Proposal p;
  for (Proposal& part : solved) {
    p.pairs.insert(p.pairs.end(), part.pairs.begin(), part.pairs.end());
    p.total_score += part.total_score;
    p.priority_placed += part.priority_placed;
    p.candidates += part.candidates;
    p.gap += part.gap;
  }
  // In the laborers' order, as one solve over all would list them.
  absl::flat_hash_map<int64_t, size_t> order;
  for (size_t i = 0; i < seekers.size(); ++i) order.try_emplace(seekers[i].person_id, i);
  std::sort(p.pairs.begin(), p.pairs.end(), [&](const Pair& a, const Pair& b) {
    return order.at(a.person_id) < order.at(b.person_id);
  });
  return p;
}

Proposal Assign(const Engine& engine, const std::vector<Seeker>& seekers, size_t candidates) {
  return Solve(engine, seekers, FindCandidates(engine, seekers, candidates), Solver::kAuction);
}

}  // namespace jobaid::matching
