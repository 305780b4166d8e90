#include "service/import_service.h"

#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <tuple>
#include <variant>

#include "absl/cleanup/cleanup.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "analytics/indicators.h"
#include "common/money.h"
#include "common/status.h"
#include "domain/identifiers.h"
#include "io/csv.h"
#include "service/employment_service.h"
#include "service/entity_traits.h"

namespace jobaid::service {
namespace {

using domain::RegionLevel;
using io::CellKind;
using io::Column;
using io::EntityKind;

auth::Resource ResourceOf(EntityKind k) {
  switch (k) {
    case EntityKind::kPersons:
      return auth::Resource::kPerson;
    case EntityKind::kHouseholds:
      return auth::Resource::kHousehold;
    case EntityKind::kEmployers:
      return auth::Resource::kEmployer;
    case EntityKind::kJobs:
      return auth::Resource::kJob;
    case EntityKind::kRegionFlags:
      return auth::Resource::kRegionFlags;
    case EntityKind::kEmployment:
      return auth::Resource::kPerson;  // a spell is part of the person's record
    case EntityKind::kHouseholdIncome:
      return auth::Resource::kHousehold;
    case EntityKind::kTargets:
      return auth::Resource::kRegionFlags;  // the officers' and administrators'
  }
  return auth::Resource::kPerson;
}

// The tables a large import of `kind` fills, and how many rows the first held before.
struct LoadTarget {
  std::vector<std::string> tables;
  int64_t existing = 0;
};
LoadTarget TargetOf(EntityKind kind, const storage::RegisterCounts& c) {
  switch (kind) {
    case EntityKind::kPersons:
      return {{"person", "household"}, c.persons};  // households are made on the way
    case EntityKind::kHouseholds:
      return {{"household"}, c.households};
    case EntityKind::kEmployers:
      return {{"employer"}, c.employers};
    case EntityKind::kJobs:
      return {{"job"}, c.jobs_open};
    case EntityKind::kRegionFlags:
    case EntityKind::kEmployment:
    case EntityKind::kHouseholdIncome:
    case EntityKind::kTargets:
      return {};
  }
  return {};
}

// A row of region flags: the region and the flags the file sets (unset ones keep their value).
struct FlagsRow {
  domain::Region region;
  std::optional<bool> key_county, poverty_village, relocation_site;
};

// One row after the checks that need no store: its fields, the entity read from them, and
// every problem found so far. Made on the reading thread, applied in order on the writing one.
struct Prepared {
  int row = 0;
  Fields f;
  std::vector<RowError> errors;
  std::vector<std::string> warnings;
  // The entity the row describes: one of Household, Person, Employer, Job.
  std::variant<std::monostate, Household, Person, Employer, Job, FlagsRow, domain::Employment,
               domain::HouseholdIncome, domain::Target>
      entity;
  Household& h() { return std::get<Household>(entity); }
  Person& p() { return std::get<Person>(entity); }
  Employer& e() { return std::get<Employer>(entity); }
  Job& j() { return std::get<Job>(entity); }
  domain::Employment& spell() { return std::get<domain::Employment>(entity); }
  std::string head_id;  // persons: the householder's normalized ID number; spells: the person's
  std::string head_raw;
  int64_t village = 0;
  std::string poverty;
  std::string credit_code;    // jobs, spells: the employer's
  storage::SealedPii sealed;  // persons, households: their ID and phone numbers, sealed

  // Empties the row for reuse, keeping what memory its containers hold.
  void Clear() {
    row = 0;
    f.clear();
    errors.clear();
    warnings.clear();
    entity.emplace<std::monostate>();
    head_id.clear();
    head_raw.clear();
    village = 0;
    poverty.clear();
    credit_code.clear();
    sealed.id_sealed.clear();
    sealed.id_hash.clear();
    sealed.phone_sealed.clear();
  }
};

// One import run: the file's columns, caches and the report being built. Prepare() may run on
// another thread than Apply(), but each is only ever called from one thread.
class Importer {
 public:
  Importer(const Context& ctx, const Actor& a, EntityKind kind, ImportReport& report)
      : ctx_(ctx),
        a_(a),
        kind_(kind),
        cols_(io::ColumnsFor(kind)),
        report_(report),
        vc_(ctx.Validation()) {}

  absl::Status SetHeader(const std::vector<std::string>& header) {
    header_ = header;
    JA_ASSIGN_OR_RETURN(mapping_, io::MatchHeader(kind_, header));
    for (size_t i = 0; i < header.size(); ++i) {
      if (!mapping_[i] && !absl::StripAsciiWhitespace(header[i]).empty()) {
        report_.warnings.push_back(absl::StrCat("column ", i + 1, " \"", header[i],
                                                "\" is not one JobAid knows; it was ignored"));
      }
    }
    return absl::OkStatus();
  }

  // The checks of one row that need no store, and the sealing of its personal values.
  void Prepare(const std::vector<std::string>& cells, int row, Prepared& out) {
    Check(cells, row, out);
    if (!out.errors.empty() || !FirstInFile(out)) return;
    if (const Person* x = std::get_if<Person>(&out.entity)) {
      ctx_.store.SealAhead(x->id_number, x->phone, &out.sealed);
    } else if (const Household* x = std::get_if<Household>(&out.entity)) {
      ctx_.store.SealAhead(x->head_id_number, x->phone, &out.sealed);
    }
  }

