#include "common/money.h"

#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace jobaid {

absl::StatusOr<int64_t> ParseYuan(absl::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  absl::ConsumePrefix(&t, "￥");
  absl::ConsumePrefix(&t, "¥");
  absl::ConsumeSuffix(&t, "元");
  t = absl::StripAsciiWhitespace(t);
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrFormat("\"%s\" is not an amount in yuan; write e.g. 3500 or 3500.50", text));
  };
  if (t.empty()) return bad();
  int64_t yuan = 0, fen = 0;
  int decimals = -1, digits = 0;
  for (char c : t) {
    if (c == ',' && decimals < 0) continue;
    if (c == '.' && decimals < 0) {
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return bad();
    if (decimals < 0) {
      if (++digits > 12) return bad();
      yuan = yuan * 10 + (c - '0');
    } else {
      if (++decimals > 2) return bad();
      fen = fen * 10 + (c - '0');
    }
  }
  if (digits == 0) return bad();
  if (decimals == 1) fen *= 10;
  return yuan * 100 + fen;
}

std::string FormatYuan(int64_t fen) {
  return absl::StrFormat("%s%d.%02d", fen < 0 ? "-" : "", (fen < 0 ? -fen : fen) / 100,
                         (fen < 0 ? -fen : fen) % 100);
}

}  // namespace jobaid
