// The hostile-input suite: every operation of the OpenAPI document, called as an attacker
// would call it, against the real server (the sanitizer build under `make test`): without an
// account and with each role, in the caller's region and another's, with malformed JSON, every
// documented member mistyped, missing and unknown members, huge strings, odd path ids and
// bodies just over the route's limit. Every answer must be a status the document lists for the
// operation, an error must have the documented shape, no answer may be a 5xx or a dropped
// connection, and the server must be alive and answering at the end.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "integration/http_client.h"
#include "io/table.h"
#include "server/app.h"
#include "test_support.h"

namespace jobaid::testing {
namespace {

namespace json = boost::json;

struct Role {
  std::string name;  // "" for no account
  std::string cookie;
};

struct Operation {
  std::string method;
  std::string path;  // the pattern, with {params}
  const json::object* op = nullptr;
  std::set<int> documented;
  std::string body_type;  // "" when the operation takes no body
  std::vector<std::pair<std::string, std::string>> properties;  // name, JSON type
  size_t body_limit = 0;
};

class Hostile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    std::string out;
    ASSERT_EQ(RunJobaid({"demo", "--data", dir_->path()}, &out), 0) << out;
    server_ = new ServerProcess({"--data", dir_->path(), "--threads", "4"});
    client_ = new HttpClient(server_->port());
  }
  static void TearDownTestSuite() {
    if (server_ == nullptr) return;
    // A graceful stop exits 0. After ten thousand calls, closing the store (its log copied into
    // the database) and the sanitizers' exit checks took over 20 s once while CI's other tests
    // built the fuzzers beside it; 90 s still catches a server that hangs.
    EXPECT_EQ(server_->Terminate(std::chrono::seconds(90)), 0) << server_->output();
    delete client_;
    delete server_;
    delete dir_;
  }

  static TempDir* dir_;
  static ServerProcess* server_;
  static HttpClient* client_;
};

TempDir* Hostile::dir_;
ServerProcess* Hostile::server_;
HttpClient* Hostile::client_;

const json::value& Resolve(const json::object& doc, const json::value& v) {
  if (!v.is_object() || !v.as_object().contains("$ref")) return v;
  std::string ref(v.at("$ref").as_string());  // "#/components/schemas/NewUser"
  const json::value* at = &doc.at("components");
  for (absl::string_view part :
       absl::StrSplit(ref.substr(std::string("#/components/").size()), '/')) {
    at = &at->at(json::string_view(part.data(), part.size()));
  }
  return *at;
}

// The router's routes, from a server's services opened on an empty store.
const std::vector<api::Route>& RouterRoutes() {
  static const auto* routes = [] {
    TempDir dir;
    server::AppOptions opt;
    opt.data_dir = dir.path();
    opt.regions_file = JOBAID_REGIONS_FILE;
    auto app = server::App::Open(opt);
    auto* out = new std::vector<api::Route>;
    if (app.ok()) *out = (*app)->router().routes();
    return out;
  }();
  return *routes;
}

// The body limits of the router's routes, by "METHOD pattern".
std::map<std::string, size_t> BodyLimits() {
  std::map<std::string, size_t> out;
  for (const api::Route& r : RouterRoutes()) out[r.method + " " + r.pattern] = r.body_limit;
  return out;
}

std::vector<Operation> Operations(const json::object& doc) {
  std::map<std::string, size_t> limits = BodyLimits();
  std::vector<Operation> out;
  for (const auto& [path, ops] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : ops.as_object()) {
      Operation o;
      o.method = std::string(method);
      for (char& c : o.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      o.path = std::string(path);
      o.op = &op.as_object();
      for (const auto& [code, _] : op.at("responses").as_object()) {
        o.documented.insert(std::atoi(std::string(code).c_str()));
      }
      if (const json::value* rb = o.op->if_contains("requestBody")) {
        const json::object& content = rb->at("content").as_object();
        o.body_type = std::string(content.begin()->key());
        const json::value* schema = content.begin()->value().as_object().if_contains("schema");
        if (schema != nullptr) {
          const json::value& s = Resolve(doc, *schema);
          if (const json::value* props = s.as_object().if_contains("properties")) {
            for (const auto& [name, p] : props->as_object()) {
              const json::value& ps = Resolve(doc, p);
              const json::value* t = ps.as_object().if_contains("type");
              o.properties.emplace_back(std::string(name),
                                        t && t->is_string() ? std::string(t->as_string()) : "");
            }
          }
        }
      }
      o.body_limit = limits[o.method + " " + o.path];
      out.push_back(std::move(o));
    }
  }
  return out;
}

