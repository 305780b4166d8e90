#include "server/http_server.h"

#include <array>
#include <boost/asio.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <limits>
#include <mutex>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/error_mapping.h"
#include "spdlog/spdlog.h"

namespace jobaid::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session;

// Element Plus sets style attributes, hence 'unsafe-inline' for styles only; charts draw on
// canvas and images come as data: or blob: URLs (the QR code, downloads).
constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

struct HttpServer::Impl {
  HttpOptions options;
  Dispatcher dispatch;
  BodyLimit body_limit;
  asio::io_context io;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  std::mutex sessions_mu;
  std::set<std::shared_ptr<Session>> sessions;

  void Accept();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl& server)
      : stream_(std::move(socket)), server_(server) {}

  void Start() { ReadHeader(); }

  // Closes the connection if it is waiting for a request.
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  void ReadHeader() {
    busy_ = false;
    if (server_.stopping) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.options.header_limit));
    // The route decides the body limit once the header is in; until then, none.
    parser_->body_limit(std::numeric_limits<uint64_t>::max());
    stream_.expires_after(std::chrono::seconds(server_.options.idle_timeout_s));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::eof) {
      return Close();
    }
    busy_ = true;
    if (ec == http::error::header_limit) {
      return Fail(
          431, "HEADERS_TOO_LARGE",
          absl::StrCat("the request headers exceed ", server_.options.header_limit, " bytes"));
    }
    if (ec == http::error::body_limit) {
      return Fail(413, "PAYLOAD_TOO_LARGE",
                  "the request body is larger than this endpoint accepts");
    }
    if (ec) return Fail(400, "BAD_REQUEST", absl::StrCat("malformed request: ", ec.message()));
    auto& req = parser_->get();
    std::string target(req.target());
    std::string path = target.substr(0, target.find('?'));
    size_t limit = server_.body_limit(std::string(req.method_string()), path);
    parser_->body_limit(limit);
    if (auto len = parser_->content_length(); len && *len > limit) {
      return Fail(413, "PAYLOAD_TOO_LARGE",
                  absl::StrCat("the request body has ", *len,
                               " bytes; this endpoint accepts at most ", limit));
    }
    stream_.expires_after(std::chrono::seconds(server_.options.request_timeout_s));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
  }

  void OnBody(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return Fail(413, "PAYLOAD_TOO_LARGE",
                  "the request body is larger than this endpoint accepts");
    }
    if (ec) return Close();
    auto& in = parser_->get();
    api::Request req;
    req.method = std::string(in.method_string());
    absl::Status target_ok = api::ParseTarget(
        absl::string_view(in.target().data(), in.target().size()), req.path, req.query);
    if (!target_ok.ok()) return Fail(400, "BAD_REQUEST", target_ok.message());
    for (const auto& f : in) {
      req.headers[absl::AsciiStrToLower(absl::string_view(
          f.name_string().data(), f.name_string().size()))] = std::string(f.value());
    }
    req.body = std::move(in.body());
    beast::error_code rec;
    auto ep = stream_.socket().remote_endpoint(rec);
    if (!rec) req.remote = ep.address().to_string();
    keep_alive_ = in.keep_alive() && !server_.stopping;
    unsigned version = in.version();
    ++server_.in_flight;
    auto started = std::chrono::steady_clock::now();
    api::Response resp = server_.dispatch(req);
    --server_.in_flight;
    if (spdlog::should_log(spdlog::level::info)) {
      double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
              .count();
      spdlog::info("{} {} {} {} {}B {:.1f}ms {}", req.remote, req.method, req.path, resp.status,
                   resp.body.size(), ms, req.actor ? req.actor->username : "-");
    }
    Write(std::move(resp), version, req.method == "HEAD");
  }

  void Fail(int status, absl::string_view code, absl::string_view message) {
    keep_alive_ = false;
    linger_ = true;  // the client may still be sending what was refused
    Write(api::ErrorResponse(status, code, message), 11, false);
  }

  void Write(api::Response resp, unsigned version, bool head) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(resp.status), version);
    res->set(http::field::server, "jobaid");
    res->set(http::field::content_type, resp.content_type);
    res->set(http::field::cache_control, "no-store");
    // On every answer: no script but our own files (none inline), no framing, no sniffing,
    // no address of ours in other sites' logs.
    res->set("Content-Security-Policy", kContentSecurityPolicy);
    res->set("X-Content-Type-Options", "nosniff");
    res->set("X-Frame-Options", "DENY");
    res->set("Referrer-Policy", "same-origin");
    res->set("Cross-Origin-Opener-Policy", "same-origin");
    for (auto& [k, v] : resp.headers) {
      if (absl::EqualsIgnoreCase(k, "Cache-Control")) {
        res->set(http::field::cache_control, v);
      } else {
        res->insert(k, v);
      }
    }
    size_t size = resp.body.size();
    if (!head) res->body() = std::move(resp.body);
    res->keep_alive(keep_alive_ && !server_.stopping);
    res->content_length(size);
    stream_.expires_after(std::chrono::seconds(server_.options.request_timeout_s));
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, size_t) {
                        if (!ec && !res->keep_alive() && self->linger_) return self->Linger();
                        if (ec || !res->keep_alive()) return self->Close();
                        self->ReadHeader();
                      });
  }

  // After refusing a request whose body is still arriving: stop sending, then read and drop
  // what comes (up to 16 MiB or 2 s) before closing, so that closing with unread data does
  // not reset the connection and destroy the answer before the client reads it.
  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    Drain(0);
  }
  void Drain(size_t dropped) {
    auto scratch = std::make_shared<std::array<char, 65536>>();
    stream_.async_read_some(asio::buffer(*scratch), [self = shared_from_this(), scratch, dropped](
                                                        beast::error_code ec, size_t n) {
      if (ec || dropped + n > (16u << 20)) return self->Close();
      self->Drain(dropped + n);
    });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
    std::lock_guard<std::mutex> lock(server_.sessions_mu);
    server_.sessions.erase(shared_from_this());
  }

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = false;
  bool linger_ = false;
  bool busy_ = false;
};

