// An HTTP/1.1 server on Boost.Beast: keep-alive, limits on header and body size, and a
// graceful stop that finishes the requests in flight. Handlers run on the server's worker
// threads and may block (the store is synchronous).
// Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "api/router.h"

namespace jobaid::server {

struct HttpOptions {
  std::string address = "127.0.0.1";
  int port = 8080;  // 0 = any free port
  // Handlers block on the store, and a read of personal data on its audit entry's commit, which
  // concurrent reads share: more threads than cores make those commits larger and fewer.
  int threads = 16;
  size_t header_limit = 16 * 1024;
  int idle_timeout_s = 30;
  int request_timeout_s = 600;  // large imports take a while to upload
};

class HttpServer {
 public:
  // Answers one request; called concurrently from several threads.
  using Dispatcher = std::function<api::Response(api::Request&)>;
  // Given a method and path, the largest body to accept.
  using BodyLimit = std::function<size_t(const std::string&, const std::string&)>;

  HttpServer(HttpOptions options, Dispatcher dispatch, BodyLimit body_limit);
  ~HttpServer();

  // Binds and starts accepting. The bound port is port().
  absl::Status Start();
  int port() const { return port_; }
  // Stops accepting, lets requests in flight finish (at most `grace_s`), closes idle
  // connections and joins the threads.
  void Stop(int grace_s = 30);
  // Blocks until SIGINT or SIGTERM (the server serving meanwhile).
  static void WaitForSignal();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace jobaid::server
