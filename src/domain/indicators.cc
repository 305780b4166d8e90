#include "domain/indicators.h"

namespace jobaid::domain {

IndicatorCounts& IndicatorCounts::operator+=(const IndicatorCounts& o) {
  persons += o.persons;
  households += o.households;
  laborers += o.laborers;
  with_intention += o.with_intention;
  employed += o.employed;
  employed_with_intention += o.employed_with_intention;
  employed_local += o.employed_local;
  employed_out_of_county += o.employed_out_of_county;
  employed_out_of_province += o.employed_out_of_province;
  transferred += o.transferred;
  organised += o.organised;
  stable += o.stable;
  households_with_laborers += o.households_with_laborers;
  zero_employment_households += o.zero_employment_households;
  relocated_laborers += o.relocated_laborers;
  relocated_employed += o.relocated_employed;
  relocated_households += o.relocated_households;
  relocated_households_employed += o.relocated_households_employed;
  income_households += o.income_households;
  income_work += o.income_work;
  income_total += o.income_total;
  out_migrants_year_end += o.out_migrants_year_end;
  return *this;
}

Place PlaceOf(int64_t home_code, int64_t work_code) {
  if (home_code / 10000000000 != work_code / 10000000000) return Place::kAway;
  if (home_code / 1000000 != work_code / 1000000) return Place::kProvince;
  if (home_code / 1000 != work_code / 1000) return Place::kCounty;
  return Place::kTownship;
}

Date YearsBefore(Date d, int years) {
  Date out = Date::FromCivil(d.year() - years, d.month(), d.day());
  return out.valid() ? out : Date::FromCivil(d.year() - years, d.month(), 28);
}

CountingDay::CountingDay(Date day)
    : as_of(day),
      born_by(YearsBefore(day, 16)),
      born_after(YearsBefore(day, 65)),
      income_year(day.year() - 1),
      year_end(Date::FromCivil(day.year() - 1, 12, 31)),
      year_end_born_by(YearsBefore(year_end, 16)),
      year_end_born_after(YearsBefore(year_end, 65)) {
  int y = day.year(), m = day.month();
  for (int i = 11; i >= 0; --i) {
    months[i] = Date::FromCivil(y, m, 1);
    if (--m == 0) m = 12, --y;
  }
}

}  // namespace jobaid::domain
