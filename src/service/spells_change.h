// The announcement of a change to one person's spells of employment: all their live spells,
// so that a listener keeping figures (IndicatorService) follows without reading the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "domain/entities.h"
#include "storage/store.h"

namespace jobaid::service {

// What a change to a person's spells announces (topic "spells"): their household (id and
// region), the person, and every live spell of theirs as the analytics read them (in the order
// ScanFacts gives), so that the figures follow without reading the store (IndicatorService).
// Other listeners take it as a change to the person and to their household.
struct SpellsChange {
  int64_t household_id = 0, region_code = 0, person_id = 0;
  std::vector<storage::SpellFact> spells;

  // "household region person" and " workplace,start,end,transfer" a spell, the days as
  // numbers (end empty while open).
  std::string Encode() const;
  static std::optional<SpellsChange> Decode(absl::string_view payload);
};

// Announces that the spells of `p` changed in `tx` (a SpellsChange; the person and household
// when there are too many spells to name). Makes `tx` conflict with any other transaction
// changing them (the later one is retried), so that FitSpell saw every spell and the
// announcement names them all.
absl::Status AnnounceSpells(storage::Transaction& tx, const domain::Person& p);

}  // namespace jobaid::service
