// The monthly report and the dashboard summary.
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

void AddReportRoutes(Router& router, Services& s) {
  const Clock& clock = s.ctx.clock;
  service::RegisterService& reg = s.reg;
  auto day_param = [&clock](const Request& req) { return DayParam(req, clock); };
  // ---- reports ----
  router.Add({"GET", "/api/v1/reports/monthly.xlsx",
              "The monthly report of ?region= on ?date= as XLSX: a summary sheet, then one sheet "
              "per level below with numerators, denominators, rates, targets and completion",
              "indicators", true, 1 << 16, [&s, day_param](Request& req) {
                auto day = day_param(req);
                if (!day.ok()) return ErrorResponse(day.status());
                auto report = s.reports.Monthly(ActorOf(req), req.Query("region"), *day);
                if (!report.ok()) return ErrorResponse(report.status());
                auto bytes = service::ReportService::Xlsx(*report);
                if (!bytes.ok()) return ErrorResponse(bytes.status());
                std::string code = report->figures.total.short_code;
                return Download(std::move(*bytes), io::Format::kXlsx,
                                absl::StrCat("jobaid-report-", code.empty() ? "nation" : code, "-",
                                             day->ToString()));
              }});
  router.Add({"GET", "/api/v1/reports/monthly.html",
              "The monthly report of ?region= on ?date= as a printable page with charts",
              "indicators", true, 1 << 16, [&s, day_param](Request& req) {
                auto day = day_param(req);
                if (!day.ok()) return ErrorResponse(day.status());
                auto report = s.reports.Monthly(ActorOf(req), req.Query("region"), *day, 1);
                if (!report.ok()) return ErrorResponse(report.status());
                Response r;
                r.content_type = "text/html; charset=utf-8";
                r.body = service::ReportService::Html(*report);
                return r;
              }});

  router.Add({"GET", "/api/v1/stats/summary",
              "Register and labor tallies for ?region= today, in all and per sub-region", "stats",
              true, 1 << 16, [&s, &reg, &clock](Request& req) {
                const auth::Actor& a = ActorOf(req);
                auto counts = reg.Counts(a, req.Query("region"));
                if (!counts.ok()) return ErrorResponse(counts.status());
                auto labor = s.indicators.Of(a, req.Query("region"), clock.Today());
                if (!labor.ok()) return ErrorResponse(labor.status());
                json::object o;
                AddLaborCounts(o, labor->total.counts);
                o["as_of"] = Sv(labor->as_of.ToString());
                o["households"] = counts->households;
                o["persons"] = counts->persons;
                o["employers"] = counts->employers;
                o["jobs_open"] = counts->jobs_open;
                o["openings"] = counts->openings;
                json::array subs;
                for (const auto& r : labor->subregions) {
                  json::object x;
                  x["code"] = Sv(r.short_code);
                  x["name"] = Sv(r.name);
                  AddLaborCounts(x, r.counts);
                  x["households"] = r.counts.households;
                  subs.push_back(std::move(x));
                }
                o["subregions"] = std::move(subs);
                return Json(o);
              }});
}

}  // namespace jobaid::api
