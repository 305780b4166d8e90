// bench/stats: every indicator of every county on one day, from the analytics engine, next to
// the same rollup as one SQL query (Transaction::CountIndicators) on the same store, in the
// same run. Run by bench/stats/run.sh, which generates the register (jobaid gen --laborers)
// into a throw-away PostgreSQL server first.
//
//   stats_benchmark DATA_DIR STORE_URL [REPEATS [nosql]]
//
// Prints: the load, the register's size and bytes per laborer against the goal (64 a laborer
// plus 16 a spell), the warm wall time of the engine (all threads and one), the SQL's time,
// whether both agree exactly, and what one new spell costs before the figures show it.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "common/status.h"
#include "server/app.h"
#include "service/spells_change.h"

namespace jobaid {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Resident and peak resident memory of this process, in MB.
std::pair<double, double> MemoryMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  double rss = 0, peak = 0;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) rss = std::stod(line.substr(6)) / 1024;
    if (line.rfind("VmHWM:", 0) == 0) peak = std::stod(line.substr(6)) / 1024;
  }
  return {rss, peak};
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Run(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: stats_benchmark DATA_DIR STORE_URL [REPEATS]\n");
    return 2;
  }
  int repeats = 5;
  if (argc > 3 && !absl::SimpleAtoi(argv[3], &repeats)) return 2;
  const bool with_sql = !(argc > 4 && std::string(argv[4]) == "nosql");
  server::AppOptions opt;
  opt.data_dir = argv[1];
  opt.store_url = argv[2];
  opt.regions_file = JOBAID_REGIONS_FILE;
  auto app = server::App::Open(opt);
  if (!app.ok()) {
    std::fprintf(stderr, "%s\n", app.status().ToString().c_str());
    return 1;
  }
  service::IndicatorService& ind = (*app)->indicators();
  storage::Store& store = (*app)->store();
  const Date day = (*app)->context().clock.Today();
  const std::vector<Date> days = {day};
  const domain::RegionRange nation = domain::RegionRange::Nation();
  constexpr int64_t kCounty = 1000000;

  auto [rss0, peak0] = MemoryMb();
  auto t = Clock::now();
  auto size = ind.RegisterSize();
  if (!size.ok()) {
    std::fprintf(stderr, "loading: %s\n", size.status().ToString().c_str());
    return 1;
  }
  double load = Since(t);
  auto [rss1, peak1] = MemoryMb();

  // The engine: all counties, every tally (the going-out ratio's last year's end included).
  std::vector<std::vector<domain::IndicatorCounts>> engine;
  auto timed = [&](int threads) {
    std::vector<double> times;
    for (int i = 0; i < repeats; ++i) {
      auto s = Clock::now();
      auto r = ind.Tallies(nation, kCounty, days, threads);
      times.push_back(Since(s));
      if (!r.ok()) {
        std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
        std::exit(1);
      }
      engine = std::move(*r);
    }
    return times;
  };
  std::vector<double> all_threads = timed(0), one_thread = timed(1);
  auto [rss2, peak2] = MemoryMb();
  int64_t laborers = 0, employed = 0;
  for (const auto& c : engine[0]) {
    laborers += c.laborers;
    employed += c.employed;
  }

  // The same rollup by SQL on the store.
  std::vector<std::vector<domain::IndicatorCounts>> sql(days.size());
  t = Clock::now();
  absl::Status s = store.Read([&](storage::Transaction& tx) -> absl::Status {
    for (size_t d = 0; with_sql && d < days.size(); ++d) {
      JA_ASSIGN_OR_RETURN(sql[d], tx.CountIndicators(nation, kCounty, days[d]));
    }
    return absl::OkStatus();
  });
  double sql_time = Since(t);
  if (!s.ok()) {
    std::fprintf(stderr, "SQL: %s\n", s.ToString().c_str());
    return 1;
  }
  bool agree = !with_sql || sql == engine;

  // One new spell: written, then reflected before the next answer. As the service announces
  // it (all the person's spells, set in memory), and, for comparison, as a change to the
  // household that is read again from the store.
  std::vector<double> reflect, reread, write, write_reread;
  storage::PersonQuery q;
  q.page.limit = 40;
  q.page.count = false;
  std::vector<domain::Person> people;
  (void)store.Read([&](storage::Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(auto page, tx.ListPersons(q));
    people = page.items;
    return absl::OkStatus();
  });
  for (size_t i = 0; i < people.size(); ++i) {
    const domain::Person& p = people[i];
    const bool announced = i % 2 == 0;
    auto w = Clock::now();
    absl::Status written = store.Write([&](storage::Transaction& tx) -> absl::Status {
      domain::Employment e;
      e.person_id = p.id;
      e.kind = "local";
      e.region_code = p.region_code / 1000 * 1000;
      e.start_date = day.AddDays(1);  // tomorrow: no overlap with what they have
      e.part_time = true;
      e.how_found = "match";
      JA_RETURN_IF_ERROR(tx.InsertEmployment(e));
      if (!announced) {
        tx.Notify(storage::Change::Record(storage::Topic::kHousehold, p.household_id.value()));
        return absl::OkStatus();
      }
      return service::AnnounceSpells(tx, p);
    });
    if (!written.ok()) continue;
    (announced ? write : write_reread).push_back(Since(w));
    auto r = Clock::now();
    if (!ind.Warm().ok()) return 1;
    (announced ? reflect : reread).push_back(Since(r));
  }
  double goal_bytes =
      64.0 * static_cast<double>(laborers) + 16.0 * static_cast<double>(size->spells);
  std::printf("bench/stats on %s, %s\n", opt.store_url.c_str(), day.ToString().c_str());
  std::printf(
      "register: %zu households, %zu persons (%lld laborers, %lld employed), %zu spells; "
      "%zu counties\n",
      size->households, size->persons, static_cast<long long>(laborers),
      static_cast<long long>(employed), size->spells, engine[0].size());
  std::printf("load from the store: %.1f s; resident %.0f MB -> %.0f MB, peak %.0f MB\n", load,
              rss0, rss1, std::max(peak1, peak2));
  std::printf(
      "engine memory: %.0f MB = %.1f bytes a laborer; goal 64 a laborer + 16 a spell = "
      "%.0f MB (%s)\n",
      static_cast<double>(size->bytes) / 1e6,
      static_cast<double>(size->bytes) / static_cast<double>(std::max<int64_t>(laborers, 1)),
      goal_bytes / 1e6, static_cast<double>(size->bytes) <= goal_bytes ? "met" : "NOT met");
  std::printf(
      "all counties, every tally, warm: %.3f s median (%.3f min) on all cores, "
      "%.3f s on one core; goal <= 0.25 s\n",
      Median(all_threads), *std::min_element(all_threads.begin(), all_threads.end()),
      Median(one_thread));
  if (with_sql) {
    std::printf(
        "the same as SQL (CountIndicators, one query): %.1f s; engine %.0fx faster; "
        "results %s\n",
        sql_time, sql_time / Median(all_threads), agree ? "agree exactly" : "DIFFER");
  }
  if (!reflect.empty() && !reread.empty()) {
    std::printf(
        "one new spell reflected from its announcement: %.3f ms median, %.3f ms max of %zu "
        "(goal <= 1 ms); its write, announcement included, %.3f ms median\n",
        Median(reflect) * 1e3, *std::max_element(reflect.begin(), reflect.end()) * 1e3,
        reflect.size(), Median(write) * 1e3);
    std::printf(
        "  the same with the household read again from the store: %.3f ms median, "
        "%.3f ms max of %zu; its write %.3f ms median\n",
        Median(reread) * 1e3, *std::max_element(reread.begin(), reread.end()) * 1e3, reread.size(),
        Median(write_reread) * 1e3);
  }
  return agree ? 0 : 1;
}

}  // namespace
}  // namespace jobaid

int main(int argc, char** argv) { return jobaid::Run(argc, argv); }