// A real id for a {id} of `path`, so that calls reach the body's decoding; "1" if none.
std::string RealId(HttpClient& c, const std::string& admin, const std::string& path) {
  auto first = [&](const std::string& list) -> std::string {
    HttpResult r = c.Call("GET", list, "", admin);
    auto v = r.json();
    if (!v.is_object() || !v.as_object().contains("items")) return "1";
    const json::array& items = v.at("items").as_array();
    if (items.empty()) return "1";
    return json::serialize(items[0].at("id"));
  };
  static std::map<std::string, std::string> cache;
  std::string resource;
  for (const char* r : {"households", "persons", "employers", "jobs", "applications"}) {
    if (absl::StrContains(path, absl::StrCat("/", r, "/{id}"))) resource = r;
  }
  if (absl::StrContains(path, "/employment/{id}")) resource = "employment";
  if (resource.empty()) return "1";
  auto it = cache.find(resource);
  if (it != cache.end()) return it->second;
  std::string id;
  if (resource == "employment") {
    std::string person = first("/api/v1/persons?limit=50&employment=employed");
    id = first(absl::StrCat("/api/v1/persons/", person, "/employment"));
  } else {
    id = first(absl::StrCat("/api/v1/", resource, "?limit=1"));
  }
  cache[resource] = id;
  return id;
}

std::string Fill(const std::string& pattern, const std::map<std::string, std::string>& params) {
  std::string out = pattern;
  for (const auto& [k, v] : params) out = absl::StrReplaceAll(out, {{"{" + k + "}", v}});
  return out;
}

// Checks one answer; returns a description of what is wrong, or "".
std::string Judge(const Operation& o, int status, const std::string& body) {
  if (status == 0) return "no answer (connection dropped)";
  if (status >= 500) return absl::StrCat("server error ", status, ": ", body.substr(0, 300));
  if (!o.documented.count(status)) {
    return absl::StrCat("status ", status, " is not documented: ", body.substr(0, 300));
  }
  if (status >= 400) {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_object() || !v.as_object().contains("error") || !v.at("error").is_object() ||
        !v.at("error").as_object().contains("code") || !v.at("error").at("code").is_string() ||
        !v.at("error").as_object().contains("message") ||
        !v.at("error").at("message").is_string()) {
      return absl::StrCat("error body is not {\"error\":{code,message}}: ", body.substr(0, 300));
    }
  }
  return "";
}

