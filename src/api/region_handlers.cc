// The region tree, search and flags.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "api/api.h"
#include "api/body.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "api/static_files.h"
#include "auth/passwords.h"
#include "common/money.h"
#include "common/status.h"
#include "domain/vocabulary.h"
#include "io/poster.h"
#include "io/table.h"

namespace jobaid::api {

void AddRegionRoutes(Router& router, Services& s) {
  // ---- regions ----
  router.Add({"GET", "/api/v1/regions", "Sub-regions of ?parent= (provinces without it)", "regions",
              true, 1 << 16, [&s](Request& req) {
                return Reply(s.regions.Children(req.Query("parent")), [](const auto& list) {
                  json::array a;
                  for (const auto& r : list) a.push_back(RegionJson(r));
                  return json::value(json::object{{"items", a}});
                });
              }});
  router.Add({"GET", "/api/v1/regions/search", "Regions whose name contains ?q=", "regions", true,
              1 << 16, [&s](Request& req) {
                auto limit = LimitParam(req, 20, 200);
                if (!limit.ok()) return ErrorResponse(limit.status());
                return Reply(s.regions.Search(req.Query("q"), req.Query("within"),
                                              static_cast<size_t>(*limit)),
                             [](const auto& list) {
                               json::array a;
                               for (const auto& r : list) a.push_back(RegionJson(r));
                               return json::value(json::object{{"items", a}});
                             });
              }});
  router.Add({"GET", "/api/v1/regions/flagged", "Regions under ?region= with a flag set", "regions",
              true, 1 << 16, [&s](Request& req) {
                return Reply(s.regions.Flagged(req.Query("region")), [](const auto& list) {
                  json::array a;
                  for (const auto& r : list) a.push_back(RegionJson(r));
                  return json::value(json::object{{"items", a}});
                });
              }});
  router.Add({"GET", "/api/v1/regions/{code}", "One region, its path and flags", "regions", true,
              1 << 16, [&s](Request& req) {
                return Reply(s.regions.Get(req.params[0]), [](const service::RegionInfo& r) {
                  return json::value(RegionJson(r));
                });
              }});
  router.Add(
      {"PUT", "/api/v1/regions/{code}/flags", "Set key_county / poverty_village / relocation_site",
       "regions", true, 1 << 16, [&s](Request& req) {
         auto f = FieldsFromJson(req.body);
         if (!f.ok()) return ErrorResponse(f.status());
         auto r = s.regions.SetFlags(ActorOf(req), req.params[0], *f);
         if (!r.ok()) return ErrorResponse(r.status());
         return Reply(s.regions.Get(req.params[0]),
                      [](const service::RegionInfo& i) { return json::value(RegionJson(i)); });
       }});
}

}  // namespace jobaid::api
