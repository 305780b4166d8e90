// bench/match: top-10 jobs for one laborer among N open jobs (default 1,000,000), in process,
// with matching::Engine next to a plain scan that scores every job, in the same run. Jobs and
// laborers are generated across the villages of Hunan and Guangdong (the paired eastern
// province), with skills from the matcher's vocabulary. Prints p50 and p99 per question for
// each wish where to work, how many jobs each question scored exactly, and the plain scan's.
// JOBS must be at least COUNTY_JOBS (the county's jobs are taken from them).
//
// Then a bulk assignment for one county: LABORERS laborers (default 100,000) and COUNTY_JOBS
// open jobs (default 10,000, openings 1-20) in Yongxing and around, each laborer bringing
// their best 20 jobs; three runs of Assign's way (the candidates, then our auction per
// connected component), each one's time and gap (0: proved optimal), and their median; then
// LEMON per connected component on the same graph.
//
// Then the national assignment: NATIONAL laborers (default 1,000,000) in the villages of twelve
// provinces that send laborers out, NATIONAL_JOBS open jobs (default 100,000): a little over
// half in those provinces' counties, the rest in the cities of the eastern provinces paired with
// them; four in ten laborers want local work, two in the province, three in the paired
// province (a named region) and one anywhere outside. The same candidate graph (20 jobs a
// laborer) is solved five ways: by auction stopped once proved within 0.1 % of the optimum (the
// goal asks for 99.9 % of it), by auction to the exact optimum (Assign's way), per home province
// with a repair flow, greedily, and by one LEMON min-cost flow over the whole graph (the baseline
// optimum); prints time, placed, priority placed, total score and proved gap of each, and each
// score as a share of LEMON's optimum. NATIONAL=0 skips it; WAYS (say "13") runs only those of the
// five, by number.
//
//   match_benchmark [JOBS] [QUESTIONS] [LABORERS] [COUNTY_JOBS] [NATIONAL] [NATIONAL_JOBS] [WAYS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "domain/region.h"
#include "matching/assign.h"
#include "matching/engine.h"
#include "matching/score.h"
#include "matching/skills.h"

namespace {

namespace domain = jobaid::domain;
namespace matching = jobaid::matching;
using Timer = std::chrono::steady_clock;

struct Rng {
  uint64_t state = 42;
  int operator()(int n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state >> 33) % static_cast<uint64_t>(n));
  }
};

