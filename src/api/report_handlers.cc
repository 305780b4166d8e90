// The monthly report and the dashboard summary.
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "common/status.h"

namespace jobaid::api {

void AddReportRoutes(Router& router, Services& s) {
  const Clock& clock = s.ctx.clock;
  service::RegisterService& reg = s.reg;
  auto day_param = [&clock](const Request& req) { return DayParam(req, clock); };
  // ---- reports ----
  auto get_reports_monthly_xlsx = [&s, day_param](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto day, day_param(req));
    JA_ASSIGN_OR_RETURN(auto report, s.reports.Monthly(ActorOf(req), req.Query("region"), day));
    JA_ASSIGN_OR_RETURN(auto bytes, service::ReportService::Xlsx(report));
    std::string code = report.figures.total.short_code;
    return Download(
        std::move(bytes), io::Format::kXlsx,
        absl::StrCat("jobaid-report-", code.empty() ? "nation" : code, "-", day.ToString()));
  };
  auto get_reports_monthly_html = [&s, day_param](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto day, day_param(req));
    JA_ASSIGN_OR_RETURN(auto report, s.reports.Monthly(ActorOf(req), req.Query("region"), day, 1));
    Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body = service::ReportService::Html(report);
    return r;
  };

  auto get_stats_summary = [&s, &reg, &clock](Request& req) -> HandlerResult {
    const auth::Actor& a = ActorOf(req);
    JA_ASSIGN_OR_RETURN(auto counts, reg.Counts(a, req.Query("region")));
    JA_ASSIGN_OR_RETURN(auto labor, s.indicators.Of(a, req.Query("region"), clock.Today()));
    json::object o;
    AddLaborCounts(o, labor.total.counts);
    o["as_of"] = Sv(labor.as_of.ToString());
    o["households"] = counts.households;
    o["persons"] = counts.persons;
    o["employers"] = counts.employers;
    o["jobs_open"] = counts.jobs_open;
    o["openings"] = counts.openings;
    json::array subs;
    for (const auto& r : labor.subregions) {
      json::object x;
      x["code"] = Sv(r.short_code);
      x["name"] = Sv(r.name);
      AddLaborCounts(x, r.counts);
      x["households"] = r.counts.households;
      subs.push_back(std::move(x));
    }
    o["subregions"] = std::move(subs);
    return Json(o);
  };

  router.AddAll({
      {.method = "GET",
       .pattern = "/api/v1/reports/monthly.xlsx",
       .body_limit = 1 << 16,
       .handler = get_reports_monthly_xlsx},
      {.method = "GET",
       .pattern = "/api/v1/reports/monthly.html",
       .body_limit = 1 << 16,
       .handler = get_reports_monthly_html},
      {.method = "GET",
       .pattern = "/api/v1/stats/summary",
       .body_limit = 1 << 16,
       .handler = get_stats_summary},
  });
}

}  // namespace jobaid::api
