// Announcing a change to one person's spells of employment with all their live spells
// (storage::SpellsChange), so that a listener keeping figures (IndicatorService) follows without
// reading the store.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "domain/entities.h"
#include "storage/store.h"

namespace jobaid::service {

using storage::SpellsChange;

// Announces that the spells of `p` changed in `tx` (a SpellsChange; the person and household
// when there are too many spells to name in one notification). Makes `tx` conflict with any other
// transaction changing them (the later one is retried), so that FitSpell saw every spell and the
// announcement names them all.
absl::Status AnnounceSpells(storage::Transaction& tx, const domain::Person& p);

}  // namespace jobaid::service
