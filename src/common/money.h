// Money is integer fen (1/100 yuan) everywhere; these convert to and from the yuan that people
// write in spreadsheets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid {

// Parses "3500", "3,500.5", "3500.00元", "￥3500" as yuan into fen. InvalidArgument for anything
// else, negative amounts, more than two decimals, or more than 10^12 yuan.
absl::StatusOr<int64_t> ParseYuan(absl::string_view text);

// 350050 -> "3500.50"
std::string FormatYuan(int64_t fen);

}  // namespace jobaid
