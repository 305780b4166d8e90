// The indicators of docs/INDICATORS.md made of the tallies of domain/indicators.h: each a numerator
// over a denominator. A count's value is its numerator (the denominator says of how many: the
// employed of the laborers); a rate's is the quotient. Keys are the API's and the reports'.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/indicators.h"

namespace jobaid::analytics {

enum class FigureKind { kCount, kRate };

struct IndicatorDef {
  absl::string_view key;
  FigureKind kind;
  absl::string_view zh;  // the standard Chinese heading
  absl::string_view en;
  absl::string_view numerator_zh, denominator_zh;  // what is counted above and below the line
};

// Every indicator, in the order of the reports.
std::span<const IndicatorDef> Indicators();
// The indicator `key`, or nullptr.
const IndicatorDef* FindIndicator(absl::string_view key);
// The indicator `key`; InvalidArgument naming `field` if there is none.
absl::StatusOr<const IndicatorDef*> RequireIndicator(absl::string_view key,
                                                     absl::string_view field = "indicator");

struct Figure {
  const IndicatorDef* def = nullptr;
  int64_t numerator = 0;
  int64_t denominator = 0;
  // The count, or the rate (nullopt when the denominator is 0).
  std::optional<double> value() const;
};

// A value of indicator `d` as people read it: a count, or a rate in percent with one decimal
// ("80.5%"); "—" for none.
std::string FormatValue(const IndicatorDef& d, std::optional<double> v);

// The figures of the tallies of a day, in the order of Indicators().
std::vector<Figure> FiguresOf(const domain::IndicatorCounts& day);

}  // namespace jobaid::analytics
