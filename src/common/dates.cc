#include "common/dates.h"

#include <chrono>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status.h"

namespace jobaid {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
int32_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void CivilFromDays(int32_t z, int& y, int& m, int& d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe) + era * 400 + (m <= 2);
}

}  // namespace

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

Date Date::FromCivil(int year, int month, int day) {
  if (year < 1800 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return Date();
  }
  return FromDays(DaysFromCivil(year, month, day));
}

absl::StatusOr<Date> Date::Parse(absl::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  std::string s(t);
  // Chinese form 2024年3月1日 -> 2024-3-1
  for (const std::string zh : {"年", "月"}) {
    for (size_t p; (p = s.find(zh)) != std::string::npos;) s.replace(p, zh.size(), "-");
  }
  if (absl::EndsWith(s, "日")) s.resize(s.size() - std::string("日").size());
  std::vector<absl::string_view> parts;
  if (s.size() == 8 && s.find_first_not_of("0123456789") == std::string::npos) {
    parts = {absl::string_view(s).substr(0, 4), absl::string_view(s).substr(4, 2),
             absl::string_view(s).substr(6, 2)};
  } else {
    char sep =
        s.find('/') != std::string::npos ? '/' : (s.find('.') != std::string::npos ? '.' : '-');
    parts = absl::StrSplit(s, sep);
  }
  int y, m, d;
  if (parts.size() != 3 || parts[0].size() != 4 || !absl::SimpleAtoi(parts[0], &y) ||
      !absl::SimpleAtoi(parts[1], &m) || !absl::SimpleAtoi(parts[2], &d)) {
    return Invalid(
        absl::StrFormat("\"%s\" is not a date; write it as YYYY-MM-DD, e.g. 2024-03-01", t),
        {"not_a_date", {{"value", std::string(t)}}});
  }
  Date date = FromCivil(y, m, d);
  if (!date.valid()) {
    return Invalid(absl::StrFormat("%s is not a real calendar date", t),
                   {"not_a_real_date", {{"value", std::string(t)}}});
  }
  return date;
}

int Date::year() const {
  int y, m, d;
  CivilFromDays(days_, y, m, d);
  return y;
}
int Date::month() const {
  int y, m, d;
  CivilFromDays(days_, y, m, d);
  return m;
}
int Date::day() const {
  int y, m, d;
  CivilFromDays(days_, y, m, d);
  return d;
}

std::string Date::ToString() const {
  if (!valid()) return "";
  int y, m, d;
  CivilFromDays(days_, y, m, d);
  return absl::StrFormat("%04d-%02d-%02d", y, m, d);
}

int Date::AgeOn(Date on) const {
  int y1, m1, d1, y2, m2, d2;
  CivilFromDays(days_, y1, m1, d1);
  CivilFromDays(on.days_, y2, m2, d2);
  int age = y2 - y1;
  if (m2 < m1 || (m2 == m1 && d2 < d1)) --age;
  return age;
}

std::string FormatIsoMs(int64_t ms) {
  Date d = Date::FromDays(static_cast<int32_t>(ms / 86400000));
  int64_t rem = ms % 86400000;
  return absl::StrFormat("%sT%02d:%02d:%02dZ", d.ToString(), rem / 3600000, rem / 60000 % 60,
                         rem / 1000 % 60);
}

std::string Clock::NowIso() const { return FormatIsoMs(NowMs()); }

int64_t SystemClock::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ShiftedClock::ShiftedClock(Date today)
    : shift_ms_(static_cast<int64_t>(today.days() - SystemClock::Get().Today().days()) * 86400000) {
}

int64_t ShiftedClock::NowMs() const { return SystemClock::Get().NowMs() + shift_ms_; }

const Clock& SystemClock::Get() {
  static const SystemClock* clock = new SystemClock;
  return *clock;
}

}  // namespace jobaid
