// HTTP-agnostic request routing: method + path pattern ("/api/v1/persons/{id}") to handler.
// The route table is also the source the OpenAPI test checks the document against.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/actor.h"

namespace jobaid::api {

struct Request {
  std::string method;
  std::string path;  // decoded, without the query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::vector<std::string> params;   // the {…} segments of the matched pattern, in order
  std::optional<auth::Actor> actor;  // set for authenticated routes
  std::string remote;

  std::string Query(const std::string& key, const std::string& fallback = "") const {
    auto it = query.find(key);
    return it == query.end() ? fallback : it->second;
  }
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
  std::string Cookie(absl::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A handler answers with a response or fails with a Status; the dispatcher maps a failure to
// HTTP once (api/error_mapping.h).
using HandlerResult = absl::StatusOr<Response>;
using Handler = std::function<HandlerResult(Request&)>;

// Declared with named fields: {.method = "GET", .pattern = "/api/v1/x", .body_limit = 1 << 16,
// .handler = …}; a route is authenticated unless it says otherwise. What a route does, takes and
// answers is documented once, in the OpenAPI document (api/openapi.json), which a test holds to
// this table.
struct Route {
  std::string method;
  std::string pattern;
  bool authenticated = true;
  size_t body_limit = 1 << 20;
  Handler handler;
};

class Router {
 public:
  void Add(Route r) { routes_.push_back(std::move(r)); }
  // A resource's table of routes, in order.
  void AddAll(std::vector<Route> rs) {
    for (Route& r : rs) routes_.push_back(std::move(r));
  }
  // The route for `method` and `path`, filling req.params; nullptr if none. `path_known` is set
  // when another method would have matched (405 instead of 404).
  const Route* Match(const std::string& method, const std::string& path,
                     std::vector<std::string>& params, bool& path_known) const;
  // The largest body the route for `method path` accepts (for reading the body).
  size_t BodyLimit(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Splits and percent-decodes a request target (RFC 3986 origin form; '+' in the query is a
// space, as browsers send forms) into path and query. InvalidArgument if it is malformed.
absl::Status ParseTarget(absl::string_view target, std::string& path,
                         std::map<std::string, std::string>& query);

}  // namespace jobaid::api
