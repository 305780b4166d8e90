#include "service/spells_change.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status.h"

namespace jobaid::service {

std::string SpellsChange::Encode() const {
  std::string out = absl::StrCat(household_id, " ", region_code, " ", person_id);
  for (const storage::SpellFact& s : spells) {
    absl::StrAppend(&out, " ", s.region_code, ",", s.start.days(), ",");
    if (s.end.valid()) absl::StrAppend(&out, s.end.days());
    absl::StrAppend(&out, ",", s.by_transfer ? 1 : 0);
  }
  return out;
}

std::optional<SpellsChange> SpellsChange::Decode(absl::string_view payload) {
  std::vector<absl::string_view> parts = absl::StrSplit(payload, ' ');
  SpellsChange c;
  if (parts.size() < 3 || !absl::SimpleAtoi(parts[0], &c.household_id) ||
      !absl::SimpleAtoi(parts[1], &c.region_code) || !absl::SimpleAtoi(parts[2], &c.person_id)) {
    return std::nullopt;
  }
  for (size_t i = 3; i < parts.size(); ++i) {
    std::vector<absl::string_view> f = absl::StrSplit(parts[i], ',');
    storage::SpellFact& s = c.spells.emplace_back();
    int32_t start = 0, end = 0;
    int transfer = 0;
    if (f.size() != 4 || !absl::SimpleAtoi(f[0], &s.region_code) ||
        !absl::SimpleAtoi(f[1], &start) || (!f[2].empty() && !absl::SimpleAtoi(f[2], &end)) ||
        !absl::SimpleAtoi(f[3], &transfer)) {
      return std::nullopt;
    }
    s.person_id = c.person_id;
    s.start = Date::FromDays(start);
    if (!f[2].empty()) s.end = Date::FromDays(end);
    s.by_transfer = transfer != 0;
  }
  return c;
}

absl::Status AnnounceSpells(storage::Transaction& tx, const domain::Person& p) {
  JA_RETURN_IF_ERROR(tx.TouchPerson(p.id));
  JA_ASSIGN_OR_RETURN(std::vector<domain::Employment> spells, tx.ListEmploymentOf(p.id));
  SpellsChange c{p.household_id.value(), p.region_code, p.id.value(), {}};
  for (const domain::Employment& e : spells) {
    c.spells.push_back(
        {p.id.value(), e.region_code, e.start_date, e.end_date, e.how_found == "transfer"});
  }
  std::string payload = c.Encode();
  // A PostgreSQL notification holds under 8,000 bytes: a person of some hundred spells is
  // announced as a change to the person and their household, which are read again.
  if (payload.size() > 4000) {
    tx.Notify("person", absl::StrCat(p.id.value()));
    tx.Notify("household", absl::StrCat(p.household_id.value()));
  } else {
    tx.Notify("spells", payload);
  }
  return absl::OkStatus();
}

}  // namespace jobaid::service
