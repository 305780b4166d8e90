// The monthly report of a region (docs/INDICATORS.md): its indicators on a day with last year's
// figures, targets and completion, and every region of each level below it with the same, as
// an XLSX workbook (a summary sheet, then one sheet per level with the standard Chinese
// headings) or a printable HTML page with charts. Also made by `jobaid report`. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "auth/actor.h"
#include "service/context.h"
#include "service/indicator_service.h"

namespace jobaid::service {

class ReportService {
 public:
  ReportService(const Context& ctx, IndicatorService& indicators)
      : ctx_(ctx), indicators_(indicators) {}

  struct Level {
    domain::RegionLevel level;
    std::string name;                                      // 乡镇（街道）
    std::vector<IndicatorService::RegionFigures> regions;  // in code order, every region
  };
  struct Report {
    IndicatorService::Figures figures;           // the region and its children
    std::vector<Level> levels;                   // each level below the region, nearest first
    std::vector<IndicatorService::Point> trend;  // the employment scale, 12 month ends
  };
  // The report of `region` (within the actor's scope) on `as_of`, with at most `max_levels`
  // levels below it.
  absl::StatusOr<Report> Monthly(const auth::Actor& a, const std::string& region, Date as_of,
                                 int max_levels = 5);

  static absl::StatusOr<std::string> Xlsx(const Report& r);
  static std::string Html(const Report& r);

 private:
  const Context& ctx_;
  IndicatorService& indicators_;
};

}  // namespace jobaid::service