  // The checks of one row that need no store.
  void Check(const std::vector<std::string>& cells, int row, Prepared& out) {
    out.row = row;
    out.f.reserve(mapping_.size());
    for (size_t i = 0; i < cells.size() && i < mapping_.size(); ++i) {
      if (!mapping_[i]) continue;
      const Column& col = cols_[*mapping_[i]];
      std::string value(absl::StripAsciiWhitespace(cells[i]));
      if (value.empty() || col.kind == CellKind::kInfo) continue;
      if (col.kind == CellKind::kYuan) {
        auto fen = ParseYuan(value);
        if (!fen.ok()) {
          AddError(out.errors, row, col.key, value, std::string(fen.status().message()));
          continue;
        }
        value = absl::StrCat(*fen);
      } else if (col.kind == CellKind::kRegion) {
        auto code = ResolveRegion(value, col.key);
        if (!code.ok()) {
          AddError(out.errors, row, col.key, value, std::string(code.status().message()));
          continue;
        }
        value = *code;
      }
      out.f[col.key] = std::move(value);
    }
    FieldReader r(out.f, vc_);
    switch (kind_) {
      case EntityKind::kHouseholds:
        domain::ReadHousehold(r, out.entity.emplace<Household>());
        break;
      case EntityKind::kPersons: {
        out.warnings = domain::ReadPerson(r, out.entity.emplace<Person>());
        ReadIdNumber(r, "head_id_number", out);
        out.village = r.Region("region_code", false, RegionLevel::kVillage);
        out.poverty = r.Code("poverty_type", domain::PovertyTypes(), false);
        break;
      }
      case EntityKind::kEmployers:
        domain::ReadEmployer(r, out.entity.emplace<Employer>());
        break;
      case EntityKind::kRegionFlags: {
        FlagsRow& fr = out.entity.emplace<FlagsRow>();
        int64_t code = r.Region("region_code", true, RegionLevel::kProvince);
        if (code != 0) {
          auto region = ctx_.regions.Lookup(out.f.at("region_code"));
          if (region.ok()) fr.region = *region;
        }
        for (auto [key, slot] : {std::pair{"key_county", &fr.key_county},
                                 {"poverty_village", &fr.poverty_village},
                                 {"relocation_site", &fr.relocation_site}}) {
          if (r.Has(key)) *slot = r.Bool(key, false);
        }
        break;
      }
      case EntityKind::kEmployment: {
        domain::ReadEmployment(r, out.entity.emplace<domain::Employment>());
        ReadIdNumber(r, "id_number", out);
        if (auto it = out.f.find("employer_credit_code"); it != out.f.end()) {
          auto parsed = domain::ParseCreditCode(it->second);
          if (!parsed.ok()) {
            r.Add("employer_credit_code", it->second, std::string(parsed.status().message()));
          } else {
            out.credit_code = *parsed;
          }
        }
        break;
      }
      case EntityKind::kTargets: {
        domain::Target& t = out.entity.emplace<domain::Target>();
        std::string key = At(out.f, "indicator");
        const analytics::IndicatorDef* def = analytics::FindIndicator(key);
        for (const analytics::IndicatorDef& d : analytics::Indicators()) {
          if (def == nullptr && (d.zh == key || d.en == key)) def = &d;
        }
        if (def == nullptr) {
          r.Add("indicator", key,
                "not an indicator; use a key of /indicators/definitions or "
                "its Chinese heading, as 务工就业规模");
        } else {
          t.indicator = std::string(def->key);
        }
        std::string code = At(out.f, "region_code");
        if (code != "0") {
          auto region = vc_.regions->Lookup(code);
          if (!region.ok()) {
            r.Add("region_code", code, std::string(region.status().message()));
          } else {
            t.region_code = region->code;
          }
        }
        t.year = static_cast<int>(r.Int("year", true, 2000, vc_.today.year() + 5, 0));
        std::string text = At(out.f, "value");
        double v = 0;
        if (!absl::SimpleAtod(text, &v) || !std::isfinite(v) || v < 0 ||
            (def != nullptr && def->kind == analytics::FigureKind::kCount && v != std::floor(v)) ||
            (def != nullptr && def->kind == analytics::FigureKind::kRate && v > 1000)) {
          r.Add("value", text,
                "give the target as a whole number of people or households, or a rate in "
                "percent (80 for 80 %)");
        } else {
          t.value = def != nullptr && def->kind == analytics::FigureKind::kRate ? v / 100 : v;
        }
        break;
      }
      case EntityKind::kHouseholdIncome: {
        domain::HouseholdIncome& i = out.entity.emplace<domain::HouseholdIncome>();
        ReadIdNumber(r, "head_id_number", out);
        i.year = static_cast<int>(r.Int("year", true, 2000, vc_.today.year(), 0));
        i.wage = r.Fen("wage", false);
        i.business = r.Fen("business", false);
        i.property = r.Fen("property", false);
        i.transfer = r.Fen("transfer", false);
        break;
      }
      case EntityKind::kJobs: {
        std::string code;
        if (auto it = out.f.find("employer_credit_code"); it != out.f.end()) {
          code = it->second;
          out.f.erase(it);
        }
        FieldReader jr(out.f, vc_);
        domain::ReadJob(jr, out.entity.emplace<Job>());
        auto parsed = domain::ParseCreditCode(code);
        if (!parsed.ok()) {
          jr.Add("employer_credit_code", code, std::string(parsed.status().message()));
        } else {
          out.credit_code = *parsed;
        }
        for (const auto& i : jr.issues()) AddError(out.errors, row, i.field, i.value, i.message);
        return;
      }
    }
    for (const auto& i : r.issues()) AddError(out.errors, row, i.field, i.value, i.message);
  }

  // The required ID number in column `key`: as written into out.head_raw, normalized into
  // out.head_id once it checks (persons: the householder's; spells: the person's; income: the
  // householder's).
  void ReadIdNumber(FieldReader& r, absl::string_view key, Prepared& out) {
    out.head_raw = r.Text(key, true, 18);
    if (out.head_raw.empty()) return;
    auto info = domain::ParseIdNumber(out.head_raw, ctx_.regions, vc_.today);
    if (!info.ok()) {
      r.Add(key, out.head_raw, std::string(info.status().message()));
    } else {
      out.head_id = info->normalized;
    }
  }

  // False, with an error on the row, if an earlier good row of the file has the same key.
  bool FirstInFile(Prepared& out) {
    std::string key;
    absl::string_view field, value;
    if (const Person* x = std::get_if<Person>(&out.entity)) {
      key = x->id_number, field = "id_number", value = x->id_number;
    } else if (const Household* x = std::get_if<Household>(&out.entity)) {
      key = x->head_id_number, field = "head_id_number", value = x->head_id_number;
    } else if (const Employer* x = std::get_if<Employer>(&out.entity)) {
      key = x->credit_code, field = "credit_code", value = x->credit_code;
    } else if (const Job* x = std::get_if<Job>(&out.entity)) {
      key = absl::StrCat(out.credit_code, "/", x->title), field = "title", value = x->title;
    } else if (const auto* x = std::get_if<domain::Employment>(&out.entity)) {
      // A person's spell is known by its start.
      key = absl::StrCat(out.head_id, "/", x->start_date.ToString());
      field = "start_date", value = At(out.f, "start_date");
    } else if (const auto* x = std::get_if<domain::HouseholdIncome>(&out.entity)) {
      key = absl::StrCat(out.head_id, "/", x->year);
      field = "year", value = At(out.f, "year");
    } else if (const auto* x = std::get_if<domain::Target>(&out.entity)) {
      key = absl::StrCat(x->indicator, "/", x->region_code, "/", x->year);
      field = "indicator", value = At(out.f, "indicator");
    } else if (const FlagsRow* x = std::get_if<FlagsRow>(&out.entity)) {
      key = absl::StrCat(x->region.code, "/", static_cast<int>(x->region.level));
      field = "region_code", value = At(out.f, "region_code");
    }
    auto [it, inserted] = seen_.emplace(std::move(key), out.row);
    if (!inserted) {
      AddError(out.errors, out.row, field, value,
               absl::StrCat("the same value is on row ", it->second, " of this file"));
    }
    return inserted;
  }

