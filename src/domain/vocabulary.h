// Closed vocabularies of the register (poverty types, education levels, intentions …). Each term
// has the code used in code, API, database and UI keys (docs/GLOSSARY.md), its Chinese label as
// officers write it in spreadsheets, an English label, and aliases. Parsing accepts any of them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"

namespace jobaid::domain {

struct Term {
  absl::string_view code;
  absl::string_view zh;
  absl::string_view en;
  std::vector<absl::string_view> aliases = {};
};

class Vocabulary {
 public:
  Vocabulary(absl::string_view name, std::vector<Term> terms)
      : name_(name), terms_(std::move(terms)) {}
  absl::string_view name() const { return name_; }
  const std::vector<Term>& terms() const { return terms_; }
  // The code of the term `text` names (by code, label or alias; ASCII case-insensitive).
  std::optional<absl::string_view> Parse(absl::string_view text) const;
  // The Chinese label of `code`, or `code` itself if unknown.
  absl::string_view Zh(absl::string_view code) const;
  // "registered_poor (建档立卡贫困户), relocated (易地扶贫搬迁户), …" for error messages.
  std::string Describe() const;

 private:
  absl::string_view name_;
  std::vector<Term> terms_;
};

const Vocabulary& PovertyTypes();
const Vocabulary& MonitorTypes();
const Vocabulary& HouseholdStatuses();
const Vocabulary& Relations();
const Vocabulary& Educations();
const Vocabulary& Healths();
const Vocabulary& WorkAbilities();
const Vocabulary& Intentions();
const Vocabulary& EmployerKinds();
const Vocabulary& JobKinds();
const Vocabulary& JobStatuses();
const Vocabulary& EmploymentKinds();
const Vocabulary& HowFound();
const Vocabulary& ApplicationStates();
const Vocabulary& Genders();
const Vocabulary& Roles();

}  // namespace jobaid::domain
