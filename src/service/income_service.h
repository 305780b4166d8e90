// A household's income by source per year (docs/DATA_MODEL.md `household`): wages, business,
// property and transfers, in fen, the figures the work income share (docs/INDICATORS.md) is made
// of. Staff read and set them for households in their region scope; each change is one transaction
// with its audit entry. Thread-safe.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "auth/actor.h"
#include "domain/entities.h"
#include "domain/fields.h"
#include "service/audit_log.h"
#include "service/context.h"

namespace jobaid::service {

class IncomeService {
 public:
  IncomeService(const Context& ctx, AuditLog& audit) : ctx_(ctx), audit_(audit) {}

  // The household's income, oldest year first.
  absl::StatusOr<std::vector<domain::HouseholdIncome>> Of(const auth::Actor& a, HouseholdId id);
  // Sets the household's income of `year` (2000 to this year) from the fields wage, business,
  // property and transfer (fen, 0 if absent), replacing what the year held.
  absl::StatusOr<domain::HouseholdIncome> Put(const auth::Actor& a, HouseholdId id, int year,
                                              const domain::Fields& f);

 private:
  const Context& ctx_;
  AuditLog& audit_;
};

}  // namespace jobaid::service