  // Reports the row's problems, or writes it in `tx`.
  absl::Status Apply(Transaction& tx, Prepared& in) {
    row_ = in.row;
    size_t errors_before = report_.errors.size();
    for (auto& e : in.errors) report_.errors.push_back(std::move(e));
    absl::Status s;
    if (in.errors.empty()) {
      switch (kind_) {
        case EntityKind::kPersons:
          s = PersonRow(tx, in);
          break;
        case EntityKind::kHouseholds:
          s = HouseholdRow(tx, in);
          break;
        case EntityKind::kEmployers:
          s = EmployerRow(tx, in);
          break;
        case EntityKind::kJobs:
          s = JobRow(tx, in);
          break;
        case EntityKind::kRegionFlags:
          s = FlagsRowApply(tx, in);
          break;
        case EntityKind::kEmployment:
          s = SpellRow(tx, in);
          break;
        case EntityKind::kHouseholdIncome:
          s = IncomeRow(tx, in);
          break;
        case EntityKind::kTargets:
          s = TargetRow(tx, in);
          break;
      }
    }
    if (report_.errors.size() > errors_before) ++report_.invalid;
    return s;
  }

 private:
  void AddError(std::vector<RowError>& out, int row, absl::string_view field,
                absl::string_view value, std::string message) const {
    RowError e;
    e.row = row;
    e.field = std::string(field);
    e.column = ColumnName(field);
    e.value = std::string(value);
    e.message = std::move(message);
    out.push_back(std::move(e));
  }
  void Error(absl::string_view field, absl::string_view value, std::string message) {
    AddError(report_.errors, row_, field, value, std::move(message));
  }

  std::string ColumnName(absl::string_view field) const {
    for (size_t i = 0; i < mapping_.size(); ++i) {
      if (mapping_[i] && cols_[*mapping_[i]].key == field) return header_[i];
    }
    for (const Column& c : cols_) {
      if (c.key == field) return std::string(c.zh);
    }
    return std::string(field);
  }

  bool Collect(const FieldReader& r) {
    for (const auto& i : r.issues()) Error(i.field, i.value, i.message);
    return r.ok();
  }

  static const std::string& At(const Fields& f, const char* key) {
    static const std::string kEmpty;
    auto it = f.find(key);
    return it == f.end() ? kEmpty : it->second;
  }

  // Digits are a code; a name is looked up among the regions of the importer's scope.
  absl::StatusOr<std::string> ResolveRegion(const std::string& value, absl::string_view key) {
    if (value.find_first_not_of("0123456789") == std::string::npos) return value;
    auto it = region_names_.find(value);
    if (it != region_names_.end()) return it->second;
    bool village =
        key == "region_code" && (kind_ == EntityKind::kPersons || kind_ == EntityKind::kHouseholds);
    std::vector<domain::Region> found;
    if (village) {
      found = ctx_.regions.FindByName(value, a_.scope, RegionLevel::kVillage);
    } else {
      for (RegionLevel l : {RegionLevel::kCounty, RegionLevel::kTownship, RegionLevel::kVillage,
                            RegionLevel::kPrefecture, RegionLevel::kProvince}) {
        found = ctx_.regions.FindByName(
            value,
            key == "intention_region" || kind_ == EntityKind::kEmployment ? domain::RegionRange{}
                                                                          : a_.scope,
            l);
        if (!found.empty()) break;
      }
    }
    if (found.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("no ", village ? "village" : "region", " named \"", value,
                       "\" in your region; write its 12-digit code instead"));
    }
    if (found.size() > 1) {
      std::vector<std::string> options;
      for (size_t i = 0; i < found.size() && i < 5; ++i) {
        options.push_back(absl::StrCat(domain::FormatRegionCode(found[i].code), " ",
                                       ctx_.regions.PathName(found[i].code)));
      }
      return absl::InvalidArgumentError(
          absl::StrCat(found.size(), " regions are named \"", value,
                       "\"; write the code of the one you mean: ", absl::StrJoin(options, "; ")));
    }
    std::string code = domain::FormatRegionCode(found.front().code);
    region_names_[value] = code;
    return code;
  }

  // In-file duplicates: the same key on two rows is an error on the second.

  template <typename T>
  bool NotDeleted(const T& existing, absl::string_view field, absl::string_view value) {
    if (!existing.meta.deleted()) return true;
    Error(field, value,
          absl::StrCat("this record was deleted (", existing.meta.delete_reason,
                       "); restore it before importing it again"));
    return false;
  }

  bool InScope(int64_t region, absl::string_view field, absl::string_view value) {
    if (a_.InScope(region)) return true;
    Error(field, value, absl::StrCat(ctx_.regions.PathName(region), " lies outside your region"));
    return false;
  }

  // Counts the outcome of writing `s` and turns a store conflict into a row error.
  absl::Status Count(absl::Status s, int64_t& counter, absl::string_view field) {
    if (s.ok()) {
      ++counter;
      return s;
    }
    // A conflict with another transaction is the whole import's, to run again, not this row's.
    if (storage::IsRetryableConflict(s)) return s;
    if (absl::IsAlreadyExists(s) || absl::IsFailedPrecondition(s) || absl::IsAborted(s)) {
      Error(field, "", std::string(s.message()));
      return absl::OkStatus();
    }
    return s;
  }

  // What a member's row needs of its household.
  struct HouseholdRef {
    HouseholdId id;
    int64_t region_code = 0;
    bool deleted = false;
  };
  void Remember(const Household& h) {
    households_[h.head_id_number] = {h.id, h.region_code, h.meta.deleted()};
  }

  absl::StatusOr<std::optional<HouseholdRef>> HouseholdByHead(Transaction& tx,
                                                              const std::string& id) {
    auto it = households_.find(id);
    if (it != households_.end()) return it->second;
    // Every household made by this import is in the cache; none existed before it.
    if (no_households_before_) return std::nullopt;
    JA_ASSIGN_OR_RETURN(auto h, tx.FindHouseholdByHead(id));
    if (!h) return std::nullopt;
    Remember(*h);
    return households_[id];
  }

