// The spreadsheet columns of each importable entity: the Chinese headers officers write, English
// aliases, and how a cell maps to the entity's field. Import, export and the downloadable
// templates all use these, so an exported file imports again unchanged.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/vocabulary.h"

namespace jobaid::io {

enum class EntityKind {
  kPersons,
  kHouseholds,
  kEmployers,
  kJobs,
  kRegionFlags,
  kEmployment,
  kHouseholdIncome,
  kTargets,  // the yearly targets of the indicators per region
};

// "persons" -> kPersons …, "region_flags" -> kRegionFlags, "employment" -> kEmployment (spells
// of employment), "household_income" -> kHouseholdIncome, "targets" -> kTargets; InvalidArgument
// naming the accepted kinds otherwise.
absl::StatusOr<EntityKind> ParseEntityKind(absl::string_view name);
absl::string_view EntityKindName(EntityKind kind);
// "人员信息", "农户信息", … for sheet names and file names.
absl::string_view EntityKindZh(EntityKind kind);

enum class CellKind {
  kText,
  kYuan,    // written in yuan, held as fen
  kCode,    // a vocabulary term, written as its Chinese label
  kList,    // several values separated by 、 or ,
  kBool,    // 是 / 否
  kRegion,  // a region code, or a name resolved within the importer's scope
  kDate,
  kInt,
  kInfo,  // shown in exports only, ignored on import
};

struct Column {
  absl::string_view key;  // the field name in the API
  absl::string_view zh;   // the header in templates and exports
  std::vector<absl::string_view> aliases;
  CellKind kind = CellKind::kText;
  const domain::Vocabulary* vocab = nullptr;
  bool required = false;
  bool export_only = false;
};

const std::vector<Column>& ColumnsFor(EntityKind kind);

// Maps each header cell to a column index in ColumnsFor(kind) (or nullopt for an unknown
// header). InvalidArgument naming every required column that is missing, or a repeated one.
absl::StatusOr<std::vector<std::optional<size_t>>> MatchHeader(
    EntityKind kind, const std::vector<std::string>& header);

}  // namespace jobaid::io
