// The real server over real HTTP: `jobaid demo` fills a temporary store, `jobaid serve` runs it
// on a free loopback port, and every endpoint is exercised on its success and error paths.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "integration/http_client.h"
#include "io/table.h"
#include "io/text.h"
#include "io/xlsx_reader.h"
#include "test_support.h"

namespace jobaid::testing {
namespace {

namespace json = boost::json;

// The date the suite's servers and commands run as of (serve --today). The demo data of that
// date (its seed fixed) shares no ID number with the persons the tests import.
const Date kToday = Date::FromCivil(2026, 12, 7);

class Http : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    // The same suite runs on PostgreSQL when ctest says so.
    auto store = TestStoreOptions(dir_->path());
    if (!store) GTEST_SKIP() << "no PostgreSQL server (run through scripts/with-postgres.sh)";
    store_ = *store;
    // Every command and server of the suite runs as of one date, so that no figure or age
    // depends on the day the tests run (or on midnight passing during them).
    store_.insert(store_.end(), {"--today", kToday.ToString()});
    std::string out;
    std::vector<std::string> demo = {"demo"};
    demo.insert(demo.end(), store_.begin(), store_.end());
    ASSERT_EQ(RunJobaid(demo, &out), 0) << out;
    std::vector<std::string> serve = store_;
    serve.insert(serve.end(), {"--threads", "4"});
    server_ = new ServerProcess(serve);
    client_ = new HttpClient(server_->port());
    admin_ = client_->Login("admin");
    yongxing_ = client_->Login("yongxing");
    guiyang_ = client_->Login("guiyang");
    helper_ = client_->Login("matian");
    employer_ = client_->Login("employer");
    laborer_ = client_->Login("laborer");
  }
  static void TearDownTestSuite() {
    if (server_ == nullptr) return;
    // SIGTERM is a graceful stop: the process exits 0.
    EXPECT_EQ(server_->Terminate(), 0) << server_->output();
    delete client_;
    delete server_;
    delete dir_;
  }

  static HttpResult Get(const std::string& target, const std::string& cookie) {
    return client_->Call("GET", target, "", cookie);
  }
  static HttpResult Post(const std::string& target, const std::string& body,
                         const std::string& cookie) {
    return client_->Call("POST", target, body, cookie);
  }
  static HttpResult Patch(const std::string& target, const std::string& body,
                          const std::string& cookie) {
    return client_->Call("PATCH", target, body, cookie);
  }
  static std::string ErrorField(const HttpResult& r) {
    auto v = r.json();
    if (!v.is_object() || !v.as_object().contains("error")) return "<no error>";
    const auto& e = v.as_object().at("error").as_object();
    return e.contains("field") ? std::string(e.at("field").as_string()) : "";
  }
  static int64_t Int(const json::value& v, const char* key) {
    return v.as_object().at(key).to_number<int64_t>();
  }
  static std::string Str(const json::value& v, const char* key) {
    const auto& x = v.as_object().at(key);
    return x.is_string() ? std::string(x.as_string()) : "";
  }
  // A village of Yongxing's 马田镇 (the helper's township) and one of another township.
  static std::string Village(int i) {
    static const std::vector<std::string> v = {"431023101201", "431023101001", "431023104201"};
    return v[static_cast<size_t>(i)];
  }
  static std::string NewHouseholdBody(int seq, const std::string& village = "431023101201") {
    return absl::StrCat(R"({"region_code":")", village,
                        R"(","head_name":"测试户主","head_id_number":")",
                        IdNumberFor(431023, Date::FromCivil(1975, 5, 5), seq),
                        R"(","poverty_type":"registered_poor","phone":"13900001111"})");
  }

  void SetUp() override {
    if (server_ == nullptr) GTEST_SKIP() << "no server for this backend";
  }

  static TempDir* dir_;
  static std::vector<std::string> store_;  // the options that name the store
  static ServerProcess* server_;
  static HttpClient* client_;
  static std::string admin_, yongxing_, guiyang_, helper_, employer_, laborer_;
};

TempDir* Http::dir_;
std::vector<std::string> Http::store_;
ServerProcess* Http::server_;
HttpClient* Http::client_;
std::string Http::admin_, Http::yongxing_, Http::guiyang_, Http::helper_, Http::employer_,
    Http::laborer_;

TEST_F(Http, HealthAndDocumentsNeedNoLogin) {
  auto h = Get("/api/v1/health", "");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(Str(h.json(), "status"), "ok");
  EXPECT_EQ(Get("/api/v1/openapi.json", "").status, 200);
  auto v = Get("/api/v1/vocabularies", "");
  EXPECT_EQ(v.status, 200);
  EXPECT_TRUE(v.json().as_object().contains("poverty_type"));
  EXPECT_EQ(Get("/", "").status, 200);
}

TEST_F(Http, UnknownPathsAndMethodsAreNamed) {
  auto r = Get("/api/v1/nothing", admin_);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(client_->Call("PUT", "/api/v1/persons", "{}", admin_).status, 405);
}

TEST_F(Http, LoginSessionAndLogout) {
  auto bad = Post("/api/v1/auth/login", R"({"username":"admin","password":"wrong-password"})", "");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(Get("/api/v1/auth/me", "").status, 401);
  EXPECT_EQ(Get("/api/v1/persons", "jobaid_session=forged").status, 401);
  auto login =
      Post("/api/v1/auth/login", R"({"username":"yongxing","password":"jobaid-demo"})", "");
  ASSERT_EQ(login.status, 200);
  std::string set = login.headers["set-cookie"];
  EXPECT_NE(set.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
  std::string cookie = set.substr(0, set.find(';'));
  auto me = Get("/api/v1/auth/me", cookie);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(Str(me.json(), "region_code"), "431023");
  EXPECT_EQ(Post("/api/v1/auth/logout", "", cookie).status, 200);
  EXPECT_EQ(Get("/api/v1/auth/me", cookie).status, 401);
  EXPECT_EQ(Post("/api/v1/auth/login", "not json", "").status, 400);
}

TEST_F(Http, HouseholdLifecycle) {
  auto bad = Post(
      "/api/v1/households",
      R"({"region_code":"431023101201","head_name":"王五","head_id_number":"431023199002300011","poverty_type":"registered_poor"})",
      yongxing_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorField(bad), "head_id_number");
  auto unknown = Post("/api/v1/households", R"({"colour":"red"})", yongxing_);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(ErrorField(unknown), "colour");
  auto not_village = Post("/api/v1/households", NewHouseholdBody(900, "431023101"), yongxing_);
  EXPECT_EQ(not_village.status, 400);
  EXPECT_EQ(ErrorField(not_village), "region_code");

  auto created = Post("/api/v1/households", NewHouseholdBody(901), yongxing_);
  ASSERT_EQ(created.status, 201) << created.body;
  int64_t id = Int(created.json(), "id");
  EXPECT_EQ(Int(created.json(), "version"), 1);
  EXPECT_EQ(Post("/api/v1/households", NewHouseholdBody(901), yongxing_).status, 409);

  std::string path = absl::StrCat("/api/v1/households/", id);
  auto got = Get(path, yongxing_);
  ASSERT_EQ(got.status, 200);
  std::string head = IdNumberFor(431023, Date::FromCivil(1975, 5, 5), 901);
  EXPECT_EQ(Str(got.json(), "head_id_number"), head.substr(0, 6) + "********" + head.substr(14));
  auto full = Post(path + "/reveal", R"({"reason":"核对户主身份"})", yongxing_);
  ASSERT_EQ(full.status, 200) << full.body;
  EXPECT_EQ(Str(full.json(), "id_number"), head);
  EXPECT_TRUE(got.json().as_object().at("members").is_array());

  auto changed = Patch(path, R"({"version":1,"address":"三组12号"})", yongxing_);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Int(changed.json(), "version"), 2);
  auto stale = Patch(path, R"({"version":1,"address":"四组"})", yongxing_);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(Patch(path, R"({"address":"四组"})", yongxing_).status, 400);  // no version
  EXPECT_EQ(Patch("/api/v1/households/999999", R"({"version":1})", yongxing_).status, 404);

  EXPECT_EQ(client_->Call("DELETE", path, R"({"version":2})", yongxing_).status, 400);  // no reason
  auto deleted = client_->Call("DELETE", path, R"({"version":2,"reason":"重复登记"})", yongxing_);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Str(deleted.json(), "delete_reason"), "重复登记");
  EXPECT_EQ(Patch(path, R"({"version":3,"address":"x"})", yongxing_).status, 422);
  auto restored = Post(path + "/restore", R"({"version":3})", yongxing_);
  EXPECT_EQ(restored.status, 200) << restored.body;
  EXPECT_EQ(client_->Call("DELETE", path, R"({"version":4,"reason":"x"})", helper_).status, 403);
}

TEST_F(Http, AHouseholdAndItsMembersAreCreatedTogetherOrNotAtAll) {
  std::string head = IdNumberFor(431023, Date::FromCivil(1980, 3, 3), 950);
  std::string spouse = IdNumberFor(431023, Date::FromCivil(1982, 4, 4), 951);
  std::string bad_spouse = spouse.substr(0, 17) + (spouse[17] == '1' ? "2" : "1");
  auto body = [&](const std::string& second) {
    return absl::StrCat(
        R"({"region_code":"431023101201","head_name":"赵一","head_id_number":")", head,
        R"(","poverty_type":"registered_poor","members":[)", R"({"name":"赵一","id_number":")",
        head,
        R"(","relation":"head","health":"healthy","work_ability":"ordinary","intention":"local"},)",
        R"({"name":"钱二","id_number":")", second,
        R"(","relation":"spouse","health":"healthy","work_ability":"ordinary","intention":"none"}]})");
  };
  auto bad = Post("/api/v1/households", body(bad_spouse), yongxing_);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(ErrorField(bad), "members[1].id_number");
  EXPECT_EQ(Int(Get("/api/v1/households?id_number=" + head, yongxing_).json(), "total"), 0);

  auto good = Post("/api/v1/households", body(spouse), yongxing_);
  ASSERT_EQ(good.status, 201) << good.body;
  auto got = Get(absl::StrCat("/api/v1/households/", Int(good.json(), "id")), yongxing_);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json().as_object().at("members").as_array().size(), 2u);
  // Members are only for households.
  auto person = Post("/api/v1/persons", R"({"members":[{}]})", yongxing_);
  EXPECT_EQ(person.status, 400);
  EXPECT_EQ(ErrorField(person), "members");
}

TEST_F(Http, JobsAreRecommendedToALaborerWithReasonsAndPeopleToAJobInScope) {
  // A welder of 马田镇 who wants work in the county, and a welding job there.
  std::string id_number = IdNumberFor(431023, Date::FromCivil(1988, 8, 8), 970);
  auto made =
      Post("/api/v1/households",
           absl::StrCat(R"({"region_code":"431023101201","head_name":"焊工甲","head_id_number":")",
                        id_number, R"(","poverty_type":"monitored","monitor_type":"unstable",)",
                        R"("members":[{"name":"焊工甲","id_number":")", id_number,
                        R"(","relation":"head","health":"healthy","work_ability":"skilled",)",
                        R"("intention":"local","skills":["焊工"],"expected_wage":400000}]})"),
           yongxing_);
  ASSERT_EQ(made.status, 201) << made.body;
  auto members =
      Get(absl::StrCat("/api/v1/persons?household_id=", Int(made.json(), "id")), yongxing_);
  int64_t person = Int(members.json().as_object().at("items").as_array()[0], "id");
  auto employers = Get("/api/v1/employers?limit=1", yongxing_);
  int64_t employer = Int(employers.json().as_object().at("items").as_array()[0], "id");
  auto job =
      Post("/api/v1/jobs",
           absl::StrCat(R"({"employer_id":)", employer,
                        R"(,"title":"电焊工（测试）","occupation":"电焊工","skills":["电焊"],)",
                        R"("region_code":"431023101000","wage_min":450000,"wage_max":600000,)",
                        R"("openings":2,"kind":"regular","status":"open"})"),
           yongxing_);
  ASSERT_EQ(job.status, 201) << job.body;
  int64_t job_id = Int(job.json(), "id");

  auto jobs = Get(absl::StrCat("/api/v1/match/persons/", person, "/jobs?limit=5"), yongxing_);
  ASSERT_EQ(jobs.status, 200) << jobs.body;
  json::value jobs_json = jobs.json();
  const auto& items = jobs_json.as_object().at("items").as_array();
  ASSERT_FALSE(items.empty());
  // The welding job next door comes first, with its reasons.
  EXPECT_EQ(Int(items[0].as_object().at("job"), "id"), job_id);
  std::string reasons = json::serialize(items[0].as_object().at("reasons"));
  EXPECT_NE(reasons.find("技能匹配：电焊"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("优先：防止返贫监测对象"), std::string::npos) << reasons;
  double last = 1e9;
  for (const auto& it : items) {
    double score = it.as_object().at("score").to_number<double>();
    EXPECT_LE(score, last);
    last = score;
    // Only jobs in the home county: the wish is local.
    EXPECT_EQ(Str(it.as_object().at("job"), "region_code").substr(0, 6), "431023");
  }

  // People for the job, best first: welders lead (the demo has many), and in the welder's own
  // village the new welder is among those shown.
  json::value people =
      Get(absl::StrCat("/api/v1/match/jobs/", job_id, "/persons?limit=100&region=431023101201"),
          yongxing_)
          .json();
  bool found = false;
  double best = 1e9;
  for (const auto& it : people.as_object().at("items").as_array()) {
    found = found || Int(it.as_object().at("person"), "id") == person;
    EXPECT_LE(it.as_object().at("score").to_number<double>(), best);
    best = it.as_object().at("score").to_number<double>();
  }
  std::string top = json::serialize(people.as_object().at("items").as_array()[0]);
  EXPECT_NE(top.find("技能匹配：电焊"), std::string::npos) << top;
  EXPECT_TRUE(found);
  // The county's people, narrowed to 黄泥镇: only 黄泥镇's; another county's officer does not
  // see the job at all.
  json::value theirs =
      Get(absl::StrCat("/api/v1/match/jobs/", job_id, "/persons?limit=50&region=431023112"),
          yongxing_)
          .json();
  ASSERT_TRUE(theirs.as_object().contains("items")) << json::serialize(theirs);
  EXPECT_FALSE(theirs.as_object().at("items").as_array().empty());
  for (const auto& it : theirs.as_object().at("items").as_array()) {
    EXPECT_EQ(Str(it.as_object().at("person"), "region_code").substr(0, 9), "431023112");
  }
  EXPECT_EQ(Get(absl::StrCat("/api/v1/match/jobs/", job_id, "/persons"), guiyang_).status, 404);
  EXPECT_EQ(Get(absl::StrCat("/api/v1/match/persons/", person, "/jobs"), guiyang_).status, 404);
  EXPECT_EQ(Get(absl::StrCat("/api/v1/match/jobs/", job_id, "/persons"), employer_).status, 403);
  auto bad_limit = Get(absl::StrCat("/api/v1/match/persons/", person, "/jobs?limit=x"), yongxing_);
  EXPECT_EQ(bad_limit.status, 400);
  EXPECT_EQ(ErrorField(bad_limit), "limit");

  // Changes are seen by the next question: the household is deleted and its welder leaves the
  // recommendations; the job closes and drops out.
  ASSERT_EQ(client_
                ->Call("DELETE", absl::StrCat("/api/v1/households/", Int(made.json(), "id")),
                       R"({"version":1,"reason":"测试"})", yongxing_)
                .status,
            200);
  json::value gone =
      Get(absl::StrCat("/api/v1/match/jobs/", job_id, "/persons?limit=100&region=431023101201"),
          yongxing_)
          .json();
  ASSERT_FALSE(gone.as_object().at("items").as_array().empty());
  for (const auto& it : gone.as_object().at("items").as_array()) {
    EXPECT_NE(Int(it.as_object().at("person"), "id"), person);
  }
  ASSERT_EQ(
      Patch(absl::StrCat("/api/v1/jobs/", job_id), R"({"version":1,"status":"closed"})", yongxing_)
          .status,
      200);
  json::value after =
      Get(absl::StrCat("/api/v1/match/persons/", person, "/jobs?limit=100"), yongxing_).json();
  for (const auto& it : after.as_object().at("items").as_array()) {
    EXPECT_NE(Int(it.as_object().at("job"), "id"), job_id);
  }
}

