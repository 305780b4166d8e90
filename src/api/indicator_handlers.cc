// Indicators, rankings, series and targets.
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

void AddIndicatorRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
  const Clock& clock = s.ctx.clock;
  // ---- indicators and targets ----
  auto day_param = [&clock](const Request& req) { return DayParam(req, clock); };
  auto figure_json = [](const analytics::Figure& f) {
    json::object o;
    o["numerator"] = f.numerator;
    o["denominator"] = f.denominator;
    std::optional<double> v = f.value();
    o["value"] = v ? json::value(*v) : json::value(nullptr);
    return o;
  };
  auto region_json = [figure_json](const service::IndicatorService::RegionFigures& r) {
    json::object o;
    o["code"] = Sv(r.short_code);
    o["name"] = Sv(r.name);
    json::array figures;
    for (size_t i = 0; i < r.figures.size(); ++i) {
      const analytics::Figure& f = r.figures[i];
      json::object x = figure_json(f);
      x["key"] = Sv(f.def->key);
      x["kind"] = f.def->kind == analytics::FigureKind::kRate ? "rate" : "count";
      x["last_year"] = figure_json(r.last_year[i]);
      std::optional<double> now = f.value(), then = r.last_year[i].value();
      x["yoy_change"] = now && then ? json::value(*now - *then) : json::value(nullptr);
      x["yoy_rate"] =
          now && then && *then != 0 ? json::value((*now - *then) / *then) : json::value(nullptr);
      const std::optional<double>& target = r.targets[i];
      x["target"] = target ? json::value(*target) : json::value(nullptr);
      x["completion"] =
          now && target && *target != 0 ? json::value(*now / *target) : json::value(nullptr);
      figures.push_back(std::move(x));
    }
    o["figures"] = std::move(figures);
    return o;
  };
  router.Add({"GET", "/api/v1/indicators",
              "The indicators of ?region= and of each sub-region on ?date= (default today): "
              "numerator, denominator, value, last year's, year-over-year change, target and "
              "completion",
              "indicators", true, 1 << 16, [&s, day_param, region_json](Request& req) {
                auto day = day_param(req);
                if (!day.ok()) return ErrorResponse(day.status());
                return Reply(s.indicators.Of(ActorOf(req), req.Query("region"), *day),
                             [&](const service::IndicatorService::Figures& f) {
                               json::object o = region_json(f.total);
                               o["as_of"] = Sv(f.as_of.ToString());
                               o["last_year"] = Sv(f.last_year.ToString());
                               json::array subs;
                               for (const auto& r : f.subregions) subs.push_back(region_json(r));
                               o["subregions"] = std::move(subs);
                               return json::value(std::move(o));
                             });
              }});
  router.Add({"GET", "/api/v1/indicators/definitions",
              "Every indicator: key, kind (count or rate), Chinese and English headings, what "
              "its numerator and denominator count",
              "indicators", true, 1 << 16, [](Request&) {
                json::array items;
                for (const analytics::IndicatorDef& d : analytics::Indicators()) {
                  items.push_back(json::object{
                      {"key", Sv(d.key)},
                      {"kind", d.kind == analytics::FigureKind::kRate ? "rate" : "count"},
                      {"zh", Sv(d.zh)},
                      {"en", Sv(d.en)},
                      {"numerator", Sv(d.numerator_zh)},
                      {"denominator", Sv(d.denominator_zh)}});
                }
                return Json(json::object{{"items", std::move(items)}});
              }});
  router.Add({"GET", "/api/v1/indicators/ranking",
              "The sub-regions of ?region= ranked by ?indicator= on ?date=, highest first",
              "indicators", true, 1 << 16, [&s, day_param, figure_json](Request& req) {
                auto day = day_param(req);
                if (!day.ok()) return ErrorResponse(day.status());
                auto def = analytics::RequireIndicator(req.Query("indicator"));
                if (!def.ok()) return ErrorResponse(def.status());
                return Reply(s.indicators.Of(ActorOf(req), req.Query("region"), *day),
                             [&](const service::IndicatorService::Figures& f) {
                               json::array items;
                               int rank = 0;
                               for (const auto& [r, x] : service::IndicatorService::Rank(f, *def)) {
                                 json::object o = figure_json(*x);
                                 o["rank"] = ++rank;
                                 o["code"] = Sv(r->short_code);
                                 o["name"] = Sv(r->name);
                                 items.push_back(std::move(o));
                               }
                               return json::value(json::object{{"as_of", Sv(f.as_of.ToString())},
                                                               {"indicator", Sv((*def)->key)},
                                                               {"items", std::move(items)}});
                             });
              }});
  router.Add({"GET", "/api/v1/indicators/series",
              "?indicator= of ?region= at the end of each of ?months= (default 12) months up to "
              "?date=",
              "indicators", true, 1 << 16, [&s, day_param, figure_json](Request& req) {
                auto day = day_param(req);
                if (!day.ok()) return ErrorResponse(day.status());
                int months = 12;
                std::string m = req.Query("months");
                if (!m.empty() && !absl::SimpleAtoi(m, &months)) {
                  return ErrorResponse(FieldError("months", "give 1 to 36 months"));
                }
                return Reply(s.indicators.Series(ActorOf(req), req.Query("region"),
                                                 req.Query("indicator"), *day, months),
                             [&](const std::vector<service::IndicatorService::Point>& points) {
                               json::array items;
                               for (const auto& p : points) {
                                 json::object o = figure_json(p.figure);
                                 o["date"] = Sv(p.day.ToString());
                                 items.push_back(std::move(o));
                               }
                               return json::value(json::object{{"items", std::move(items)}});
                             });
              }});
  auto target_json = [&regions](const domain::Target& t) {
    json::object o;
    o["indicator"] = Sv(t.indicator);
    auto r = regions.Find(t.region_code);
    o["region"] = t.region_code == 0 || !r.ok() ? "" : Sv(r->ShortCode());
    o["region_name"] = t.region_code == 0 ? "全国" : r.ok() ? Sv(r->name) : "";
    o["year"] = t.year;
    o["value"] = t.value;
    o["version"] = t.version;
    o["updated_at"] = Sv(FormatIsoMs(t.updated_at));
    return o;
  };
  auto targets_json = [target_json](const std::vector<domain::Target>& ts) {
    json::array items;
    for (const auto& t : ts) items.push_back(target_json(t));
    return json::value(json::object{{"items", std::move(items)}});
  };
  // The path's region: its code, or 0 for the nation (the services' "").
  auto target_region = [](const std::string& param) { return param == "0" ? "" : param; };
  auto year_param = [](const std::string& text) -> absl::StatusOr<int> {
    int year = 0;
    if (!absl::SimpleAtoi(text, &year)) {
      return FieldError("year",
                        absl::StrCat("the year must be a number, as 2026, not \"", text, "\""));
    }
    return year;
  };
  router.Add({"GET", "/api/v1/targets",
              "Targets of ?year= for ?region= and every region below it (a rate as a fraction)",
              "indicators", true, 1 << 16, [&s, &clock, targets_json, year_param](Request& req) {
                std::string y = req.Query("year");
                auto year = y.empty() ? absl::StatusOr<int>(clock.Today().year()) : year_param(y);
                if (!year.ok()) return ErrorResponse(year.status());
                return Reply(s.indicators.Targets(ActorOf(req), req.Query("region"), *year),
                             targets_json);
              }});
  router.Add({"PUT", "/api/v1/targets/{indicator}/{region}/{year}",
              "Set a target {value (a count, or a rate in percent), version (0 for a new one)}; "
              "region 0 is the nation",
              "indicators", true, 1 << 16,
              [&s, target_json, target_region, year_param](Request& req) {
                auto year = year_param(req.params[2]);
                if (!year.ok()) return ErrorResponse(year.status());
                auto f = FieldsFromJson(req.body);
                if (!f.ok()) return ErrorResponse(f.status());
                return Reply(s.indicators.PutTarget(ActorOf(req), req.params[0],
                                                    target_region(req.params[1]), *year, *f),
                             [&](const domain::Target& t) { return json::value(target_json(t)); });
              }});
  router.Add(
      {"POST", "/api/v1/targets/{indicator}/{region}/{year}/split",
       "Split a region's target among its sub-regions (a count in proportion to each "
       "one's denominator, adding up exactly; a rate as the same rate), and with "
       "?down_to=county (a level) theirs again, level by level down to it",
       "indicators", true, 1 << 16, [&s, targets_json, target_region, year_param](Request& req) {
         auto year = year_param(req.params[2]);
         if (!year.ok()) return ErrorResponse(year.status());
         std::optional<domain::RegionLevel> down_to;
         if (std::string level = req.Query("down_to"); !level.empty()) {
           down_to = domain::ParseRegionLevel(level);
           if (!down_to) {
             return ErrorResponse(FieldError(
                 "down_to", absl::StrCat("unknown level \"", level,
                                         "\"; one of prefecture, county, township, village")));
           }
         }
         return Reply(s.indicators.SplitTarget(ActorOf(req), req.params[0],
                                               target_region(req.params[1]), *year, down_to),
                      targets_json);
       }});
}

}  // namespace jobaid::api
