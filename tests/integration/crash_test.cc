// Crash safety on both backends: `jobaid serve` is killed with SIGKILL in the middle of a large
// import and in the middle of concurrent writes, started again, and the store must hold every
// write it acknowledged, nothing of the half-done import, and pass its integrity check.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "integration/http_client.h"
#include "test_support.h"

namespace jobaid::testing {
namespace {

class Crash : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = TestStoreOptions(dir_.path());
    if (!store) GTEST_SKIP() << "no PostgreSQL server (run through scripts/with-postgres.sh)";
    store_ = *store;
    std::string out;
    std::vector<std::string> add = {"user",  "add",        "admin",        "--role",
                                    "admin", "--password", "crash-test-pw"};
    add.insert(add.end(), store_.begin(), store_.end());
    ASSERT_EQ(RunJobaid(add, &out), 0) << out;
  }
  std::unique_ptr<ServerProcess> Start(const std::string& log_level = "warn") {
    std::vector<std::string> args = store_;
    args.insert(args.end(), {"--log-level", log_level});
    return std::make_unique<ServerProcess>(args);
  }
  int64_t Persons(HttpClient& c, const std::string& cookie) {
    auto r = c.Call("GET", "/api/v1/persons?limit=1", "", cookie);
    return r.json().at("total").to_number<int64_t>();
  }
  void CheckIntegrity() {
    std::vector<std::string> args = {"migrate", "--check"};
    args.insert(args.end(), store_.begin(), store_.end());
    std::string out;
    EXPECT_EQ(RunJobaid(args, &out), 0) << out;
    EXPECT_NE(out.find("Integrity check passed"), std::string::npos) << out;
  }

  TempDir dir_;
  std::vector<std::string> store_;
};

// Persons of Yongxing in households of two; with `phone_base`, person i's phone is 1
// followed by `phone_base` + i.
std::string BigCsv(int rows, int64_t phone_base = 0) {
  std::string csv = phone_base ? "姓名,公民身份号码,户主公民身份号码,所在村,户类型,联系电话\n"
                               : "姓名,公民身份号码,户主公民身份号码,所在村,户类型\n";
  std::string head;
  for (int i = 0; i < rows; ++i) {
    std::string id = IdNumberFor(
        431023, Date::FromCivil(1950 + i / 1000 % 50, 1 + i / 50000 % 12, 1 + i % 28), i % 1000);
    if (i % 2 == 0) head = id;
    absl::StrAppend(&csv, "人", i, ",", id, ",", head, ",",
                    i % 2 == 0 ? "431023101201,脱贫户" : ",",
                    phone_base ? absl::StrCat(",1", phone_base + i) : "", "\n");
  }
  return csv;
}

TEST_F(Crash, AnImportKilledHalfwayLeavesNothingHalfImported) {
  auto server = Start("info");
  HttpClient client(server->port());
  std::string cookie = client.Login("admin", "crash-test-pw");
  ASSERT_EQ(Persons(client, cookie), 0);
  std::atomic<bool> answered{false};
  std::thread import([&] {
    try {
      client.Call("POST", "/api/v1/import/persons", BigCsv(30000), cookie, "text/csv");
      answered = true;
    } catch (const std::exception&) {
      // the server died under the call, as it should
    }
  });
  // The kill lands inside the import's transaction: once the server has logged the first rows
  // applied (it does every 10,000 or so, of 30,000) and before the call is answered.
  bool halfway = WaitUntil(std::chrono::seconds(120), [&] {
    return server->output().find("import persons: 1") != std::string::npos &&
           server->output().find("rows applied, not yet committed") != std::string::npos;
  });
  const bool answered_before = answered;
  server->Kill();
  import.join();
  ASSERT_TRUE(halfway) << "the import never got under way:\n" << server->output();
  ASSERT_FALSE(answered_before) << "the import was answered before the kill";
  const std::string log = server->output();
  const size_t at = log.find("rows applied");
  std::printf("killed after \"%s\"\n", log.substr(log.rfind("import persons:", at),
                                                  at - log.rfind("import persons:", at) + 12)
                                           .c_str());

  server = Start();
  HttpClient again(server->port());
  std::string cookie2 = again.Login("admin", "crash-test-pw");
  int64_t n = Persons(again, cookie2);
  EXPECT_EQ(n, 0) << n << " persons: the import was killed with rows to go";
  std::printf("%lld persons after the restart (all or nothing: nothing)\n",
              static_cast<long long>(n));
  EXPECT_EQ(server->Terminate(), 0);
  CheckIntegrity();
}