TEST_F(Http, ABulkAssignmentOfATownshipRespectsOpeningsAndScope) {
  auto r = Post("/api/v1/match/assign?region=431023101", "", yongxing_);
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = r.json();
  const auto& pairs = v.as_object().at("pairs").as_array();
  ASSERT_FALSE(pairs.empty());
  EXPECT_EQ(Int(v, "placed"), static_cast<int64_t>(pairs.size()));
  EXPECT_LE(Int(v, "placed"), Int(v, "laborers"));
  absl::flat_hash_map<int64_t, int64_t> per_job;
  absl::flat_hash_set<int64_t> people;
  for (const auto& p : pairs) {
    const auto& person = p.as_object().at("person");
    const auto& job = p.as_object().at("job");
    EXPECT_EQ(Str(person, "region_code").substr(0, 9), "431023101");
    EXPECT_TRUE(people.insert(Int(person, "id")).second);
    EXPECT_LE(++per_job[Int(job, "id")], Int(job, "openings"));
    EXPECT_FALSE(p.as_object().at("reasons").as_array().empty());
  }
  // The weights the scores were made with (the built-in ones here): each pair's parts use them.
  const auto& weights = v.as_object().at("weights").as_object();
  EXPECT_EQ(weights.size(), 7u);
  EXPECT_GT(weights.at("distance_scale_km").to_number<double>(), 0);
  for (const auto& part : pairs.front().as_object().at("parts").as_array()) {
    const auto& name = part.as_object().at("name").as_string();
    ASSERT_TRUE(weights.contains(name)) << name;
    EXPECT_EQ(part.as_object().at("weight").to_number<double>(),
              weights.at(name).to_number<double>());
  }
  EXPECT_EQ(Post("/api/v1/match/assign?region=431023101", "", helper_).status, 403);
  EXPECT_EQ(Post("/api/v1/match/assign?region=431021", "", yongxing_).status, 404);
}

// A welder of 马田镇 wishing to work in the county (a household of one), by `cookie`.
int64_t NewWelder(HttpClient& client, const std::string& cookie, int seq) {
  std::string id_number = IdNumberFor(431023, Date::FromCivil(1990, 3, 3), seq);
  auto made = client.Call(
      "POST", "/api/v1/households",
      absl::StrCat(R"({"region_code":"431023101201","head_name":"焊工)", seq,
                   R"(","head_id_number":")", id_number,
                   R"(","poverty_type":"registered_poor","members":[{"name":"焊工)", seq,
                   R"(","id_number":")", id_number, R"(","relation":"head","health":"healthy",)",
                   R"("work_ability":"skilled","intention":"local",)", R"("skills":["电焊"]}]})"),
      cookie);
  EXPECT_EQ(made.status, 201) << made.body;
  auto members = client.Call("GET",
                             absl::StrCat("/api/v1/persons?household_id=",
                                          made.json().as_object().at("id").to_number<int64_t>()),
                             "", cookie);
  return members.json()
      .as_object()
      .at("items")
      .as_array()[0]
      .as_object()
      .at("id")
      .to_number<int64_t>();
}

TEST_F(Http, ARecommendationIsFollowedToAHireThatCreatesTheSpell) {
  int64_t welder = NewWelder(*client_, yongxing_, 981);
  int64_t other = NewWelder(*client_, yongxing_, 982);
  // The employer account posts its own job: one opening, in the county.
  auto job = Post("/api/v1/jobs",
                  R"({"title":"电焊工（招聘流程）","occupation":"电焊工","skills":["电焊"],)"
                  R"("region_code":"431023101000","wage_min":480000,"wage_max":550000,)"
                  R"("openings":1,"kind":"regular","status":"open"})",
                  employer_);
  ASSERT_EQ(job.status, 201) << job.body;
  int64_t job_id = Int(job.json(), "id");
  std::string pair =
      absl::StrCat(R"({"pairs":[{"person_id":)", welder, R"(,"job_id":)", job_id, "}]}");

  // Only staff recommend, and only people in their scope.
  EXPECT_EQ(Post("/api/v1/match/confirm", pair, employer_).status, 403);
  auto foreign = Post("/api/v1/match/confirm", pair, guiyang_);
  EXPECT_EQ(foreign.status, 400) << foreign.body;
  EXPECT_EQ(ErrorField(foreign), "pairs[0].person_id");
  auto bad =
      Post("/api/v1/match/confirm", R"({"pairs":[{"person_id":"x","job_id":1}]})", yongxing_);
  EXPECT_EQ(ErrorField(bad), "pairs[0].person_id");
  // Two people for one opening: refused whole, nothing written.
  auto too_many = Post("/api/v1/match/confirm",
                       absl::StrCat(R"({"pairs":[{"person_id":)", welder, R"(,"job_id":)", job_id,
                                    R"(},{"person_id":)", other, R"(,"job_id":)", job_id, "}]}"),
                       yongxing_);
  EXPECT_EQ(too_many.status, 400) << too_many.body;
  EXPECT_EQ(ErrorField(too_many), "pairs[1].job_id");
  EXPECT_EQ(
      Int(Get(absl::StrCat("/api/v1/applications?job_id=", job_id), yongxing_).json(), "total"), 0);

  auto made = Post("/api/v1/match/confirm", pair, yongxing_);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(Int(made.json(), "created"), 1);
  json::value app = made.json().as_object().at("items").as_array()[0];
  int64_t app_id = Int(app, "id");
  EXPECT_EQ(Str(app, "state"), "recommended");
  EXPECT_GT(app.as_object().at("score").to_number<double>(), 0);
  EXPECT_NE(Str(app, "reasons").find("技能匹配：电焊"), std::string::npos) << Str(app, "reasons");
  EXPECT_EQ(Str(app.as_object().at("job"), "employer_name").empty(), false);
  // Confirming again changes nothing.
  auto again = Post("/api/v1/match/confirm", pair, yongxing_);
  EXPECT_EQ(Int(again.json(), "created"), 0);
  EXPECT_EQ(Int(again.json(), "already"), 1);

  // The employer sees it among its own; the laborer account (someone else) does not.
  json::value mine = Get(absl::StrCat("/api/v1/applications?job_id=", job_id), employer_).json();
  EXPECT_EQ(Int(mine, "total"), 1);
  const auto& row = mine.as_object().at("items").as_array()[0].as_object();
  EXPECT_FALSE(row.at("person").as_object().contains("id_number"));
  EXPECT_FALSE(row.at("person").as_object().contains("phone"));
  EXPECT_EQ(
      Int(Get(absl::StrCat("/api/v1/applications?job_id=", job_id), laborer_).json(), "total"), 0);
  EXPECT_EQ(Get(absl::StrCat("/api/v1/applications/", app_id), laborer_).status, 404);
  EXPECT_EQ(Get(absl::StrCat("/api/v1/applications/", app_id), guiyang_).status, 404);

  auto move = [&](const std::string& cookie, const std::string& body) {
    return Post(absl::StrCat("/api/v1/applications/", app_id, "/transition"), body, cookie);
  };
  // The employer may not apply on the person's behalf; the officer records it.
  EXPECT_EQ(move(employer_, R"({"to":"applied","version":1})").status, 403);
  EXPECT_EQ(move(yongxing_, R"({"to":"applied","version":1})").status, 200);
  EXPECT_EQ(move(employer_, R"({"to":"interview","version":1})").status, 409);  // stale
  auto skip = move(employer_, R"({"to":"hired","version":2})");
  EXPECT_EQ(skip.status, 422) << skip.body;
  EXPECT_EQ(ErrorField(skip), "to");
  EXPECT_EQ(move(employer_, R"({"to":"interview","version":2})").status, 200);
  EXPECT_EQ(move(employer_, R"({"to":"offered","version":3})").status, 200);
  // A kind of employment that names a place must be the workplace's (the job is in the
  // welder's county); the refusal writes nothing, so the same version hires next.
  auto far = move(employer_, R"({"to":"hired","version":4,"kind":"out_of_province"})");
  EXPECT_EQ(far.status, 400) << far.body;
  EXPECT_EQ(ErrorField(far), "kind");
  EXPECT_NE(far.body.find("the kind is local"), std::string::npos) << far.body;
  auto hired = move(employer_,
                    R"({"to":"hired","version":4,"monthly_income":500000})");  // from today
  ASSERT_EQ(hired.status, 200) << hired.body;
  json::value h = hired.json();
  EXPECT_EQ(Str(h, "state"), "hired");
  const auto& spell = h.as_object().at("employment");
  EXPECT_EQ(Str(spell, "kind"), "local");
  EXPECT_FALSE(Str(spell, "start_date").empty());
  EXPECT_EQ(Int(spell, "monthly_income"), 500000);
  EXPECT_EQ(Str(spell, "how_found"), "match");
  EXPECT_EQ(h.as_object().at("events").as_array().size(), 5u);  // made, applied, ... hired
  // The spell is on the person's record, the opening is taken and the job is filled.
  json::value spells =
      Get(absl::StrCat("/api/v1/persons/", welder, "/employment"), yongxing_).json();
  ASSERT_EQ(spells.as_object().at("items").as_array().size(), 1u);
  EXPECT_EQ(Int(spells.as_object().at("items").as_array()[0], "job_id"), job_id);
  EXPECT_EQ(Get(absl::StrCat("/api/v1/persons/", welder, "/employment"), guiyang_).status, 404);
  json::value filled = Get(absl::StrCat("/api/v1/jobs/", job_id), employer_).json();
  EXPECT_EQ(Int(filled, "hired"), 1);
  EXPECT_EQ(Int(filled, "openings_left"), 0);
  EXPECT_EQ(Str(filled, "status"), "filled");
  // Closed: no further moves; the filled job takes no more recommendations; the welder, now
  // employed, is no longer offered jobs.
  auto closed = move(yongxing_, R"({"to":"withdrawn","version":5,"reason":"x"})");
  EXPECT_EQ(closed.status, 422);
  EXPECT_EQ(ErrorField(closed), "to");
  auto full = Post(
      "/api/v1/match/confirm",
      absl::StrCat(R"({"pairs":[{"person_id":)", other, R"(,"job_id":)", job_id, "}]}"), yongxing_);
  EXPECT_EQ(full.status, 422) << full.body;
  EXPECT_EQ(ErrorField(full), "pairs[0]");
  json::value offered =
      Get(absl::StrCat("/api/v1/match/persons/", welder, "/jobs"), yongxing_).json();
  EXPECT_TRUE(offered.as_object().at("items").as_array().empty()) << json::serialize(offered);
}