  absl::Status HouseholdRow(Transaction& tx, Prepared& in) {
    const Fields& f = in.f;
    Household& h = in.h();
    if (!InScope(h.region_code, "region_code", At(f, "region_code"))) return absl::OkStatus();
    std::optional<Household> existing;
    if (!no_households_before_) {
      JA_ASSIGN_OR_RETURN(existing, tx.FindHouseholdByHead(h.head_id_number));
    }
    if (!existing)
      return Count(tx.InsertHousehold(h, &in.sealed), report_.inserted, "head_id_number");
    if (!NotDeleted(*existing, "head_id_number", h.head_id_number)) return absl::OkStatus();
    if (!InScope(existing->region_code, "head_id_number", h.head_id_number))
      return absl::OkStatus();
    return MergeInto(tx, *existing, f, "head_id_number", [](Household&) {}).status();
  }

  // Lays the file's columns over `existing` (columns the file lacks keep their stored values),
  // lets `fixup` set what the file does not carry, and writes the result if anything changed.
  // Returns the written record; nullopt if it was unchanged or the row had errors.
  template <typename T, typename Fixup>
  absl::StatusOr<std::optional<T>> MergeInto(Transaction& tx, const T& existing, const Fields& f,
                                             absl::string_view key, Fixup fixup) {
    using Tr = EntityTraits<T>;
    Fields before = Tr::ToFields(existing);
    Fields merged = before;
    for (const auto& [k, v] : f) merged[k] = v;
    FieldReader r(merged, vc_);
    T next = existing;
    Tr::Read(r, next);
    if (!Collect(r)) return std::nullopt;
    fixup(next);
    if (Tr::ToFields(next) == before && Tr::SameLinks(next, existing)) {
      ++report_.unchanged;
      return std::nullopt;
    }
    absl::Status s = Tr::Update(tx, next);
    JA_RETURN_IF_ERROR(Count(s, report_.updated, key));
    if (!s.ok()) return std::nullopt;
    return next;
  }

  absl::Status PersonRow(Transaction& tx, Prepared& in) {
    const Fields& f = in.f;
    Person& p = in.p();
    const std::string& head = in.head_raw;
    const std::string& head_id = in.head_id;
    int64_t village = in.village;
    const std::string& poverty = in.poverty;
    for (auto& w : in.warnings) report_.warnings.push_back(absl::StrCat("row ", row_, ": ", w));

    JA_ASSIGN_OR_RETURN(auto household, HouseholdByHead(tx, head_id));
    if (!household) {
      if (head_id != p.id_number) {
        Error("head_id_number", head,
              "no household has this householder; import the households first, or put the "
              "householder's own row before the members' rows");
        return absl::OkStatus();
      }
      if (village == 0 || poverty.empty()) {
        Error(village == 0 ? "region_code" : "poverty_type", "",
              "a new household needs 所在村 and 户类型 on the householder's row");
        return absl::OkStatus();
      }
      if (!InScope(village, "region_code", At(f, "region_code"))) return absl::OkStatus();
      Household h;
      h.region_code = village;
      h.head_name = p.name;
      h.head_id_number = head_id;
      h.poverty_type = poverty;
      h.status = "lifted";
      h.phone = p.phone;
      JA_RETURN_IF_ERROR(tx.InsertHousehold(h, &in.sealed));
      Remember(h);
      household = households_[head_id];
    } else if (village != 0 && village != household->region_code) {
      Error("region_code", At(f, "region_code"),
            absl::StrCat("the household of this householder lives in ",
                         ctx_.regions.PathName(household->region_code),
                         "; move the household itself to change its village"));
      return absl::OkStatus();
    }
    if (household->deleted) {
      Error("head_id_number", head, "the household was deleted; restore it first");
      return absl::OkStatus();
    }
    if (!InScope(household->region_code, "head_id_number", head)) return absl::OkStatus();
    p.household_id = household->id;
    p.region_code = household->region_code;
    if (p.id_number == head_id) p.relation = "head";

    std::optional<Person> existing;
    if (!no_persons_before_) {
      JA_ASSIGN_OR_RETURN(existing, tx.FindPersonByIdNumber(p.id_number));
    }
    if (!existing) return Count(tx.InsertPerson(p, &in.sealed), report_.inserted, "id_number");
    if (!NotDeleted(*existing, "id_number", p.id_number)) return absl::OkStatus();
    if (!InScope(existing->region_code, "id_number", p.id_number)) return absl::OkStatus();
    return MergeInto(tx, *existing, f, "id_number",
                     [&p](Person& next) {
                       next.household_id = p.household_id;
                       next.region_code = p.region_code;
                       if (p.relation == "head") next.relation = "head";
                     })
        .status();
  }

  absl::Status FlagsRowApply(Transaction& tx, Prepared& in) {
    FlagsRow& fr = std::get<FlagsRow>(in.entity);
    const std::string& raw = At(in.f, "region_code");
    if (!InScope(fr.region.code, "region_code", raw)) return absl::OkStatus();
    JA_ASSIGN_OR_RETURN(domain::RegionFlags stored, tx.GetRegionFlags(fr.region.code));
    domain::RegionFlags next = stored;
    next.key_county = fr.key_county.value_or(stored.key_county);
    next.poverty_village = fr.poverty_village.value_or(stored.poverty_village);
    next.relocation_site = fr.relocation_site.value_or(stored.relocation_site);
    absl::Status fits = domain::CheckRegionFlags(fr.region, next.key_county, next.poverty_village,
                                                 next.relocation_site);
    if (!fits.ok()) {
      Error(FieldOf(fits), raw, std::string(fits.message()));
      return absl::OkStatus();
    }
    if (next.key_county == stored.key_county && next.poverty_village == stored.poverty_village &&
        next.relocation_site == stored.relocation_site) {
      ++report_.unchanged;
      return absl::OkStatus();
    }
    return Count(tx.PutRegionFlags(next),
                 stored.meta.version == 0 ? report_.inserted : report_.updated, "region_code");
  }

  absl::StatusOr<std::optional<Employer>> EmployerByCode(Transaction& tx, const std::string& code) {
    auto it = employers_.find(code);
    if (it != employers_.end()) return it->second;
    JA_ASSIGN_OR_RETURN(auto e, tx.FindEmployerByCreditCode(code));
    if (e) employers_[code] = *e;
    return e;
  }

  absl::Status EmployerRow(Transaction& tx, Prepared& in) {
    const Fields& f = in.f;
    Employer& e = in.e();
    if (!InScope(e.region_code, "region_code", At(f, "region_code"))) return absl::OkStatus();
    JA_ASSIGN_OR_RETURN(auto existing, EmployerByCode(tx, e.credit_code));
    if (!existing) {
      absl::Status s = tx.InsertEmployer(e);
      if (s.ok()) employers_[e.credit_code] = e;
      return Count(s, report_.inserted, "credit_code");
    }
    if (!NotDeleted(*existing, "credit_code", e.credit_code)) return absl::OkStatus();
    if (!InScope(existing->region_code, "credit_code", e.credit_code)) return absl::OkStatus();
    JA_ASSIGN_OR_RETURN(auto next, MergeInto(tx, *existing, f, "credit_code", [](Employer&) {}));
    if (next) employers_[e.credit_code] = *next;
    return absl::OkStatus();
  }