TEST_F(Crash, EveryAcknowledgedWriteSurvivesAKill) {
  auto server = Start();
  HttpClient client(server->port());
  std::string cookie = client.Login("admin", "crash-test-pw");
  std::mutex mu;
  std::vector<int64_t> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> seq{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&] {
      HttpClient c(client.port());
      while (!stop) {
        int i = seq++;
        std::string body =
            absl::StrCat(R"({"region_code":"431023101201","head_name":"甲","head_id_number":")",
                         IdNumberFor(431023, Date::FromCivil(1960 + i / 1000, 3, 3), i % 1000),
                         R"(","poverty_type":"registered_poor"})");
        HttpResult r;
        try {
          r = c.Call("POST", "/api/v1/households", body, cookie);
        } catch (const std::exception&) {
          return;  // the server is gone
        }
        if (r.status == 201) {
          std::lock_guard<std::mutex> lock(mu);
          acknowledged.push_back(r.json().at("id").to_number<int64_t>());
        }
      }
    });
  }
  // Killed while writes are in flight, once some have been acknowledged.
  ASSERT_TRUE(WaitUntil(std::chrono::seconds(60), [&] {
    std::lock_guard<std::mutex> lock(mu);
    return acknowledged.size() >= 50;
  }));
  server->Kill();
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_GE(acknowledged.size(), 50u);

  server = Start();
  HttpClient again(server->port());
  std::string cookie2 = again.Login("admin", "crash-test-pw");
  for (int64_t id : acknowledged) {
    EXPECT_EQ(again.Call("GET", absl::StrCat("/api/v1/households/", id), "", cookie2).status, 200)
        << "acknowledged household " << id << " is gone";
  }
  std::printf("%zu acknowledged writes all survived\n", acknowledged.size());
  EXPECT_EQ(server->Terminate(), 0);
  CheckIntegrity();
}

// An import that updates every person while an officer edits a few of the same persons through
// the API (on PostgreSQL, where they run side by side): the import's conflict is run again from
// the file's first row, so every row lands once with the right report, and the edits stay.
TEST_F(Crash, AnImportBesideEditsLandsEveryRowOnce) {
  if (std::find(store_.begin(), store_.end(), "--store") == store_.end()) {
    GTEST_SKIP() << "on SQLite an import holds the only write lock; edits wait for it";
  }
  constexpr int kRows = 12000;
  auto server = Start();
  HttpClient client(server->port());
  std::string cookie = client.Login("admin", "crash-test-pw");
  auto first =
      client.Call("POST", "/api/v1/import/persons", BigCsv(kRows, 3000000000), cookie, "text/csv");
  ASSERT_EQ(first.status, 200) << first.body;
  auto some = client.Call("GET", "/api/v1/persons?limit=5&sort=id", "", cookie);
  ASSERT_EQ(some.status, 200);
  std::vector<int64_t> edited;
  auto some_json = some.json();
  for (const auto& p : some_json.at("items").as_array()) {
    edited.push_back(p.at("id").to_number<int64_t>());
  }

  std::atomic<bool> import_done{false};
  HttpResult second;
  std::thread import([&] {
    HttpClient c(client.port());
    second =
        c.Call("POST", "/api/v1/import/persons", BigCsv(kRows, 5000000000), cookie, "text/csv");
    import_done = true;
  });
  // Edits for the first two seconds of the import (or until it ends), each on the version read.
  std::map<int64_t, std::string> last_note;
  int edits = 0, edits_during_import = 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!import_done && std::chrono::steady_clock::now() < until) {
    for (int64_t id : edited) {
      std::string path = absl::StrCat("/api/v1/persons/", id);
      auto got = client.Call("GET", path, "", cookie);
      ASSERT_EQ(got.status, 200) << got.body;
      std::string note = absl::StrCat("edit ", edits);
      auto r = client.Call(
          "PATCH", path,
          absl::StrCat(R"({"version":)", boost::json::serialize(got.json().at("version")),
                       R"(,"note":")", note, R"("})"),
          cookie);
      // 409: the import changed the person after our read (as an officer would, read again).
      ASSERT_TRUE(r.status == 200 || r.status == 409) << r.status << " " << r.body;
      if (r.status != 200) continue;
      last_note[id] = note;
      ++edits;
      if (!import_done) ++edits_during_import;
    }
  }
  import.join();
  EXPECT_GT(edits_during_import, 0) << "no edit was made while the import ran; nothing was tested";
  // Either every row lands once with the right report, or (when the edits kept conflicting
  // through every retry) nothing lands and the answer says so.
  const bool landed = second.status == 200;
  if (landed) {
    auto report = second.json();
    EXPECT_EQ(report.at("rows").to_number<int64_t>(), kRows) << second.body;
    EXPECT_EQ(report.at("updated").to_number<int64_t>(), kRows) << second.body;
    EXPECT_EQ(report.at("inserted").to_number<int64_t>(), 0) << second.body;
  } else {
    EXPECT_EQ(second.status, 409) << second.body;
    EXPECT_NE(second.body.find("nothing of it was written"), std::string::npos) << second.body;
  }

  // Every person has the second file's phone, once (or every one the first's), and the edited
  // ones keep their last note.
  auto csv =
      client.Call("GET", "/api/v1/export/persons?format=csv&reason=import-check", "", cookie);
  ASSERT_EQ(csv.status, 200);
  int new_phones = 0, old_phones = 0;
  for (absl::string_view line : absl::StrSplit(csv.body, "\r\n", absl::SkipEmpty())) {
    if (absl::StrContains(line, ",15")) ++new_phones;
    if (absl::StrContains(line, ",13")) ++old_phones;
  }
  EXPECT_EQ(new_phones, landed ? kRows : 0);
  EXPECT_EQ(old_phones, landed ? 0 : kRows);
  for (const auto& [id, note] : last_note) {
    auto p = client.Call("GET", absl::StrCat("/api/v1/persons/", id), "", cookie);
    EXPECT_EQ(p.json().at("note").as_string(), note) << "person " << id;
  }
  std::printf("%d edits beside the import (%d while it ran); the import %s\n", edits,
              edits_during_import, landed ? "updated every row once" : "wrote nothing and said so");
  EXPECT_EQ(server->Terminate(), 0);
}

