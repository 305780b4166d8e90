#include "analytics/indicators.h"

#include <array>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"

namespace jobaid::analytics {

namespace {

using C = domain::IndicatorCounts;
using Part = int64_t (*)(const C& day);

struct Def {
  IndicatorDef def;
  Part numerator, denominator;
};

// clang-format off
const std::array<Def, 15> kDefs = {{
  {{"laborers", FigureKind::kCount, "劳动力人数", "Laborers", "劳动力", "登记人口"},
   [](const C& d) { return d.laborers; }, [](const C& d) { return d.persons; }},
  {{"employed", FigureKind::kCount, "务工就业规模", "Employment scale", "务工就业劳动力", "劳动力"},
   [](const C& d) { return d.employed; }, [](const C& d) { return d.laborers; }},
  {{"employed_local", FigureKind::kCount, "县内就业", "Employed in the county", "县内就业", "务工就业劳动力"},
   [](const C& d) { return d.employed_local; }, [](const C& d) { return d.employed; }},
  {{"employed_out_of_county", FigureKind::kCount, "省内县外就业", "Employed in the province, outside the county", "省内县外就业", "务工就业劳动力"},
   [](const C& d) { return d.employed_out_of_county; }, [](const C& d) { return d.employed; }},
  {{"employed_out_of_province", FigureKind::kCount, "省外就业", "Employed outside the province", "省外就业", "务工就业劳动力"},
   [](const C& d) { return d.employed_out_of_province; }, [](const C& d) { return d.employed; }},
  {{"out_migrants", FigureKind::kCount, "外出务工人数", "Out-migrant workers", "县外就业", "务工就业劳动力"},
   [](const C& d) { return d.out_migrants(); }, [](const C& d) { return d.employed; }},
  {{"going_out_ratio", FigureKind::kRate, "外出务工规模与上年末之比", "Going-out ratio to last year's end", "外出务工人数", "上年末外出务工人数"},
   [](const C& d) { return d.out_migrants(); }, [](const C& d) { return d.out_migrants_year_end; }},
  {{"transfer_rate", FigureKind::kRate, "转移就业率", "Transfer rate", "乡镇外就业", "劳动力"},
   [](const C& d) { return d.transferred; }, [](const C& d) { return d.laborers; }},
  {{"organisation_rate", FigureKind::kRate, "有组织转移率", "Organisation rate", "有组织转移", "乡镇外就业"},
   [](const C& d) { return d.organised; }, [](const C& d) { return d.transferred; }},
  {{"intention_employment_rate", FigureKind::kRate, "有就业意愿的劳动力就业率", "Intention employment rate", "有意愿且就业", "有就业意愿的劳动力"},
   [](const C& d) { return d.employed_with_intention; }, [](const C& d) { return d.with_intention; }},
  {{"work_stability", FigureKind::kRate, "务工稳定率", "Work stability", "近12个月务工满6个月", "务工就业劳动力"},
   [](const C& d) { return d.stable; }, [](const C& d) { return d.employed; }},
  {{"work_income_share", FigureKind::kRate, "工资性和生产经营性收入占比", "Work income share", "工资性和生产经营性收入（分）", "家庭总收入（分）"},
   [](const C& d) { return d.income_work; }, [](const C& d) { return d.income_total; }},
  {{"zero_employment_households", FigureKind::kCount, "零就业家庭", "Zero-employment households", "零就业家庭", "有劳动力的家庭"},
   [](const C& d) { return d.zero_employment_households; }, [](const C& d) { return d.households_with_laborers; }},
  {{"relocated_employment_rate", FigureKind::kRate, "搬迁群众就业率", "Relocated employment rate", "搬迁劳动力就业", "搬迁劳动力"},
   [](const C& d) { return d.relocated_employed; }, [](const C& d) { return d.relocated_laborers; }},
  {{"relocated_household_employment_rate", FigureKind::kRate, "搬迁家庭就业率", "Relocated households with work", "有劳动力就业的搬迁家庭", "有劳动力的搬迁家庭"},
   [](const C& d) { return d.relocated_households_employed; }, [](const C& d) { return d.relocated_households; }},
}};
// clang-format on

const std::array<IndicatorDef, kDefs.size()> kPublic = [] {
  std::array<IndicatorDef, kDefs.size()> out{};
  for (size_t i = 0; i < kDefs.size(); ++i) out[i] = kDefs[i].def;
  return out;
}();

}  // namespace

std::span<const IndicatorDef> Indicators() { return kPublic; }

const IndicatorDef* FindIndicator(absl::string_view key) {
  for (const IndicatorDef& d : kPublic) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

absl::StatusOr<const IndicatorDef*> RequireIndicator(absl::string_view key,
                                                     absl::string_view field) {
  if (const IndicatorDef* d = FindIndicator(key)) return d;
  return FieldError(field, absl::StrCat("there is no indicator \"", key, "\""));
}

std::string FormatValue(const IndicatorDef& d, std::optional<double> v) {
  if (!v) return "—";
  if (d.kind == FigureKind::kRate) return absl::StrFormat("%.1f%%", 100 * *v);
  return absl::StrCat(std::llround(*v));
}

std::optional<double> Figure::value() const {
  if (def->kind == FigureKind::kCount) return static_cast<double>(numerator);
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

std::vector<Figure> FiguresOf(const domain::IndicatorCounts& day) {
  std::vector<Figure> out;
  out.reserve(kDefs.size());
  for (size_t i = 0; i < kDefs.size(); ++i) {
    out.push_back({&kPublic[i], kDefs[i].numerator(day), kDefs[i].denominator(day)});
  }
  return out;
}

}  // namespace jobaid::analytics