  absl::Status JobRow(Transaction& tx, Prepared& in) {
    const Fields& f = in.f;
    Job& j = in.j();
    JA_ASSIGN_OR_RETURN(auto employer, EmployerByCode(tx, in.credit_code));
    if (!employer || employer->meta.deleted()) {
      Error("employer_credit_code", in.credit_code,
            "no employer has this credit code; import the employers first");
      return absl::OkStatus();
    }
    if (!InScope(j.region_code, "region_code", At(f, "region_code"))) return absl::OkStatus();
    j.employer_id = employer->id;
    JA_ASSIGN_OR_RETURN(auto existing, tx.FindJobByTitle(employer->id, j.title));
    if (!existing) return Count(tx.InsertJob(j), report_.inserted, "title");
    if (!InScope(existing->region_code, "title", j.title)) return absl::OkStatus();
    return MergeInto(tx, *existing, f, "title", [](Job&) {}).status();
  }

  // The target of an indicator for a region and a year: set when new or different.
  absl::Status TargetRow(Transaction& tx, Prepared& in) {
    domain::Target& t = std::get<domain::Target>(in.entity);
    if (t.region_code == 0 ? !a_.scope.IsNation()
                           : !InScope(t.region_code, "region_code", At(in.f, "region_code"))) {
      if (t.region_code == 0) {
        Error("region_code", "0", "only a national account sets the nation's targets");
      }
      return absl::OkStatus();
    }
    domain::RegionRange one{t.region_code, t.region_code + 1};
    JA_ASSIGN_OR_RETURN(std::vector<domain::Target> stored, tx.ListTargets(one, t.year));
    auto same = std::find_if(stored.begin(), stored.end(), [&](const domain::Target& s) {
      return s.indicator == t.indicator && s.region_code == t.region_code;
    });
    if (same != stored.end() && same->value == t.value) {
      ++report_.unchanged;
      return absl::OkStatus();
    }
    t.version = same == stored.end() ? 0 : same->version;
    return Count(tx.PutTarget(t), same == stored.end() ? report_.inserted : report_.updated,
                 "value");
  }

  // A household's income of a year, the household known by its head's ID number: the year is
  // set when new or different.
  absl::Status IncomeRow(Transaction& tx, Prepared& in) {
    domain::HouseholdIncome& i = std::get<domain::HouseholdIncome>(in.entity);
    JA_ASSIGN_OR_RETURN(auto household, tx.FindHouseholdByHead(in.head_id));
    if (!household || household->meta.deleted()) {
      Error("head_id_number", in.head_raw,
            "no household has this householder; import the households first");
      return absl::OkStatus();
    }
    if (!InScope(household->region_code, "head_id_number", in.head_raw)) return absl::OkStatus();
    i.household_id = household->id;
    JA_ASSIGN_OR_RETURN(std::vector<domain::HouseholdIncome> years,
                        tx.ListHouseholdIncome(*household));
    auto same = std::find_if(years.begin(), years.end(),
                             [&](const domain::HouseholdIncome& y) { return y.year == i.year; });
    if (same != years.end()) {  // a source the file lacks keeps its stored figure
      for (auto [key, field, stored] : {std::tuple{"wage", &i.wage, same->wage},
                                        {"business", &i.business, same->business},
                                        {"property", &i.property, same->property},
                                        {"transfer", &i.transfer, same->transfer}}) {
        if (!in.f.contains(key)) *field = stored;
      }
    }
    if (same != years.end() && same->wage == i.wage && same->business == i.business &&
        same->property == i.property && same->transfer == i.transfer) {
      ++report_.unchanged;
      return absl::OkStatus();
    }
    return Count(tx.PutHouseholdIncome(*household, i),
                 same == years.end() ? report_.inserted : report_.updated, "year");
  }

  // A spell of a person in the register, known by the person's ID number and its start: a
  // new one is inserted, a changed one updated; either must fit beside the person's other
  // spells (one full-time spell at a time).
  absl::Status SpellRow(Transaction& tx, Prepared& in) {
    domain::Employment& e = in.spell();
    const std::string& id_raw = At(in.f, "id_number");
    JA_ASSIGN_OR_RETURN(auto person, tx.FindPersonByIdNumber(in.head_id));
    if (!person || person->meta.deleted()) {
      Error("id_number", id_raw,
            "no person in the register has this ID number; import the "
            "persons first");
      return absl::OkStatus();
    }
    if (!InScope(person->region_code, "id_number", id_raw)) return absl::OkStatus();
    if (!in.credit_code.empty()) {
      JA_ASSIGN_OR_RETURN(auto employer, EmployerByCode(tx, in.credit_code));
      if (!employer || employer->meta.deleted()) {
        Error("employer_credit_code", in.credit_code,
              "no employer has this credit code; import the employers first");
        return absl::OkStatus();
      }
      e.employer_id = employer->id;
    }
    e.person_id = person->id;
    JA_ASSIGN_OR_RETURN(std::vector<domain::Employment> spells, tx.ListEmploymentOf(person->id));
    auto same = std::find_if(spells.begin(), spells.end(), [&](const domain::Employment& s) {
      return s.start_date == e.start_date;
    });
    if (same != spells.end()) {
      // The file's columns over the stored spell: a column the file lacks keeps its value.
      Fields merged = domain::EmploymentFields(*same);
      for (const auto& [k, v] : in.f) {
        if (merged.contains(k)) merged[k] = v;
      }
      FieldReader r(merged, vc_);
      EmployerId employer = e.employer_id.valid() ? e.employer_id : same->employer_id;
      e = *same;
      domain::ReadEmployment(r, e);
      if (!Collect(r)) return absl::OkStatus();
      if (employer != same->employer_id) e.job_id = JobId();  // the job was the other's
      e.employer_id = employer;
      if (domain::EmploymentFields(e) == domain::EmploymentFields(*same) &&
          e.employer_id == same->employer_id) {
        ++report_.unchanged;
        return absl::OkStatus();
      }
    }
    // A new spell's rules, or those of what the row changes.
    const domain::Employment* stored = same == spells.end() ? nullptr : &*same;
    if (absl::Status rules = CheckSpell(*person, e, stored); !rules.ok()) {
      Error("kind", At(in.f, "kind"), std::string(rules.message()));
      return absl::OkStatus();
    }
    absl::Status fit = FitSpell(tx, *person, e, false);
    if (absl::IsInvalidArgument(fit)) {
      Error(FieldOf(fit), At(in.f, std::string(FieldOf(fit)).c_str()), std::string(fit.message()));
      return absl::OkStatus();
    }
    JA_RETURN_IF_ERROR(fit);
    if (e.id.valid()) return Count(tx.UpdateEmployment(e), report_.updated, "start_date");
    return Count(tx.InsertEmployment(e), report_.inserted, "start_date");
  }

