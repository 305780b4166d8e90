// bench/import: rows per second of `jobaid import persons` on a generated 1,000,000-row CSV, with
// full validation, encryption and upserts, next to bare SQLite insert loops of the same rows in
// the same run (into a raw table, and into the register's own tables). Prints the rates and the
// import's share of each.
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

// Two more baselines: the same rows written straight into the register's own tables (the
// schema, indexes and foreign keys of a migrated store), one prepared statement per table, no
// validation and no encryption (random bytes of the sealed sizes stand in). What SQLite alone
// costs for this data model: with the indexes kept up row by row, or (`rebuild_indexes`) set
// aside and made again after the rows, as the import does with large files.
double SchemaInsertSeconds(const std::string& data_dir,
                           const std::vector<std::vector<std::string>>& rows,
                           bool rebuild_indexes) {
  {
    jobaid::server::AppOptions opt;
    opt.data_dir = data_dir;
    opt.regions_file = JOBAID_REGIONS_FILE;
    auto app = jobaid::server::App::Open(opt);  // creates and migrates
    if (!app.ok()) return -1;
  }
  sqlite3* db;
  sqlite3_open((data_dir + "/jobaid.db").c_str(), &db);
  sqlite3_exec(db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-524288;",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* hh;
  sqlite3_stmt* person;
  sqlite3_prepare_v2(
      db,
      "INSERT INTO household (id, province_code, region_code, head_name, head_id_enc, "
      "head_id_hash, poverty_type, status, phone_enc, created_at, updated_at) "
      "VALUES (?,?,?,?,randomblob(58),randomblob(16),?,'lifted',randomblob(51),0,0)",
      -1, &hh, nullptr);
  sqlite3_prepare_v2(
      db,
      "INSERT INTO person (id, province_code, household_id, region_code, name, id_number_enc, "
      "id_number_hash, gender, birth_date, phone_enc, relation, education, health, "
      "work_ability, skills, certificates, intention, intention_region, wanted_occupations, "
      "expected_wage, note, created_at, updated_at, deleted_at, delete_reason, version) VALUES "
      "(?,?,?,?,?,randomblob(58),randomblob(16),'male','1980-01-01',randomblob(51),"
      "'other',?,'healthy','ordinary',?,'',?,0,'',?,'',0,0,0,'',1)",
      -1, &person, nullptr);
  auto start = Clock::now();
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  std::vector<std::pair<std::string, std::string>> indexes;  // name, CREATE statement
  if (rebuild_indexes) {
    sqlite3_stmt* list;
    sqlite3_prepare_v2(db,
                       "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT "
                       "NULL AND tbl_name IN ('person', 'household')",
                       -1, &list, nullptr);
    while (sqlite3_step(list) == SQLITE_ROW) {
      indexes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(list, 0)),
                           reinterpret_cast<const char*>(sqlite3_column_text(list, 1)));
    }
    sqlite3_finalize(list);
    for (const auto& [name, sql] : indexes) {
      sqlite3_exec(db, ("DROP INDEX " + name).c_str(), nullptr, nullptr, nullptr);
    }
  }
  int64_t household = 0, region = 0;
  int64_t id = 1;
  for (const auto& r : rows) {
    auto text = [](sqlite3_stmt* st, int i, const std::string& v) {
      sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    };
    if (r[1] == r[2]) {  // a householder's row
      household = id++;
      region = std::atoll(r[3].c_str());
      sqlite3_bind_int64(hh, 1, household);
      sqlite3_bind_int64(hh, 2, region / 10000000000);
      sqlite3_bind_int64(hh, 3, region);
      text(hh, 4, r[0]);
      text(hh, 5, r[4]);
      sqlite3_step(hh);
      sqlite3_reset(hh);
    }
    sqlite3_bind_int64(person, 1, id++);
    sqlite3_bind_int64(person, 2, region / 10000000000);
    sqlite3_bind_int64(person, 3, household);
    sqlite3_bind_int64(person, 4, region);
    text(person, 5, r[0]);
    text(person, 6, r[6]);
    text(person, 7, r[8]);
    text(person, 8, r[7]);
    sqlite3_bind_int64(person, 9, std::atoll(r[9].c_str()) * 100);
    if (sqlite3_step(person) != SQLITE_DONE) {
      std::fprintf(stderr, "schema baseline: %s\n", sqlite3_errmsg(db));
      return -1;
    }
    sqlite3_reset(person);
  }
  for (const auto& [name, sql] : indexes) {
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "schema baseline: %s\n", sqlite3_errmsg(db));
      return -1;
    }
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  double secs = Seconds(start);
  sqlite3_finalize(hh);
  sqlite3_finalize(person);
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
  double schema = SchemaInsertSeconds(work + "/schema", cells, false);
  double schema_rebuilt = SchemaInsertSeconds(work + "/schema-rebuilt", cells, true);
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
  auto line = [&](const char* what, double secs, const char* how) {
    std::printf("%-30s %9.0f rows/s  (%.2f s; %s)\n", what, rows / secs, secs, how);
  };
  line("import with validation:", full, "JobAid's import: checks, sealing, households made");
  line("bare SQLite, raw table:", bare, "10 text columns, no index, no constraint");
  line("bare SQLite, register tables:", schema, "same tables, keys and indexes, no checks");
  line("  ... indexes rebuilt after:", schema_rebuilt, "as above, indexes set aside and remade");
  std::printf(
      "import / bare: %.1f %% of the raw table, %.1f %% of the register tables, %.1f %% of the "
      "register tables with indexes rebuilt (goals: >= 100000 rows/s, >= 50 %%)\n",
      100.0 * bare / full, 100.0 * schema / full, 100.0 * schema_rebuilt / full);
  app->reset();  // waits for the background checkpoint, then closes the log
  std::printf("database after the import: %.0f MB\n",
              std::filesystem::file_size(opt.data_dir + "/jobaid.db") / 1e6);
  std::filesystem::remove_all(work);
  return 0;
}
