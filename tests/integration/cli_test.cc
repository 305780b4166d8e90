// The jobaid binary as a user runs it: help texts, and the commands that work on a store.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "integration/http_client.h"
#include "io/table.h"
#include "storage/migrations.h"
#include "test_support.h"

namespace jobaid::testing {
namespace {

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(Cli, HelpDocumentsEveryCommand) {
  std::string out;
  ASSERT_EQ(RunJobaid({"--help"}, &out), 0);
  for (const char* cmd : {"serve", "demo", "import", "export", "user", "migrate", "regions",
                          "migrate-store", "backup", "restore", "match", "gen"}) {
    EXPECT_TRUE(Contains(out, cmd)) << cmd;
    std::string sub;
    EXPECT_EQ(RunJobaid({cmd, "--help"}, &sub), 0) << cmd;
    EXPECT_TRUE(Contains(sub, "--help")) << sub;
  }
  ASSERT_EQ(RunJobaid({"user", "--help"}, &out), 0);
  for (const char* sub : {"add", "list", "passwd"}) EXPECT_TRUE(Contains(out, sub)) << sub;
  EXPECT_NE(RunJobaid({"nonsense"}, &out), 0);
}

TEST(Cli, RegionsShowsThePathFromTheProvinceDown) {
  std::string out;
  ASSERT_EQ(RunJobaid({"regions", "431023101201"}, &out), 0) << out;
  EXPECT_TRUE(Contains(out, "430000000000  province   湖南省")) << out;
  EXPECT_TRUE(Contains(out, "井岗村")) << out;
  ASSERT_EQ(RunJobaid({"regions", "永兴", "--within", "43"}, &out), 0) << out;
  EXPECT_TRUE(Contains(out, "431023000000")) << out;
  EXPECT_NE(RunJobaid({"regions", "9999"}, &out), 0);
}

TEST(Cli, ImportRejectsABadFileWholeThenTakesTheFixedOne) {
  TempDir dir;
  std::string data = dir.File("var"), out;
  ASSERT_EQ(RunJobaid({"migrate", "--data", data, "--check"}, &out), 0) << out;
  // The newest version: as many as there are migrations.
  EXPECT_TRUE(Contains(
      out, absl::StrCat("schema version ", storage::SqliteMigrations().back().version, ".")))
      << out;
  std::string head = IdNumberFor(431023, Date::FromCivil(1980, 2, 2), 11);
  std::string bad = IdNumberFor(431023, Date::FromCivil(1981, 3, 3), 12);
  bad[17] = bad[17] == '1' ? '2' : '1';
  std::string csv = absl::StrCat("姓名,公民身份号码,户主公民身份号码,所在村,户类型\n", "甲,", head,
                                 ",", head, ",井岗村,脱贫户\n", "乙,", bad, ",", head, ",,\n");
  ASSERT_TRUE(io::WriteFile(dir.File("p.csv"), csv).ok());
  EXPECT_EQ(RunJobaid({"import", "persons", dir.File("p.csv"), "--data", data, "--as", "",
                       "--report", dir.File("report.csv")},
                      &out),
            3)
      << out;
  EXPECT_TRUE(Contains(out, "row 3")) << out;
  EXPECT_TRUE(Contains(out, "Nothing was written")) << out;
  EXPECT_TRUE(Contains(*io::ReadFile(dir.File("report.csv")), "公民身份号码"));
  ASSERT_EQ(RunJobaid({"export", "persons", dir.File("none.csv"), "--data", data}, &out), 0);
  EXPECT_TRUE(Contains(out, "(0 rows)")) << out;

  std::string good = IdNumberFor(431023, Date::FromCivil(1981, 3, 3), 12);
  csv = absl::StrCat("姓名,公民身份号码,户主公民身份号码,所在村,户类型\n", "甲,", head, ",", head,
                     ",井岗村,脱贫户\n", "乙,", good, ",", head, ",,\n");
  ASSERT_TRUE(io::WriteFile(dir.File("p.csv"), csv).ok());
  ASSERT_EQ(RunJobaid({"import", "persons", dir.File("p.csv"), "--data", data}, &out), 0) << out;
  EXPECT_TRUE(Contains(out, "2 inserted")) << out;
  ASSERT_EQ(RunJobaid({"export", "persons", dir.File("all.xlsx"), "--data", data}, &out), 0);
  EXPECT_TRUE(Contains(out, "(2 rows)")) << out;
  ASSERT_EQ(
      RunJobaid({"export", "households", dir.File("t.csv"), "--template", "--data", data}, &out),
      0);
  EXPECT_TRUE(Contains(*io::ReadFile(dir.File("t.csv")), "户主公民身份号码"));
}

TEST(Cli, BackupRestoreAndMigrateStoreKeepEveryRow) {
  TempDir dir;
  std::string a = dir.File("a"), b = dir.File("b"), out, exported_a, exported_b;
  ASSERT_EQ(RunJobaid({"demo", "--data", a}, &out), 0) << out;
  ASSERT_EQ(RunJobaid({"backup", "--data", a, dir.File("backup.db")}, &out), 0) << out;
  EXPECT_TRUE(Contains(out, "every row checked")) << out;
  EXPECT_NE(RunJobaid({"backup", "--data", a, dir.File("backup.db")}, &out), 0);  // exists
  std::filesystem::create_directories(b);
  std::filesystem::copy_file(a + "/jobaid.key", b + "/jobaid.key");
  ASSERT_EQ(RunJobaid({"restore", "--data", b, dir.File("backup.db")}, &out), 0) << out;
  EXPECT_NE(RunJobaid({"restore", "--data", b, dir.File("backup.db")}, &out), 0);  // not empty
  // In full (with a reason), so that every digit of every ID number is compared.
  ASSERT_EQ(
      RunJobaid({"export", "persons", dir.File("a.csv"), "--data", a, "--reason", "check"}, &out),
      0);
  ASSERT_EQ(
      RunJobaid({"export", "persons", dir.File("b.csv"), "--data", b, "--reason", "check"}, &out),
      0);
  EXPECT_EQ(io::ReadFile(dir.File("a.csv"))->find("********"), std::string::npos);
  EXPECT_EQ(*io::ReadFile(dir.File("a.csv")), *io::ReadFile(dir.File("b.csv")));
  // A county's SQLite file into PostgreSQL, when the tests run next to a server.
  if (const char* pg = std::getenv("JOBAID_TEST_PG")) {
    std::string url = FreshPostgresDatabase(pg);
    ASSERT_EQ(
        RunJobaid({"migrate-store", "--from", "sqlite:" + a + "/jobaid.db", "--to", url}, &out), 0)
        << out;
    ASSERT_EQ(RunJobaid({"export", "persons", dir.File("pg.csv"), "--data", a, "--store", url,
                         "--reason", "check"},
                        &out),
              0)
        << out;
    EXPECT_EQ(*io::ReadFile(dir.File("a.csv")), *io::ReadFile(dir.File("pg.csv")));
    // Without the key, a server must not make a new one over sealed data.
    EXPECT_NE(RunJobaid({"export", "persons", dir.File("x.csv"), "--data", dir.File("nokey"),
                         "--store", url},
                        &out),
              0);
    EXPECT_TRUE(Contains(out, "is missing")) << out;
  }
}

TEST(Cli, UsersAreAddedAndListed) {
  TempDir dir;
  std::string data = dir.File("var"), out;
  EXPECT_EQ(RunJobaid({"user", "add", "chen", "--role", "officer", "--region", "431023",
                       "--password", "secret-pass", "--data", data},
                      &out),
            0)
      << out;
  EXPECT_NE(RunJobaid({"user", "add", "chen", "--role", "officer", "--region", "431023",
                       "--password", "secret-pass", "--data", data},
                      &out),
            0);
  EXPECT_NE(
      RunJobaid({"user", "add", "wu", "--role", "officer", "--password", "short", "--data", data},
                &out),
      0);
  ASSERT_EQ(RunJobaid({"user", "list", "--data", data}, &out), 0);
  EXPECT_TRUE(Contains(out, "chen")) << out;
  EXPECT_TRUE(Contains(out, "永兴县")) << out;
}

TEST(Cli, MatchProposesForATownshipWritesTheReportAndConfirms) {
  TempDir dir;
  std::string data = dir.File("var"), out;
  ASSERT_EQ(RunJobaid({"demo", "--data", data}, &out), 0) << out;
  std::string report = dir.File("pairs.csv");
  ASSERT_EQ(
      RunJobaid({"match", "--data", data, "--region", "431023101", "--report", report, "--confirm"},
                &out),
      0)
      << out;
  EXPECT_TRUE(Contains(out, "马田镇")) << out;
  int placed = 0;
  ASSERT_EQ(std::sscanf(out.substr(out.find("job seekers, ") + 13).c_str(), "%d placed", &placed),
            1)
      << out;
  EXPECT_GT(placed, 0);
  EXPECT_TRUE(Contains(out, absl::StrCat(placed, " recommendations made"))) << out;
  auto csv = io::ReadFile(report);
  ASSERT_TRUE(csv.ok());
  EXPECT_TRUE(Contains(*csv, "推荐理由"));
  EXPECT_EQ(std::count(csv->begin(), csv->end(), '\n'), placed + 1);
  // Those put forward are being followed up: a second run leaves them out.
  ASSERT_EQ(RunJobaid({"match", "--data", data, "--region", "431023101"}, &out), 0) << out;
  EXPECT_TRUE(Contains(out, absl::StrCat(placed, " job seekers with an application in progress")))
      << out;
  // An officer of another county cannot run it here.
  EXPECT_NE(RunJobaid({"match", "--data", data, "--region", "431023101", "--as", "guiyang"}, &out),
            0);
  EXPECT_NE(RunJobaid({"match", "--data", data, "--region", "4310231019"}, &out), 0);
  EXPECT_TRUE(Contains(out, "is not a region code")) << out;
}

TEST(Cli, MatchAndServeTakeTheWeightsFileTheyAreGiven) {
  unsetenv("JOBAID_MATCH_WEIGHTS");  // the runs without a file must get the built-in weights
  TempDir dir;
  std::string data = dir.File("var"), out;
  ASSERT_EQ(RunJobaid({"demo", "--data", data}, &out), 0) << out;
  // Only the priority lift counts: every pair scores 0, 5 (monitored or relocated) or 10.
  std::string weights = dir.File("weights.json"), report = dir.File("pairs.csv");
  ASSERT_TRUE(io::WriteFile(weights, R"({"skills": 0, "occupation": 0, "distance": 0, "wage": 0,
                                         "lodging": 0, "priority": 10})")
                  .ok());
  for (bool tuned : {false, true}) {
    std::vector<std::string> args = {"match",     "--data",   data,  "--region",
                                     "431023101", "--report", report};
    if (tuned) args.insert(args.end(), {"--match-weights", weights});
    ASSERT_EQ(RunJobaid(args, &out), 0) << out;
    auto rows = io::OpenRows(*io::ReadFile(report));
    ASSERT_TRUE(rows.ok()) << rows.status();
    std::vector<std::string> cells;
    int row = 0, pairs = 0, other = 0;
    ASSERT_TRUE(*(*rows)->Next(cells, row));
    size_t column = std::find(cells.begin(), cells.end(), "匹配分") - cells.begin();
    ASSERT_LT(column, cells.size());
    while (*(*rows)->Next(cells, row)) {
      ++pairs;
      other += cells[column] != "0.0" && cells[column] != "5.0" && cells[column] != "10.0";
    }
    EXPECT_GT(pairs, 10);
    if (tuned) {
      EXPECT_EQ(other, 0);
    } else {
      EXPECT_GT(other, 0);
    }
  }
  // An XLSX report's title gives the weights the scores were made with, and their file.
  std::string xlsx = dir.File("pairs.xlsx");
  ASSERT_EQ(RunJobaid({"match", "--data", data, "--region", "431023101", "--report", xlsx,
                       "--match-weights", weights},
                      &out),
            0)
      << out;
  {
    auto rows = io::OpenRows(*io::ReadFile(xlsx));
    ASSERT_TRUE(rows.ok()) << rows.status();
    std::vector<std::string> cells;
    int row = 0;
    ASSERT_TRUE(*(*rows)->Next(cells, row));
    EXPECT_TRUE(Contains(cells[0], "马田镇")) << cells[0];
    ASSERT_TRUE(*(*rows)->Next(cells, row));
    EXPECT_TRUE(Contains(cells[0], "满分 10）：技能 0")) << cells[0];
    EXPECT_TRUE(Contains(cells[0], "权重文件 " + weights)) << cells[0];
  }
  // serve scores with them too, and says so.
  {
    ServerProcess server({"--data", data, "--match-weights", weights});
    EXPECT_TRUE(Contains(server.output(), "Match weights from " + weights)) << server.output();
    HttpClient client(server.port());
    auto assign =
        client.Call("POST", "/api/v1/match/assign?region=431023101", "", client.Login("yongxing"));
    ASSERT_EQ(assign.status, 200) << assign.body;
    boost::json::value proposal = assign.json();
    const auto& pairs = proposal.at("pairs").as_array();
    EXPECT_GT(pairs.size(), 10u);
    for (const auto& pair : pairs) {
      double score = pair.at("score").to_number<double>();
      EXPECT_TRUE(score == 0 || score == 5 || score == 10) << score;
    }
  }
  // JOBAID_MATCH_WEIGHTS names the file when --match-weights does not; only the commands that
  // match read it.
  ASSERT_EQ(setenv("JOBAID_MATCH_WEIGHTS", weights.c_str(), 1), 0);
  ASSERT_EQ(RunJobaid({"match", "--data", data, "--region", "431023101"}, &out), 0) << out;
  EXPECT_TRUE(Contains(out, "Match weights from " + weights)) << out;
  // A bad file stops the command, naming the file and the member; so does a missing one.
  std::string bad = dir.File("bad.json");
  ASSERT_TRUE(io::WriteFile(bad, R"({"skills": 5, "lodgings": 1})").ok());
  ASSERT_EQ(setenv("JOBAID_MATCH_WEIGHTS", bad.c_str(), 1), 0);
  EXPECT_EQ(RunJobaid({"match", "--data", data, "--region", "431023101"}, &out), 2) << out;
  EXPECT_TRUE(Contains(out, bad + ": unknown weight \"lodgings\"")) << out;
  EXPECT_EQ(RunJobaid({"user", "list", "--data", data}, &out), 0) << out;
  EXPECT_EQ(
      RunJobaid({"match", "--data", data, "--region", "431023101", "--match-weights", weights},
                &out),
      0)
      << out;
  ASSERT_EQ(unsetenv("JOBAID_MATCH_WEIGHTS"), 0);
  for (const char* cmd : {"match", "serve"}) {
    std::vector<std::string> args = {cmd, "--data", data, "--match-weights", bad};
    if (std::string(cmd) == "match") args.insert(args.end(), {"--region", "431023101"});
    EXPECT_EQ(RunJobaid(args, &out), 2) << out;
    EXPECT_TRUE(Contains(out, bad + ": unknown weight \"lodgings\"")) << out;
  }
  std::string none = dir.File("none.json");
  EXPECT_EQ(
      RunJobaid({"match", "--data", data, "--region", "431023101", "--match-weights", none}, &out),
      2);
  EXPECT_TRUE(Contains(out, "match weights file " + none + ": cannot be opened")) << out;
}

TEST(Cli, GenDrawsANationalRegisterThatReportRollsUp) {
  TempDir dir;
  std::string data = dir.File("var"), out;
  ASSERT_EQ(RunJobaid({"gen", "--data", data, "--laborers", "3000", "--jobs", "0"}, &out), 0)
      << out;
  int households = 0, persons = 0, laborers = 0, spells = 0;
  ASSERT_EQ(std::sscanf(out.c_str(), "Generated %d households, %d persons (%d laborers), %d spells",
                        &households, &persons, &laborers, &spells),
            4)
      << out;
  EXPECT_GE(laborers, 3000);
  EXPECT_LT(laborers, 3005);
  EXPECT_GT(spells, laborers);  // earlier seasons too: about 1.24 a laborer
  EXPECT_LT(spells, laborers * 3 / 2);
  // The nation's figures add up the provinces': every laborer is counted once.
  ASSERT_EQ(RunJobaid({"report", "--data", data, "--ranking", "laborers"}, &out), 0) << out;
  int sum = 0, provinces = 0;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    std::vector<std::string> cells = absl::StrSplit(line, '\t');
    int n = 0;
    if (cells.size() == 6 && absl::SimpleAtoi(cells[3], &n)) sum += n, ++provinces;
  }
  EXPECT_EQ(sum, laborers) << out;
  EXPECT_GE(provinces, 31) << out;  // every province, those without anyone at 0
  ASSERT_EQ(RunJobaid({"report", "--data", data}, &out), 0) << out;
  EXPECT_TRUE(Contains(out, absl::StrCat("劳动力人数 (laborers): ", laborers))) << out;
  std::string xlsx = dir.File("report.xlsx"), html = dir.File("report.html");
  ASSERT_EQ(
      RunJobaid({"report", "--data", data, "--region", "52", "--xlsx", xlsx, "--html", html}, &out),
      0)
      << out;
  EXPECT_TRUE(Contains(out, "The workbook (5 sheets)")) << out;  // summary + 4 levels
  auto page = io::ReadFile(html);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(Contains(*page, "贵州省就业帮扶月报"));
  ASSERT_EQ(RunJobaid({"report", "--data", data, "--region", "52", "--series", "employed",
                       "--months", "3"},
                      &out),
            0)
      << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 4) << out;
  EXPECT_NE(RunJobaid({"report", "--data", data, "--ranking", "happiness"}, &out), 0);
  EXPECT_TRUE(Contains(out, "happiness")) << out;
}

TEST(Cli, GenFillsAnEmptyStoreThatMatchRuns) {
  TempDir dir;
  std::string data = dir.File("var"), out;
  ASSERT_EQ(RunJobaid({"gen", "--data", data, "--households", "300", "--jobs", "450"}, &out), 0)
      << out;
  EXPECT_TRUE(Contains(out, "Generated 300 households")) << out;
  EXPECT_TRUE(Contains(out, "23 employers, 450 open jobs")) << out;
  EXPECT_NE(RunJobaid({"gen", "--data", data, "--households", "1"}, &out), 0);
  EXPECT_TRUE(Contains(out, "already has a register")) << out;
  ASSERT_EQ(RunJobaid({"migrate", "--data", data, "--check"}, &out), 0) << out;
  ASSERT_EQ(RunJobaid({"match", "--data", data, "--region", "43"}, &out), 0) << out;
  int seekers = 0, placed = 0;
  ASSERT_EQ(std::sscanf(out.substr(out.find(": ") + 2).c_str(), "%d job seekers, %d placed",
                        &seekers, &placed),
            2)
      << out;
  EXPECT_GT(seekers, 100);
  EXPECT_GT(placed, 0);
}

}  // namespace
}  // namespace jobaid::testing