 public:
  // Set when the tables were empty as the import began: look-ups of earlier rows of the same
  // file are answered by the caches and the in-file duplicate check, so the store need not be
  // asked.
  void SetEmptyTables(bool persons, bool households) {
    no_persons_before_ = persons;
    no_households_before_ = households;
  }
  bool persons_empty() const { return no_persons_before_; }
  bool households_empty() const { return no_households_before_; }

 private:
  bool no_persons_before_ = false;
  bool no_households_before_ = false;
  const Context& ctx_;
  const Actor& a_;
  EntityKind kind_;
  const std::vector<Column>& cols_;
  ImportReport& report_;
  domain::ValidationContext vc_;
  std::vector<std::string> header_;
  std::vector<std::optional<size_t>> mapping_;
  int row_ = 0;
  absl::flat_hash_map<std::string, int> seen_;
  absl::flat_hash_map<std::string, std::string> region_names_;
  absl::flat_hash_map<std::string, HouseholdRef> households_;
  absl::flat_hash_map<std::string, Employer> employers_;
};

}  // namespace

namespace {

// One run of an import in `tx`: reads `bytes` from its first row (on a second thread, which is
// stopped and joined before this returns) and writes every row, counting into `report`. All its
// state is its own, so that Store::Write may run it again after a conflict.
absl::Status ImportOnce(const Context& ctx, const Actor& a, const std::string& bytes,
                        const ImportOptions& options, Transaction& tx, ImportReport& report,
                        bool& keep) {
  JA_ASSIGN_OR_RETURN(std::unique_ptr<io::RowSource> rows, io::OpenRows(std::string(bytes)));
  report.kind = std::string(io::EntityKindName(options.kind));
  report.format = rows->Description();
  std::vector<std::string> cells;
  int row = 0;
  JA_ASSIGN_OR_RETURN(bool has_header, rows->Next(cells, row));
  if (!has_header) return absl::InvalidArgumentError("the file has no header row");
  Importer importer(ctx, a, options.kind, report);
  JA_RETURN_IF_ERROR(importer.SetHeader(cells));

  // A reading thread parses and checks rows in batches while this one writes them.
  struct Batch {
    std::vector<Prepared> rows;
    double progress = 0;
  };
  std::mutex mu;
  std::condition_variable changed;
  std::deque<Batch> queue;
  // Applied batches go back to the reading thread to be filled again (their memory came from
  // there; freeing another thread's allocations is slow).
  std::vector<Batch> spent;
  bool reader_done = false, stop = false;
  absl::Status read_status;
  constexpr size_t kBatch = 1024, kMaxQueued = 4;
  std::thread reader([&] {
    std::vector<std::string> row_cells;
    for (;;) {
      // An applied batch is filled again: its rows keep the memory of their containers.
      Batch b;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!spent.empty()) {
          b = std::move(spent.back());
          spent.pop_back();
        }
      }
      b.rows.reserve(kBatch);
      absl::Status st;
      size_t n = 0;
      for (; n < kBatch; ++n) {
        int r = 0;
        auto more = rows->Next(row_cells, r);
        if (!more.ok()) {
          st = more.status();
          break;
        }
        if (!*more) break;
        if (n == b.rows.size()) {
          b.rows.emplace_back();
        } else {
          b.rows[n].Clear();
        }
        importer.Prepare(row_cells, r, b.rows[n]);
      }
      b.rows.resize(n);
      b.progress = rows->Progress();
      bool last = !st.ok() || n < kBatch;
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] { return queue.size() < kMaxQueued || stop; });
      if (stop) return;
      queue.push_back(std::move(b));
      if (last) {
        read_status = st;
        reader_done = true;
      }
      changed.notify_all();
      if (last) return;
    }
  });

  // Large imports set secondary indexes aside and rebuild them sorted at the end, when the file
  // is big next to what the table holds.
  int64_t estimated_rows = static_cast<int64_t>(bytes.size() / 100);
  absl::Cleanup stop_reader = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      stop = true;
      changed.notify_all();
    }
    reader.join();
  };

  bool bulk = false;
  if (estimated_rows > 20000 && options.kind != EntityKind::kRegionFlags &&
      options.kind != EntityKind::kEmployment && options.kind != EntityKind::kHouseholdIncome &&
      options.kind != EntityKind::kTargets) {
    JA_ASSIGN_OR_RETURN(storage::RegisterCounts c, tx.CountRegister(domain::RegionRange::Nation()));
    LoadTarget target = TargetOf(options.kind, c);
    importer.SetEmptyTables(c.persons == 0, c.households == 0);
    bulk = estimated_rows > target.existing / 2;
    if (bulk) {
      // Into empty tables, this import's own checks (in-file duplicates) are all the
      // uniqueness there is to check, so unique indexes can wait for the end too.
      bool empty = options.kind == EntityKind::kPersons
                       ? importer.persons_empty() && importer.households_empty()
                       : options.kind == EntityKind::kHouseholds && importer.households_empty();
      JA_RETURN_IF_ERROR(tx.BeginBulkLoad(target.tables, empty));
    }
  }
  for (;;) {
    Batch b;
    {
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] { return !queue.empty() || reader_done; });
      if (queue.empty()) break;
      b = std::move(queue.front());
      queue.pop_front();
      changed.notify_all();
    }
    for (Prepared& p : b.rows) {
      ++report.rows;
      JA_RETURN_IF_ERROR(importer.Apply(tx, p));
    }
    double progress = b.progress;
    {
      std::lock_guard<std::mutex> lock(mu);
      spent.push_back(std::move(b));
    }
    if (options.progress) options.progress(progress, report.rows);
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    JA_RETURN_IF_ERROR(read_status);
  }
  if (bulk) JA_RETURN_IF_ERROR(tx.EndBulkLoad());
  keep = !options.dry_run && (report.errors.empty() || options.skip_invalid);
  if (!keep) return absl::CancelledError("import rolled back");
  // Many records changed, all in the importer's region: caches read it again (the whole
  // register for a nation's officer, a province at a time).
  tx.Notify("register", a.scope.Contains(domain::RegionRange::Nation())
                            ? "*"
                            : absl::StrCat(a.scope.lo, "-", a.scope.hi));
  return tx.InsertAudit(Audit(
      a, "import", report.kind, 0,
      absl::StrCat(report.format, ": ", report.inserted, " inserted, ", report.updated,
                   " updated, ", report.unchanged, " unchanged, ", report.invalid, " invalid")));
}

}  // namespace