TEST_F(Hostile, EveryOperationSurvivesEveryRoleAndEveryHostileInput) {
  HttpResult docr = client_->Call("GET", "/api/v1/openapi.json");
  ASSERT_EQ(docr.status, 200);
  json::value docv = json::parse(docr.body);
  const json::object& doc = docv.as_object();
  std::vector<Operation> ops = Operations(doc);
  ASSERT_GT(ops.size(), 60u);

  std::vector<Role> roles = {{"", ""}};
  for (const char* name : {"admin", "yongxing", "guiyang", "matian", "employer", "laborer"}) {
    roles.push_back({name, client_->Login(name)});
    ASSERT_FALSE(roles.back().cookie.empty()) << name;
  }
  const std::string& admin = roles[1].cookie;

  const std::string huge(200000, 'x');
  const std::vector<std::string> malformed = {
      "{",
      "[",
      "nul",
      "{\"a\":}",
      "{\"a\":1,}",
      "\x01\x02\x03\xff\xfe",
      "{\"a\":\"\xff\xfe\"}",
      std::string(5000, '[') + std::string(5000, ']'),
      "{\"a\":" + std::string(2000, '[') + std::string(2000, ']') + "}",
      "[1,2,3]",
      "\"text\"",
      "12345",
      "null",
      "{\"__proto__\":{\"admin\":true},\"constructor\":1}",
      "{\"a\":1e999999}",
      "{\"a\":-0.0000000001e-999999}",
      "{\"a\":18446744073709551616}",
      "{\"\":1}",
  };
  const std::vector<std::string> wrong_values = {"123",
                                                 "-1",
                                                 "1.5",
                                                 "1e308",
                                                 "true",
                                                 "null",
                                                 "[]",
                                                 "{}",
                                                 "[1,{\"x\":[]}]",
                                                 "\"\"",
                                                 "\"x\"",
                                                 "\"" + huge + "\"",
                                                 "\"\\u0000\\ud800\"",
                                                 "99999999999999999999"};
  const std::vector<std::string> odd_ids = {"0",
                                            "-1",
                                            "abc",
                                            "1.5",
                                            "99999999999999999999",
                                            "9223372036854775807",
                                            "%2F..%2F",
                                            "%00",
                                            "%25",
                                            std::string(3000, '9'),
                                            "1;DROP%20TABLE%20persons",
                                            "%E4%B8%AD"};
  const std::map<std::string, std::vector<std::string>> odd_params = {
      {"code", {"431023", "999999999999", "abc", "%00", std::string(500, '4')}},
      {"kind", {"persons", "nope", "..", "%2e%2e%2fetc"}},
      {"indicator", {"employed", "nope", std::string(500, 'x')}},
      {"region", {"431023", "0", "abc", "-1"}},
      {"year", {"2026", "abc", "-1", "99999999999", "0"}}};

  // The calls are gathered first, then made by a few threads at once.
  absl::Mutex mu;
  std::vector<std::string> failures;
  std::set<std::string> reported;
  std::atomic<int64_t> calls{0};
  std::set<std::string> tried_ops;
  std::vector<std::function<void()>> tasks;
  auto fail = [&](std::string key, std::string what) {
    absl::MutexLock lock(&mu);
    if (reported.insert(std::move(key)).second) failures.push_back(std::move(what));
  };
  auto call = [&](const Operation& o, const Role& role, const std::string& target,
                  const std::string& body, const std::string& what) {
    tried_ops.insert(o.method + " " + o.path);
    tasks.push_back([&, target, body, what, op = &o, who = &role] {
      ++calls;
      HttpResult r = client_->Call(op->method, target, body, who->cookie,
                                   op->body_type.empty() ? "application/json" : op->body_type);
      std::string wrong = Judge(*op, r.status, r.body);
      // One report per operation, status and kind of input, with its first example.
      if (!wrong.empty()) {
        fail(absl::StrCat(op->method, " ", op->path, " ", r.status, " ", what),
             absl::StrCat(op->method, " ", target.substr(0, 120), " as ",
                          who->name.empty() ? "anonymous" : who->name, " (", what, "): ", wrong));
      }
    });
  };
  // A raw request whose answer must be `status`, documented for the operation.
  auto raw_call = [&](const Operation& o, std::string request, int status, std::string what) {
    tasks.push_back([&, op = &o, request = std::move(request), status, what = std::move(what)] {
      ++calls;
      std::string raw = RawExchange(client_->port(), request);
      int got = RawStatus(raw);
      if (got != status || !op->documented.count(status)) {
        fail(absl::StrCat(op->method, " ", op->path, " ", what),
             absl::StrCat(op->method, " ", op->path, " ", what, " answered ", got, ": ",
                          raw.substr(0, 200)));
      }
    });
  };
  auto run_tasks = [&] {
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (size_t i; (i = next++) < tasks.size();) tasks[i]();
      });
    }
    for (auto& t : threads) t.join();
    tasks.clear();
  };

  for (const Operation& o : ops) {
    if (o.path == "/api/v1/auth/logout") continue;  // ends the session: tried last
    std::map<std::string, std::string> params;
    for (const char* p : {"code", "kind", "indicator", "region", "year"}) {
      params[p] = odd_params.at(p).front();
    }
    params["id"] = RealId(*client_, admin, o.path);
    std::string target = Fill(o.path, params);
    bool takes_json = o.body_type == "application/json";

    for (const Role& role : roles) {
      call(o, role, target, takes_json ? "{}" : "", "plain");
      if (role.name == "employer" || role.name == "laborer") continue;
      // Odd path parameters, one at a time.
      for (const auto& [name, values] : odd_params) {
        if (!absl::StrContains(o.path, "{" + name + "}")) continue;
        for (const std::string& v : values) {
          auto p = params;
          p[name] = v;
          call(o, role, Fill(o.path, p), takes_json ? "{}" : "", "path " + name);
        }
      }
      if (absl::StrContains(o.path, "{id}")) {
        for (const std::string& v : odd_ids) {
          auto p = params;
          p["id"] = v;
          call(o, role, Fill(o.path, p), takes_json ? "{}" : "", "path id");
        }
      }
      if (o.body_type.empty()) continue;
      for (const std::string& b : malformed) call(o, role, target, b, "malformed body");
      call(o, role, target, "{\"zz_unknown\":1,\"yy\":\"x\"}", "unknown members");
      if (role.name != "admin" && role.name != "yongxing") continue;
      for (const auto& [name, type] : o.properties) {
        for (const std::string& v : wrong_values) {
          call(o, role, target, absl::StrCat("{\"", name, "\":", v, "}"), "mistyped member");
        }
      }
    }

    // A body just over the route's limit gets 413, whether its length is declared or not.
    if (o.body_limit > 0 && o.method != "GET") {
      size_t n = o.body_limit + 1;
      for (const Role* role : {&roles[0], &roles[1]}) {
        std::string head = absl::StrCat(
            o.method, " ", target, " HTTP/1.1\r\nHost: 127.0.0.1\r\n",
            "Content-Type: ", o.body_type.empty() ? "application/json" : o.body_type, "\r\n");
        if (!role->cookie.empty()) {
          absl::StrAppend(&head, "Cookie: ", role->cookie, "\r\n",
                          "X-CSRF-Token: ", CsrfTokenOf(role->cookie), "\r\n");
        }
        // Declared: a length one over the limit. Sent in full when that is small; else only a
        // part, since the answer must come before the rest.
        std::string declared = absl::StrCat(head, "Content-Length: ", n, "\r\n\r\n");
        declared += std::string(std::min<size_t>(n, 9u << 20), '{');
        raw_call(o, std::move(declared), 413, absl::StrCat("with Content-Length ", n));
        // Chunked, with no length said: refused once the limit is passed.
        if (n <= (9u << 20)) {
          std::string chunked = absl::StrCat(head, "Transfer-Encoding: chunked\r\n\r\n");
          size_t sent = 0;
          while (sent < n) {
            size_t k = std::min<size_t>(n - sent, 1 << 16);
            absl::StrAppend(&chunked, absl::Hex(k), "\r\n", std::string(k, ' '), "\r\n");
            sent += k;
          }
          chunked += "0\r\n\r\n";
          raw_call(o, std::move(chunked), 413, absl::StrCat("chunked ", n, " bytes"));
        }
      }
    }
    // A change with a live session but without its CSRF token is refused (403), for every role.
    bool secured = !o.op->contains("security") || !o.op->at("security").as_array().empty();
    if (secured && o.method != "GET") {
      for (size_t k = 1; k < roles.size(); ++k) {
        raw_call(o,
                 absl::StrCat(o.method, " ", target, " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ",
                              roles[k].cookie, "\r\nContent-Type: application/json\r\n",
                              "Content-Length: 2\r\nConnection: close\r\n\r\n{}"),
                 403, absl::StrCat("without the CSRF token as ", roles[k].name));
      }
    }
  }
  run_tasks();

  // Log-out last, for every role, then the server must still answer.
  for (const Operation& o : ops) {
    if (o.path != "/api/v1/auth/logout") continue;
    for (const Role& role : roles) call(o, role, o.path, "", "logout");
    for (const std::string& b : malformed) call(o, roles[0], o.path, b, "malformed body");
  }
  run_tasks();
  EXPECT_EQ(client_->Call("GET", "/api/v1/health").status, 200);
  EXPECT_EQ(tried_ops.size(), ops.size());
  std::printf("hostile-input suite: %zu operations, %zu roles (and no account), %lld calls\n",
              ops.size(), roles.size() - 1, static_cast<long long>(calls.load()));
  for (const std::string& f : failures) ADD_FAILURE() << f;
}

