// The change feed's message: what a committed transaction changed, announced with
// Transaction::Notify and delivered to every Store::Subscribe-r on every server. Typed here and
// turned into text (for PostgreSQL's NOTIFY) and back in one place, change.cc.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/facts.h"
#include "domain/region.h"

namespace jobaid::storage {

enum class Topic : uint8_t {
  kRegister,   // many records of a region range (an import): read it all again
  kHousehold,  // one record, by id
  kPerson,
  kEmployer,
  kJob,
  kApplication,
  kUser,
  kSession,  // one session, by the hash of its token
  kSpells,   // a person's spells of employment, all of them (SpellsChange)
};

// The name of `t` in the text form ("register", "household", …).
absl::string_view TopicName(Topic t);

// What a change to a person's spells announces: their household (id and region), the person,
// and every live spell of theirs as the analytics read them (in the order ScanFacts gives), so
// that the figures follow without reading the store. Other listeners take it as a change to the
// person and to their household.
struct SpellsChange {
  int64_t household_id = 0, region_code = 0, person_id = 0;
  std::vector<domain::SpellFact> spells;
};

struct Change {
  Topic topic = Topic::kRegister;
  int64_t id = 0;             // the record, for kHousehold … kUser
  domain::RegionRange range;  // kRegister: the range read again (Nation(): everything)
  std::string token_hash;     // kSession: the hash of the session's token (bytes)
  SpellsChange spells;        // kSpells

  static Change Record(Topic t, int64_t id);
  static Change Register(domain::RegionRange range);
  static Change Session(std::string token_hash);
  static Change Spells(SpellsChange s);

  // "topic:payload", e.g. "person:375334184222738", "register:*", "register:lo-hi",
  // "session:<hex>", "spells:household region person workplace,start,end,transfer …" (days as
  // numbers, end empty while open).
  std::string Encode() const;
  // The change `text` encodes; InvalidArgument naming the byte where it stops making sense.
  static absl::StatusOr<Change> Decode(absl::string_view text);
};

}  // namespace jobaid::storage
