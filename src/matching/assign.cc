#include "matching/assign.h"

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "absl/container/flat_hash_map.h"

namespace jobaid::matching {

Proposal Assign(const Engine& engine, const std::vector<Seeker>& seekers, size_t candidates) {
  using Graph = lemon::SmartDigraph;
  Graph g;
  Graph::ArcMap<int64_t> cap(g), cost(g);
  Graph::Node source = g.addNode(), sink = g.addNode();

  // Scores in hundredths; a priority laborer's edges carry a bonus above any sum of scores, so
  // that placing one more of them always wins (lexicographic: priority placed, then score).
  constexpr int64_t kScale = 100;
  // Each laborer's best jobs, found on every core (questions to the engine may run at once).
  std::vector<std::vector<std::pair<double, int64_t>>> options(seekers.size());
  {
    size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 16);
    if (seekers.size() < 1000) threads = 1;
    std::atomic<size_t> next{0};
    auto work = [&] {
      constexpr size_t kChunk = 256;
      for (size_t from; (from = next.fetch_add(kChunk)) < seekers.size();) {
        for (size_t i = from; i < std::min(from + kChunk, seekers.size()); ++i) {
          options[i] = engine.BestJobs(seekers[i], candidates);
        }
      }
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
  }
  int64_t max_total = 1;
  for (const auto& o : options) {
    if (!o.empty()) max_total += static_cast<int64_t>(std::ceil(o.front().first * kScale));
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
  for (size_t i = 0; i < seekers.size(); ++i) {
    if (options[i].empty()) continue;
    Graph::Node person = g.addNode();
    Graph::Arc in = g.addArc(source, person);
    cap[in] = 1;
    cost[in] = 0;
    for (const auto& [score, job_id] : options[i]) {
      auto [it, fresh] = job_node.try_emplace(job_id);
      if (fresh) {
        it->second = g.addNode();
        Graph::Arc out = g.addArc(it->second, sink);
        cap[out] = engine.OpeningsLeft(job_id);
        cost[out] = 0;
      }
      Graph::Arc a = g.addArc(person, it->second);
      cap[a] = 1;
      int64_t gain = static_cast<int64_t>(std::llround(score * kScale)) +
                     (Priority(seekers[i]) ? bonus : 0);
      cost[a] = -gain;
      edges.push_back({a, i, job_id, score});
    }
  }
  // Nobody has to be placed: what is not placed flows straight to the sink at no cost.
  Graph::Arc skip = g.addArc(source, sink);
  cap[skip] = static_cast<int64_t>(seekers.size());
  cost[skip] = 0;

  Proposal p;
  p.candidates = static_cast<int>(edges.size());
  lemon::NetworkSimplex<Graph, int64_t, int64_t> solver(g);
  solver.upperMap(cap).costMap(cost).stSupply(source, sink, static_cast<int64_t>(seekers.size()));
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

}  // namespace jobaid::matching