// The access matrix: every route of the router, as every role, on a record in the helper's
// township (A) and one in another township of the county (B), gives the expected access: "ok"
// (the request reached the handler: 2xx, or a 400/409/422 about its content), 401, 403 or 404.
// The expectations are tests/integration/access_matrix.txt, one line a route; a route the
// router serves without a line there fails the test, with the line it would need (to be read
// and judged before it is added).
TEST_F(Hostile, EveryRouteGivesEachRoleTheAccessItsRuleSays) {
  std::map<std::string, std::string> expected;
  {
    std::string text =
        *io::ReadFile(std::string(JOBAID_SOURCE_DIR) + "/tests/integration/access_matrix.txt");
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> parts = absl::StrSplit(line, " | ");
      ASSERT_EQ(parts.size(), 2u) << line;
      expected[parts[0]] = parts[1];
    }
  }
  std::vector<std::pair<std::string, std::string>> roles = {{"anon", ""}};
  for (const char* name : {"admin", "yongxing", "guiyang", "matian", "employer", "laborer"}) {
    roles.emplace_back(name, client_->Login(name));
  }
  const std::string& admin = roles[1].second;
  // Records of each kind in 马田镇 (A) and in another township (B).
  auto first = [&](const std::string& list) -> std::string {
    auto v = client_->Call("GET", list, "", admin).json();
    if (!v.is_object() || !v.as_object().contains("items") || v.at("items").as_array().empty()) {
      return "";
    }
    return json::serialize(v.at("items").as_array()[0].at("id"));
  };
  std::map<std::string, std::pair<std::string, std::string>> ids;  // resource -> (A, B)
  for (const char* r : {"households", "persons"}) {
    ids[r] = {first(absl::StrCat("/api/v1/", r, "?limit=1&region=431023101")),
              first(absl::StrCat("/api/v1/", r, "?limit=1&region=431023104"))};
  }
  // The demo has no applications: the county's officer records one for each person.
  std::map<bool, std::pair<std::string, std::string>> seeker;  // A/B -> (person, job)
  for (bool a : {true, false}) {
    // A person looking for work and a job that fits them, as the matcher says.
    std::string person, job;
    auto seekers = client_
                       ->Call("GET",
                              absl::StrCat("/api/v1/persons?limit=100&employment=unemployed",
                                           "&region=", a ? "431023101" : "431023104"),
                              "", admin)
                       .json();
    for (const auto& p : seekers.at("items").as_array()) {
      std::string id = json::serialize(p.at("id"));
      auto fits =
          client_
              ->Call("GET", absl::StrCat("/api/v1/match/persons/", id, "/jobs?limit=1"), "", admin)
              .json();
      if (fits.is_object() && !fits.at("items").as_array().empty()) {
        person = id;
        job = json::serialize(fits.at("items").as_array()[0].at("job").at("id"));
        break;
      }
    }
    ASSERT_FALSE(person.empty()) << "no one in " << (a ? "A" : "B") << " fits a job";
    HttpResult made = client_->Call(
        "POST", "/api/v1/applications",
        absl::StrCat(R"({"person_id":)", person, R"(,"job_id":)", job, "}"), roles[2].second);
    ASSERT_EQ(made.status, 201) << made.body;
    std::string id = json::serialize(made.json().at("id"));
    (a ? ids["applications"].first : ids["applications"].second) = id;
    seeker[a] = {person, job};
  }
  for (const char* r : {"employers", "jobs"}) {
    ids[r] = {first(absl::StrCat("/api/v1/", r, "?limit=1&region=431023101")),
              first(absl::StrCat("/api/v1/", r, "?limit=1&region=4401"))};
  }
  ids["employment"] = {
      first(absl::StrCat("/api/v1/persons/",
                         first("/api/v1/persons?limit=1&region=431023101&employment=employed"),
                         "/employment")),
      first(absl::StrCat("/api/v1/persons/",
                         first("/api/v1/persons?limit=1&region=431023104&employment=employed"),
                         "/employment"))};
  for (const auto& [r, ab] : ids) {
    ASSERT_FALSE(ab.first.empty() || ab.second.empty()) << "no record of " << r << " to try";
  }
  auto id_for = [&](const std::string& pattern, bool a) -> std::string {
    std::string resource;
    for (const char* r : {"households", "persons", "employers", "jobs", "applications"}) {
      if (absl::StrContains(pattern, absl::StrCat("/", r, "/{id}"))) resource = r;
    }
    if (absl::StrContains(pattern, "/employment/{id}")) resource = "employment";
    if (resource.empty()) return "1";
    return a ? ids[resource].first : ids[resource].second;
  };
  auto region_for = [](bool a) { return a ? "431023101" : "431023104"; };
  // A record named in the body that the caller may not see "does not exist" (a 400 naming the
  // member): for access, that is a 404.
  auto classify = [](const HttpResult& r) -> std::string {
    if (r.status == 401 || r.status == 403 || r.status == 404) return absl::StrCat(r.status);
    if (r.status == 0 || r.status >= 500) return absl::StrCat("broken", r.status);
    if (r.status == 400 && absl::StrContains(r.body, "does not exist")) return "404";
    return "ok";
  };

  std::vector<std::string> problems;
  std::set<std::string> routes;
  for (const api::Route& route : RouterRoutes()) {
    std::string key = route.method + " " + route.pattern;
    routes.insert(key);
    bool by_record = absl::StrContains(route.pattern, "{id}") ||
                     absl::StrContains(route.pattern, "{code}") ||
                     absl::StrContains(route.pattern, "{region}");
    std::string body;
    // Bodies that pass decoding and reach the access decision, then fail on their content
    // (a stale version), so that nothing is changed.
    if (route.method == "PATCH") {
      body = R"({"version":999999999})";
    } else if (route.method == "DELETE") {
      body = R"({"version":999999999,"reason":"matrix"})";
    } else if (absl::EndsWith(route.pattern, "/restore")) {
      body = R"({"version":999999999})";
    } else if (route.method != "GET") {
      body = "{}";
    }
    // Where a body that decodes must name records, it names those of A or B (below).
    auto body_for = [&](bool a) -> std::string {
      const auto& [person, job] = seeker[a];
      if (key == "POST /api/v1/applications/{id}/transition") {
        return R"({"to":"withdrawn","version":999999999,"reason":"matrix"})";
      }
      if (key == "POST /api/v1/applications") {
        return absl::StrCat(R"({"person_id":)", person, R"(,"job_id":)", job, "}");
      }
      if (key == "POST /api/v1/match/confirm") {
        return absl::StrCat(R"({"pairs":[{"person_id":)", person, R"(,"job_id":)", job, "}]}");
      }
      if (key == "POST /api/v1/verification") {
        return absl::StrCat(R"({"person_ids":[)", person, "]}");
      }
      if (absl::EndsWith(route.pattern, "/reveal")) return R"({"reason":"access matrix"})";
      if (key == "POST /api/v1/users") {
        return R"({"username":"matrix-made","role":"helper","region_code":"431023101",)"
               R"("password":"a matrix long phrase"})";
      }
      return body;
    };
    if (key == "POST /api/v1/applications" || key == "POST /api/v1/match/confirm" ||
        key == "POST /api/v1/verification") {
      by_record = true;
    }
    std::vector<std::string> cells;
    for (const auto& [name, cookie] : roles) {
      std::string cell;
      for (bool a : {true, false}) {
        if (!a && !by_record) break;
        std::string c = cookie;
        if (route.pattern == "/api/v1/auth/logout" && !c.empty()) {
          c = client_->Login(name);  // a session of its own to end
        }
        std::string target = absl::StrReplaceAll(route.pattern, {{"{id}", id_for(route.pattern, a)},
                                                                 {"{code}", region_for(a)},
                                                                 {"{region}", region_for(a)},
                                                                 {"{kind}", "persons"},
                                                                 {"{indicator}", "employed"},
                                                                 {"{year}", "2026"}});
        std::string query =
            route.method == "GET" && !by_record ? "?region=431023101&indicator=employed" : "";
        HttpResult r = client_->Call(route.method, target + query, body_for(a), c);
        absl::StrAppend(&cell, a ? "" : "/", classify(r));
      }
      cells.push_back(cell);
    }
    std::string observed = absl::StrJoin(cells, " ");
    auto it = expected.find(key);
    if (it == expected.end()) {
      problems.push_back(absl::StrCat("no rule for ", key, "; observed: ", key, " | ", observed));
    } else if (it->second != observed) {
      problems.push_back(absl::StrCat(key, ": expected ", it->second, ", observed ", observed));
    }
  }
  for (const auto& [key, rule] : expected) {
    if (!routes.count(key)) problems.push_back(absl::StrCat("a rule for no route: ", key));
  }
  std::printf("access matrix: %zu routes x %zu roles (A and B records where a route takes one)\n",
              routes.size(), roles.size());
  for (const std::string& p : problems) ADD_FAILURE() << p;
}

}  // namespace
}  // namespace jobaid::testing
