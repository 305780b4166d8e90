// SqlTx: region flags, targets, bulk loads, counts and the facts of the indicators.
#include "absl/strings/str_replace.h"
#include "storage/sql_tx_internal.h"

namespace jobaid::storage {
// queries/*.sql, embedded by the build.
extern const unsigned char kCountIndicatorsSql[], kMonthsWorkedSqliteSql[],
    kMonthsWorkedPostgresSql[];
extern const size_t kCountIndicatorsSqlSize, kMonthsWorkedSqliteSqlSize,
    kMonthsWorkedPostgresSqlSize;
}  // namespace jobaid::storage

namespace jobaid::storage::internal {
namespace {

absl::string_view Text(const unsigned char* bytes, size_t size) {
  return absl::string_view(reinterpret_cast<const char*>(bytes), size);
}

// count_indicators.sql with the dialect's months_worked_*.sql in its place.
const std::string& CountIndicatorsSql(Dialect d) {
  static const std::string* const kSqlite = new std::string(absl::StrReplaceAll(
      Text(kCountIndicatorsSql, kCountIndicatorsSqlSize),
      {{"{months_worked}", Text(kMonthsWorkedSqliteSql, kMonthsWorkedSqliteSqlSize)}}));
  static const std::string* const kPostgres = new std::string(absl::StrReplaceAll(
      Text(kCountIndicatorsSql, kCountIndicatorsSqlSize),
      {{"{months_worked}", Text(kMonthsWorkedPostgresSql, kMonthsWorkedPostgresSqlSize)}}));
  return d == Dialect::kPostgres ? *kPostgres : *kSqlite;
}

}  // namespace

absl::StatusOr<domain::RegionFlags> SqlTx::GetRegionFlags(int64_t code) {
  JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("SELECT key_county, poverty_village, "
                                            "relocation_site, created_at, updated_at, version "
                                            "FROM region_flag WHERE region_code = ?"));
  st->Bind(code);
  domain::RegionFlags f;
  f.region_code = code;
  JA_ASSIGN_OR_RETURN(bool row, st->Step());
  if (row) ReadFlags(*st, f);
  return f;
}

absl::Status SqlTx::PutRegionFlags(domain::RegionFlags& f) {
  int64_t now = clock_.NowMs();
  if (f.meta.version == 0) {
    JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("INSERT INTO region_flag (region_code, "
                                              "key_county, poverty_village, relocation_site, "
                                              "created_at, updated_at, version) "
                                              "VALUES (?,?,?,?,?,?,1)"));
    st->Bind(f.region_code)
        .Bind(int64_t{f.key_county})
        .Bind(int64_t{f.poverty_village})
        .Bind(int64_t{f.relocation_site})
        .Bind(now)
        .Bind(now);
    absl::Status s = st->Run();
    if (absl::IsAlreadyExists(s)) {
      return absl::AbortedError("the region's flags were set by someone else meanwhile; reload");
    }
    JA_RETURN_IF_ERROR(s);
    f.meta.created_at = now;
  } else {
    JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("UPDATE region_flag SET key_county=?, "
                                              "poverty_village=?, relocation_site=?, "
                                              "updated_at=?, version=version+1 "
                                              "WHERE region_code=? AND version=?"));
    st->Bind(int64_t{f.key_county})
        .Bind(int64_t{f.poverty_village})
        .Bind(int64_t{f.relocation_site})
        .Bind(now)
        .Bind(f.region_code)
        .Bind(f.meta.version);
    JA_RETURN_IF_ERROR(st->Run());
    if (c_.Changes() == 0) {
      return absl::AbortedError("the region's flags were changed by someone else; reload");
    }
  }
  f.meta.updated_at = now;
  ++f.meta.version;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<domain::RegionFlags>> SqlTx::ListRegionFlags(RegionRange range) {
  JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("SELECT key_county, poverty_village, "
                                            "relocation_site, created_at, updated_at, version, "
                                            "region_code FROM region_flag WHERE region_code >= ? "
                                            "AND region_code < ? AND (key_county <> 0 OR "
                                            "poverty_village <> 0 OR relocation_site <> 0) "
                                            "ORDER BY region_code"));
  st->Bind(range.lo).Bind(range.hi);
  std::vector<domain::RegionFlags> out;
  for (;;) {
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    domain::RegionFlags f;
    f.region_code = st->Int(6);
    ReadFlags(*st, f);
    out.push_back(f);
  }
  return out;
}