TEST_F(Http, OverlappingSpellsAreRefusedUnlessTheCurrentOneIsEnded) {
  int64_t welder = NewWelder(*client_, yongxing_, 983);
  std::vector<int64_t> apps;
  for (int i = 0; i < 2; ++i) {
    auto job = Post("/api/v1/jobs",
                    absl::StrCat(R"({"title":"焊工岗位)", i, R"(","skills":["电焊"],)",
                                 R"("region_code":"431023101000","wage_min":400000,)",
                                 R"("openings":3,"kind":"regular","status":"open"})"),
                    employer_);
    ASSERT_EQ(job.status, 201) << job.body;
    auto made = Post("/api/v1/match/confirm",
                     absl::StrCat(R"({"pairs":[{"person_id":)", welder, R"(,"job_id":)",
                                  Int(job.json(), "id"), "}]}"),
                     yongxing_);
    ASSERT_EQ(made.status, 201) << made.body;
    int64_t id = Int(made.json().as_object().at("items").as_array()[0], "id");
    int version = 1;
    for (const char* to : {"applied", "offered"}) {
      ASSERT_EQ(Post(absl::StrCat("/api/v1/applications/", id, "/transition"),
                     absl::StrCat(R"({"to":")", to, R"(","version":)", version++, "}"), yongxing_)
                    .status,
                200);
    }
    apps.push_back(id);
  }
  auto hire = [&](int64_t id, const std::string& extra) {
    return Post(absl::StrCat("/api/v1/applications/", id, "/transition"),
                absl::StrCat(R"({"to":"hired","version":3)", extra, "}"), yongxing_);
  };
  ASSERT_EQ(hire(apps[0], R"(,"start_date":"2026-01-01")").status, 200);
  auto overlap = hire(apps[1], R"(,"start_date":"2026-06-01")");
  EXPECT_EQ(overlap.status, 400) << overlap.body;
  EXPECT_EQ(ErrorField(overlap), "start_date");
  auto bad_income = hire(apps[1], R"(,"monthly_income":"lots")");
  EXPECT_EQ(ErrorField(bad_income), "monthly_income");
  auto moved = hire(apps[1], R"(,"start_date":"2026-06-01","end_current_spell":true)");
  ASSERT_EQ(moved.status, 200) << moved.body;
  json::value spells =
      Get(absl::StrCat("/api/v1/persons/", welder, "/employment"), yongxing_).json();
  const auto& items = spells.as_object().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(Str(items[0], "end_date"), "2026-05-31");
  EXPECT_EQ(Str(items[1], "end_date"), "");
  // Rejections and withdrawals need a reason.
  auto why = Post(absl::StrCat("/api/v1/applications/", apps[0], "/transition"),
                  R"({"to":"rejected","version":4})", yongxing_);
  EXPECT_EQ(ErrorField(why), "reason");
}

TEST_F(Http, SpellsAreRecordedChangedEndedAndDeletedByStaffInScope) {
  int64_t welder = NewWelder(*client_, yongxing_, 985);
  const std::string base = absl::StrCat("/api/v1/persons/", welder, "/employment");
  auto record = [&](const std::string& body, const std::string& cookie) {
    return Post(base, body, cookie);
  };
  // Found through an organised transfer, in Shenzhen's 福田区.
  auto made = record(R"({"kind":"省外","region_code":"440304","start_date":"2026-03-01",)"
                     R"("monthly_income":520000,"how_found":"transfer"})",
                     yongxing_);
  ASSERT_EQ(made.status, 201) << made.body;
  json::value first = made.json();
  EXPECT_EQ(Str(first, "kind"), "out_of_province");
  EXPECT_EQ(Str(first, "how_found"), "transfer");
  EXPECT_EQ(Int(first, "monthly_income"), 520000);
  EXPECT_EQ(Str(first, "end_date"), "");
  const int64_t first_id = Int(first, "id");
  const std::string first_path = absl::StrCat("/api/v1/employment/", first_id);

  // Bad input names its field and writes nothing.
  const std::pair<const char*, const char*> bad[] = {
      {R"({"kind":"astronaut","region_code":"440304","start_date":"2026-08-01"})", "kind"},
      {R"({"kind":"local","region_code":"43","start_date":"2026-08-01"})", "region_code"},
      {R"({"kind":"local","region_code":"431023","start_date":"2026-08-01",)"
       R"("end_date":"2026-07-01"})",
       "end_date"},
      {R"({"kind":"local","region_code":"431023"})", "start_date"},
      {R"({"kind":"local","region_code":"431023","start_date":"2026-08-01",)"
       R"("employer_id":"x"})",
       "employer_id"},
      {R"({"kind":"local","region_code":"431023","start_date":"2026-08-01",)"
       R"("employer_id":99999999})",
       "employer_id"},
      {R"({"kind":"local","region_code":"431023","start_date":"2026-08-01","salary":1})", "salary"},
      // A kind that names a place must be the workplace's, seen from the welder's home.
      {R"({"kind":"local","region_code":"440304","start_date":"2026-08-01"})", "kind"},
      {R"({"kind":"out_of_county","region_code":"431023","start_date":"2026-08-01"})", "kind"},
      {R"({"kind":"out_of_province","region_code":"431002","start_date":"2026-08-01"})", "kind"},
      {R"({"kind":"local","region_code":"431023","start_date":"2026-08-01",)"
       R"("monthly_income":-5})",
       "monthly_income"},
  };
  for (const auto& [body, field] : bad) {
    auto r = record(body, yongxing_);
    EXPECT_EQ(r.status, 400) << body << " " << r.body;
    EXPECT_EQ(ErrorField(r), field) << body << " " << r.body;
  }
  // A change of kind is checked against the workplace too (the first is in Shenzhen).
  auto renamed = Patch(first_path, R"({"kind":"local","version":1})", yongxing_);
  EXPECT_EQ(renamed.status, 400) << renamed.body;
  EXPECT_EQ(ErrorField(renamed), "kind") << renamed.body;
  // A second full-time spell may not overlap the first, from either side; part-time may.
  auto overlap =
      record(R"({"kind":"local","region_code":"431023","start_date":"2026-05-01"})", yongxing_);
  EXPECT_EQ(overlap.status, 400) << overlap.body;
  EXPECT_EQ(ErrorField(overlap), "start_date");
  auto before = record(R"({"kind":"local","region_code":"431023","start_date":"2026-01-01",)"
                       R"("end_date":"2026-03-15"})",
                       yongxing_);
  EXPECT_EQ(ErrorField(before), "end_date") << before.body;
  auto part = record(R"({"kind":"self_employed","region_code":"431023101201",)"
                     R"("start_date":"2026-05-01","part_time":true,"monthly_income":80000})",
                     yongxing_);
  ASSERT_EQ(part.status, 201) << part.body;
  json::value spells = Get(base, yongxing_).json();
  EXPECT_EQ(spells.as_object().at("items").as_array().size(), 2u);

  // Ending the first lets a new full-time spell start after it; a stale version is refused.
  auto ended = Patch(first_path, R"({"end_date":"2026-04-30","version":1})", yongxing_);
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(Str(ended.json(), "end_date"), "2026-04-30");
  EXPECT_EQ(Int(ended.json(), "version"), 2);
  EXPECT_EQ(Patch(first_path, R"({"end_date":"2026-04-29","version":1})", yongxing_).status, 409);
  auto next =
      record(R"({"kind":"local","region_code":"431023","start_date":"2026-05-01"})", yongxing_);
  ASSERT_EQ(next.status, 201) << next.body;
  // Moving the first's end into the new one is an overlap too.
  auto longer = Patch(first_path, R"({"end_date":"2026-05-10","version":2})", yongxing_);
  EXPECT_EQ(ErrorField(longer), "end_date") << longer.body;
  // With end_current_spell, a new start ends the running spell the day before.
  auto moved = record(R"({"kind":"out_of_county","region_code":"431002","start_date":"2026-09-01",)"
                      R"("end_current_spell":true})",
                      yongxing_);
  ASSERT_EQ(moved.status, 201) << moved.body;
  auto after = Get(absl::StrCat("/api/v1/employment/", Int(next.json(), "id")), yongxing_);
  EXPECT_EQ(Str(after.json(), "end_date"), "2026-08-31");

  // Scope: another county's officer does not find the person; an employer or a laborer may
  // not record; nobody outside reads a spell.
  EXPECT_EQ(record(R"({"kind":"local","region_code":"431023","start_date":"2026-12-01"})", guiyang_)
                .status,
            404);
  EXPECT_EQ(
      record(R"({"kind":"local","region_code":"431023","start_date":"2026-12-01"})", employer_)
          .status,
      403);
  EXPECT_EQ(record(R"({"kind":"local","region_code":"431023","start_date":"2026-12-01"})", laborer_)
                .status,
            403);
  EXPECT_EQ(Get(first_path, guiyang_).status, 404);
  EXPECT_EQ(Get(first_path, laborer_).status, 404);
  EXPECT_EQ(Get(first_path, helper_).status, 200);  // 马田镇's helper: the welder's township

  // A spell recorded by mistake is deleted with a reason and leaves the list.
  const std::string part_path = absl::StrCat("/api/v1/employment/", Int(part.json(), "id"));
  EXPECT_EQ(ErrorField(client_->Call("DELETE", part_path, R"({"version":1})", yongxing_)),
            "reason");
  // Deleting is for officers: a helper may record and end spells, not delete them.
  EXPECT_EQ(
      client_->Call("DELETE", part_path, R"({"version":1,"reason":"登记错误"})", helper_).status,
      403);
  auto gone = client_->Call("DELETE", part_path, R"({"version":1,"reason":"登记错误"})", yongxing_);
  ASSERT_EQ(gone.status, 200) << gone.body;
  spells = Get(base, yongxing_).json();
  for (const auto& x : spells.as_object().at("items").as_array()) {
    EXPECT_NE(Int(x, "id"), Int(part.json(), "id"));
  }
  EXPECT_EQ(spells.as_object().at("items").as_array().size(), 3u);
}

TEST_F(Http, AVerificationRoundListsWhoIsLeftAndStampsTheConfirmed) {
  NewWelder(*client_, yongxing_, 989);  // at least one person in the village
  auto left = [&](const std::string& quarter) {
    auto r =
        Get(absl::StrCat("/api/v1/persons?region=431023101201&limit=1000&unverified=", quarter),
            helper_);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<int64_t> ids;
    json::value page = r.json();
    for (const auto& x : page.as_object().at("items").as_array()) ids.insert(Int(x, "id"));
    return ids;
  };
  std::set<int64_t> before = left("current");
  ASSERT_GE(before.size(), 1u);
  const int64_t first = *before.begin();
  auto done =
      Post("/api/v1/verification", absl::StrCat(R"({"person_ids":[)", first, "]}"), helper_);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Int(done.json(), "verified"), 1);
  std::set<int64_t> after = left("current");
  EXPECT_EQ(after.size(), before.size() - 1);
  EXPECT_FALSE(after.count(first));
  // Next year's first quarter has not been checked yet: everyone is left again.
  EXPECT_TRUE(left("2027Q1").count(first));
  // Bad input, other counties and laborers.
  auto bad = Get("/api/v1/persons?unverified=2026Q5", helper_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorField(bad), "unverified");
  EXPECT_EQ(ErrorField(Post("/api/v1/verification", R"({"person_ids":[]})", helper_)),
            "person_ids");
  auto outside =
      Post("/api/v1/verification", absl::StrCat(R"({"person_ids":[)", first, "]}"), guiyang_);
  EXPECT_EQ(outside.status, 404);
  EXPECT_EQ(ErrorField(outside), "person_ids[0]");
  EXPECT_EQ(Post("/api/v1/verification", absl::StrCat(R"({"person_ids":[)", first, "]}"), laborer_)
                .status,
            403);
}

TEST_F(Http, AHouseholdsIncomeIsSetPerYearWithItsWorkShare) {
  auto made = Post("/api/v1/households", NewHouseholdBody(7301), yongxing_);
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string base = absl::StrCat("/api/v1/households/", Int(made.json(), "id"), "/income");
  auto put = [&](const std::string& year, const std::string& body, const std::string& cookie) {
    return client_->Call("PUT", absl::StrCat(base, "/", year), body, cookie);
  };
  auto y2025 = put("2025", R"({"wage":3600000,"business":1200000,"transfer":1200000})", yongxing_);
  ASSERT_EQ(y2025.status, 200) << y2025.body;
  EXPECT_EQ(Int(y2025.json(), "total"), 6000000);
  EXPECT_DOUBLE_EQ(y2025.json().as_object().at("work_share").to_number<double>(), 0.8);
  ASSERT_EQ(put("2024", R"({"wage":2000000,"transfer":2000000})", helper_).status, 200);
  // The same year again replaces it.
  ASSERT_EQ(put("2025", R"({"wage":4000000,"business":1000000,"transfer":0})", yongxing_).status,
            200);
  json::value years = Get(base, yongxing_).json();
  const auto& items = years.as_object().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(Int(items[0], "year"), 2024);
  EXPECT_EQ(Int(items[1], "wage"), 4000000);
  EXPECT_DOUBLE_EQ(items[1].as_object().at("work_share").to_number<double>(), 1.0);
  // Bad values name their field; years outside 2000..this year are refused.
  EXPECT_EQ(ErrorField(put("2025", R"({"wage":-1})", yongxing_)), "wage");
  EXPECT_EQ(ErrorField(put("2025", R"({"salary":1})", yongxing_)), "salary");
  EXPECT_EQ(ErrorField(put("1999", R"({"wage":1})", yongxing_)), "year");
  EXPECT_EQ(ErrorField(put("2099", R"({"wage":1})", yongxing_)), "year");
  EXPECT_EQ(ErrorField(put("last", R"({"wage":1})", yongxing_)), "year");
  // Scope: another county does not find it; an employer or a laborer may not set it.
  EXPECT_EQ(Get(base, guiyang_).status, 404);
  EXPECT_EQ(Get(base, laborer_).status, 404);  // a laborer sees their own household's only
  EXPECT_EQ(put("2025", R"({"wage":1})", guiyang_).status, 404);
  EXPECT_EQ(put("2025", R"({"wage":1})", employer_).status, 403);
  EXPECT_EQ(put("2025", R"({"wage":1})", laborer_).status, 403);
}

