#include "service/spells_change.h"

#include "common/status.h"

namespace jobaid::service {

absl::Status AnnounceSpells(storage::Transaction& tx, const domain::Person& p) {
  JA_RETURN_IF_ERROR(tx.TouchPerson(p.id));
  JA_ASSIGN_OR_RETURN(std::vector<domain::Employment> spells, tx.ListEmploymentOf(p.id));
  SpellsChange c{p.household_id.value(), p.region_code, p.id.value(), {}};
  for (const domain::Employment& e : spells) {
    c.spells.push_back(
        {p.id.value(), e.region_code, e.start_date, e.end_date, e.how_found == "transfer"});
  }
  storage::Change change = storage::Change::Spells(std::move(c));
  // A PostgreSQL notification holds under 8,000 bytes: a person of some hundred spells is
  // announced as a change to the person and their household, which are read again.
  if (change.Encode().size() > 4000) {
    tx.Notify(storage::Change::Record(storage::Topic::kPerson, p.id.value()));
    tx.Notify(storage::Change::Record(storage::Topic::kHousehold, p.household_id.value()));
  } else {
    tx.Notify(std::move(change));
  }
  return absl::OkStatus();
}

}  // namespace jobaid::service
