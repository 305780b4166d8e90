// A small blocking HTTP/1.1 client for tests, and a helper that runs `jobaid serve` as a child
// process on a free loopback port.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jobaid::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  boost::json::value json() const;
};

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}
  HttpResult Call(const std::string& method, const std::string& target,
                  const std::string& body = "", const std::string& cookie = "",
                  const std::string& content_type = "application/json");
  // Logs in and returns the session cookie ("jobaid_session=…"). Later calls with that cookie
  // that may change something carry the session's X-CSRF-Token, as the web client's do.
  std::string Login(const std::string& user, const std::string& password = "jobaid-demo");
  int port() const { return port_; }

 private:
  int port_;
};

// Runs the jobaid binary with `args`, waits for "http://127.0.0.1:PORT/" on its output.
class ServerProcess {
 public:
  // `cwd`, when given, is the directory the server runs in.
  explicit ServerProcess(std::vector<std::string> args, const std::string& cwd = "");
  ~ServerProcess();
  int port() const { return port_; }
  // Sends SIGTERM and returns the exit status (-1 if it did not exit within `wait`; it is
  // then killed).
  int Terminate(std::chrono::seconds wait = std::chrono::seconds(20));
  // SIGKILL: the process dies at once, as in a crash.
  void Kill();
  // What the server has printed so far (safe while it runs).
  std::string output() const {
    std::lock_guard<std::mutex> lock(mu_);
    return output_;
  }

 private:
  int pid_ = -1;
  int port_ = 0;
  int out_fd_ = -1;
  mutable std::mutex mu_;
  std::string output_;  // guarded by mu_
  std::thread drain_;   // keeps reading the server's output so it never blocks on a full pipe
};

// The CSRF token the server gave with the session `cookie` at log-in, "" if none.
std::string CsrfTokenOf(const std::string& cookie);

// Sends `request` (a whole HTTP request, exactly as given: no client-side normalisation) on a
// new connection and returns everything the server sends until it closes or `wait` passes. ""
// when the connection cannot be made.
std::string RawExchange(int port, const std::string& request,
                        std::chrono::milliseconds wait = std::chrono::seconds(30));
// The status code of a raw answer ("HTTP/1.1 404 Not Found" -> 404), 0 if there is none.
int RawStatus(const std::string& raw);

// Runs the jobaid binary to completion; returns the exit code and fills `output`.
int RunJobaid(const std::vector<std::string>& args, std::string* output = nullptr);

}  // namespace jobaid::testing