TEST_F(Http, ALaborerAppliesToARecommendedJobAndSeesOnlyTheirOwnApplications) {
  json::value me = Get("/api/v1/auth/me", laborer_).json();
  int64_t self = Int(me, "person_id");
  json::value jobs =
      Get(absl::StrCat("/api/v1/match/persons/", self, "/jobs?limit=3"), laborer_).json();
  ASSERT_FALSE(jobs.as_object().at("items").as_array().empty()) << json::serialize(jobs);
  int64_t job = Int(jobs.as_object().at("items").as_array()[0].as_object().at("job"), "id");
  // The body's person_id is ignored: a laborer applies for themselves only.
  auto made = Post("/api/v1/applications", absl::StrCat(R"({"job_id":)", job, R"(,"person_id":1})"),
                   laborer_);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(Str(made.json(), "state"), "applied");
  EXPECT_EQ(Int(made.json().as_object().at("person"), "id"), self);
  auto twice = Post("/api/v1/applications", absl::StrCat(R"({"job_id":)", job, "}"), laborer_);
  EXPECT_EQ(twice.status, 409);
  json::value list = Get("/api/v1/applications", laborer_).json();
  for (const auto& it : list.as_object().at("items").as_array()) {
    EXPECT_EQ(Int(it.as_object().at("person"), "id"), self);
  }
  EXPECT_GE(Int(list, "total"), 1);
  // The laborer may withdraw, not hire themselves.
  int64_t id = Int(made.json(), "id");
  EXPECT_EQ(Post(absl::StrCat("/api/v1/applications/", id, "/transition"),
                 R"({"to":"interview","version":1})", laborer_)
                .status,
            403);
  auto withdrawn = Post(absl::StrCat("/api/v1/applications/", id, "/transition"),
                        R"({"to":"withdrawn","version":1,"reason":"家中有事"})", laborer_);
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(Str(withdrawn.json(), "state_reason"), "家中有事");
  EXPECT_EQ(Get("/api/v1/applications?state=nonsense", laborer_).status, 400);
}

TEST_F(Http, AJobHasAPublicPageQrCodeAndPosterWithoutLogin) {
  auto job = Post("/api/v1/jobs",
                  R"({"title":"采茶工 <季节>","skills":["采茶"],"region_code":"431023101000",)"
                  R"("wage_min":300000,"wage_max":450000,"openings":4,"board":true,)"
                  R"("kind":"seasonal","status":"open","description":"三月到五月"})",
                  employer_);
  ASSERT_EQ(job.status, 201) << job.body;
  int64_t id = Int(job.json(), "id");
  auto page = Get(absl::StrCat("/api/v1/public/jobs/", id), "");
  ASSERT_EQ(page.status, 200) << page.body;
  json::value v = page.json();
  EXPECT_EQ(Str(v, "title"), "采茶工 <季节>");
  EXPECT_EQ(Int(v, "openings_left"), 4);
  EXPECT_FALSE(Str(v, "employer_name").empty());
  EXPECT_NE(Str(v, "url").find(absl::StrCat("/p/jobs/", id)), std::string::npos) << Str(v, "url");
  // The posting only: no contact person, phone or record bookkeeping.
  for (const char* key : {"contact_name", "contact_phone", "employer_id", "version"}) {
    EXPECT_FALSE(v.as_object().contains(key)) << key;
  }
  auto qr = Get(absl::StrCat("/api/v1/public/jobs/", id, "/qr.png?scale=4"), "");
  ASSERT_EQ(qr.status, 200);
  EXPECT_EQ(qr.body.substr(1, 3), "PNG");
  EXPECT_EQ(ErrorField(Get(absl::StrCat("/api/v1/public/jobs/", id, "/qr.png?scale=99"), "")),
            "scale");
  auto poster = Get(absl::StrCat("/api/v1/public/jobs/", id, "/poster.svg"), "");
  ASSERT_EQ(poster.status, 200);
  EXPECT_NE(poster.body.find("采茶工 &lt;季节&gt;"), std::string::npos);
  EXPECT_NE(poster.body.find("3000–4500 元/月"), std::string::npos);
  EXPECT_NE(poster.body.find("包吃"), std::string::npos);
  EXPECT_NE(poster.body.find("招 4 人"), std::string::npos);
  // A deleted job has no public page.
  ASSERT_EQ(client_
                ->Call("DELETE", absl::StrCat("/api/v1/jobs/", id),
                       R"({"version":1,"reason":"测试"})", employer_)
                .status,
            200);
  EXPECT_EQ(Get(absl::StrCat("/api/v1/public/jobs/", id), "").status, 404);
  EXPECT_EQ(Get(absl::StrCat("/api/v1/public/jobs/", id, "/poster.svg"), "").status, 404);
}

TEST_F(Http, PersonsAreValidatedAndMaskedByRole) {
  auto h = Post("/api/v1/households", NewHouseholdBody(902), yongxing_);
  ASSERT_EQ(h.status, 201) << h.body;
  int64_t hid = Int(h.json(), "id");
  std::string id = IdNumberFor(431023, Date::FromCivil(1975, 5, 5), 902);
  auto bad = Post("/api/v1/persons",
                  absl::StrCat(R"({"household_id":)", hid,
                               R"(,"name":"测试户主","id_number":"431023197505059021"})"),
                  yongxing_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorField(bad), "id_number");
  auto p = Post(
      "/api/v1/persons",
      absl::StrCat(
          R"({"household_id":)", hid, R"(,"name":"测试户主","id_number":")", id,
          R"(","relation":"户主","phone":"13900001111","skills":["电焊","瓦工"],"intention":"out_of_province"})"),
      yongxing_);
  ASSERT_EQ(p.status, 201) << p.body;
  EXPECT_EQ(Str(p.json(), "gender"), "female");  // 902 is even
  EXPECT_EQ(Str(p.json(), "birth_date"), "1975-05-05");
  std::string path = absl::StrCat("/api/v1/persons/", Int(p.json(), "id"));
  // The helper of 马田镇 sees the person, with the ID number masked.
  auto seen = Get(path, helper_);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(Str(seen.json(), "id_number"), id.substr(0, 6) + "********" + id.substr(14));
  EXPECT_EQ(Str(seen.json(), "phone"), "13900001111");
  // The officer too: the full numbers are a separate request with a reason.
  auto officer_sees = Get(path, yongxing_).json();
  EXPECT_EQ(Str(officer_sees, "id_number"), id.substr(0, 6) + "********" + id.substr(14));
  EXPECT_EQ(Str(officer_sees, "phone"), "139****1111");
  // Employers do not see the register of people at all.
  EXPECT_EQ(Get("/api/v1/persons", employer_).status, 403);
  EXPECT_EQ(Get(path, employer_).status, 403);
  // A laborer sees only their own record.
  EXPECT_EQ(Get(path, laborer_).status, 404);
  auto me = Get("/api/v1/auth/me", laborer_);
  EXPECT_EQ(Get(absl::StrCat("/api/v1/persons/", Int(me.json(), "person_id")), laborer_).status,
            200);
  // The household now lists the member and counts the laborer.
  auto hh = Get(absl::StrCat("/api/v1/households/", hid), yongxing_);
  EXPECT_EQ(hh.json().as_object().at("members").as_array().size(), 1u);
  EXPECT_EQ(Int(hh.json(), "laborers"), 1);
}

// Full ID and phone numbers: one record at a time, with a reason that is in the audit (and the
// person's access log) before the answer; not for employers and laborers; not outside the region.
TEST_F(Http, FullNumbersNeedAReasonThatIsAudited) {
  auto me = Get("/api/v1/auth/me", laborer_).json();
  std::string path = absl::StrCat("/api/v1/persons/", json::serialize(me.at("person_id")));
  auto own = Get(path, laborer_).json();
  std::string id = Str(own, "id_number");  // a laborer sees their own in full
  ASSERT_EQ(id.find('*'), std::string::npos) << id;
  EXPECT_NE(Str(Get(path, yongxing_).json(), "id_number"), id);

  EXPECT_EQ(ErrorField(Post(path + "/reveal", "{}", yongxing_)), "reason");
  EXPECT_EQ(ErrorField(Post(path + "/reveal", R"({"reason":"  x "})", yongxing_)), "reason");
  EXPECT_EQ(ErrorField(Post(path + "/reveal", R"({"reason":7})", yongxing_)), "reason");
  EXPECT_EQ(
      ErrorField(Post(path + "/reveal",
                      absl::StrCat(R"({"reason":")", std::string(501, 'a'), R"("})"), yongxing_)),
      "reason");
  EXPECT_EQ(ErrorField(Post(path + "/reveal", R"({"reason":"核对社保","more":1})", yongxing_)),
            "more");
  auto full = Post(path + "/reveal", R"({"reason":"核对社保参保信息"})", yongxing_);
  ASSERT_EQ(full.status, 200) << full.body;
  EXPECT_EQ(Str(full.json(), "id_number"), id);
  EXPECT_EQ(Str(full.json(), "phone"), Str(own, "phone"));
  // The helper of the village may ask too; employers and laborers may not; another county's
  // officer does not learn that the person exists.
  auto villagers = Get("/api/v1/persons?limit=1", helper_).json();
  std::string villager =
      absl::StrCat("/api/v1/persons/", json::serialize(villagers.at("items").at(0).at("id")));
  EXPECT_EQ(Post(villager + "/reveal", R"({"reason":"入户核实"})", helper_).status, 200);
  EXPECT_EQ(Post(path + "/reveal", R"({"reason":"入户核实"})", employer_).status, 403);
  EXPECT_EQ(Post(path + "/reveal", R"({"reason":"入户核实"})", laborer_).status, 403);
  EXPECT_EQ(Post(path + "/reveal", R"({"reason":"入户核实"})", guiyang_).status, 404);
  EXPECT_EQ(Post("/api/v1/persons/999999999/reveal", R"({"reason":"入户核实"})", yongxing_).status,
            404);
  // The reveal and its reason are in the person's access log at once.
  auto log = Get(path + "/access-log", laborer_).json();
  bool found = false;
  for (const auto& e : log.at("items").as_array()) {
    if (Str(e, "action") == "reveal" && Str(e, "username") == "yongxing") {
      found = true;
      EXPECT_EQ(Str(e, "detail"), "reason: 核对社保参保信息");
    }
  }
  EXPECT_TRUE(found) << json::serialize(log);
  // And in the audit that admins read, by person and action.
  auto audit = Get(absl::StrCat("/api/v1/audit?action=reveal&user=yongxing&person=",
                                json::serialize(me.at("person_id"))),
                   admin_);
  ASSERT_EQ(audit.status, 200) << audit.body;
  ASSERT_FALSE(audit.json().at("items").as_array().empty()) << audit.body;
  EXPECT_EQ(Str(audit.json().at("items").at(0), "detail"), "reason: 核对社保参保信息");
  EXPECT_EQ(Get("/api/v1/audit", yongxing_).status, 403);
  EXPECT_EQ(ErrorField(Get("/api/v1/audit?from=yesterday", admin_)), "from");
  EXPECT_EQ(ErrorField(Get("/api/v1/audit?user=nobody-at-all", admin_)), "user");
  EXPECT_EQ(ErrorField(Get("/api/v1/audit?limit=5000", admin_)), "limit");
  auto verify = Get("/api/v1/audit/verify", admin_);
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_TRUE(verify.json().at("ok").as_bool()) << verify.body;
  auto csv = Get("/api/v1/audit/export?format=csv&action=reveal", admin_);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("核对社保参保信息"), std::string::npos);
}

// An employer's contact phone is personal data: masked for officers (in full on reveal), in
// full for the employer itself.
TEST_F(Http, EmployersContactPhonesAreMaskedButForThemselves) {
  auto me = Get("/api/v1/auth/me", employer_).json();
  std::string path = absl::StrCat("/api/v1/employers/", json::serialize(me.at("employer_id")));
  auto own = Get(path, employer_);
  ASSERT_EQ(own.status, 200) << own.body;
  std::string phone = Str(own.json(), "contact_phone");
  ASSERT_FALSE(phone.empty());
  ASSERT_EQ(phone.find('*'), std::string::npos);
  auto seen = Get(path, admin_);
  EXPECT_EQ(Str(seen.json(), "contact_phone"), phone.substr(0, 3) + "****" + phone.substr(7));
  auto full = Post(path + "/reveal", R"({"reason":"联系用工企业"})", admin_);
  ASSERT_EQ(full.status, 200) << full.body;
  EXPECT_EQ(Str(full.json(), "phone"), phone);
  EXPECT_FALSE(full.json().as_object().contains("id_number"));
}

