// Indicators, rankings, series and targets.
#include <boost/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "common/status.h"

namespace jobaid::api {
namespace {

json::object FigureJson(const analytics::Figure& f) {
  json::object o;
  o["numerator"] = f.numerator;
  o["denominator"] = f.denominator;
  std::optional<double> v = f.value();
  o["value"] = v ? json::value(*v) : json::value(nullptr);
  return o;
}
json::object RegionJson(const service::IndicatorService::RegionFigures& r) {
  json::object o;
  o["code"] = Sv(r.short_code);
  o["name"] = Sv(r.name);
  json::array figures;
  for (size_t i = 0; i < r.figures.size(); ++i) {
    const analytics::Figure& f = r.figures[i];
    json::object x = FigureJson(f);
    x["key"] = Sv(f.def->key);
    x["kind"] = f.def->kind == analytics::FigureKind::kRate ? "rate" : "count";
    x["last_year"] = FigureJson(r.last_year[i]);
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
}

// The path's region: its code, or 0 for the nation (the services' "").
std::string TargetRegion(const std::string& param) { return param == "0" ? "" : param; }

absl::StatusOr<int> YearParam(const std::string& text) {
  int year = 0;
  if (!absl::SimpleAtoi(text, &year)) {
    return FieldError("year",
                      absl::StrCat("the year must be a number, as 2026, not \"", text, "\""));
  }
  return year;
}

}  // namespace

void AddIndicatorRoutes(Router& router, Services& s) {
  const Clock& clock = s.ctx.clock;
  // ---- indicators and targets ----
  auto get_indicators = [&s, &clock](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto day, DayParam(req, clock));
    return Reply(s.indicators.Of(ActorOf(req), req.Query("region"), day),
                 [&](const service::IndicatorService::Figures& f) {
                   json::object o = RegionJson(f.total);
                   o["as_of"] = Sv(f.as_of.ToString());
                   o["last_year"] = Sv(f.last_year.ToString());
                   json::array subs;
                   for (const auto& r : f.subregions) subs.push_back(RegionJson(r));
                   o["subregions"] = std::move(subs);
                   return json::value(std::move(o));
                 });
  };
  auto get_indicators_definitions = [](Request&) -> HandlerResult {
    json::array items;
    for (const analytics::IndicatorDef& d : analytics::Indicators()) {
      items.push_back(
          json::object{{"key", Sv(d.key)},
                       {"kind", d.kind == analytics::FigureKind::kRate ? "rate" : "count"},
                       {"zh", Sv(d.zh)},
                       {"en", Sv(d.en)},
                       {"numerator", Sv(d.numerator_zh)},
                       {"denominator", Sv(d.denominator_zh)}});
    }
    return Json(json::object{{"items", std::move(items)}});
  };
  auto get_indicators_ranking = [&s, &clock](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto day, DayParam(req, clock));
    JA_ASSIGN_OR_RETURN(auto def, analytics::RequireIndicator(req.Query("indicator")));
    return Reply(s.indicators.Of(ActorOf(req), req.Query("region"), day),
                 [&](const service::IndicatorService::Figures& f) {
                   json::array items;
                   int rank = 0;
                   for (const auto& [r, x] : service::IndicatorService::Rank(f, def)) {
                     json::object o = FigureJson(*x);
                     o["rank"] = ++rank;
                     o["code"] = Sv(r->short_code);
                     o["name"] = Sv(r->name);
                     items.push_back(std::move(o));
                   }
                   return json::value(json::object{{"as_of", Sv(f.as_of.ToString())},
                                                   {"indicator", Sv((def)->key)},
                                                   {"items", std::move(items)}});
                 });
  };
  auto get_indicators_series = [&s, &clock](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto day, DayParam(req, clock));
    int months = 12;
    std::string m = req.Query("months");
    if (!m.empty() && !absl::SimpleAtoi(m, &months)) {
      return FieldError("months", "give 1 to 36 months");
    }
    return Reply(
        s.indicators.Series(ActorOf(req), req.Query("region"), req.Query("indicator"), day, months),
        [&](const std::vector<service::IndicatorService::Point>& points) {
          json::array items;
          for (const auto& p : points) {
            json::object o = FigureJson(p.figure);
            o["date"] = Sv(p.day.ToString());
            items.push_back(std::move(o));
          }
          return json::value(json::object{{"items", std::move(items)}});
        });
  };
  router.AddAll({
      {.method = "GET",
       .pattern = "/api/v1/indicators",
       .body_limit = 1 << 16,
       .handler = get_indicators},
      {.method = "GET",
       .pattern = "/api/v1/indicators/definitions",
       .body_limit = 1 << 16,
       .handler = get_indicators_definitions},
      {.method = "GET",
       .pattern = "/api/v1/indicators/ranking",
       .body_limit = 1 << 16,
       .handler = get_indicators_ranking},
      {.method = "GET",
       .pattern = "/api/v1/indicators/series",
       .body_limit = 1 << 16,
       .handler = get_indicators_series},
  });
}

void AddTargetRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
  const Clock& clock = s.ctx.clock;
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
  auto get_targets = [&s, &clock, targets_json](Request& req) -> HandlerResult {
    std::string y = req.Query("year");
    JA_ASSIGN_OR_RETURN(auto year,
                        y.empty() ? absl::StatusOr<int>(clock.Today().year()) : YearParam(y));
    return Reply(s.indicators.Targets(ActorOf(req), req.Query("region"), year), targets_json);
  };
  auto put_targets_one = [&s, target_json](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto year, YearParam(req.params[2]));
    JA_ASSIGN_OR_RETURN(auto f, FieldsFromJson(req.body));
    return Reply(
        s.indicators.PutTarget(ActorOf(req), req.params[0], TargetRegion(req.params[1]), year, f),
        [&](const domain::Target& t) { return json::value(target_json(t)); });
  };
  auto post_targets_split = [&s, targets_json](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto year, YearParam(req.params[2]));
    std::optional<domain::RegionLevel> down_to;
    if (std::string level = req.Query("down_to"); !level.empty()) {
      down_to = domain::ParseRegionLevel(level);
      if (!down_to) {
        return FieldError("down_to",
                          absl::StrCat("unknown level \"", level,
                                       "\"; one of prefecture, county, township, village"));
      }
    }
    return Reply(s.indicators.SplitTarget(ActorOf(req), req.params[0], TargetRegion(req.params[1]),
                                          year, down_to),
                 targets_json);
  };

  router.AddAll({
      {.method = "GET",
       .pattern = "/api/v1/targets",
       .body_limit = 1 << 16,
       .handler = get_targets},
      {.method = "PUT",
       .pattern = "/api/v1/targets/{indicator}/{region}/{year}",
       .body_limit = 1 << 16,
       .handler = put_targets_one},
      {.method = "POST",
       .pattern = "/api/v1/targets/{indicator}/{region}/{year}/split",
       .body_limit = 1 << 16,
       .handler = post_targets_split},
  });
}

}  // namespace jobaid::api
