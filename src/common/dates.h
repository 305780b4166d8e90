// Calendar dates (proleptic Gregorian, no time zone) and the clock every service reads "now"
// from, so tests can fix it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid {

class Date {
 public:
  constexpr Date() = default;
  // `days` since 1970-01-01.
  static constexpr Date FromDays(int32_t days) {
    Date d;
    d.days_ = days;
    return d;
  }
  // Returns std::nullopt-like invalid Date (valid()==false) for impossible dates.
  static Date FromCivil(int year, int month, int day);
  // Accepts 2024-03-01, 2024/3/1, 20240301 and 2024年3月1日. InvalidArgument otherwise.
  static absl::StatusOr<Date> Parse(absl::string_view text);

  bool valid() const { return days_ != kInvalid; }
  int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  // ISO 8601, "2024-03-01".
  std::string ToString() const;
  // Whole years from this date (a birth date) to `on`.
  int AgeOn(Date on) const;
  Date AddDays(int n) const { return FromDays(days_ + n); }

  friend bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend auto operator<=>(Date a, Date b) { return a.days_ <=> b.days_; }

 private:
  static constexpr int32_t kInvalid = INT32_MIN;
  int32_t days_ = kInvalid;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

// The source of the current time. Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() const = 0;
  Date Today() const { return Date::FromDays(static_cast<int32_t>(NowMs() / 86400000)); }
  // "2024-03-01T08:00:00Z"
  std::string NowIso() const;
};

// The system's clock moved by a whole number of days: a server that runs as of another date
// (serve --today), for tests and demonstrations that depend on the date.
class ShiftedClock final : public Clock {
 public:
  // A clock on which today is `today` now, and which moves on from there.
  explicit ShiftedClock(Date today);
  int64_t NowMs() const override;

 private:
  int64_t shift_ms_ = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override;
  static const Clock& Get();
};

std::string FormatIsoMs(int64_t ms);

}  // namespace jobaid
