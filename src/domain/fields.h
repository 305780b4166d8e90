// Reading and validating entities from flat text fields. The API's JSON bodies and the rows of
// an imported spreadsheet both become `Fields`, so a bad value gets the same message in the web
// form, the API and the import report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/dates.h"
#include "common/status.h"
#include "domain/entities.h"
#include "domain/region.h"
#include "domain/vocabulary.h"

namespace jobaid::domain {

using Fields = absl::flat_hash_map<std::string, std::string>;

struct FieldIssue {
  std::string field;
  std::string value;
  std::string message;
  Reason reason;  // the message as a code with parameters, for clients in other languages
};

// What validation needs beyond the fields themselves.
struct ValidationContext {
  const RegionTable* regions = nullptr;
  Date today;
};

// Collects every problem of one record instead of stopping at the first.
class FieldReader {
 public:
  FieldReader(const Fields& fields, const ValidationContext& ctx) : f_(fields), ctx_(ctx) {}

  bool Has(absl::string_view key) const;
  absl::string_view Raw(absl::string_view key) const;
  std::string Text(absl::string_view key, bool required, size_t max_chars = 200);
  std::string Code(absl::string_view key, const Vocabulary& vocab, bool required,
                   absl::string_view fallback = "");
  std::vector<std::string> CodeList(absl::string_view key, const Vocabulary& vocab, bool required);
  std::vector<std::string> List(absl::string_view key, size_t max_items = 30);
  int64_t Int(absl::string_view key, bool required, int64_t min, int64_t max, int64_t fallback);
  // Money in fen, as an integer.
  int64_t Fen(absl::string_view key, bool required);
  bool Bool(absl::string_view key, bool fallback);
  Date DateField(absl::string_view key, bool required);
  // A region code that must exist and lie at `min_level` or deeper; 0 if absent.
  int64_t Region(absl::string_view key, bool required, RegionLevel min_level);
  std::string Mobile(absl::string_view key, bool required);

  void Add(absl::string_view field, absl::string_view value, std::string message,
           Reason reason = {});
  // An issue saying what `s` says (its message and reason).
  void Add(absl::string_view field, absl::string_view value, const absl::Status& s);
  const std::vector<FieldIssue>& issues() const { return issues_; }
  bool ok() const { return issues_.empty(); }
  // OK, or the first issue as an InvalidArgument naming its field.
  absl::Status status() const;
  const ValidationContext& ctx() const { return ctx_; }

 private:
  const Fields& f_;
  const ValidationContext& ctx_;
  std::vector<FieldIssue> issues_;
};

// Each fills the entity's own fields (not id, links or meta) and returns the warnings that do
// not stop the write; problems go to `r`.
void ReadHousehold(FieldReader& r, Household& h);
std::vector<std::string> ReadPerson(FieldReader& r, Person& p);
void ReadEmployer(FieldReader& r, Employer& e);
void ReadJob(FieldReader& r, Job& j);
// A spell's own fields: kind, workplace region, start, end, monthly income (fen), how found,
// part time; employer_id and job_id are links, read by the caller.
void ReadEmployment(FieldReader& r, Employment& e);

// The inverse: an entity's fields as text, so an update can overlay a partial change on the
// stored record and read the result through the same validation.
Fields HouseholdFields(const Household& h);
Fields PersonFields(const Person& p);
Fields EmployerFields(const Employer& e);
Fields JobFields(const Job& j);
Fields EmploymentFields(const Employment& e);

// Splits "电焊、瓦工,厨师" on the separators people use.
std::vector<std::string> SplitList(absl::string_view text);
std::string JoinList(const std::vector<std::string>& items);

}  // namespace jobaid::domain