// A read of a person answered before a SIGKILL is in the audit after it: the answer waits for
// its audit entry to commit. The chain stays whole across the kill.
TEST_F(Crash, EveryAnsweredReadIsInTheAuditAfterAKill) {
  auto server = Start();
  HttpClient client(server->port());
  std::string cookie = client.Login("admin", "crash-test-pw");
  std::vector<int64_t> people;
  for (int i = 0; i < 3; ++i) {
    std::string id = IdNumberFor(431023, Date::FromCivil(1970 + i, 5, 5), i);
    auto r = client.Call(
        "POST", "/api/v1/households",
        absl::StrCat(R"({"region_code":"431023101201","head_name":"乙","head_id_number":")", id,
                     R"(","poverty_type":"registered_poor","members":[{"name":"乙","id_number":")",
                     id, R"(","relation":"head"}]})"),
        cookie);
    ASSERT_EQ(r.status, 201) << r.body;
    auto found = client.Call("GET", absl::StrCat("/api/v1/persons?id_number=", id), "", cookie);
    ASSERT_EQ(found.status, 200) << found.body;
    people.push_back(found.json().at("items").at(0).at("id").to_number<int64_t>());
  }
  std::vector<std::atomic<int>> answered(people.size());
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (size_t t = 0; t < people.size(); ++t) {
    readers.emplace_back([&, t] {
      HttpClient c(client.port());
      while (!stop) {
        HttpResult r;
        try {
          r = c.Call("GET", absl::StrCat("/api/v1/persons/", people[t]), "", cookie);
        } catch (const std::exception&) {
          return;  // the server is gone
        }
        if (r.status == 200) ++answered[t];
      }
    });
  }
  // Killed while reads are in flight, once every reader has been answered a few times.
  ASSERT_TRUE(WaitUntil(std::chrono::seconds(60), [&] {
    return std::all_of(answered.begin(), answered.end(), [](const auto& n) { return n >= 5; });
  }));
  server->Kill();
  stop = true;
  for (auto& t : readers) t.join();

  for (size_t t = 0; t < people.size(); ++t) {
    ASSERT_GT(answered[t], 0);
    std::vector<std::string> args = {"audit",    "export", "--person", absl::StrCat(people[t]),
                                     "--action", "read"};
    args.insert(args.end(), store_.begin(), store_.end());
    std::string out;
    ASSERT_EQ(RunJobaid(args, &out), 0) << out;
    int rows = -1;  // the header
    for (absl::string_view line : absl::StrSplit(out, "\r\n", absl::SkipEmpty())) {
      if (!absl::StartsWith(line, "Wrote")) ++rows;
    }
    EXPECT_GE(rows, answered[t].load()) << "person " << people[t] << ": " << answered[t].load()
                                        << " reads answered, " << rows << " in the audit";
    std::printf("person %lld: %d reads answered before the kill, %d in the audit\n",
                static_cast<long long>(people[t]), answered[t].load(), rows);
  }
  std::vector<std::string> verify = {"audit", "verify"};
  verify.insert(verify.end(), store_.begin(), store_.end());
  std::string out;
  EXPECT_EQ(RunJobaid(verify, &out), 0) << out;
  EXPECT_NE(out.find("Audit chain intact"), std::string::npos) << out;
}

}  // namespace
}  // namespace jobaid::testing
