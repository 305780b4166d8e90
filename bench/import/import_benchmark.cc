// bench/import: rows per second of `jobaid import persons` on a generated 1,000,000-row CSV, with
// full validation, encryption and upserts, next to a bare SQLite insert loop of the same rows
// in the same run. Prints both rates and their ratio.
//
//   import_benchmark [ROWS] [WORK_DIR]
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/identifiers.h"
#include "io/csv.h"
#include "io/table.h"
#include "server/app.h"
#include "service/import_service.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Households of one to four people (the householder's row first) in the villages of Hunan,
// with valid, distinct ID numbers.
std::string GenerateCsv(const jobaid::domain::RegionTable& regions, int rows) {
  std::vector<int64_t> villages;
  auto hunan = regions.Lookup("43");
  auto [first, last] = regions.Slice(hunan->range());
  for (size_t i = first; i < last; ++i) {
    if (regions.at(i).level == jobaid::domain::RegionLevel::kVillage)
      villages.push_back(regions.at(i).code);
  }
  static const char* kSkills[] = {"电焊、瓦工", "厨师", "缝纫", "", "驾驶、电工", "种植"};
  static const char* kIntent[] = {"省外", "县内", "省内", "无", "省外"};
  std::string csv =
      "姓名,公民身份号码,户主公民身份号码,所在村,户类型,联系电话,文化程度,就业意愿,技能特长,"
      "期望月薪(元)\r\n";
  csv.reserve(static_cast<size_t>(rows) * 150);
  uint64_t state = 42;
  auto rnd = [&state](int n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state >> 33) % static_cast<uint64_t>(n));
  };
  std::string head_id;
  int64_t village = 0;
  int left_in_household = 0;
  jobaid::Date base = jobaid::Date::FromCivil(1960, 1, 1);
  for (int i = 0; i < rows; ++i) {
    bool head = left_in_household == 0;
    if (head) {
      left_in_household = 1 + rnd(4);
      village = villages[static_cast<size_t>(rnd(static_cast<int>(villages.size())))];
    }
    --left_in_household;
    jobaid::Date birth = base.AddDays(i / 1000 % 16000);
    int county = static_cast<int>(village / 1000000);
    std::string first17 = absl::StrFormat("%06d%04d%02d%02d%03d", county, birth.year(),
                                          birth.month(), birth.day(), i % 1000);
    std::string id = first17 + jobaid::domain::IdNumberCheckChar(first17);
    if (head) head_id = id;
    absl::StrAppend(&csv, "劳动者", i, ",", id, ",", head_id, ",",
                    head ? jobaid::domain::FormatRegionCode(village) : "", ",",
                    head ? "脱贫户" : "", ",13", 100000000 + i, ",初中,", kIntent[rnd(5)], ",",
                    kSkills[rnd(6)], ",", 3000 + rnd(30) * 100, "\r\n");
  }
  return csv;
}

// The baseline: the same rows, already split into cells, inserted as they are into a table of
// as many text columns, one prepared statement, one transaction, same pragmas as the store.
double BareInsertSeconds(const std::string& path,
                         const std::vector<std::vector<std::string>>& rows) {
  sqlite3* db;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
               nullptr, nullptr, nullptr);
  sqlite3_exec(db,
               "CREATE TABLE raw (a TEXT, b TEXT, c TEXT, d TEXT, e TEXT, f TEXT, g TEXT, h TEXT, "
               "i TEXT, j TEXT)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* st;
  sqlite3_prepare_v2(db, "INSERT INTO raw VALUES (?,?,?,?,?,?,?,?,?,?)", -1, &st, nullptr);
  auto start = Clock::now();
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  for (const auto& r : rows) {
    for (int c = 0; c < 10; ++c) {
      const std::string& v = r[static_cast<size_t>(c)];
      sqlite3_bind_text(st, c + 1, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    }
    sqlite3_step(st);
    sqlite3_reset(st);
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  double secs = Seconds(start);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return secs;
}

}  // namespace

int main(int argc, char** argv) {
  int rows = argc > 1 ? std::atoi(argv[1]) : 1000000;
  std::string work = argc > 2 ? argv[2]
                              : absl::StrCat(std::filesystem::temp_directory_path().string(),
                                             "/jobaid-bench-import-", getpid());
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);

  jobaid::server::AppOptions opt;
  opt.data_dir = work + "/var";
  opt.regions_file = JOBAID_REGIONS_FILE;
  auto app = jobaid::server::App::Open(opt);
  if (!app.ok()) {
    std::fprintf(stderr, "%s\n", std::string(app.status().message()).c_str());
    return 1;
  }
  auto t0 = Clock::now();
  std::string csv = GenerateCsv((*app)->regions(), rows);
  std::printf("generated %d rows (%.1f MB) in %.2f s\n", rows, csv.size() / 1e6, Seconds(t0));

  // The same rows, split once, for the baseline.
  std::vector<std::vector<std::string>> cells;
  cells.reserve(static_cast<size_t>(rows));
  {
    jobaid::io::CsvReader reader(csv);
    std::vector<std::string> row;
    (void)reader.Next(row);  // header
    while (*reader.Next(row)) cells.push_back(row);
  }
  double bare = BareInsertSeconds(work + "/bare.db", cells);
  cells.clear();
  cells.shrink_to_fit();

  jobaid::service::ImportOptions io;
  io.kind = jobaid::io::EntityKind::kPersons;
  auto start = Clock::now();
  auto report = (*app)->imports().Import(jobaid::auth::Actor::System(), std::move(csv), io);
  double full = Seconds(start);
  if (!report.ok() || !report->errors.empty() || report->inserted != rows) {
    std::fprintf(stderr, "import failed: %s %s\n",
                 report.ok() ? "" : std::string(report.status().message()).c_str(),
                 report.ok() && !report->errors.empty() ? report->errors[0].message.c_str() : "");
    return 1;
  }
  double full_rate = rows / full, bare_rate = rows / bare;
  std::printf(
      "import with validation: %9.0f rows/s  (%.2f s, %lld persons, households made on the way)\n",
      full_rate, full, static_cast<long long>(report->inserted));
  std::printf("bare SQLite inserts:    %9.0f rows/s  (%.2f s)\n", bare_rate, bare);
  std::printf("ratio: %.1f %% of the bare rate (goals: >= 100000 rows/s, >= 50 %%)\n",
              100.0 * full_rate / bare_rate);
  app->reset();
  std::filesystem::remove_all(work);
  return 0;
}
