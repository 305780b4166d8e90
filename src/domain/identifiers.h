// Validators for the identifiers people and employers carry, after their published
// standards: the resident ID number (GB 11643-1999), the unified social credit code
// (GB 32100-2015) and mainland mobile numbers.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/dates.h"
#include "domain/region.h"

namespace jobaid::domain {

enum class Gender : uint8_t { kMale = 1, kFemale = 2 };
absl::string_view GenderCode(Gender g);  // "male" / "female"

struct IdNumberInfo {
  std::string normalized;  // 18 characters, a trailing x upper-cased
  Date birth_date;
  Gender gender = Gender::kMale;
  // Non-empty when the number is valid but its first six digits are not a current county
  // (counties are renamed and merged; people keep their numbers).
  std::string warning;
};

// The ISO 7064 MOD 11-2 check character of the first 17 digits.
char IdNumberCheckChar(absl::string_view first17);

// Validates a resident ID number against `regions` (the province must exist) and `today` (the
// birth date may not lie in the future). InvalidArgument with a message saying what is wrong.
absl::StatusOr<IdNumberInfo> ParseIdNumber(absl::string_view text, const RegionTable& regions,
                                           Date today);

// "431023********1234"
std::string MaskIdNumber(absl::string_view id_number);

// The GB 32100 check character of the first 17 characters, or '\0' if one is not in the
// code's alphabet.
char CreditCodeCheckChar(absl::string_view first17);
// Validates a unified social credit code; returns it upper-cased.
absl::StatusOr<std::string> ParseCreditCode(absl::string_view text);

// Accepts 13812345678, +86 138 1234 5678, 138-1234-5678; returns the 11 digits.
absl::StatusOr<std::string> ParseMobile(absl::string_view text);
// "138****5678"
std::string MaskPhone(absl::string_view phone);

}  // namespace jobaid::domain
