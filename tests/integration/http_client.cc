#include "integration/http_client.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <thread>

namespace jobaid::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

boost::json::value HttpResult::json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  return ec ? boost::json::value() : v;
}

namespace {
std::mutex csrf_mu;
std::map<std::string, std::string>& CsrfTokens() {
  static auto* m = new std::map<std::string, std::string>;
  return *m;
}
}  // namespace

std::string CsrfTokenOf(const std::string& cookie) {
  std::lock_guard<std::mutex> lock(csrf_mu);
  auto it = CsrfTokens().find(cookie);
  return it == CsrfTokens().end() ? "" : it->second;
}

HttpResult HttpClient::Call(const std::string& method, const std::string& target,
                            const std::string& body, const std::string& cookie,
                            const std::string& content_type) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                         static_cast<unsigned short>(port_)));
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, "127.0.0.1");
  if (!cookie.empty()) req.set(http::field::cookie, cookie);
  if (method != "GET" && method != "HEAD") {
    std::string csrf = CsrfTokenOf(cookie);
    if (!csrf.empty()) req.set("X-CSRF-Token", csrf);
  }
  if (!body.empty()) req.set(http::field::content_type, content_type);
  req.body() = body;
  req.prepare_payload();
  beast::error_code ec;
  // A server may answer (413) before the body is all sent and stop reading: the answer is
  // read even when the rest of the body could not be written.
  http::write(stream, req, ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1ull << 30);
  ec = {};
  http::read(stream, buffer, parser, ec);
  HttpResult r;
  if (ec) return r;
  auto& res = parser.get();
  r.status = res.result_int();
  r.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string& v = r.headers[name];
    // Set-Cookie may come more than once: all of them, one a line, in the order sent.
    if (!v.empty() && name == "set-cookie") v += "\n";
    v += std::string(f.value());
  }
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  // A log-in's answer names the session's CSRF token: remember it for that session's cookie.
  if (target == "/api/v1/auth/login" && r.status == 200) {
    std::string set = r.headers["set-cookie"];
    auto v = r.json();
    if (v.is_object() && v.as_object().contains("csrf_token")) {
      std::lock_guard<std::mutex> lock(csrf_mu);
      CsrfTokens()[set.substr(0, set.find(';'))] = std::string(v.at("csrf_token").as_string());
    }
  }
  return r;
}

std::string HttpClient::Login(const std::string& user, const std::string& password) {
  HttpResult r = Call("POST", "/api/v1/auth/login",
                      "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
  std::string set = r.headers["set-cookie"];
  return set.substr(0, set.find(';'));
}

namespace {
int Spawn(const std::vector<std::string>& args, int& out_fd, const std::string& cwd = "") {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  int pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    std::vector<char*> argv;
    std::string bin = JOBAID_BINARY;
    argv.push_back(bin.data());
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  out_fd = fds[0];
  return pid;
}
}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> args, const std::string& cwd) {
  args.insert(args.begin(), "serve");
  args.push_back("--port");
  args.push_back("0");
  pid_ = Spawn(args, out_fd_, cwd);
  std::regex port_re("http://127\\.0\\.0\\.1:([0-9]+)/");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{out_fd_, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char buf[4096];
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n <= 0) break;
    output_.append(buf, static_cast<size_t>(n));
    std::smatch m;
    if (std::regex_search(output_, m, port_re)) {
      port_ = std::stoi(m[1]);
      drain_ = std::thread([this] {
        char b[4096];
        ssize_t k;
        while ((k = read(out_fd_, b, sizeof b)) > 0) {
          std::lock_guard<std::mutex> lock(mu_);
          output_.append(b, static_cast<size_t>(k));
        }
      });
      return;
    }
  }
  throw std::runtime_error("jobaid serve did not start: " + output_);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Terminate();
}

int ServerProcess::Terminate(std::chrono::seconds wait) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      if (drain_.joinable()) drain_.join();  // the pipe closed with the process
      close(out_fd_);
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (drain_.joinable()) drain_.join();
  close(out_fd_);
  return -1;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (drain_.joinable()) drain_.join();
  close(out_fd_);
}

std::string RawExchange(int port, const std::string& request, std::chrono::milliseconds wait) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                         static_cast<unsigned short>(port)),
                 ec);
  if (ec) return "";
  stream.expires_after(wait);
  std::string out;
  // Write and read at once: a server may answer (413) before the request is all sent.
  asio::async_write(stream, asio::buffer(request), [](beast::error_code, size_t) {});
  auto buf = std::make_shared<std::array<char, 65536>>();
  std::function<void()> read = [&] {
    stream.async_read_some(asio::buffer(*buf), [&](beast::error_code e, size_t n) {
      out.append(buf->data(), n);
      if (!e) read();
    });
  };
  read();
  io.run();
  return out;
}

int RawStatus(const std::string& raw) {
  if (raw.size() < 12 || raw.compare(0, 5, "HTTP/") != 0) return 0;
  return std::atoi(raw.substr(9, 3).c_str());
}

int RunJobaid(const std::vector<std::string>& args, std::string* output) {
  int fd;
  int pid = Spawn(args, fd);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  if (output) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace jobaid::testing