absl::StatusOr<ImportReport> ImportService::Import(const Actor& a, std::string bytes,
                                                   const ImportOptions& options) {
  auth::Resource res = ResourceOf(options.kind);
  if (!a.MayWrite(auth::Resource::kImport) || !a.MayWrite(res)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the role ", auth::RoleCode(a.role), " cannot import ", io::EntityKindName(options.kind)));
  }
  if (bytes.empty()) return absl::InvalidArgumentError("the file is empty");
  ImportReport report;
  bool keep = false;
  // Store::Write runs the function again after a conflict with another writer (PostgreSQL):
  // each run reads the file from its first row with a fresh importer and report, so a retry
  // writes and counts every row once.
  int runs = 0;
  absl::Status s = ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    ++runs;
    report = ImportReport{};
    keep = false;
    return ImportOnce(ctx_, a, bytes, options, tx, report, keep);
  });
  if (options.progress) options.progress(1.0, report.rows);
  if (!keep && absl::IsCancelled(s)) s = absl::OkStatus();
  if (storage::IsRetryableConflict(s)) {
    return absl::AbortedError(
        absl::StrCat("the import met changes that others made to the same records meanwhile, ",
                     runs, " times; nothing of it was written: import the file again"));
  }
  JA_RETURN_IF_ERROR(s);
  if (report.rows == 0) report.warnings.push_back("the file has a header but no rows");
  report.written = keep && (report.inserted + report.updated > 0);
  return report;
}

absl::StatusOr<std::string> ImportService::Template(io::EntityKind kind, io::Format format) {
  io::Table t;
  t.sheet_name = std::string(io::EntityKindZh(kind));
  for (const Column& c : io::ColumnsFor(kind)) {
    if (!c.export_only) t.header.push_back(absl::StrCat(c.required ? "*" : "", c.zh));
  }
  if (format == io::Format::kCsv) return io::WriteCsv(t);
  return io::WriteXlsx(t);
}

namespace {

std::string Cell(const Column& c, const std::string& v) {
  if (v.empty()) return v;
  switch (c.kind) {
    case CellKind::kCode:
      return std::string(c.vocab->Zh(v));
    case CellKind::kList:
      if (c.vocab != nullptr) {
        std::vector<std::string> out;
        for (const std::string& item : domain::SplitList(v)) out.emplace_back(c.vocab->Zh(item));
        return absl::StrJoin(out, "、");
      }
      return absl::StrJoin(domain::SplitList(v), "、");
    case CellKind::kYuan: {
      int64_t fen = 0;
      (void)absl::SimpleAtoi(v, &fen);
      return fen == 0 ? "" : FormatYuan(fen);
    }
    case CellKind::kBool:
      return v == "true" ? "是" : "否";
    default:
      return v;
  }
}

template <typename T, typename ListFn, typename RowFn>
absl::Status ExportAll(const ListFilter& filter, ListFn list, RowFn add) {
  ListFilter f = filter;
  f.page.limit = 1000;
  f.page.count = false;  // pages are read to the end; no total needed
  for (;;) {
    JA_ASSIGN_OR_RETURN(storage::Page<T> page, list(f));
    for (const T& item : page.items) JA_RETURN_IF_ERROR(add(item));
    if (page.next_cursor.empty()) return absl::OkStatus();
    f.page.cursor = page.next_cursor;
  }
}

}  // namespace