// The right to know: a person's page lists who read or changed the record, newest first; the
// laborer sees their own; another county's officer does not learn that the person exists.
TEST_F(Http, APersonsAccessLogSaysWhoLookedAndWhen) {
  auto me = Get("/api/v1/auth/me", laborer_).json();
  std::string own = json::serialize(me.at("person_id"));
  std::string path = absl::StrCat("/api/v1/persons/", own);
  ASSERT_EQ(Get(path, yongxing_).status, 200);
  auto log = Get(path + "/access-log", laborer_);
  ASSERT_EQ(log.status, 200) << log.body;
  auto v = log.json();
  const auto& items = v.at("items").as_array();
  ASSERT_FALSE(items.empty());
  bool officer_read = false;
  for (const auto& e : items) {
    officer_read |=
        e.at("username").as_string() == "yongxing" && e.at("action").as_string() == "read";
  }
  EXPECT_TRUE(officer_read) << log.body;
  // Newest first.
  for (size_t i = 1; i < items.size(); ++i) {
    EXPECT_GE(items[i - 1].at("at").as_string(), items[i].at("at").as_string());
  }
  EXPECT_EQ(Get(path + "/access-log", guiyang_).status, 404);
  EXPECT_EQ(Get(path + "/access-log", employer_).status, 403);
  EXPECT_EQ(Get("/api/v1/persons/999999/access-log", yongxing_).status, 404);
  EXPECT_EQ(Get(path + "/access-log", "").status, 401);
}

TEST_F(Http, RegionScopeHoldsOnEveryEndpoint) {
  auto h = Post("/api/v1/households", NewHouseholdBody(903), yongxing_);
  ASSERT_EQ(h.status, 201);
  std::string path = absl::StrCat("/api/v1/households/", Int(h.json(), "id"));
  // Another county's officer: reads and writes alike are 404, and say nothing of where the
  // record is (a 403 naming its village told that it exists).
  EXPECT_EQ(Get(path, guiyang_).status, 404);
  auto patch = Patch(path, R"({"version":1,"address":"x"})", guiyang_);
  EXPECT_EQ(patch.status, 404);
  EXPECT_EQ(patch.body.find("431023"), std::string::npos) << patch.body;
  EXPECT_EQ(patch.body.find("永兴"), std::string::npos) << patch.body;
  EXPECT_EQ(client_->Call("DELETE", path, R"({"version":1,"reason":"x"})", guiyang_).status, 404);
  EXPECT_EQ(Post(path + "/restore", R"({"version":1})", guiyang_).status, 404);
  // Nor may a member be placed in it from outside.
  auto member =
      Post("/api/v1/persons",
           absl::StrCat(
               R"({"household_id":)", Int(h.json(), "id"), R"(,"name":"外县","id_number":")",
               IdNumberFor(431021, Date::FromCivil(1990, 1, 1), 907), R"(","relation":"child"})"),
           guiyang_);
  EXPECT_EQ(member.status, 400);
  EXPECT_EQ(ErrorField(member), "household_id");
  EXPECT_NE(member.body.find("does not exist"), std::string::npos) << member.body;
  EXPECT_EQ(Post("/api/v1/households", NewHouseholdBody(904), guiyang_).status, 403);
  auto list = Get("/api/v1/households?region=431023", guiyang_);
  EXPECT_EQ(list.status, 404);
  auto own = Get("/api/v1/households", guiyang_);
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(Int(own.json(), "total"), 0);
  // The helper of 马田镇 works only inside the township.
  EXPECT_EQ(Post("/api/v1/households", NewHouseholdBody(905, Village(2)), helper_).status, 403);
  EXPECT_EQ(Post("/api/v1/households", NewHouseholdBody(906, Village(1)), helper_).status, 201);
  auto persons = Get("/api/v1/persons?limit=1000", helper_);
  ASSERT_EQ(persons.status, 200);
  auto pv = persons.json();
  for (const auto& p : pv.as_object().at("items").as_array()) {
    EXPECT_EQ(std::string(p.as_object().at("region_code").as_string()).substr(0, 9), "431023101");
  }
  // Exports respect the scope too.
  auto exp = Get("/api/v1/export/households?format=csv", guiyang_);
  ASSERT_EQ(exp.status, 200);
  EXPECT_EQ(std::count(exp.body.begin(), exp.body.end(), '\n'), 1);  // the header only
}

TEST_F(Http, ListsFilterSortAndPage) {
  auto r = Get("/api/v1/persons?intention=out_of_province&sort=-birth_date&limit=7", yongxing_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto rv = r.json();
  const auto& o = rv.as_object();
  EXPECT_EQ(o.at("items").as_array().size(), 7u);
  EXPECT_GT(Int(r.json(), "total"), 7);
  std::string last = "9999";
  for (const auto& p : o.at("items").as_array()) {
    std::string b(p.as_object().at("birth_date").as_string());
    EXPECT_LE(b, last);
    last = b;
    EXPECT_EQ(p.as_object().at("intention").as_string(), "out_of_province");
  }
  auto next =
      Get(absl::StrCat("/api/v1/persons?intention=out_of_province&sort=-birth_date&limit=7&cursor=",
                       Str(r.json(), "next_cursor")),
          yongxing_);
  ASSERT_EQ(next.status, 200);
  auto nv = next.json();
  EXPECT_LE(std::string(
                nv.as_object().at("items").as_array()[0].as_object().at("birth_date").as_string()),
            last);
  EXPECT_EQ(Get("/api/v1/persons?sort=password", yongxing_).status, 400);
  EXPECT_EQ(Get("/api/v1/persons?limit=0", yongxing_).status, 400);
  EXPECT_EQ(Get("/api/v1/persons?cursor=garbage", yongxing_).status, 400);
  auto named = Get("/api/v1/persons?q=%E6%9D%8E&limit=5", yongxing_);  // 李
  ASSERT_EQ(named.status, 200);
  auto namedv = named.json();
  for (const auto& p : namedv.as_object().at("items").as_array()) {
    EXPECT_NE(std::string(p.as_object().at("name").as_string()).find("李"), std::string::npos);
  }
  EXPECT_EQ(Get("/api/v1/persons?employment=employed", yongxing_).status, 200);
  EXPECT_EQ(Get("/api/v1/households?poverty_type=relocated&region=431023101", yongxing_).status,
            200);
}

TEST_F(Http, EmployersAndJobsFollowTheirOwners) {
  auto e = Post(
      "/api/v1/employers",
      R"({"credit_code":"91350100M000100Y43","name":"测试企业","region_code":"431023","kinds":["enterprise","workshop"]})",
      yongxing_);
  ASSERT_EQ(e.status, 201) << e.body;
  auto bad =
      Post("/api/v1/employers",
           R"({"credit_code":"91350100M000100Y44","name":"x","region_code":"431023"})", yongxing_);
  EXPECT_EQ(ErrorField(bad), "credit_code");
  int64_t eid = Int(e.json(), "id");
  auto job =
      Post("/api/v1/jobs",
           absl::StrCat(
               R"({"employer_id":)", eid,
               R"(,"title":"电焊工","region_code":"431023","wage_min":400000,"wage_max":300000})"),
           yongxing_);
  EXPECT_EQ(job.status, 400);
  EXPECT_EQ(ErrorField(job), "wage_max");
  job = Post(
      "/api/v1/jobs",
      absl::StrCat(
          R"({"employer_id":)", eid,
          R"(,"title":"电焊工","region_code":"431023","wage_min":400000,"wage_max":600000,"openings":3,"board":true})"),
      yongxing_);
  ASSERT_EQ(job.status, 201) << job.body;
  std::string job_path = absl::StrCat("/api/v1/jobs/", Int(job.json(), "id"));
  // The demo employer account sees and changes only its own jobs.
  auto mine = Get("/api/v1/jobs?limit=100", employer_);
  ASSERT_EQ(mine.status, 200);
  auto me = Get("/api/v1/auth/me", employer_).json();
  auto minev = mine.json();
  for (const auto& j : minev.as_object().at("items").as_array()) {
    EXPECT_EQ(j.as_object().at("employer_id"), me.as_object().at("employer_id"));
  }
  EXPECT_EQ(Get(job_path, employer_).status, 404);
  EXPECT_EQ(Patch(job_path, R"({"version":1,"openings":5})", employer_).status, 404);
  // Laborers see open jobs anywhere, and cannot change them.
  EXPECT_EQ(Get(job_path, laborer_).status, 200);
  EXPECT_EQ(Patch(job_path, R"({"version":1,"openings":5})", laborer_).status, 403);
  auto upd = Patch(job_path, R"({"version":1,"openings":5,"status":"closed"})", yongxing_);
  EXPECT_EQ(upd.status, 200) << upd.body;
  EXPECT_EQ(Patch(job_path, R"({"version":2,"employer_id":1})", yongxing_).status, 400);
  EXPECT_EQ(Get("/api/v1/employers", employer_).json().as_object().at("items").as_array().size(),
            1u);
}

TEST_F(Http, RegionsAndFlags) {
  auto r = Get("/api/v1/regions/431023", yongxing_);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Str(r.json(), "name"), "永兴县");
  EXPECT_EQ(r.json().as_object().at("path").as_array().size(), 3u);
  auto kids = Get("/api/v1/regions?parent=431023", yongxing_);
  EXPECT_EQ(kids.json().as_object().at("items").as_array().size(), 16u);
  EXPECT_EQ(Get("/api/v1/regions/4310235", yongxing_).status, 400);
  EXPECT_EQ(Get("/api/v1/regions/990000", yongxing_).status, 404);
  auto search =
      Get("/api/v1/regions/search?q=%E9%A9%AC%E7%94%B0&within=431023", yongxing_);  // 马田
  EXPECT_GE(search.json().as_object().at("items").as_array().size(), 1u);
  auto set = client_->Call("PUT", "/api/v1/regions/431023/flags",
                           R"({"key_county":true,"version":0})", yongxing_);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_TRUE(set.json().as_object().at("flags").as_object().at("key_county").as_bool());
  EXPECT_EQ(client_
                ->Call("PUT", "/api/v1/regions/431023/flags", R"({"key_county":false,"version":0})",
                       yongxing_)
                .status,
            409);
  EXPECT_EQ(
      client_->Call("PUT", "/api/v1/regions/431023101/flags", R"({"key_county":true})", yongxing_)
          .status,
      400);
  EXPECT_EQ(
      client_->Call("PUT", "/api/v1/regions/431021/flags", R"({"key_county":true})", yongxing_)
          .status,
      403);
  auto flagged = Get("/api/v1/regions/flagged?region=4310", admin_).json();
  bool county_flagged = false;
  for (const auto& r : flagged.at("items").as_array()) {
    county_flagged |=
        r.at("code").as_string() == "431023" && r.at("flags").at("key_county").as_bool();
  }
  EXPECT_TRUE(county_flagged);
}

TEST_F(Http, UsersAreCreatedByAdminsAndOfficersInScope) {
  auto u = Post(
      "/api/v1/users",
      R"({"username":"helper2","role":"helper","region_code":"431023104","password":"long-enough"})",
      yongxing_);
  EXPECT_EQ(u.status, 201) << u.body;
  EXPECT_EQ(
      Post("/api/v1/users",
           R"({"username":"x2","role":"officer","region_code":"431023","password":"long-enough"})",
           yongxing_)
          .status,
      403);
  EXPECT_EQ(
      Post("/api/v1/users",
           R"({"username":"x3","role":"helper","region_code":"431021","password":"long-enough"})",
           yongxing_)
          .status,
      403);
  EXPECT_EQ(Post("/api/v1/users",
                 R"({"username":"x4","role":"helper","region_code":"431023","password":"short"})",
                 yongxing_)
                .status,
            400);
  EXPECT_EQ(
      Post(
          "/api/v1/users",
          R"({"username":"helper2","role":"helper","region_code":"431023","password":"long-enough"})",
          admin_)
          .status,
      409);
  EXPECT_EQ(Get("/api/v1/users", helper_).status, 403);
  EXPECT_EQ(client_->Login("helper2", "long-enough").empty(), false);
}

TEST_F(Http, BodiesAndHeadersHaveLimits) {
  std::string big(2 << 20, 'x');
  EXPECT_EQ(Post("/api/v1/households", "{\"note\":\"" + big + "\"}", yongxing_).status, 413);
  // A huge header is refused.
  std::string cookie = yongxing_ + "; pad=" + std::string(32 * 1024, 'y');
  EXPECT_EQ(Get("/api/v1/auth/me", cookie).status, 431);
}

TEST_F(Http, SummaryCountsTheRegister) {
  auto s = Get("/api/v1/stats/summary", yongxing_);
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_GE(Int(s.json(), "households"), 5000);
  EXPECT_EQ(s.json().as_object().at("subregions").as_array().size(), 16u);
  EXPECT_EQ(Get("/api/v1/stats/summary", laborer_).status, 403);
}

// --- indicators and targets ---

// The figure `key` of a region's figures (an /indicators object or one of its subregions).
const json::object& FigureOf(const json::value& region, const std::string& key) {
  for (const auto& f : region.as_object().at("figures").as_array()) {
    if (f.as_object().at("key").as_string() == key) return f.as_object();
  }
  static const json::object kNone;
  ADD_FAILURE() << "no figure " << key;
  return kNone;
}
int64_t Numerator(const json::value& region, const std::string& key) {
  return FigureOf(region, key).at("numerator").to_number<int64_t>();
}

