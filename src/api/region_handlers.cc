// The region tree, search and flags.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "common/status.h"

namespace jobaid::api {

void AddRegionRoutes(Router& router, Services& s) {
  // ---- regions ----
  auto get_regions = [&s](Request& req) -> HandlerResult {
    return Reply(s.regions.Children(req.Query("parent")), [](const auto& list) {
      json::array a;
      for (const auto& r : list) a.push_back(RegionJson(r));
      return json::value(json::object{{"items", a}});
    });
  };
  auto get_regions_search = [&s](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto limit, LimitParam(req, 20, 200));
    return Reply(s.regions.Search(req.Query("q"), req.Query("within"), static_cast<size_t>(limit)),
                 [](const auto& list) {
                   json::array a;
                   for (const auto& r : list) a.push_back(RegionJson(r));
                   return json::value(json::object{{"items", a}});
                 });
  };
  auto get_regions_flagged = [&s](Request& req) -> HandlerResult {
    return Reply(s.regions.Flagged(req.Query("region")), [](const auto& list) {
      json::array a;
      for (const auto& r : list) a.push_back(RegionJson(r));
      return json::value(json::object{{"items", a}});
    });
  };
  auto get_regions_one = [&s](Request& req) -> HandlerResult {
    return Reply(s.regions.Get(req.params[0]),
                 [](const service::RegionInfo& r) { return json::value(RegionJson(r)); });
  };
  auto put_regions_flags = [&s](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto f, FieldsFromJson(req.body));
    JA_ASSIGN_OR_RETURN(auto r, s.regions.SetFlags(ActorOf(req), req.params[0], f));
    return Reply(s.regions.Get(req.params[0]),
                 [](const service::RegionInfo& i) { return json::value(RegionJson(i)); });
  };

  router.AddAll({
      {.method = "GET",
       .pattern = "/api/v1/regions",
       .body_limit = 1 << 16,
       .handler = get_regions},
      {.method = "GET",
       .pattern = "/api/v1/regions/search",
       .body_limit = 1 << 16,
       .handler = get_regions_search},
      {.method = "GET",
       .pattern = "/api/v1/regions/flagged",
       .body_limit = 1 << 16,
       .handler = get_regions_flagged},
      {.method = "GET",
       .pattern = "/api/v1/regions/{code}",
       .body_limit = 1 << 16,
       .handler = get_regions_one},
      {.method = "PUT",
       .pattern = "/api/v1/regions/{code}/flags",
       .body_limit = 1 << 16,
       .handler = put_regions_flags},
  });
}

}  // namespace jobaid::api
