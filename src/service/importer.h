// Internal to service/: the importer that ImportService runs on each row of a file (checks in
// importer.cc, writes in import_rows.cc), and the helpers they share.
#pragma once

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
#include "service/import_service.h"

namespace jobaid::service {

using domain::RegionLevel;
using io::CellKind;
using io::Column;
using io::EntityKind;

inline auth::Resource ResourceOf(EntityKind k) {
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
inline LoadTarget TargetOf(EntityKind kind, const storage::RegisterCounts& c) {
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

  absl::Status SetHeader(const std::vector<std::string>& header);

  // The checks of one row that need no store, and the sealing of its personal values.
  void Prepare(const std::vector<std::string>& cells, int row, Prepared& out);

  // The checks of one row that need no store.
  void Check(const std::vector<std::string>& cells, int row, Prepared& out);

  // The required ID number in column `key`: as written into out.head_raw, normalized into
  // out.head_id once it checks (persons: the householder's; spells: the person's; income: the
  // householder's).
  void ReadIdNumber(FieldReader& r, absl::string_view key, Prepared& out);

  // False, with an error on the row, if an earlier good row of the file has the same key.
  bool FirstInFile(Prepared& out);

  // Reports the row's problems, or writes it in `tx`.
  absl::Status Apply(Transaction& tx, Prepared& in);

 private:
  void AddError(std::vector<RowError>& out, int row, absl::string_view field,
                absl::string_view value, std::string message, Reason reason = {}) const {
    RowError e;
    e.row = row;
    e.field = std::string(field);
    e.column = ColumnName(field);
    e.value = std::string(value);
    e.message = std::move(message);
    e.reason = std::move(reason);
    out.push_back(std::move(e));
  }
  void Error(absl::string_view field, absl::string_view value, std::string message,
             Reason reason = {}) {
    AddError(report_.errors, row_, field, value, std::move(message), std::move(reason));
  }

  std::string ColumnName(absl::string_view field) const;

  bool Collect(const FieldReader& r) {
    for (const auto& i : r.issues()) Error(i.field, i.value, i.message);
    return r.ok();
  }

  static const std::string& At(const Fields& f, const char* key);

  // Digits are a code; a name is looked up among the regions of the importer's scope.
  absl::StatusOr<std::string> ResolveRegion(const std::string& value, absl::string_view key);

  // In-file duplicates: the same key on two rows is an error on the second.

  template <typename T>
  bool NotDeleted(const T& existing, absl::string_view field, absl::string_view value) {
    if (!existing.meta.deleted()) return true;
    Error(field, value,
          absl::StrCat("this record was deleted (", existing.meta.delete_reason,
                       "); restore it before importing it again"));
    return false;
  }

  bool InScope(int64_t region, absl::string_view field, absl::string_view value);

  // Counts the outcome of writing `s` and turns a store conflict into a row error.
  absl::Status Count(absl::Status s, int64_t& counter, absl::string_view field);

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

  absl::Status HouseholdRow(Transaction& tx, Prepared& in);

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

  absl::Status PersonRow(Transaction& tx, Prepared& in);

  absl::Status FlagsRowApply(Transaction& tx, Prepared& in);

  absl::StatusOr<std::optional<Employer>> EmployerByCode(Transaction& tx, const std::string& code);

  absl::Status EmployerRow(Transaction& tx, Prepared& in);

  absl::Status JobRow(Transaction& tx, Prepared& in);

  // The target of an indicator for a region and a year: set when new or different.
  absl::Status TargetRow(Transaction& tx, Prepared& in);

  // A household's income of a year, the household known by its head's ID number: the year is
  // set when new or different.
  absl::Status IncomeRow(Transaction& tx, Prepared& in);

  // A spell of a person in the register, known by the person's ID number and its start: a
  // new one is inserted, a changed one updated; either must fit beside the person's other
  // spells (one full-time spell at a time).
  absl::Status SpellRow(Transaction& tx, Prepared& in);

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

}  // namespace jobaid::service