TEST_F(Http, IndicatorsReflectANewSpellAtOnceAndAddUpOverSubRegions) {
  auto figures = [&](const std::string& cookie) {
    return Get("/api/v1/indicators?region=431023", cookie);
  };
  int64_t welder = NewWelder(*client_, yongxing_, 993);
  auto before = figures(yongxing_);
  ASSERT_EQ(before.status, 200) << before.body;
  json::value b = before.json();
  EXPECT_EQ(Str(b, "name"), "永兴县");
  EXPECT_EQ(b.as_object().at("figures").as_array().size(), 15u);
  const auto& subs = b.as_object().at("subregions").as_array();
  EXPECT_EQ(subs.size(), 16u);
  // Every count is the sum of the townships'; rates are their quotients.
  for (const char* key : {"laborers", "employed", "out_migrants", "zero_employment_households",
                          "work_stability", "work_income_share"}) {
    int64_t sum = 0, den = 0;
    for (const auto& t : subs) {
      sum += Numerator(t, key);
      den += FigureOf(t, key).at("denominator").to_number<int64_t>();
    }
    EXPECT_EQ(sum, Numerator(b, key)) << key;
    EXPECT_EQ(den, FigureOf(b, key).at("denominator").to_number<int64_t>()) << key;
  }
  EXPECT_GT(Numerator(b, "employed"), 1000);
  const json::object& rate = FigureOf(b, "intention_employment_rate");
  EXPECT_NEAR(rate.at("value").to_number<double>(),
              rate.at("numerator").to_number<double>() / rate.at("denominator").to_number<double>(),
              1e-12);
  EXPECT_TRUE(rate.at("last_year").as_object().contains("value"));
  // Year over year: against the figures of the same day a year before, as asked for directly.
  const json::object& emp = FigureOf(b, "employed");
  double now = emp.at("value").to_number<double>();
  double then = emp.at("last_year").as_object().at("value").to_number<double>();
  EXPECT_DOUBLE_EQ(emp.at("yoy_change").to_number<double>(), now - then);
  ASSERT_NE(then, 0);
  EXPECT_NEAR(emp.at("yoy_rate").to_number<double>(), (now - then) / then, 1e-12);
  json::value year_before =
      Get(absl::StrCat("/api/v1/indicators?region=431023&date=", Str(b, "last_year")), yongxing_)
          .json();
  EXPECT_EQ(Numerator(year_before, "employed"), static_cast<int64_t>(then));
  EXPECT_EQ(FigureOf(year_before, "intention_employment_rate").at("numerator"),
            rate.at("last_year").as_object().at("numerator"));
  // The summary on the dashboard reads the same figures.
  auto summary = Get("/api/v1/stats/summary?region=431023", yongxing_);
  EXPECT_EQ(Int(summary.json(), "employed"), Numerator(b, "employed"));

  // A spell recorded now shows in the next answer.
  Date today = kToday;
  auto spell = Post(absl::StrCat("/api/v1/persons/", welder, "/employment"),
                    absl::StrCat(R"({"kind":"local","region_code":"431023101000","start_date":")",
                                 today.AddDays(-3).ToString(), R"("})"),
                    yongxing_);
  ASSERT_EQ(spell.status, 201) << spell.body;
  json::value a = figures(yongxing_).json();
  EXPECT_EQ(Numerator(a, "employed"), Numerator(b, "employed") + 1);
  EXPECT_EQ(Numerator(a, "employed_local"), Numerator(b, "employed_local") + 1);
  EXPECT_EQ(Numerator(a, "intention_employment_rate"),
            Numerator(b, "intention_employment_rate") + 1);
  EXPECT_EQ(Numerator(a, "laborers"), Numerator(b, "laborers"));

  // A day before the spell began, it does not count.
  auto earlier =
      Get(absl::StrCat("/api/v1/indicators?region=431023&date=", today.AddDays(-4).ToString()),
          yongxing_);
  ASSERT_EQ(earlier.status, 200);
  EXPECT_EQ(Str(earlier.json(), "as_of"), today.AddDays(-4).ToString());
  EXPECT_EQ(Get("/api/v1/indicators?region=431023&date=someday", yongxing_).status, 400);
  EXPECT_EQ(ErrorField(Get("/api/v1/indicators?region=431023&date=someday", yongxing_)), "date");

  // Ranking: every township, highest first; the series ends today with today's figure.
  auto ranking =
      Get("/api/v1/indicators/ranking?region=431023&indicator=employed", yongxing_).json();
  const auto& ranked = ranking.as_object().at("items").as_array();
  ASSERT_EQ(ranked.size(), 16u);
  for (size_t i = 1; i < ranked.size(); ++i) {
    EXPECT_GE(Int(ranked[i - 1], "numerator"), Int(ranked[i], "numerator"));
  }
  EXPECT_EQ(Get("/api/v1/indicators/ranking?region=431023&indicator=happiness", yongxing_).status,
            400);
  auto series =
      Get("/api/v1/indicators/series?region=431023&indicator=employed&months=6", yongxing_).json();
  const auto& points = series.as_object().at("items").as_array();
  ASSERT_EQ(points.size(), 6u);
  EXPECT_EQ(Str(points.back(), "date"), today.ToString());
  EXPECT_EQ(Int(points.back(), "numerator"), Numerator(a, "employed"));

  // Figures are for staff in scope.
  EXPECT_EQ(figures(laborer_).status, 403);
  EXPECT_EQ(figures(employer_).status, 403);
  EXPECT_EQ(Get("/api/v1/indicators?region=431023", guiyang_).status, 404);
}

TEST_F(Http, TargetsAreSetCheckedAndSplitDownToTownshipsAddingUp) {
  const int year = kToday.year();
  const std::string path = absl::StrCat("/api/v1/targets/employed/431023/", year);
  auto put = [&](const std::string& p, const std::string& body, const std::string& cookie) {
    return client_->Call("PUT", p, body, cookie);
  };
  EXPECT_EQ(ErrorField(put(path, R"({"value":"lots"})", yongxing_)), "value");
  EXPECT_EQ(ErrorField(put(path, R"({"value":"12.5"})", yongxing_)), "value");
  EXPECT_EQ(ErrorField(put(path, R"({"value":"1","colour":"red"})", yongxing_)), "colour");
  EXPECT_EQ(ErrorField(put(absl::StrCat("/api/v1/targets/happiness/431023/", year),
                           R"({"value":"1"})", yongxing_)),
            "indicator");
  EXPECT_EQ(ErrorField(put("/api/v1/targets/employed/431023/1900", R"({"value":"1"})", yongxing_)),
            "year");
  EXPECT_EQ(put(path, R"({"value":"8000"})", helper_).status, 403);
  EXPECT_EQ(
      put(absl::StrCat("/api/v1/targets/employed/520102/", year), R"({"value":"1"})", yongxing_)
          .status,
      404);
  auto set = put(path, R"({"value":"8000"})", yongxing_);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Int(set.json(), "version"), 1);
  // A second "new" target is someone else's change: refused, nothing lost.
  EXPECT_EQ(put(path, R"({"value":"9000"})", yongxing_).status, 409);
  auto again = put(path, R"({"value":"8001","version":1})", yongxing_);
  ASSERT_EQ(again.status, 200) << again.body;
  auto rate = put(absl::StrCat("/api/v1/targets/intention_employment_rate/431023/", year),
                  R"({"value":"80"})", yongxing_);
  ASSERT_EQ(rate.status, 200) << rate.body;
  EXPECT_DOUBLE_EQ(rate.json().as_object().at("value").to_number<double>(), 0.8);

  json::value f = Get("/api/v1/indicators?region=431023", yongxing_).json();
  const json::object& employed = FigureOf(f, "employed");
  EXPECT_DOUBLE_EQ(employed.at("target").to_number<double>(), 8001);
  EXPECT_NEAR(employed.at("completion").to_number<double>(),
              employed.at("numerator").to_number<double>() / 8001, 1e-12);
  EXPECT_DOUBLE_EQ(FigureOf(f, "intention_employment_rate").at("target").to_number<double>(), 0.8);

  // Split among the 16 townships in proportion to their laborers: whole people adding up.
  auto split = Post(path + "/split", "", yongxing_);
  ASSERT_EQ(split.status, 200) << split.body;
  json::value split_json = split.json();
  const auto& parts = split_json.as_object().at("items").as_array();
  ASSERT_EQ(parts.size(), 16u);
  double sum = 0;
  for (const auto& p : parts) {
    double v = p.as_object().at("value").to_number<double>();
    EXPECT_EQ(v, std::floor(v));
    sum += v;
  }
  EXPECT_EQ(sum, 8001);
  // The townships' figures carry their targets; the list holds the county's and theirs.
  json::value again_f = Get("/api/v1/indicators?region=431023", yongxing_).json();
  double shown = 0;
  for (const auto& t : again_f.as_object().at("subregions").as_array()) {
    shown += FigureOf(t, "employed").at("target").to_number<double>();
  }
  EXPECT_EQ(shown, 8001);
  auto list = Get(absl::StrCat("/api/v1/targets?region=431023&year=", year), yongxing_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json().as_object().at("items").as_array().size(), 18u);
  // A second split replaces the parts.
  EXPECT_EQ(Post(path + "/split", "", yongxing_).status, 200);
  EXPECT_EQ(
      Post(absl::StrCat("/api/v1/targets/work_stability/431023/", year, "/split"), "", yongxing_)
          .status,
      400);  // no target to split

  // Down to the villages in one call: each township's villages add up to the township's part,
  // and the townships to the county's whole.
  EXPECT_EQ(ErrorField(Post(path + "/split?down_to=hamlet", "", yongxing_)), "down_to");
  EXPECT_EQ(ErrorField(Post(path + "/split?down_to=prefecture", "", yongxing_)), "down_to");
  auto deep = Post(path + "/split?down_to=village", "", yongxing_);
  ASSERT_EQ(deep.status, 200) << deep.body.substr(0, 300);
  json::value deep_json = deep.json();
  std::map<std::string, double> townships, villages;  // by township: its part, its villages' sum
  size_t village_count = 0;
  for (const auto& t : deep_json.as_object().at("items").as_array()) {
    std::string code = Str(t, "region");
    double v = t.as_object().at("value").to_number<double>();
    EXPECT_EQ(v, std::floor(v)) << code;
    if (code.size() == 9) {
      townships[code] = v;
    } else {
      ASSERT_EQ(code.size(), 12u) << code;
      villages[code.substr(0, 9)] += v;
      ++village_count;
    }
  }
  ASSERT_EQ(townships.size(), 16u);
  EXPECT_GT(village_count, 100u);
  double county = 0;
  for (const auto& [code, v] : townships) {
    county += v;
    EXPECT_EQ(villages[code], v) << code;
  }
  EXPECT_EQ(county, 8001);
}