absl::StatusOr<io::Table> ImportService::Export(const Actor& a, io::EntityKind kind,
                                                const ListFilter& filter,
                                                const std::string& reveal_reason) {
  const auto& cols = io::ColumnsFor(kind);
  io::Table t;
  t.sheet_name = std::string(io::EntityKindZh(kind));
  for (const Column& c : cols) {
    t.header.emplace_back(c.zh);
    t.numeric.push_back(false);
  }
  std::string why(absl::StripAsciiWhitespace(reveal_reason));
  bool ids = a.MayReveal() && !why.empty();
  bool phones = a.SeesPhones() || ids;
  t.made_by = a.username;
  t.made_at_ms = ctx_.clock.NowMs();
  t.note = absl::StrCat("JobAid ", io::EntityKindZh(kind), " 导出 · ", a.username, " · ",
                        FormatIsoMs(t.made_at_ms), " · ",
                        ids      ? absl::StrCat("完整个人信息，事由：", why)
                        : phones ? std::string("证件号已遮盖，电话为所辖农户的")
                                 : std::string("证件号与电话已遮盖"));
  auto add_row = [&](Fields f, int64_t region) {
    f["region_name"] = ctx_.regions.PathName(region);
    if (!ids) {
      for (const char* k : {"id_number", "head_id_number"}) {
        if (f.contains(k)) f[k] = domain::MaskIdNumber(f[k]);
      }
    }
    if (!phones) {
      for (const char* k : {"phone", "contact_phone"}) {
        if (f.contains(k) && !f[k].empty()) f[k] = domain::MaskPhone(f[k]);
      }
    }
    std::vector<std::string> row;
    for (const Column& c : cols) row.push_back(Cell(c, f[c.key]));
    t.rows.push_back(std::move(row));
  };
  switch (kind) {
    case io::EntityKind::kHouseholds:
      JA_RETURN_IF_ERROR(ExportAll<Household>(
          filter, [&](const ListFilter& f) { return reg_.ListHouseholds(a, f); },
          [&](const Household& h) {
            add_row(domain::HouseholdFields(h), h.region_code);
            return absl::OkStatus();
          }));
      break;
    case io::EntityKind::kPersons: {
      absl::flat_hash_map<int64_t, Household> heads;
      JA_RETURN_IF_ERROR(ExportAll<Person>(
          filter, [&](const ListFilter& f) { return reg_.ListPersons(a, f); },
          [&](const Person& p) -> absl::Status {
            auto it = heads.find(p.household_id.value());
            if (it == heads.end()) {
              Household h;
              JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
                JA_ASSIGN_OR_RETURN(h, tx.GetHousehold(p.household_id));
                return absl::OkStatus();
              }));
              it = heads.emplace(p.household_id.value(), std::move(h)).first;
            }
            Fields f = domain::PersonFields(p);
            f["gender"] = p.gender;
            f["birth_date"] = p.birth_date.ToString();
            f["head_id_number"] = it->second.head_id_number;
            f["region_code"] = domain::FormatRegionCode(p.region_code);
            f["poverty_type"] = it->second.poverty_type;
            add_row(std::move(f), p.region_code);
            return absl::OkStatus();
          }));
      break;
    }
    case io::EntityKind::kEmployers:
      JA_RETURN_IF_ERROR(ExportAll<Employer>(
          filter, [&](const ListFilter& f) { return reg_.ListEmployers(a, f); },
          [&](const Employer& e) {
            add_row(domain::EmployerFields(e), e.region_code);
            return absl::OkStatus();
          }));
      break;
    case io::EntityKind::kRegionFlags: {
      if (!a.MayRead(auth::Resource::kRegionFlags)) {
        return absl::PermissionDeniedError("this role cannot see region flags");
      }
      JA_ASSIGN_OR_RETURN(domain::RegionRange range, NarrowScope(a, filter.region, ctx_));
      std::vector<domain::RegionFlags> flags;
      JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
        JA_ASSIGN_OR_RETURN(flags, tx.ListRegionFlags(range));
        return absl::OkStatus();
      }));
      for (const auto& f : flags) {
        auto r = ctx_.regions.Find(f.region_code);
        add_row({{"region_code", r.ok() ? r->ShortCode() : domain::FormatRegionCode(f.region_code)},
                 {"key_county", f.key_county ? "true" : "false"},
                 {"poverty_village", f.poverty_village ? "true" : "false"},
                 {"relocation_site", f.relocation_site ? "true" : "false"}},
                f.region_code);
      }
      break;
    }
    case io::EntityKind::kTargets: {
      if (!a.MayRead(auth::Resource::kRegionFlags)) {
        return absl::PermissionDeniedError("this role cannot see targets");
      }
      JA_ASSIGN_OR_RETURN(domain::RegionRange range, NarrowScope(a, filter.region, ctx_));
      std::vector<domain::Target> targets;
      JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
        JA_ASSIGN_OR_RETURN(targets, tx.ListTargets(range, 0));
        return absl::OkStatus();
      }));
      for (const domain::Target& t : targets) {
        const analytics::IndicatorDef* def = analytics::FindIndicator(t.indicator);
        auto r = ctx_.regions.Find(t.region_code);
        bool rate = def != nullptr && def->kind == analytics::FigureKind::kRate;
        add_row({{"indicator", def != nullptr ? std::string(def->zh) : t.indicator},
                 {"region_code", t.region_code == 0 ? "0"
                                 : r.ok()           ? r->ShortCode()
                                                    : ""},
                 {"region_name", t.region_code == 0 ? "全国"
                                 : r.ok()           ? std::string(r->name)
                                                    : ""},
                 {"year", absl::StrCat(t.year)},
                 {"value", rate ? absl::StrCat(t.value * 100) : absl::StrCat(t.value)}},
                t.region_code);
      }
      break;
    }
    case io::EntityKind::kHouseholdIncome:
      // Each household of the list, then its years.
      JA_RETURN_IF_ERROR(ExportAll<Household>(
          filter, [&](const ListFilter& f) { return reg_.ListHouseholds(a, f); },
          [&](const Household& h) -> absl::Status {
            std::vector<domain::HouseholdIncome> years;
            JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
              JA_ASSIGN_OR_RETURN(years, tx.ListHouseholdIncome(h));
              return absl::OkStatus();
            }));
            for (const domain::HouseholdIncome& i : years) {
              add_row({{"head_id_number", h.head_id_number},
                       {"head_name", h.head_name},
                       {"year", absl::StrCat(i.year)},
                       {"wage", absl::StrCat(i.wage)},
                       {"business", absl::StrCat(i.business)},
                       {"property", absl::StrCat(i.property)},
                       {"transfer", absl::StrCat(i.transfer)}},
                      h.region_code);
            }
            return absl::OkStatus();
          }));
      break;
    case io::EntityKind::kEmployment: {
      // Each person of the list, then their spells.
      absl::flat_hash_map<int64_t, std::string> codes;
      JA_RETURN_IF_ERROR(ExportAll<Person>(
          filter, [&](const ListFilter& f) { return reg_.ListPersons(a, f); },
          [&](const Person& p) -> absl::Status {
            std::vector<domain::Employment> spells;
            JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
              JA_ASSIGN_OR_RETURN(spells, tx.ListEmploymentOf(p.id));
              for (const domain::Employment& e : spells) {
                if (e.employer_id.valid() && !codes.contains(e.employer_id.value())) {
                  JA_ASSIGN_OR_RETURN(Employer employer, tx.GetEmployer(e.employer_id));
                  codes[e.employer_id.value()] = employer.credit_code;
                }
              }
              return absl::OkStatus();
            }));
            for (const domain::Employment& e : spells) {
              Fields f = domain::EmploymentFields(e);
              f["name"] = p.name;
              f["id_number"] = p.id_number;
              if (e.employer_id.valid()) f["employer_credit_code"] = codes[e.employer_id.value()];
              add_row(std::move(f), e.region_code);
            }
            return absl::OkStatus();
          }));
      break;
    }
    case io::EntityKind::kJobs: {
      absl::flat_hash_map<int64_t, std::string> codes;
      JA_RETURN_IF_ERROR(ExportAll<Job>(
          filter, [&](const ListFilter& f) { return reg_.ListJobs(a, f); },
          [&](const Job& j) -> absl::Status {
            auto it = codes.find(j.employer_id.value());
            if (it == codes.end()) {
              std::string code;
              JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
                JA_ASSIGN_OR_RETURN(Employer e, tx.GetEmployer(j.employer_id));
                code = e.credit_code;
                return absl::OkStatus();
              }));
              it = codes.emplace(j.employer_id.value(), code).first;
            }
            Fields f = domain::JobFields(j);
            f["employer_credit_code"] = it->second;
            add_row(std::move(f), j.region_code);
            return absl::OkStatus();
          }));
      break;
    }
  }
  for (size_t i = 0; i < cols.size(); ++i) {
    t.numeric[i] = cols[i].kind == CellKind::kInt;
  }
  return t;
}

std::string ReportCsv(const ImportReport& report) {
  io::Table t;
  t.header = {"行号 row", "列 column", "字段 field", "值 value", "原因 reason"};
  for (const RowError& e : report.errors) {
    t.rows.push_back({absl::StrCat(e.row), e.column, e.field, e.value, e.message});
  }
  return io::WriteCsv(t);
}

}  // namespace jobaid::service