absl::Status SqlTx::EndBulkLoad() {
  bulk_ = bulk_new_rows_ = false;
  recent_persons_.clear();
  absl::Status s = c_.EndBulkInsert();
  for (const SetAside& a : set_aside_) {
    if (!s.ok()) break;
    s = c_.Exec(a.make);
    if (!s.ok()) {
      s = absl::Status(s.code(), absl::StrCat("making ", a.name, " again: ", s.message()));
    }
  }
  set_aside_.clear();
  return s;
}

// The query lives in queries/count_indicators.sql (compiled in), which lists its parameters;
// the months worked are counted as the dialect can (queries/months_worked_*.sql).
absl::StatusOr<std::vector<domain::IndicatorCounts>> SqlTx::CountIndicators(RegionRange r,
                                                                            int64_t unit,
                                                                            Date as_of) {
  domain::CountingDay day(as_of);
  JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare(CountIndicatorsSql(dialect_)));
  std::string day_text = as_of.ToString();
  for (int k = 0; k < 12; ++k) {
    Date last = k == 11 ? as_of : day.months[k + 1].AddDays(-1);
    st->Bind(day.months[k].ToString()).Bind(last.ToString());
  }
  st->Bind(unit).Bind(unit).Bind(day.born_by.ToString()).Bind(day.born_after.ToString());
  st->Bind(day.year_end_born_by.ToString()).Bind(day.year_end_born_after.ToString());
  st->Bind(r.lo).Bind(r.hi);
  st->Bind(day_text).Bind(day_text);
  std::string year_end = day.year_end.ToString();
  st->Bind(year_end).Bind(year_end);
  st->Bind(static_cast<int64_t>(day.income_year));
  std::vector<domain::IndicatorCounts> out;
  for (;;) {
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    domain::IndicatorCounts& c = out.emplace_back();
    int col = 0;
    for (int64_t* f : {&c.region,
                       &c.persons,
                       &c.households,
                       &c.laborers,
                       &c.with_intention,
                       &c.employed,
                       &c.employed_with_intention,
                       &c.employed_local,
                       &c.employed_out_of_county,
                       &c.employed_out_of_province,
                       &c.transferred,
                       &c.organised,
                       &c.stable,
                       &c.households_with_laborers,
                       &c.zero_employment_households,
                       &c.relocated_laborers,
                       &c.relocated_employed,
                       &c.relocated_households,
                       &c.relocated_households_employed,
                       &c.income_households,
                       &c.income_work,
                       &c.income_total,
                       &c.out_migrants_year_end}) {
      *f = st->Int(col++);
    }
  }
  return out;
}

absl::StatusOr<RegisterCounts> SqlTx::CountRegister(RegionRange r) {
  RegisterCounts c;
  auto count = [&](const std::string& sql, int64_t& out) -> absl::Status {
    JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare(sql));
    st->Bind(r.lo).Bind(r.hi);
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    out = row ? st->Int(0) : 0;
    return st->Run();
  };
  JA_RETURN_IF_ERROR(
      count("SELECT COUNT(*) FROM household WHERE deleted_at = 0 AND "
            "region_code >= ? AND region_code < ?",
            c.households));
  JA_RETURN_IF_ERROR(
      count("SELECT COUNT(*) FROM person WHERE deleted_at = 0 AND "
            "region_code >= ? AND region_code < ?",
            c.persons));
  JA_RETURN_IF_ERROR(
      count("SELECT COUNT(*) FROM employer WHERE deleted_at = 0 AND "
            "region_code >= ? AND region_code < ?",
            c.employers));
  JA_RETURN_IF_ERROR(
      count("SELECT COUNT(*) FROM job WHERE deleted_at = 0 AND status = 'open' "
            "AND region_code >= ? AND region_code < ?",
            c.jobs_open));
  JA_RETURN_IF_ERROR(
      count("SELECT COALESCE(SUM(openings), 0) FROM job WHERE deleted_at = 0 "
            "AND status = 'open' AND region_code >= ? AND region_code < ?",
            c.openings));
  return c;
}