TEST_F(Http, TheMonthlyReportIsAWorkbookOfOneSheetPerLevelAndAPrintablePage) {
  // A target no other test sets, for the target and completion columns.
  auto target =
      client_->Call("PUT", absl::StrCat("/api/v1/targets/out_migrants/431023/", kToday.year()),
                    R"({"value":"2500"})", yongxing_);
  ASSERT_EQ(target.status, 200) << target.body;
  auto x = Get("/api/v1/reports/monthly.xlsx?region=431023", yongxing_);
  ASSERT_EQ(x.status, 200) << x.body.substr(0, 300);
  auto sheets = io::ReadSheets(x.body);
  ASSERT_TRUE(sheets.ok()) << sheets.status();
  ASSERT_EQ(sheets->size(), 3u);
  EXPECT_EQ((*sheets)[0].name, "汇总");
  EXPECT_EQ((*sheets)[1].name, "乡镇（街道）");
  EXPECT_EQ((*sheets)[2].name, "村（社区）");
  json::value api = Get("/api/v1/indicators?region=431023", yongxing_).json();
  // The summary: the title, the date, then one row per indicator under the headings.
  const auto& sum = (*sheets)[0].rows;
  ASSERT_GT(sum.size(), 17u);
  EXPECT_EQ(sum[0][0], "永兴县就业帮扶月报");
  EXPECT_EQ(sum[2][0], "指标");
  EXPECT_EQ(sum[2][2], "分子");
  EXPECT_EQ(sum[2][10], "完成率");
  bool found = false, targeted = false;
  for (const auto& row : sum) {
    if (!row.empty() && row[0] == "务工就业规模") {
      found = true;
      EXPECT_EQ(row[2], absl::StrCat(Numerator(api, "employed")));
      EXPECT_EQ(row[4], absl::StrCat(Numerator(api, "laborers")));
    }
    if (!row.empty() && row[0] == "外出务工人数") {
      targeted = true;
      ASSERT_EQ(row.size(), 11u);
      double goal = 0, completion = 0;
      ASSERT_TRUE(absl::SimpleAtod(row[9], &goal)) << row[9];
      ASSERT_TRUE(absl::SimpleAtod(row[10], &completion)) << row[10];
      EXPECT_EQ(goal, 2500);
      EXPECT_NEAR(completion, Numerator(api, "out_migrants") / 2500.0, 1e-9);
      EXPECT_NEAR(completion, FigureOf(api, "out_migrants").at("completion").to_number<double>(),
                  1e-9);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(targeted);
  // Townships: every one, each with the API's figures in the columns the headings name.
  const auto& towns = (*sheets)[1].rows;
  ASSERT_EQ(towns.size(), 3u + 16u);
  const auto& header = towns[2];
  auto column = [&](const std::string& name) {
    auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name;
    return static_cast<size_t>(it - header.begin());
  };
  size_t employed = column("务工就业规模：务工就业劳动力");
  size_t rate = column("有就业意愿的劳动力就业率（%）");
  const auto& subs = api.as_object().at("subregions").as_array();
  for (size_t i = 0; i < subs.size(); ++i) {
    const auto& row = towns[3 + i];
    EXPECT_EQ(row[0], Str(subs[i], "code"));
    EXPECT_EQ(row[1], Str(subs[i], "name"));
    EXPECT_EQ(row[employed], absl::StrCat(Numerator(subs[i], "employed")));
    double v = 0;
    ASSERT_TRUE(absl::SimpleAtod(row[rate], &v)) << row[rate];
    EXPECT_NEAR(v, FigureOf(subs[i], "intention_employment_rate").at("value").to_number<double>(),
                1e-6);
  }
  EXPECT_GT((*sheets)[2].rows.size(), 100u);  // the villages

  auto html = Get("/api/v1/reports/monthly.html?region=431023", yongxing_);
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("永兴县就业帮扶月报"), std::string::npos);
  EXPECT_NE(html.body.find("<svg"), std::string::npos);
  EXPECT_NE(html.body.find("马田镇"), std::string::npos);
  EXPECT_EQ(Get("/api/v1/reports/monthly.xlsx?region=431023", laborer_).status, 403);
  EXPECT_EQ(Get("/api/v1/reports/monthly.html?region=431023&date=tomorrowish", yongxing_).status,
            400);
}

// --- import and export ---

std::string PersonsCsv(int rows, int first_seq, int bad_row) {
  std::string csv =
      "姓名,公民身份号码,户主公民身份号码,所在村,户类型,联系电话,就业意愿,技能特长,期望月薪(元)"
      "\r\n";
  for (int i = 0; i < rows; ++i) {
    int seq = first_seq + i;
    bool head = i % 2 == 0;
    Date birth = Date::FromCivil(1960 + seq % 40, 1 + seq % 12, 1 + seq % 28);
    std::string id = IdNumberFor(431023, birth, seq % 1000);
    if (i + 2 == bad_row) id[17] = id[17] == '1' ? '2' : '1';  // a wrong check character
    static std::string head_id;
    if (head) head_id = id;
    absl::StrAppend(&csv, "张", seq, ",", id, ",", head_id, ",", head ? "431023101201" : "", ",",
                    head ? "脱贫户" : "", ",138", 10000000 + seq, ",省外,电焊、瓦工,4500\r\n");
  }
  return csv;
}

TEST_F(Http, AnImportWithOneBadRowWritesNothingAndNamesTheRow) {
  int64_t before = Int(Get("/api/v1/stats/summary", admin_).json(), "persons");
  auto r = client_->Call("POST", "/api/v1/import/persons", PersonsCsv(1000, 7000, 501), admin_,
                         "text/csv");
  ASSERT_EQ(r.status, 422) << r.body;
  auto rv = r.json();
  const auto& o = rv.as_object();
  EXPECT_FALSE(o.at("written").as_bool());
  EXPECT_EQ(Int(r.json(), "rows"), 1000);
  ASSERT_GE(o.at("errors").as_array().size(), 1u);
  const auto& e = o.at("errors").as_array()[0].as_object();
  EXPECT_EQ(e.at("row").to_number<int>(), 501);
  EXPECT_EQ(e.at("column").as_string(), "公民身份号码");
  EXPECT_NE(std::string(e.at("message").as_string()).find("check character"), std::string::npos);
  EXPECT_EQ(Int(Get("/api/v1/stats/summary", admin_).json(), "persons"), before);
}

TEST_F(Http, SpellsAreImportedByIdNumberCheckedRowByRowAndExportedToImportAgain) {
  NewWelder(*client_, yongxing_, 986);
  NewWelder(*client_, yongxing_, 987);
  auto id = [](int seq) { return IdNumberFor(431023, Date::FromCivil(1990, 3, 3), seq); };
  const std::string header =
      "公民身份号码,就业类型,就业地,开始日期,结束日期,月收入(元),就业渠道,兼职\n";
  auto import = [&](const std::string& csv) {
    return client_->Call("POST", "/api/v1/import/employment", csv, yongxing_, "text/csv");
  };
  auto count = [&](int seq) {
    auto persons = Get(absl::StrCat("/api/v1/persons?id_number=", id(seq)), yongxing_).json();
    int64_t person = Int(persons.as_object().at("items").as_array()[0], "id");
    return Get(absl::StrCat("/api/v1/persons/", person, "/employment"), yongxing_)
        .json()
        .as_object()
        .at("items")
        .as_array()
        .size();
  };
  std::string rows = absl::StrCat(id(986), ",省外就业,440304,2026-01-01,,5200,有组织劳务输出,否\n",
                                  id(987), ",县内,永兴县,2026-02-01,2026-06-30,3000,招聘会,否\n");
  // Row 4 starts while row 3's spell still runs: nothing is written, row 4 is named.
  auto bad = import(header + rows + absl::StrCat(id(987), ",县内,431023,2026-06-01,,3100,,否\n"));
  ASSERT_EQ(bad.status, 422) << bad.body;
  json::value bv = bad.json();
  EXPECT_FALSE(bv.as_object().at("written").as_bool());
  const auto& e = bv.as_object().at("errors").as_array();
  ASSERT_EQ(e.size(), 1u) << bad.body;
  EXPECT_EQ(e[0].as_object().at("row").to_number<int>(), 4);
  EXPECT_EQ(e[0].as_object().at("column").as_string(), "开始日期");
  EXPECT_EQ(count(986), 0u);
  // An unknown person, a bad kind and a kind that is not the workplace's (县内 for work in
  // Shenzhen) are named by row and column too.
  auto unknown = import(header + absl::StrCat(id(988), ",县内,431023,2026-06-01,,,,否\n") +
                        absl::StrCat(id(986), ",astronaut,431023,2026-06-01,,,,否\n") +
                        absl::StrCat(id(987), ",县内,440304,2026-08-01,,,,否\n"));
  ASSERT_EQ(unknown.status, 422) << unknown.body;
  json::value uv = unknown.json();
  const auto& u = uv.as_object().at("errors").as_array();
  ASSERT_EQ(u.size(), 3u) << unknown.body;
  EXPECT_EQ(u[0].as_object().at("column").as_string(), "公民身份号码");
  EXPECT_EQ(u[1].as_object().at("row").to_number<int>(), 3);
  EXPECT_EQ(u[1].as_object().at("column").as_string(), "就业类型");
  EXPECT_EQ(u[2].as_object().at("row").to_number<int>(), 4);
  EXPECT_EQ(u[2].as_object().at("column").as_string(), "就业类型");

  const std::string good =
      header + rows + absl::StrCat(id(987), ",县内,431023,2026-07-01,,3100,,否\n");
  auto employed = [&] {
    return Numerator(Get("/api/v1/indicators?region=431023", yongxing_).json(), "employed");
  };
  const int64_t employed_before = employed();
  auto first = import(good);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Int(first.json(), "inserted"), 3);
  EXPECT_EQ(count(986), 1u);
  EXPECT_EQ(count(987), 2u);
  // The county's figures count both at once (the county is read again after the import).
  EXPECT_EQ(employed(), employed_before + 2);
  auto again = import(good);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Int(again.json(), "unchanged"), 3);
  EXPECT_EQ(Int(again.json(), "inserted"), 0);
  // A changed income updates that spell only.
  auto raised = import(header + absl::StrCat(id(987), ",县内,431023,2026-07-01,,3300,,否\n"));
  ASSERT_EQ(raised.status, 200) << raised.body;
  EXPECT_EQ(Int(raised.json(), "updated"), 1);

  // The export of a person's spells imports again unchanged.
  auto exp =
      Get(absl::StrCat("/api/v1/export/employment?format=csv&reason=re-import&id_number=", id(987)),
          yongxing_);
  ASSERT_EQ(exp.status, 200) << exp.body;
  EXPECT_NE(exp.body.find("2026-06-30"), std::string::npos) << exp.body;
  EXPECT_NE(exp.body.find("3300"), std::string::npos) << exp.body;
  auto round = import(exp.body);
  ASSERT_EQ(round.status, 200) << round.body;
  EXPECT_EQ(Int(round.json(), "unchanged"), 2) << round.body;
  // Another county's officer cannot import spells of Yongxing's people.
  auto outside = client_->Call("POST", "/api/v1/import/employment", good, guiyang_, "text/csv");
  EXPECT_EQ(outside.status, 422) << outside.body;
}

TEST_F(Http, HouseholdIncomeIsImportedByTheHeadsIdNumberAndYear) {
  const std::string head = IdNumberFor(431023, Date::FromCivil(1975, 5, 5), 7302);
  ASSERT_EQ(Post("/api/v1/households", NewHouseholdBody(7302), yongxing_).status, 201);
  const std::string header =
      "户主公民身份号码,年度,工资性收入(元),生产经营性收入(元),转移性收入(元)\n";
  auto import = [&](const std::string& csv) {
    return client_->Call("POST", "/api/v1/import/household_income", csv, yongxing_, "text/csv");
  };
  const std::string good =
      header + head + ",2024,30000,8000,6000\n" + head + ",2025,36000,12000,12000\n";
  // A future year is named by row and column; nothing is written.
  auto bad = import(good + head + ",2099,1,1,1\n");
  ASSERT_EQ(bad.status, 422) << bad.body;
  json::value bv = bad.json();
  const auto& e = bv.as_object().at("errors").as_array();
  ASSERT_EQ(e.size(), 1u) << bad.body;
  EXPECT_EQ(e[0].as_object().at("row").to_number<int>(), 4);
  EXPECT_EQ(e[0].as_object().at("column").as_string(), "年度");
  auto first = import(good);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Int(first.json(), "inserted"), 2);
  auto again = import(good);
  EXPECT_EQ(Int(again.json(), "unchanged"), 2) << again.body;
  auto raised = import(header + head + ",2025,40000,12000,12000\n");
  EXPECT_EQ(Int(raised.json(), "updated"), 1) << raised.body;
  auto households = Get(absl::StrCat("/api/v1/households?id_number=", head), yongxing_).json();
  int64_t id = Int(households.as_object().at("items").as_array()[0], "id");
  json::value years = Get(absl::StrCat("/api/v1/households/", id, "/income"), yongxing_).json();
  const auto& items = years.as_object().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(Int(items[1], "wage"), 4000000);
  EXPECT_EQ(Int(items[0], "business"), 800000);
  // The export imports again unchanged.
  auto exp = Get(
      absl::StrCat("/api/v1/export/household_income?format=csv&reason=re-import&id_number=", head),
      yongxing_);
  ASSERT_EQ(exp.status, 200) << exp.body;
  auto round = import(exp.body);
  EXPECT_EQ(Int(round.json(), "unchanged"), 2) << round.body << "\n" << exp.body;
}

TEST_F(Http, TargetsAreImportedByIndicatorRegionAndYearAndExportedToImportAgain) {
  // A year no other test sets targets for.
  const std::string year = absl::StrCat(kToday.year() + 2);
  const std::string header = "指标,区划代码,年度,目标值(比率填百分数)\n";
  auto import = [&](const std::string& csv, const std::string& cookie) {
    return client_->Call("POST", "/api/v1/import/targets", csv, cookie, "text/csv");
  };
  const std::string good = header + "务工就业规模,431023101," + year + ",640\n" +
                           "intention_employment_rate,431023," + year + ",85\n";
  // A bad row is named by row and column; nothing is written.
  auto bad =
      import(good + "幸福指数,431023," + year + ",1\n" + "务工就业规模,431021," + year + ",10\n",
             yongxing_);
  ASSERT_EQ(bad.status, 422) << bad.body;
  json::value bv = bad.json();
  const auto& e = bv.as_object().at("errors").as_array();
  ASSERT_EQ(e.size(), 2u) << bad.body;
  EXPECT_EQ(e[0].as_object().at("row").to_number<int>(), 4);
  EXPECT_EQ(e[0].as_object().at("column").as_string(), "指标");
  EXPECT_EQ(e[1].as_object().at("row").to_number<int>(), 5);
  EXPECT_EQ(e[1].as_object().at("column").as_string(), "区划代码");
  EXPECT_EQ(Get("/api/v1/targets?region=431023&year=" + year, yongxing_)
                .json()
                .as_object()
                .at("items")
                .as_array()
                .size(),
            0u);
  EXPECT_EQ(import(good, helper_).status, 403);
  auto first = import(good, yongxing_);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Int(first.json(), "inserted"), 2);
  json::value list = Get("/api/v1/targets?region=431023&year=" + year, yongxing_).json();
  const auto& items = list.as_object().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(Str(items[0], "indicator"), "intention_employment_rate");
  EXPECT_DOUBLE_EQ(items[0].as_object().at("value").to_number<double>(), 0.85);
  EXPECT_EQ(Str(items[1], "region"), "431023101");
  EXPECT_DOUBLE_EQ(items[1].as_object().at("value").to_number<double>(), 640);
  EXPECT_EQ(Int(import(good, yongxing_).json(), "unchanged"), 2);
  auto raised = import(header + "务工就业规模,431023101," + year + ",700\n", yongxing_);
  EXPECT_EQ(Int(raised.json(), "updated"), 1) << raised.body;
  // The export imports again unchanged.
  auto exp = Get("/api/v1/export/targets?format=csv&region=431023", yongxing_);
  ASSERT_EQ(exp.status, 200) << exp.body;
  EXPECT_NE(exp.body.find("马田镇"), std::string::npos) << exp.body;
  auto round = import(exp.body, yongxing_);
  EXPECT_GE(Int(round.json(), "unchanged"), 2) << round.body << "\n" << exp.body;
  EXPECT_EQ(Int(round.json(), "updated"), 0) << round.body;
}

