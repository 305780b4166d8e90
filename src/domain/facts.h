// The facts the indicators are computed from: the few columns of live records that the
// analytics register keeps in memory. The store streams them into a `FactSink`
// (storage::Transaction::ScanFacts) and the analytics engine is one; neither knows the other.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "common/dates.h"
#include "domain/region.h"

namespace jobaid::domain {

// A person's region code is their household's.
struct HouseholdFact {
  int64_t id = 0;
  int64_t region_code = 0;
  bool relocated = false;  // poverty type "relocated"
};
struct PersonFact {
  int64_t id = 0;
  int64_t household_id = 0;
  Date birth_date;
  bool able = false;   // work ability skilled, ordinary or weak
  bool wants = false;  // an intention other than none
};
struct SpellFact {
  int64_t person_id = 0;
  int64_t region_code = 0;   // the workplace
  Date start, end;           // end invalid: still working
  bool by_transfer = false;  // how found: an organised transfer
};
struct IncomeFact {
  int64_t household_id = 0;
  int year = 0;
  int64_t work = 0;   // fen: wage and business
  int64_t total = 0;  // fen: every source
};

// Receives the facts of a scan: every household (in region-code order), then every person,
// every spell and every year's income, each kind in its households' order.
class FactSink {
 public:
  virtual ~FactSink() = default;
  virtual absl::Status Household(const HouseholdFact& h) = 0;
  virtual absl::Status Person(const PersonFact& p) = 0;
  virtual absl::Status Spell(const SpellFact& s) = 0;
  virtual absl::Status Income(const IncomeFact& i) = 0;
};

// Live households in `range`, or only household `household_id` when it is not 0.
struct FactFilter {
  RegionRange range;
  int64_t household_id = 0;
};

}  // namespace jobaid::domain
