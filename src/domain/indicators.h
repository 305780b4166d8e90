// The tallies behind the indicators of docs/INDICATORS.md, as of one date for one block of region
// codes, and the rules that both the analytics engine (analytics::Register) and the store's SQL
// (Transaction::CountIndicators) follow to compute them, so the two agree exactly:
//
// - A person counts if they and their household are live. A laborer is aged 16-64 on the date
//   (born on or before the date 16 years back and after the date 65 years back; 29 February
//   falls back to the 28th) and able to work (work ability skilled, ordinary or weak).
// - A laborer is employed if a live spell covers the date (start <= date <= end, an open end
//   never ends). Where they work is the farthest of the covering spells' workplaces from home:
//   the home township, the home county, the home province, or another province.
// - Organised: a covering spell outside the home township was found by a transfer.
// - Stable: of the 12 calendar months ending with the date's month (that month up to the
//   date), a live spell covered at least one day of 6 or more.
// - Income: the household income recorded for the year before the date's year, of households
//   with laborers; work income is wage plus business income.
// - Out-migrants at the end of last year (for the going-out ratio): those who were laborers on
//   the last day of the year before the date's, and worked outside their home county that day
//   (home being where they live now).
#pragma once

#include <array>
#include <cstdint>

#include "common/dates.h"

namespace jobaid::domain {

struct IndicatorCounts {
  int64_t region = 0;  // the block's first code
  int64_t persons = 0;
  int64_t households = 0;  // with live members
  int64_t laborers = 0;
  int64_t with_intention = 0;  // laborers wishing to work
  int64_t employed = 0;        // employed laborers
  int64_t employed_with_intention = 0;
  int64_t employed_local = 0;            // in the home county
  int64_t employed_out_of_county = 0;    // in the home province, outside the county
  int64_t employed_out_of_province = 0;  // outside the home province
  int64_t transferred = 0;               // employed outside the home township
  int64_t organised = 0;                 // of those, found by a transfer
  int64_t stable = 0;                    // employed, and worked in 6 of the last 12 months
  int64_t households_with_laborers = 0;
  int64_t zero_employment_households = 0;  // with laborers, none employed
  int64_t relocated_laborers = 0;
  int64_t relocated_employed = 0;
  int64_t relocated_households = 0;           // relocated households with laborers
  int64_t relocated_households_employed = 0;  // of those, with a laborer employed
  int64_t income_households = 0;      // households with laborers and the year's income recorded
  int64_t income_work = 0;            // fen: wage and business income
  int64_t income_total = 0;           // fen: every source
  int64_t out_migrants_year_end = 0;  // on the last day of the year before

  // Employed laborers working outside their home county.
  int64_t out_migrants() const { return employed_out_of_county + employed_out_of_province; }
  IndicatorCounts& operator+=(const IndicatorCounts& o);
  friend bool operator==(const IndicatorCounts&, const IndicatorCounts&) = default;
};

// How far a workplace lies from home; the order matters (the farthest counts).
enum class Place : uint8_t {
  kTownship = 0,  // the home township
  kCounty = 1,    // the home county, another township
  kProvince = 2,  // the home province, another county
  kAway = 3,      // another province
};
Place PlaceOf(int64_t home_code, int64_t work_code);

// The date-dependent bounds of the rules above.
struct CountingDay {
  explicit CountingDay(Date as_of);
  Date as_of;
  Date born_by;     // a laborer is born on or before this day...
  Date born_after;  // ...and after this one
  // months[i] is the first day of the i-th of the 12 months ending with as_of's month
  // (months[11] is that month's first day).
  std::array<Date, 12> months;
  int income_year;
  Date year_end;  // the last day of the year before
  Date year_end_born_by, year_end_born_after;
};

// The date `years` whole years before `d` (29 February falls back to the 28th).
Date YearsBefore(Date d, int years);

}  // namespace jobaid::domain