TEST_F(Http, ASecondIdenticalImportChangesNothing) {
  std::string csv = PersonsCsv(1000, 8000, -1);
  auto first = client_->Call("POST", "/api/v1/import/persons", csv, admin_, "text/csv");
  ASSERT_EQ(first.status, 200) << first.body.substr(0, 2000);
  EXPECT_EQ(Int(first.json(), "inserted"), 1000);
  EXPECT_TRUE(first.json().as_object().at("written").as_bool());
  int64_t after_first = Int(Get("/api/v1/stats/summary", admin_).json(), "persons");
  auto second = client_->Call("POST", "/api/v1/import/persons", csv, admin_, "text/csv");
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(Int(second.json(), "inserted"), 0);
  EXPECT_EQ(Int(second.json(), "updated"), 0);
  EXPECT_EQ(Int(second.json(), "unchanged"), 1000);
  EXPECT_FALSE(second.json().as_object().at("written").as_bool());
  EXPECT_EQ(Int(Get("/api/v1/stats/summary", admin_).json(), "persons"), after_first);
  // The same rows in GB18030, as Chinese Excel saves them, are the same rows.
  auto gb = io::Utf8ToGb18030(csv);
  ASSERT_TRUE(gb.ok());
  auto third = client_->Call("POST", "/api/v1/import/persons", *gb, admin_, "text/csv");
  ASSERT_EQ(third.status, 200) << third.body.substr(0, 500);
  EXPECT_EQ(Str(third.json(), "format"), "CSV (GB18030)");
  EXPECT_EQ(Int(third.json(), "unchanged"), 1000);
}

TEST_F(Http, SkipInvalidWritesTheGoodRowsAndDryRunWritesNone) {
  std::string csv = PersonsCsv(10, 9000, 4);  // a householder, so their member fails too
  auto dry = client_->Call("POST", "/api/v1/import/persons?dry_run=true", csv, admin_, "text/csv");
  ASSERT_EQ(dry.status, 200);
  EXPECT_FALSE(dry.json().as_object().at("written").as_bool());
  auto skip =
      client_->Call("POST", "/api/v1/import/persons?skip_invalid=true", csv, admin_, "text/csv");
  ASSERT_EQ(skip.status, 200) << skip.body;
  EXPECT_EQ(Int(skip.json(), "invalid"), 2);  // the bad row, and its household member after it
  EXPECT_EQ(Int(skip.json(), "inserted"), 8);
}

TEST_F(Http, ImportErrorsForWholeFiles) {
  auto nohead = client_->Call("POST", "/api/v1/import/persons", "姓名,电话\r\n张三,1\r\n", admin_,
                              "text/csv");
  EXPECT_EQ(nohead.status, 400);
  EXPECT_NE(nohead.body.find("公民身份号码"), std::string::npos);
  EXPECT_EQ(client_->Call("POST", "/api/v1/import/cats", "a\n", admin_, "text/csv").status, 404);
  EXPECT_EQ(client_->Call("POST", "/api/v1/import/persons", "a\n", helper_, "text/csv").status,
            403);
  EXPECT_EQ(client_->Call("POST", "/api/v1/import/persons", "", admin_, "text/csv").status, 400);
}

TEST_F(Http, RegionFlagsImportAndExport) {
  // 金龟镇's villages: no other test flags them.
  std::string csv =
      "区划代码,脱贫村,易地扶贫搬迁安置点\n431023104201,是,\n唐公村,,是\n431023104001,否,\n";
  auto first = client_->Call("POST", "/api/v1/import/region_flags", csv, yongxing_, "text/csv");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Int(first.json(), "inserted"), 2);
  EXPECT_EQ(Int(first.json(), "unchanged"), 1);  // not a poverty village, as before
  auto again = client_->Call("POST", "/api/v1/import/region_flags", csv, yongxing_, "text/csv");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(Int(again.json(), "unchanged"), 3);
  auto village = Get("/api/v1/regions/431023104201", yongxing_).json();
  EXPECT_TRUE(village.at("flags").at("poverty_village").as_bool());
  auto bad = client_->Call("POST", "/api/v1/import/region_flags", "区划代码,脱贫村\n431023101,是\n",
                           yongxing_, "text/csv");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(client_
                ->Call("POST", "/api/v1/import/region_flags", "区划代码,脱贫村\n431021100201,是\n",
                       yongxing_, "text/csv")
                .status,
            422);
  auto exp = Get("/api/v1/export/region_flags?format=csv", yongxing_);
  ASSERT_EQ(exp.status, 200);
  EXPECT_NE(exp.body.find("431023104201"), std::string::npos);
  EXPECT_NE(exp.body.find("431023104200"), std::string::npos);  // 唐公村, by name
}

TEST_F(Http, TemplatesAndExportsOpenAsSpreadsheets) {
  auto t = Get("/api/v1/import/households/template?format=xlsx", yongxing_);
  ASSERT_EQ(t.status, 200);
  auto rows = io::OpenRows(t.body);
  ASSERT_TRUE(rows.ok()) << rows.status();
  std::vector<std::string> cells;
  int row;
  ASSERT_TRUE(*(*rows)->Next(cells, row));
  EXPECT_EQ(cells[0], "*户主姓名");

  // Without a reason, ID numbers and phones go out masked, so the file cannot import again.
  auto masked = Get("/api/v1/export/households?format=csv&region=431023101", yongxing_);
  ASSERT_EQ(masked.status, 200);
  EXPECT_NE(masked.body.find("********"), std::string::npos);
  EXPECT_NE(masked.headers["content-disposition"].find("-yongxing-"), std::string::npos)
      << masked.headers["content-disposition"];
  auto exp =
      Get("/api/v1/export/households?format=xlsx&region=431023101&reason=%E5%B9%B4%E5%BA%A6"
          "%E6%A0%B8%E5%AF%B9",
          yongxing_);
  ASSERT_EQ(exp.status, 200);
  EXPECT_NE(exp.headers["content-disposition"].find(".xlsx"), std::string::npos);
  EXPECT_EQ(Get("/api/v1/export/households?reason=" + std::string(600, 'x'), yongxing_).status,
            400);
  auto xrows = io::OpenRows(exp.body);
  ASSERT_TRUE(xrows.ok());
  int n = 0;
  while (*(*xrows)->Next(cells, row)) ++n;
  auto total = Int(Get("/api/v1/households?region=431023101&limit=1", yongxing_).json(), "total");
  EXPECT_EQ(n - 1, total);
  // The export imports again unchanged.
  auto again = client_->Call("POST", "/api/v1/import/households", exp.body, yongxing_,
                             "application/octet-stream");
  ASSERT_EQ(again.status, 200) << again.body.substr(0, 1000);
  EXPECT_EQ(Int(again.json(), "unchanged"), total);
  EXPECT_EQ(Int(again.json(), "inserted") + Int(again.json(), "updated"), 0);
  EXPECT_EQ(Get("/api/v1/export/persons?format=pdf", yongxing_).status, 400);
}

TEST_F(Http, ConcurrentUpdatesLoseNothing) {
  // Eight clients each add one to a counter kept in a household's note, ten times, by
  // read-modify-write with the version read; a stale version gets 409 and is retried.
  auto h = Post("/api/v1/households", NewHouseholdBody(950), yongxing_);
  ASSERT_EQ(h.status, 201) << h.body;
  std::string path = absl::StrCat("/api/v1/households/", Int(h.json(), "id"));
  constexpr int kClients = 8, kEach = 10;
  std::atomic<int> conflicts{0}, failures{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      HttpClient client(client_->port());
      for (int done = 0, tries = 0; done < kEach && tries < 500; ++tries) {
        auto cur = client.Call("GET", path, "", yongxing_);
        if (cur.status != 200) {
          ++failures;
          continue;
        }
        auto v = cur.json();
        std::string note(v.at("note").as_string());
        int n = note.empty() ? 0 : std::stoi(note);
        auto r = client.Call("PATCH", path,
                             absl::StrCat(R"({"version":)", v.at("version").to_number<int64_t>(),
                                          R"(,"note":")", n + 1, R"("})"),
                             yongxing_);
        if (r.status == 200) {
          ++done;
        } else if (r.status == 409) {
          ++conflicts;
        } else {
          ++failures;
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto end = Get(path, yongxing_).json();
  EXPECT_EQ(std::string(end.at("note").as_string()), absl::StrCat(kClients * kEach));
  EXPECT_EQ(end.at("version").to_number<int64_t>(), 1 + kClients * kEach);
  std::printf("%d conflicts answered with 409 and retried\n", conflicts.load());
}

TEST_F(Http, TwoServersOnOneDatabaseSeeEachOtherWithinASecond) {
  const char* backend = std::getenv("JOBAID_TEST_BACKEND");
  if (backend == nullptr || std::string(backend) != "postgres") {
    GTEST_SKIP() << "several servers share a PostgreSQL database, not a SQLite file";
  }
  std::vector<std::string> args = store_;
  args.insert(args.end(), {"--log-level", "warn", "--node", "2"});
  ServerProcess b_server(args);
  HttpClient a(client_->port()), b(b_server.port());
  std::string cookie = a.Login("yongxing");
  ASSERT_EQ(b.Call("GET", "/api/v1/auth/me", "", cookie).status, 200);  // B now caches it
  // A write on A is read on B.
  auto h = a.Call("POST", "/api/v1/households", NewHouseholdBody(960), cookie);
  ASSERT_EQ(h.status, 201) << h.body;
  EXPECT_EQ(
      b.Call("GET", absl::StrCat("/api/v1/households/", Int(h.json(), "id")), "", cookie).status,
      200);
  // B caches what it read; a change on A reaches B's cache within a second.
  std::string hpath = absl::StrCat("/api/v1/households/", Int(h.json(), "id"));
  ASSERT_EQ(Int(b.Call("GET", hpath, "", cookie).json(), "version"), 1);
  ASSERT_EQ(a.Call("PATCH", hpath, R"({"version":1,"address":"改了"})", cookie).status, 200);
  auto seen = std::chrono::steady_clock::now();
  int64_t version = 1;
  while (version == 1 && std::chrono::steady_clock::now() - seen < std::chrono::seconds(1)) {
    version = Int(b.Call("GET", hpath, "", cookie).json(), "version");
    if (version == 1) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(version, 2);
  // A log-out on A ends the session on B within a second, through the change feed.
  ASSERT_EQ(a.Call("POST", "/api/v1/auth/logout", "", cookie).status, 200);
  auto start = std::chrono::steady_clock::now();
  int status = 200;
  while (status == 200 && std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) {
    status = b.Call("GET", "/api/v1/auth/me", "", cookie).status;
    if (status == 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 401);
  std::printf("B saw the log-out after %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - start)
                                         .count()));
  EXPECT_EQ(b_server.Terminate(), 0);
}

TEST_F(Http, SigtermLetsTheRequestInFlightFinish) {
  // A second server on the same store; a long dry-run import is in flight when it is told to stop.
  std::vector<std::string> args = store_;
  args.insert(args.end(), {"--log-level", "info"});
  ServerProcess second(args);
  HttpClient client(second.port());
  std::string cookie = client.Login("admin");
  // 3,000 rows take 1-3 s on SQLite and 7-20 s on the partitioned store (every lookup a round
  // trip through postgres_fdw): SIGTERM comes once the server has logged that the import began.
  const std::string csv = PersonsCsv(3000, 20000, -1);
  HttpResult result;
  std::atomic<bool> answered{false};
  std::thread request([&] {
    result = client.Call("POST", "/api/v1/import/persons?dry_run=true", csv, cookie, "text/csv");
    answered = true;
  });
  ASSERT_TRUE(WaitUntil(std::chrono::seconds(60), [&] {
    return second.output().find("import persons: started") != std::string::npos;
  })) << second.output();
  EXPECT_FALSE(answered) << "the import was answered before SIGTERM";
  // The server gives requests in flight 30 s (HttpServer::Stop); wait a little longer, so that a
  // slow, loaded machine fails here only if the server does not stop once the import is done.
  EXPECT_EQ(second.Terminate(std::chrono::seconds(40)), 0) << second.output();
  request.join();
  ASSERT_EQ(result.status, 200) << result.body.substr(0, 300);
  EXPECT_EQ(Int(result.json(), "rows"), 3000);
  // Stopped servers take no new connections.
  EXPECT_THROW(client.Call("GET", "/api/v1/health"), std::exception);
}

TEST_F(Http, KeepAliveServesSeveralRequestsOnOneConnection) {
  // Beast's client closes after each call in HttpClient, so speak raw HTTP here.
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket sock(io);
  sock.connect(
      {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(client_->port())});
  std::string req = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string all;
  for (int i = 0; i < 3; ++i) {
    boost::asio::write(sock, boost::asio::buffer(req));
    char buf[4096];
    size_t n = sock.read_some(boost::asio::buffer(buf));
    all.append(buf, n);
  }
  size_t count = 0;
  for (size_t p = 0; (p = all.find("HTTP/1.1 200", p)) != std::string::npos; ++p) ++count;
  EXPECT_EQ(count, 3u);
}

}  // namespace
}  // namespace jobaid::testing
