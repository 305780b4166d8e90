// bench/stats, the engine alone at national scale: a register of LABORERS laborers (default
// 33,000,000) drawn in memory as `jobaid gen --laborers` draws it (households of 1-4 in the
// villages of the 22 central and western provinces; about 1.24 spells a laborer, some in the
// home township, county or province, some in the east; last year's income), fed to the engine
// through the same FactSink a store's scan uses. Prints its memory against the goal and the
// warm time of every tally of every county on one day. The comparison with PostgreSQL on the
// same data is stats_benchmark (bench/stats/run.sh), at a scale a store can be filled to.
//
//   engine_benchmark [LABORERS [REPEATS [CSV_DIR]]]
//
// With CSV_DIR, the drawn register is also written there as households.csv, persons.csv,
// employment.csv and income.csv, for bench/stats/duckdb.mjs to run the same rollup in DuckDB,
// and the nation's tallies are printed to compare with its.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "analytics/register.h"
#include "domain/region.h"

namespace jobaid {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double PeakMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024;
  }
  return 0;
}

int Run(int argc, char** argv) {
  int64_t want = 33'000'000;
  int repeats = 5;
  if (argc > 1 && !absl::SimpleAtoi(argv[1], &want)) return 2;
  if (argc > 2 && !absl::SimpleAtoi(argv[2], &repeats)) return 2;
  const std::string csv_dir = argc > 3 ? argv[3] : "";
  std::FILE* csv[4] = {nullptr, nullptr, nullptr, nullptr};
  if (!csv_dir.empty()) {
    const char* names[4] = {"households", "persons", "employment", "income"};
    const char* headers[4] = {"id,region_code,relocated\n",
                              "id,household_id,birth_date,able,wants\n",
                              "person_id,region_code,start_date,end_date,by_transfer\n",
                              "household_id,year,work,total\n"};
    for (int i = 0; i < 4; ++i) {
      csv[i] = std::fopen((csv_dir + "/" + names[i] + ".csv").c_str(), "w");
      if (csv[i] == nullptr) {
        std::fprintf(stderr, "cannot write %s/%s.csv\n", csv_dir.c_str(), names[i]);
        return 1;
      }
      std::fputs(headers[i], csv[i]);
    }
  }
  auto regions = domain::RegionTable::Load(JOBAID_REGIONS_FILE);
  if (!regions.ok()) return 1;
  const std::vector<int> home = {13, 14, 15, 22, 23, 34, 36, 41, 42, 43, 45,
                                 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65};
  const std::vector<int> east = {11, 12, 31, 32, 33, 35, 37, 44};
  std::vector<int64_t> villages, east_counties;
  for (size_t i = 0; i < regions->size(); ++i) {
    domain::Region r = regions->at(i);
    int province = static_cast<int>(r.code / 10000000000);
    if (r.level == domain::RegionLevel::kVillage &&
        std::find(home.begin(), home.end(), province) != home.end()) {
      villages.push_back(r.code);
    }
    if (r.level == domain::RegionLevel::kCounty &&
        std::find(east.begin(), east.end(), province) != east.end()) {
      east_counties.push_back(r.code);
    }
  }
  std::sort(villages.begin(), villages.end());
  const Date today = Date::FromCivil(2026, 11, 26);
  const domain::CountingDay bounds(today);

  // Draw the register in code order: households per village, as many as it takes.
  std::mt19937_64 rng(20261126);
  auto uniform = [&](int lo, int hi) {
    return lo + static_cast<int>(rng() % static_cast<uint64_t>(hi - lo + 1));
  };
  auto chance = [&](double p) { return static_cast<double>(rng() % 1000000) < p * 1e6; };
  const int64_t households_per_village =
      std::max<int64_t>(1, want / 0.5 / 2.5 / static_cast<double>(villages.size()) + 1);
  analytics::Register::Columns cols;
  std::vector<domain::PersonFact> persons;
  std::vector<domain::SpellFact> spells;
  std::vector<domain::IncomeFact> incomes;
  int64_t laborers = 0, id = 0;
  auto t = Clock::now();
  for (size_t v = 0; v < villages.size() && laborers < want; ++v) {
    // One village at a time through the sink, as a store's scan of a range would be.
    persons.clear();
    spells.clear();
    incomes.clear();
    std::vector<domain::HouseholdFact> hhs;
    cols.BeginScan();
    for (int64_t k = 0; k < households_per_village && laborers < want; ++k) {
      domain::HouseholdFact h{++id, villages[v], chance(0.1)};
      hhs.push_back(h);
      int members = uniform(1, 4);
      int64_t wages = 0;
      for (int m = 0; m < members; ++m) {
        domain::PersonFact p;
        p.id = ++id;
        p.household_id = h.id;
        p.birth_date = today.AddDays(-uniform(0, 85 * 365));
        p.able = chance(0.9);
        p.wants = chance(0.7);
        persons.push_back(p);
        bool lab = p.able && p.birth_date <= bounds.born_by && p.birth_date > bounds.born_after;
        laborers += lab;
        if (!lab || !(p.wants ? chance(0.85) : chance(0.5))) continue;
        // Earlier seasons, then the current spell (ended for some).
        Date start = today.AddDays(-uniform(30, 1000));
        std::vector<domain::SpellFact> mine;
        Date earliest = start;
        while (chance(0.4)) {
          Date end = earliest.AddDays(-uniform(20, 90));
          earliest = end.AddDays(-uniform(60, 120));
          mine.push_back({p.id, villages[v] / 1000 * 1000, earliest, end, false});
        }
        std::reverse(mine.begin(), mine.end());
        int where = uniform(0, 99);
        int64_t work = where < 40   ? villages[v] / 1000 * 1000
                       : where < 55 ? villages[v] / 1000000 * 1000000
                       : where < 70 ? (villages[v] / 10000000000 * 100 + 1) * 100000000
                                    : east_counties[static_cast<size_t>(
                                          uniform(0, static_cast<int>(east_counties.size()) - 1))];
        mine.push_back({p.id, work, start, chance(0.2) ? today.AddDays(-uniform(1, 29)) : Date(),
                        chance(0.3)});
        spells.insert(spells.end(), mine.begin(), mine.end());
        wages += 300000 * 10;
      }
      incomes.push_back({h.id, today.year() - 1, wages + uniform(0, 12) * 100000,
                         wages + uniform(20, 60) * 100000});
    }
    for (const auto& h : hhs) (void)cols.Household(h);
    for (const auto& p : persons) (void)cols.Person(p);
    for (const auto& s : spells) (void)cols.Spell(s);
    for (const auto& i : incomes) (void)cols.Income(i);
    cols.EndScan();
    if (csv[0] != nullptr) {
      for (const auto& h : hhs) {
        std::fprintf(csv[0], "%lld,%lld,%d\n", static_cast<long long>(h.id),
                     static_cast<long long>(h.region_code), h.relocated ? 1 : 0);
      }
      for (const auto& p : persons) {
        std::fprintf(csv[1], "%lld,%lld,%s,%d,%d\n", static_cast<long long>(p.id),
                     static_cast<long long>(p.household_id), p.birth_date.ToString().c_str(),
                     p.able ? 1 : 0, p.wants ? 1 : 0);
      }
      for (const auto& e : spells) {
        std::fprintf(csv[2], "%lld,%lld,%s,%s,%d\n", static_cast<long long>(e.person_id),
                     static_cast<long long>(e.region_code), e.start.ToString().c_str(),
                     e.end.valid() ? e.end.ToString().c_str() : "", e.by_transfer ? 1 : 0);
      }
      for (const auto& i : incomes) {
        std::fprintf(csv[3], "%lld,%d,%lld,%lld\n", static_cast<long long>(i.household_id), i.year,
                     static_cast<long long>(i.work), static_cast<long long>(i.total));
      }
    }
  }
  double drawn = Since(t);
  for (std::FILE* f : csv) {
    if (f != nullptr) std::fclose(f);
  }
  analytics::Register reg;
  reg.Reset(std::move(cols));
  std::printf(
      "engine_benchmark: %zu households, %zu persons, %lld laborers, %zu spells "
      "(%.2f a laborer) drawn and loaded in %.1f s\n",
      reg.households(), reg.persons(), static_cast<long long>(laborers), reg.spells(),
      static_cast<double>(reg.spells()) / static_cast<double>(laborers), drawn);
  double goal = 64.0 * static_cast<double>(laborers) + 16.0 * static_cast<double>(reg.spells());
  std::printf(
      "memory: %.0f MB = %.1f bytes a laborer; goal 64 a laborer + 16 a spell = %.0f MB "
      "(%s); peak resident %.0f MB\n",
      static_cast<double>(reg.MemoryBytes()) / 1e6,
      static_cast<double>(reg.MemoryBytes()) / static_cast<double>(laborers), goal / 1e6,
      static_cast<double>(reg.MemoryBytes()) <= goal ? "met" : "NOT met", PeakMb());
  const std::vector<Date> days = {today};
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int threads : {cores, 1}) {
    std::vector<double> times;
    size_t counties = 0;
    for (int i = 0; i < repeats; ++i) {
      auto s = Clock::now();
      auto out = reg.Count(domain::RegionRange::Nation(), 1000000, days, threads);
      times.push_back(Since(s));
      counties = out[0].size();
    }
    std::sort(times.begin(), times.end());
    std::printf(
        "all %zu counties, every tally, one day, %d thread%s: %.3f s median, %.3f min; "
        "goal <= 0.25 s\n",
        counties, threads, threads == 1 ? "" : "s", times[times.size() / 2], times[0]);
  }
  if (!csv_dir.empty()) {
    auto nation = reg.Count(domain::RegionRange::Nation(), 1000000000000, days, cores)[0];
    const domain::IndicatorCounts& n = nation.front();
    std::printf(
        "nation: persons %lld laborers %lld employed %lld stable %lld out_migrants %lld "
        "out_migrants_year_end %lld zero_employment_households %lld income_work %lld\n",
        static_cast<long long>(n.persons), static_cast<long long>(n.laborers),
        static_cast<long long>(n.employed), static_cast<long long>(n.stable),
        static_cast<long long>(n.out_migrants()), static_cast<long long>(n.out_migrants_year_end),
        static_cast<long long>(n.zero_employment_households),
        static_cast<long long>(n.income_work));
  }
  return 0;
}

}  // namespace
}  // namespace jobaid

int main(int argc, char** argv) { return jobaid::Run(argc, argv); }
