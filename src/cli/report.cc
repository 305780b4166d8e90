// jobaid report: the monthly report of a region from the command line, as XLSX (a summary
// sheet and one sheet per level below) and as a printable HTML page; a ranking of the
// sub-regions and a monthly series of any indicator, printed.
#include <cstdio>

#include "cli/commands.h"
#include "common/status.h"

namespace jobaid::cli {
namespace {

struct ReportArgs {
  std::string region, date, xlsx, html, ranking, series, as;
  int months = 12;
};

std::string Shown(const analytics::Figure& f) { return analytics::FormatValue(*f.def, f.value()); }

}  // namespace

void AddReport(CLI::App& app, Common& common, Action& action) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand(
      "report",
      "The monthly report of a region on a day (docs/INDICATORS.md indicators with numerators,\n"
      "denominators, last year's figures, targets and completion): --xlsx writes the workbook,\n"
      "--html the printable page; --ranking KEY prints the sub-regions ranked by an indicator,\n"
      "--series KEY its value at each month's end. Without them, prints the region's figures.");
  AddCommonOptions(cmd, common);
  cmd->add_option("--region", args->region, "Region code (2-12 digits); default the nation");
  cmd->add_option("--date", args->date, "The day, as 2026-11-30; default today");
  cmd->add_option("--xlsx", args->xlsx, "Write the workbook to this file");
  cmd->add_option("--html", args->html, "Write the printable page to this file");
  cmd->add_option("--ranking", args->ranking, "Print the sub-regions ranked by this indicator");
  cmd->add_option("--series", args->series, "Print this indicator at each month's end");
  cmd->add_option("--months", args->months, "Months of the series (1-36)")->capture_default_str();
  cmd->add_option("--as", args->as, "Act as this account (its region scope applies)");
  cmd->callback([&, args] {
    action = [&common, args]() -> int {
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      auto actor = ActingUser(**app, args->as);
      if (!actor.ok()) return Report(actor.status());
      Date day = (*app)->context().clock.Today();
      if (!args->date.empty()) {
        auto d = Date::Parse(args->date);
        if (!d.ok()) return Report(WithField(d.status(), "date"));
        day = *d;
      }
      service::IndicatorService& ind = (*app)->indicators();
      if (!args->ranking.empty()) {
        auto def = analytics::RequireIndicator(args->ranking, "ranking");
        if (!def.ok()) return Report(def.status());
        auto f = ind.Of(*actor, args->region, day);
        if (!f.ok()) return Report(f.status());
        std::printf("rank\tcode\tname\t%s\tnumerator\tdenominator\n", args->ranking.c_str());
        int rank = 0;
        for (const auto& [r, x] : service::IndicatorService::Rank(*f, *def)) {
          std::printf("%d\t%s\t%s\t%s\t%lld\t%lld\n", ++rank, r->short_code.c_str(),
                      r->name.c_str(), Shown(*x).c_str(), static_cast<long long>(x->numerator),
                      static_cast<long long>(x->denominator));
        }
      }
      if (!args->series.empty()) {
        auto points = ind.Series(*actor, args->region, args->series, day, args->months);
        if (!points.ok()) return Report(points.status());
        std::printf("date\t%s\tnumerator\tdenominator\n", args->series.c_str());
        for (const auto& p : *points) {
          std::printf("%s\t%s\t%lld\t%lld\n", p.day.ToString().c_str(), Shown(p.figure).c_str(),
                      static_cast<long long>(p.figure.numerator),
                      static_cast<long long>(p.figure.denominator));
        }
      }
      bool files = !args->xlsx.empty() || !args->html.empty();
      if (files || (args->ranking.empty() && args->series.empty())) {
        auto report = (*app)->reports().Monthly(*actor, args->region, day);
        if (!report.ok()) return Report(report.status());
        if (!files) {
          const auto& t = report->figures.total;
          std::printf("%s on %s\n", t.name.c_str(), day.ToString().c_str());
          for (const auto& f : t.figures) {
            std::printf("  %s (%s): %s = %lld / %lld\n", std::string(f.def->zh).c_str(),
                        std::string(f.def->key).c_str(), Shown(f).c_str(),
                        static_cast<long long>(f.numerator), static_cast<long long>(f.denominator));
          }
        }
        if (!args->xlsx.empty()) {
          auto bytes = service::ReportService::Xlsx(*report);
          if (!bytes.ok()) return Report(bytes.status());
          absl::Status w = io::WriteFile(args->xlsx, *bytes);
          if (!w.ok()) return Report(w);
          std::printf("The workbook (%zu sheets) is in %s.\n", report->levels.size() + 1,
                      args->xlsx.c_str());
        }
        if (!args->html.empty()) {
          absl::Status w = io::WriteFile(args->html, service::ReportService::Html(*report));
          if (!w.ok()) return Report(w);
          std::printf("The printable page is in %s.\n", args->html.c_str());
        }
      }
      return 0;
    };
  });
}

}  // namespace jobaid::cli