std::vector<int64_t> Villages(const domain::RegionTable& regions, const char* province) {
  std::vector<int64_t> out;
  auto p = regions.Lookup(province);
  auto [first, last] = regions.Slice(p->range());
  for (size_t i = first; i < last; ++i) {
    if (regions.at(i).level == domain::RegionLevel::kVillage) out.push_back(regions.at(i).code);
  }
  return out;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  int jobs = argc > 1 ? std::atoi(argv[1]) : 1000000;
  int questions = argc > 2 ? std::atoi(argv[2]) : 200;
  int laborers = argc > 3 ? std::atoi(argv[3]) : 100000;
  int county_jobs = argc > 4 ? std::atoi(argv[4]) : 10000;
  if (jobs < county_jobs) {
    std::fprintf(stderr, "JOBS (%d) must be at least COUNTY_JOBS (%d)\n", jobs, county_jobs);
    return 2;
  }
  auto regions = domain::RegionTable::Load(JOBAID_REGIONS_FILE);
  if (!regions.ok()) {
    std::fprintf(stderr, "%s\n", std::string(regions.status().message()).c_str());
    return 1;
  }
  std::vector<int64_t> hunan = Villages(*regions, "43"), guangdong = Villages(*regions, "44");
  const auto& vocabulary = matching::SkillVocabulary::Default();
  Rng rnd;
  auto skills = [&](int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back(vocabulary.Name(rnd(vocabulary.size())));
    return vocabulary.TermsOf(out);
  };

  auto t0 = Timer::now();
  std::vector<matching::Opening> openings(static_cast<size_t>(jobs));
  for (int i = 0; i < jobs; ++i) {
    matching::Opening& o = openings[static_cast<size_t>(i)];
    o.job_id = i + 1;
    // Two in three jobs in Guangdong's cities, as paired regions post them.
    const auto& where = rnd(3) < 2 ? guangdong : hunan;
    o.region_code = where[static_cast<size_t>(rnd(static_cast<int>(where.size())))] / 1000 * 1000;
    o.skills = skills(1 + rnd(2));
    o.occupation = skills(1);
    o.wage_min = 250000 + rnd(20) * 10000;
    o.wage_max = o.wage_min + rnd(20) * 10000;
    o.min_age = 16 + rnd(4);
    o.max_age = 45 + rnd(16);
    o.board = rnd(2) == 0;
    o.lodging = rnd(2) == 0;
    o.openings_left = 1 + rnd(20);
  }
  matching::Engine engine(vocabulary, matching::Weights::Default());
  engine.Load(openings, {});
  double load_s = std::chrono::duration<double>(Timer::now() - t0).count();
  std::printf("%d open jobs generated and loaded in %.2f s\n", jobs, load_s);

  const char* wishes[] = {"local", "in_province", "out_of_province"};
  std::printf("%-16s %10s %10s %10s %12s\n", "wish", "p50 ms", "p99 ms", "results", "jobs scored");
  for (const char* wish : wishes) {
    std::vector<double> took;
    size_t results = 0;
    double scored = 0;
    for (int q = 0; q < questions; ++q) {
      matching::Seeker s;
      s.person_id = q + 1;
      s.region_code = hunan[static_cast<size_t>(rnd(static_cast<int>(hunan.size())))];
      s.age = 20 + rnd(35);
      s.education = rnd(4);
      s.intention = wish;
      s.skills = skills(2);
      s.wanted = skills(1);
      s.expected_wage = 300000 + rnd(20) * 10000;
      auto start = Timer::now();
      auto top = engine.JobsFor(s, 10);
      took.push_back(std::chrono::duration<double, std::milli>(Timer::now() - start).count());
      results += top.size();
      scored += static_cast<double>(matching::JobIndex::LastScored());
    }
    std::printf("%-16s %10.3f %10.3f %10.1f %12.0f\n", wish, Percentile(took, 0.5),
                Percentile(took, 0.99), static_cast<double>(results) / questions,
                scored / questions);
  }

  // The baseline: every job checked and scored for one laborer, then the best ten.
  std::vector<double> scan;
  for (int q = 0; q < std::min(questions, 20); ++q) {
    matching::Seeker s;
    s.region_code = hunan[static_cast<size_t>(rnd(static_cast<int>(hunan.size())))];
    s.age = 35;
    s.intention = "out_of_province";
    s.skills = skills(2);
    auto start = Timer::now();
    std::vector<std::pair<double, int64_t>> all;
    for (const auto& o : openings) {
      if (!matching::Rejection(s, o).empty()) continue;
      all.emplace_back(matching::Score(s, o, matching::Weights::Default(), vocabulary).score,
                       o.job_id);
    }
    std::partial_sort(all.begin(), all.begin() + std::min<ptrdiff_t>(10, all.size()), all.end(),
                      std::greater<>());
    scan.push_back(std::chrono::duration<double, std::milli>(Timer::now() - start).count());
  }
  std::printf("%-16s %10.3f %10.3f   (plain scan of all %d jobs, any wish)\n", "scan",
              Percentile(scan, 0.5), Percentile(scan, 0.99), jobs);
  std::printf("goal: p99 <= 1 ms in process on one core\n");

  // Bulk assignment for one county.
  std::vector<int64_t> yongxing;
  for (int64_t v : hunan) {
    if (v / 1000000 == 431023) yongxing.push_back(v);
  }
  std::vector<matching::Opening> local(static_cast<size_t>(county_jobs));
  for (int i = 0; i < county_jobs; ++i) {
    matching::Opening& o = local[static_cast<size_t>(i)];
    o = openings[static_cast<size_t>(i)];
    // Half in the county, the rest in the province and in Guangdong.
    int where = rnd(4);
    o.region_code =
        where < 2
            ? yongxing[static_cast<size_t>(rnd(static_cast<int>(yongxing.size())))] / 1000 * 1000
        : where == 2 ? hunan[static_cast<size_t>(rnd(static_cast<int>(hunan.size())))] / 1000 * 1000
                     : o.region_code;
  }
  matching::Engine county(vocabulary, matching::Weights::Default());
  county.Load(local, {});
  std::vector<matching::Seeker> people(static_cast<size_t>(laborers));
  const char* kWishes[] = {"local", "local", "in_province", "out_of_province"};
  for (int i = 0; i < laborers; ++i) {
    matching::Seeker& s = people[static_cast<size_t>(i)];
    s.person_id = i + 1;
    s.region_code = yongxing[static_cast<size_t>(rnd(static_cast<int>(yongxing.size())))];
    s.age = 18 + rnd(40);
    s.education = rnd(4);
    s.intention = kWishes[rnd(4)];
    s.skills = skills(2);
    s.wanted = skills(1);
    s.expected_wage = 300000 + rnd(20) * 10000;
    s.zero_employment_household = rnd(5) == 0;
  }
  // Three warm runs of the whole assignment (candidates, then the auction), and their median;
  // then LEMON on the last run's graph.
  matching::Candidates county_cands;
  std::vector<double> county_total;
  for (int run = 0; run < 3; ++run) {
    auto a0 = Timer::now();
    county_cands = matching::FindCandidates(county, people, 20);
    auto a1 = Timer::now();
    matching::Proposal p =
        matching::Solve(county, people, county_cands, matching::Solver::kAuction);
    auto a2 = Timer::now();
    double cand_s = std::chrono::duration<double>(a1 - a0).count();
    double solve_s = std::chrono::duration<double>(a2 - a1).count();
    county_total.push_back(cand_s + solve_s);
    std::printf(
        "bulk assignment, %d laborers x %d jobs, run %d: candidates (20 a laborer) %.2f s, "
        "auction %.2f s, %.2f s in all; %zu placed (%d priority), total score %.0f, gap %.2f, "
        "%d candidate edges\n",
        laborers, county_jobs, run + 1, cand_s, solve_s, cand_s + solve_s, p.pairs.size(),
        p.priority_placed, p.total_score, p.gap, p.candidates);
  }
  std::printf("  median of the three runs: %.2f s with candidates\n",
              Percentile(county_total, 0.5));
  {
    auto s0 = Timer::now();
    matching::Proposal p =
        matching::Solve(county, people, county_cands, matching::Solver::kComponents);
    std::printf(
        "  LEMON per component on the same graph: %.2f s, %zu placed (%d priority), total "
        "score %.0f\n",
        std::chrono::duration<double>(Timer::now() - s0).count(), p.pairs.size(), p.priority_placed,
        p.total_score);
  }
  std::printf("goal: <= 2 s with candidates\n");

  int national = argc > 5 ? std::atoi(argv[5]) : 1000000;
  int national_jobs = argc > 6 ? std::atoi(argv[6]) : 100000;
  if (national <= 0) return 0;
  // Sending province -> the eastern province paired with it.
  const std::pair<const char*, const char*> kPairs[] = {
      {"43", "44"}, {"45", "44"}, {"52", "44"}, {"42", "32"}, {"34", "32"}, {"61", "32"},
      {"41", "31"}, {"53", "31"}, {"51", "33"}, {"50", "33"}, {"36", "35"}, {"62", "37"}};
  std::vector<std::vector<int64_t>> home_villages, home_counties, east_cities;
  std::vector<size_t> paired;
  for (const auto& [home, east] : kPairs) {
    home_villages.push_back(Villages(*regions, home));
    std::vector<int64_t> counties, cities;
    for (int64_t v : home_villages.back()) counties.push_back(v / 1000000 * 1000000);
    std::sort(counties.begin(), counties.end());
    counties.erase(std::unique(counties.begin(), counties.end()), counties.end());
    home_counties.push_back(counties);
    for (int64_t v : Villages(*regions, east)) cities.push_back(v / 100000000 * 100000000);
    std::sort(cities.begin(), cities.end());
    cities.erase(std::unique(cities.begin(), cities.end()), cities.end());
    east_cities.push_back(cities);
  }
  auto pick = [&](const std::vector<int64_t>& v) {
    return v[static_cast<size_t>(rnd(static_cast<int>(v.size())))];
  };
  std::vector<matching::Opening> njobs(static_cast<size_t>(national_jobs));
  for (int i = 0; i < national_jobs; ++i) {
    matching::Opening& o = njobs[static_cast<size_t>(i)];
    o = openings[static_cast<size_t>(i) % openings.size()];
    o.job_id = i + 1;
    size_t p = static_cast<size_t>(rnd(static_cast<int>(std::size(kPairs))));
    o.region_code = rnd(100) < 55 ? pick(home_counties[p]) : pick(east_cities[p]);
  }
  matching::Engine nation(vocabulary, matching::Weights::Default());
  nation.Load(njobs, {});
  std::vector<matching::Seeker> nseekers(static_cast<size_t>(national));
  for (int i = 0; i < national; ++i) {
    matching::Seeker& s = nseekers[static_cast<size_t>(i)];
    size_t p = static_cast<size_t>(rnd(static_cast<int>(std::size(kPairs))));
    s.person_id = i + 1;
    s.region_code = pick(home_villages[p]);
    s.age = 18 + rnd(40);
    s.education = rnd(4);
    int wish = rnd(10);
    s.intention = wish < 4   ? "local"
                  : wish < 6 ? "in_province"
                  : wish < 9 ? "named_region"
                             : "out_of_province";
    if (wish >= 6 && wish < 9) {
      s.intention_region = std::atoll(kPairs[p].second) * 10000000000;
    }
    s.skills = skills(2);
    s.wanted = skills(1);
    s.expected_wage = 300000 + rnd(20) * 10000;
    s.zero_employment_household = rnd(5) == 0;
  }
  auto c0 = Timer::now();
  matching::Candidates cands = matching::FindCandidates(nation, nseekers, 20);
  double cand_s = std::chrono::duration<double>(Timer::now() - c0).count();
  size_t edges = 0;
  for (size_t n = 0; n < cands.size(); ++n) edges += cands.at(n).size();
  std::printf("national: %d laborers x %d jobs, candidates (20 a laborer, %zu edges) in %.1f s\n",
              national, national_jobs, edges, cand_s);
  struct Way {
    const char* name;
    matching::Solver solver;
    double tolerance = 0;
  };
  // The whole-graph flow last (it is the slow one); shares printed once it is known.
  struct Result {
    const char* name;
    double seconds;
    matching::Proposal p;
  };
  std::vector<Result> results;
  const std::string ways = argc > 7 ? argv[7] : "12345";
  int number = 0;
  for (Way way : {Way{"auction, 0.1 %", matching::Solver::kAuction, 0.001},
                  Way{"auction, exact", matching::Solver::kAuction},
                  Way{"per home province", matching::Solver::kPartitioned},
                  Way{"greedy", matching::Solver::kGreedy},
                  Way{"one flow (LEMON)", matching::Solver::kWhole}}) {
    if (ways.find(static_cast<char>('1' + number++)) == std::string::npos) continue;
    auto s0 = Timer::now();
    matching::Proposal np = matching::Solve(nation, nseekers, cands, way.solver, way.tolerance);
    results.push_back({way.name, std::chrono::duration<double>(Timer::now() - s0).count(), np});
    std::printf("  %-18s %7.1f s  %8zu placed  %7d priority  score %.0f  gap %.2f\n", way.name,
                results.back().seconds, np.pairs.size(), np.priority_placed, np.total_score,
                np.gap);
    std::fflush(stdout);
  }
  if (ways.find('5') == std::string::npos) return 0;  // no optimum to compare with
  double optimum = results.back().p.total_score;
  for (const Result& r : results) {
    std::printf("  %-18s %.3f %% of the optimum, %d of %d priority laborers placed\n", r.name,
                optimum > 0 ? 100.0 * r.p.total_score / optimum : 0.0, r.p.priority_placed,
                results.back().p.priority_placed);
  }
  std::printf("goal: <= 15 s in all, >= 99.9 %% of the optimum\n");
  return 0;
}