void HttpServer::Impl::Accept() {
  acceptor->async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (ec || stopping) return;
    auto s = std::make_shared<Session>(std::move(socket), *this);
    {
      std::lock_guard<std::mutex> lock(sessions_mu);
      sessions.insert(s);
    }
    s->Start();
    Accept();
  });
}

HttpServer::HttpServer(HttpOptions options, Dispatcher dispatch, BodyLimit body_limit)
    : impl_(new Impl) {
  impl_->options = std::move(options);
  impl_->dispatch = std::move(dispatch);
  impl_->body_limit = std::move(body_limit);
}

HttpServer::~HttpServer() { Stop(0); }

absl::Status HttpServer::Start() {
  beast::error_code ec;
  auto addr = asio::ip::make_address(impl_->options.address, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("bad address ", impl_->options.address));
  tcp::endpoint ep(addr, static_cast<unsigned short>(impl_->options.port));
  impl_->acceptor.emplace(impl_->io);
  impl_->acceptor->open(ep.protocol(), ec);
  if (!ec) impl_->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor->bind(ep, ec);
  if (!ec) impl_->acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", impl_->options.address, ":",
                                               impl_->options.port, ": ", ec.message()));
  }
  port_ = impl_->acceptor->local_endpoint().port();
  impl_->Accept();
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
  return absl::OkStatus();
}

void HttpServer::Stop(int grace_s) {
  if (impl_->threads.empty()) return;
  impl_->stopping = true;
  asio::post(impl_->io, [this] {
    beast::error_code ec;
    if (impl_->acceptor) impl_->acceptor->close(ec);
  });
  {
    std::lock_guard<std::mutex> lock(impl_->sessions_mu);
    for (const auto& s : impl_->sessions) s->CloseIfIdle();
  }
  // Requests in flight finish and their connections close after the response.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(grace_s);
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(impl_->sessions_mu);
      if (impl_->sessions.empty()) break;
      for (const auto& s : impl_->sessions) s->CloseIfIdle();
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  std::lock_guard<std::mutex> lock(impl_->sessions_mu);
  impl_->sessions.clear();
}

void HttpServer::WaitForSignal() {
  asio::io_context sig_io;
  asio::signal_set signals(sig_io, SIGINT, SIGTERM);
  signals.async_wait([](beast::error_code, int) {});
  sig_io.run();
}

}  // namespace jobaid::server
