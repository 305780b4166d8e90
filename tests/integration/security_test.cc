// The server met as an attacker meets it, without an account: request paths that try to leave
// the web folder, and log-in bodies that lack or mistype their fields. Each case was a hole: the
// static route served /etc/passwd, the store and its key for "//etc/passwd", and a log-in
// without "password" was a heap-use-after-free that aborted the process.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "api/static_files.h"
#include "integration/http_client.h"
#include "test_support.h"

namespace jobaid::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

void WriteFile(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string RawGet(int port, const std::string& target) {
  return RawExchange(port, absl::StrCat("GET ", target, " HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                                        "Connection: close\r\n\r\n"));
}

int StatusOf(const std::string& raw) { return RawStatus(raw); }

// A web folder with an index, an asset, a link that leads out of it and a dot file, beside a
// secret file that must never be served.
struct WebTree {
  TempDir dir;
  fs::path web, secret_dir, secret;
  WebTree() {
    web = fs::path(dir.path()) / "web" / "dist";
    secret_dir = fs::path(dir.path()) / "secret";
    secret = secret_dir / "jobaid.key";
    WriteFile(web / "index.html", "<!doctype html><title>app</title>");
    WriteFile(web / "assets" / "app.js", "console.log(1)");
    WriteFile(web / ".env", "SECRET=1");
    WriteFile(secret, "TOPSECRET-KEY");
    fs::create_directory_symlink(secret_dir, web / "out");
    fs::create_symlink(secret, web / "key.txt");
  }
};

// Every form of escape we could think of, after the server's own percent-decoding.
const std::vector<std::string>& EscapeTargets() {
  static const std::vector<std::string> v = {
      "//etc/passwd",
      "///etc/passwd",
      "////etc//passwd",
      "/%2Fetc/passwd",
      "/%2fetc%2fpasswd",
      "/%2F%2Fetc%2Fpasswd",
      "/..",
      "/../../../../etc/passwd",
      "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
      "/assets/../../../etc/passwd",
      "/assets/..%2f..%2f..%2fetc%2fpasswd",
      "/assets/..;/..;/..;/etc/passwd",
      "/..;/..;/etc/passwd",
      "/..%5c..%5c..%5cetc%5cpasswd",
      "/..\\..\\..\\etc\\passwd",
      "/%5cetc%5cpasswd",
      "/index.html%00.js",
      "/%00",
      "/assets/%00/../../etc/passwd",
      "/./././etc/passwd",
      "/%2e/%2e/etc/passwd",
      "/out/jobaid.key",
      "/key.txt",
      "/.env",
      "/%2eenv",
      "/assets/%2e%2e/%2e%2e/secret/jobaid.key",
      "/..%252f..%252fetc%252fpasswd",
      "/file:/etc/passwd",
      "/C:%5cwindows",
  };
  return v;
}

TEST(StaticPath, ResolvesOnlyPlainPathsInsideTheFolder) {
  WebTree t;
  auto ok = api::ResolveStaticPath(t.web, "/assets/app.js");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, fs::canonical(t.web / "assets" / "app.js"));
  EXPECT_TRUE(api::ResolveStaticPath(t.web, "/").has_value());
  EXPECT_TRUE(api::ResolveStaticPath(t.web, "/persons/12").has_value());  // an app route
  EXPECT_TRUE(api::ResolveStaticPath(t.web, "/assets/").has_value());
  for (const char* bad :
       {"//etc/passwd", "///etc/passwd", "/a//b", "/..", "/../etc/passwd", "/assets/../../etc",
        "/.", "/./x", "/.env", "/a\\..\\b", "/..;/x", "/x;y", "/c:x", "/out/jobaid.key",
        "/out/nothing-yet", "/out", "/key.txt", "", "etc/passwd"}) {
    EXPECT_FALSE(api::ResolveStaticPath(t.web, bad).has_value()) << bad;
  }
  EXPECT_FALSE(api::ResolveStaticPath(t.web, std::string("/a\0b", 4)).has_value());
  EXPECT_FALSE(api::ResolveStaticPath(t.web,
                                      "/a\x01"
                                      "b")
                   .has_value());
}

TEST(StaticPath, ServesNoEscapeAndNoLinkOutOfTheFolder) {
  WebTree t;
  for (const std::string& bad :
       {std::string("//etc/passwd"), std::string("/out/jobaid.key"), std::string("/key.txt"),
        std::string("/.env"), std::string("/../secret/jobaid.key")}) {
    api::Response r = api::ServeStatic(t.web.string(), bad, false);
    EXPECT_EQ(r.status, 404) << bad;
    EXPECT_EQ(r.body.find("TOPSECRET"), std::string::npos) << bad;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << bad;
  }
  api::Response app = api::ServeStatic(t.web.string(), "/persons/1", false);
  EXPECT_EQ(app.status, 200);
  EXPECT_NE(app.body.find("<title>app</title>"), std::string::npos);
}

// Runs `jobaid serve` on the tree's folder (given with --web, or found as web/dist in the
// directory it runs in) and tries every escape; nothing outside the folder may come back.
void ExpectNoEscape(const std::vector<std::string>& extra, const std::string& cwd,
                    const WebTree& t) {
  std::vector<std::string> args = {"--data", (fs::path(t.dir.path()) / "var").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  ServerProcess server(args, cwd);
  std::string key = ReadAll(fs::path(t.dir.path()) / "var" / "jobaid.key");
  ASSERT_FALSE(key.empty());
  for (const std::string& target : EscapeTargets()) {
    std::string raw = RawGet(server.port(), target);
    int status = StatusOf(raw);
    EXPECT_TRUE(status == 404 || status == 400) << target << " -> " << raw.substr(0, 200);
    EXPECT_EQ(raw.find("root:"), std::string::npos) << target;
    EXPECT_EQ(raw.find("TOPSECRET"), std::string::npos) << target;
    EXPECT_EQ(raw.find("SQLite format"), std::string::npos) << target;
    EXPECT_EQ(raw.find(key), std::string::npos) << target;
  }
  // Bytes that only look like dots elsewhere (overlong UTF-8) are a name like any other: no
  // such file, so the app's page, never a file outside.
  std::string overlong = RawGet(server.port(), "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd");
  EXPECT_EQ(overlong.find("root:"), std::string::npos);
  EXPECT_NE(overlong.find("<title>app</title>"), std::string::npos) << overlong.substr(0, 200);
  // The folder's own files and the app's routes still work.
  EXPECT_EQ(StatusOf(RawGet(server.port(), "/assets/app.js")), 200);
  EXPECT_EQ(StatusOf(RawGet(server.port(), "/persons/1")), 200);
  EXPECT_EQ(StatusOf(RawGet(server.port(), "/api/v1/health")), 200);
  EXPECT_EQ(server.Terminate(), 0) << server.output();
}

TEST(StaticPath, NoRequestReadsOutsideAGivenWebFolder) {
  WebTree t;
  ExpectNoEscape({"--web", t.web.string()}, "", t);
}

TEST(StaticPath, NoRequestReadsOutsideTheWebFolderFoundInTheWorkingDirectory) {
  WebTree t;
  ExpectNoEscape({}, t.dir.path(), t);
}

TEST(StaticPath, TheServerRefusesAWebFolderThatHoldsTheStore) {
  TempDir dir;
  fs::path web = fs::path(dir.path()) / "site";
  WriteFile(web / "index.html", "<!doctype html>");
  std::string out;
  int rc = RunJobaid(
      {"serve", "--port", "0", "--web", web.string(), "--data", (web / "var").string()}, &out);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("would be served to anyone"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(web / "var" / "jobaid.key"));
}

// Log-in bodies that lack or mistype a field: a 400 naming the field, and the server lives.
TEST(Login, MissingOrMistypedFieldsAreNamedAndTheServerLives) {
  TempDir dir;
  ServerProcess server({"--data", dir.path()});
  HttpClient c(server.port());
  struct Case {
    std::string body;
    std::string field;
  };
  std::vector<Case> cases = {
      {"{}", "username"},
      {R"({"username":"admin"})", "password"},
      {R"({"password":"jobaid-demo"})", "username"},
      {R"({"username":"admin","password":null})", "password"},
      {R"({"username":1,"password":"x"})", "username"},
      {R"({"username":"admin","password":["x"]})", "password"},
      {R"({"username":{"a":1},"password":"x"})", "username"},
      {R"({"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8})", "username"},
      {"[]", "body"},
      {"\"admin\"", "body"},
      {"{\"username\":", "body"},
      {"", "username"},
      {std::string(70, 'x'), "body"},
  };
  for (const Case& k : cases) {
    HttpResult r = c.Call("POST", "/api/v1/auth/login", k.body);
    EXPECT_EQ(r.status, 400) << k.body << " -> " << r.body;
    auto v = r.json();
    ASSERT_TRUE(v.is_object()) << k.body << " -> " << r.body;
    EXPECT_EQ(v.at("error").at("field").as_string(), k.field) << k.body;
  }
  EXPECT_EQ(c.Call("GET", "/api/v1/health").status, 200);
  EXPECT_EQ(server.Terminate(), 0) << server.output();
}

// Over HTTP: the lock after wrong passwords is a 429 with Retry-After, also for the right
// password; an admin ends an account's sessions.
TEST(Login, WrongPasswordsLockTheAccountAndAnAdminEndsSessions) {
  TempDir dir;
  std::string out;
  for (const char* name : {"chen", "wang"}) {
    ASSERT_EQ(RunJobaid({"user", "add", name, "--role", "admin", "--password",
                         "a long enough phrase", "--data", dir.path()},
                        &out),
              0)
        << out;
  }
  ServerProcess server({"--data", dir.path()});
  HttpClient c(server.port());
  auto login = [&](const std::string& name, const std::string& password) {
    return c.Call("POST", "/api/v1/auth/login",
                  absl::StrCat(R"({"username":")", name, R"(","password":")", password, R"("})"));
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login("chen", "not the password").status, 401) << i;
  HttpResult locked = login("chen", "a long enough phrase");
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(locked.headers["retry-after"], "60");
  EXPECT_EQ(locked.json().at("error").at("code").as_string(), "RESOURCE_EXHAUSTED");

  std::string wang = c.Login("wang", "a long enough phrase");
  std::string wang2 = c.Login("wang", "a long enough phrase");
  ASSERT_FALSE(wang.empty());
  HttpResult me = c.Call("GET", "/api/v1/auth/me", "", wang);
  ASSERT_EQ(me.status, 200);
  std::string id = json::serialize(me.json().at("id"));
  HttpResult ended = c.Call("DELETE", absl::StrCat("/api/v1/users/", id, "/sessions"), "", wang);
  EXPECT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(ended.json().at("ended").as_int64(), 2);
  EXPECT_EQ(c.Call("GET", "/api/v1/auth/me", "", wang2).status, 401);
  EXPECT_EQ(server.Terminate(), 0) << server.output();
}

// A request that changes something needs the session's CSRF token in a header; the session
// cookie alone, which another site can make the browser send, is refused.
TEST(Csrf, AChangeWithoutTheSessionsTokenIsRefused) {
  TempDir dir;
  std::string out;
  ASSERT_EQ(RunJobaid({"user", "add", "chen", "--role", "admin", "--password",
                       "a long enough phrase", "--data", dir.path()},
                      &out),
            0)
      << out;
  ServerProcess server({"--data", dir.path()});
  HttpClient c(server.port());
  HttpResult login = c.Call("POST", "/api/v1/auth/login",
                            R"({"username":"chen","password":"a long enough phrase"})");
  ASSERT_EQ(login.status, 200);
  std::string token(login.json().at("csrf_token").as_string());
  EXPECT_NE(login.headers["set-cookie"].find("jobaid_csrf=" + token + "; Path=/; SameSite=Strict"),
            std::string::npos)
      << login.headers["set-cookie"];
  std::string cookie = login.headers["set-cookie"].substr(0, login.headers["set-cookie"].find(';'));
  auto send = [&](const std::string& method, const std::string& target, const std::string& extra) {
    return RawExchange(server.port(),
                       absl::StrCat(method, " ", target, " HTTP/1.1\r\nHost: x\r\nCookie: ", cookie,
                                    "\r\n", extra, "Content-Type: application/json\r\n",
                                    "Content-Length: 2\r\nConnection: close\r\n\r\n{}"));
  };
  std::string region = "/api/v1/regions/431023/flags";
  for (const std::string& extra : {std::string(), std::string("X-CSRF-Token: \r\n"),
                                   absl::StrCat("X-CSRF-Token: ", token.substr(1), "\r\n"),
                                   absl::StrCat("X-CSRF-Token: x", token, "\r\n")}) {
    std::string raw = send("PUT", region, extra);
    EXPECT_EQ(RawStatus(raw), 403) << extra << raw.substr(0, 200);
    EXPECT_NE(raw.find("\"CSRF\""), std::string::npos) << raw.substr(0, 300);
  }
  EXPECT_EQ(RawStatus(send("POST", "/api/v1/auth/logout", "")), 403);
  // Reads need no token; with the token, the change goes through.
  EXPECT_EQ(RawStatus(send("GET", "/api/v1/auth/me", "")), 200);
  EXPECT_EQ(RawStatus(send("PUT", region, absl::StrCat("X-CSRF-Token: ", token, "\r\n"))), 200);
  HttpResult me = c.Call("GET", "/api/v1/auth/me", "", cookie);
  EXPECT_EQ(me.json().at("csrf_token").as_string(), token);
  // Another session's token does not fit this one.
  std::string other = c.Login("chen", "a long enough phrase");
  EXPECT_EQ(
      RawStatus(send("PUT", region, absl::StrCat("X-CSRF-Token: ", CsrfTokenOf(other), "\r\n"))),
      403);
  EXPECT_EQ(server.Terminate(), 0) << server.output();
}

// Every answer, whatever its kind, carries the headers that keep a browser from running foreign
// script, framing the page or sniffing types.
TEST(SecurityHeaders, AreOnEveryAnswer) {
  WebTree t;
  ServerProcess server(
      {"--data", (fs::path(t.dir.path()) / "var").string(), "--web", t.web.string()});
  HttpClient c(server.port());
  std::vector<HttpResult> answers = {c.Call("GET", "/"),
                                     c.Call("GET", "/assets/app.js"),
                                     c.Call("GET", "/api/v1/health"),
                                     c.Call("GET", "/api/v1/persons"),
                                     c.Call("GET", "/api/v1/nothing"),
                                     c.Call("POST", "/api/v1/auth/login", "{")};
  for (const HttpResult& r : answers) {
    ASSERT_NE(r.status, 0);
    const std::string& csp = r.headers.count("content-security-policy")
                                 ? r.headers.at("content-security-policy")
                                 : std::string();
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << r.status;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << r.status;
    size_t script = csp.find("script-src");
    EXPECT_EQ(csp.substr(script, csp.find(';', script) - script).find("unsafe"), std::string::npos);
    EXPECT_EQ(r.headers.at("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.headers.at("x-frame-options"), "DENY");
    EXPECT_EQ(r.headers.at("referrer-policy"), "same-origin");
  }
  // A refusal before the body is read carries them too.
  std::string raw = RawExchange(server.port(),
                                "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                                "Content-Length: 99999999\r\n\r\n{");
  EXPECT_EQ(RawStatus(raw), 413);
  EXPECT_NE(raw.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(server.Terminate(), 0) << server.output();
}

}  // namespace
}  // namespace jobaid::testing