absl::Status SqlTx::ScanFacts(const storage::FactFilter& f, storage::FactSink& sink) {
  // Every query selects the columns of ReadFact.
  static constexpr absl::string_view kHousehold =
      "0, h.id, h.region_code, CASE WHEN h.poverty_type = 'relocated' THEN 1 ELSE 0 END, 0, 0, "
      "'', ''";
  static constexpr absl::string_view kPerson =
      "1, p.id, p.household_id, CASE WHEN p.work_ability IN ('skilled', 'ordinary', 'weak') "
      "THEN 1 ELSE 0 END, CASE WHEN p.intention NOT IN ('none', '') THEN 1 ELSE 0 END, 0, "
      "CAST(p.birth_date AS TEXT), ''";
  static constexpr absl::string_view kSpell =
      "2, e.person_id, e.region_code, CASE WHEN e.how_found = 'transfer' THEN 1 ELSE 0 END, 0, "
      "e.id, CAST(e.start_date AS TEXT), COALESCE(CAST(e.end_date AS TEXT), '')";
  static constexpr absl::string_view kIncome =
      "3, i.household_id, i.year, i.wage + i.business, i.wage + i.business + i.property + "
      "i.transfer, 0, '', ''";
  static constexpr absl::string_view kFromHousehold = " FROM household h WHERE h.deleted_at = 0";
  static constexpr absl::string_view kFromPerson =
      " FROM person p JOIN household h ON h.id = p.household_id WHERE p.deleted_at = 0 AND "
      "h.deleted_at = 0";
  static constexpr absl::string_view kFromSpell =
      " FROM employment e JOIN person p ON p.id = e.person_id JOIN household h ON h.id = "
      "p.household_id WHERE e.deleted_at = 0 AND p.deleted_at = 0 AND h.deleted_at = 0";
  static constexpr absl::string_view kFromIncome =
      " FROM household_income i JOIN household h ON h.id = i.household_id WHERE "
      "h.deleted_at = 0";
  auto read = [&](const Stmt& st) { return ReadFact(st, sink); };
  if (f.household_id != 0) {
    // One household in one query (one round trip to a server), its kinds told apart by the
    // first column and ordered as a range's.
    JA_ASSIGN_OR_RETURN(
        Stmt * st, c_.Prepare(absl::StrCat(
                       "SELECT ", kHousehold, kFromHousehold, " AND h.id = ? ", "UNION ALL SELECT ",
                       kPerson, kFromPerson, " AND p.household_id = ? UNION ALL SELECT ", kSpell,
                       kFromSpell, " AND p.household_id = ? UNION ALL SELECT ", kIncome,
                       kFromIncome, " AND h.id = ? ORDER BY 1, 2, 7, 6, 3")));
    st->Bind(f.household_id).Bind(f.household_id).Bind(f.household_id).Bind(f.household_id);
    for (;;) {
      JA_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) return absl::OkStatus();
      JA_RETURN_IF_ERROR(read(*st));
    }
  }
  // A range: persons, spells and incomes ordered by the person's region code, which is always
  // their household's.
  static constexpr absl::string_view kInH = " AND h.region_code >= ? AND h.region_code < ?";
  static constexpr absl::string_view kInP = " AND p.region_code >= ? AND p.region_code < ?";
  JA_RETURN_IF_ERROR(ForEachRangeRow(
      absl::StrCat("SELECT ", kHousehold, kFromHousehold, kInH, " ORDER BY h.region_code, h.id"),
      f.range, read));
  JA_RETURN_IF_ERROR(ForEachRangeRow(absl::StrCat("SELECT ", kPerson, kFromPerson, kInP,
                                                  " ORDER BY p.region_code, p.household_id, p.id"),
                                     f.range, read));
  JA_RETURN_IF_ERROR(ForEachRangeRow(
      absl::StrCat("SELECT ", kSpell, kFromSpell, kInP,
                   " ORDER BY p.region_code, p.household_id, p.id, e.start_date, e.id"),
      f.range, read));
  return ForEachRangeRow(
      absl::StrCat("SELECT ", kIncome, kFromIncome, kInH, " ORDER BY h.region_code, h.id, i.year"),
      f.range, read);
}

}  // namespace jobaid::storage::internal
