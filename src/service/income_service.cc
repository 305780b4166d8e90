#include "service/income_service.h"

#include "absl/strings/str_cat.h"
#include "common/money.h"
#include "common/status.h"
#include "service/entity_traits.h"

namespace jobaid::service {

using auth::Actor;
using storage::Transaction;

namespace {

// The household `id` if `a` may see it, as its record is seen (a laborer: their own
// household only); NotFound otherwise, as for any record out of reach.
absl::StatusOr<domain::Household> Visible(const Actor& a, Transaction& tx, HouseholdId id) {
  auto h = tx.GetHousehold(id);
  bool visible = false;
  if (h.ok()) {
    JA_ASSIGN_OR_RETURN(visible, EntityTraits<domain::Household>::Visible(a, *h, tx));
  }
  if (absl::IsNotFound(h.status()) || (h.ok() && !visible)) {
    return absl::NotFoundError(absl::StrCat("household ", id.value(), " does not exist"));
  }
  return h;
}

}  // namespace

absl::StatusOr<std::vector<domain::HouseholdIncome>> IncomeService::Of(const Actor& a,
                                                                       HouseholdId id) {
  JA_RETURN_IF_ERROR(RequireRead(a, auth::Resource::kHousehold, "households"));
  std::vector<domain::HouseholdIncome> out;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(domain::Household h, Visible(a, tx, id));
    JA_ASSIGN_OR_RETURN(out, tx.ListHouseholdIncome(h));
    return absl::OkStatus();
  }));
  JA_RETURN_IF_ERROR(audit_.Record(Audit(a, "read", "household_income", id.value())));
  return out;
}

absl::StatusOr<domain::HouseholdIncome> IncomeService::Put(const Actor& a, HouseholdId id, int year,
                                                           const domain::Fields& f) {
  JA_RETURN_IF_ERROR(RequireWrite(a, auth::Resource::kHousehold, "households"));
  JA_RETURN_IF_ERROR(RejectUnknownFields(f, {"wage", "business", "property", "transfer", "year"}));
  const int this_year = ctx_.clock.Today().year();
  if (year < 2000 || year > this_year) {
    return FieldError("year", absl::StrCat("year must be between 2000 and ", this_year));
  }
  domain::ValidationContext vc = ctx_.Validation();
  domain::FieldReader r(f, vc);
  domain::HouseholdIncome income;
  income.household_id = id;
  income.year = year;
  income.wage = r.Fen("wage", false);
  income.business = r.Fen("business", false);
  income.property = r.Fen("property", false);
  income.transfer = r.Fen("transfer", false);
  JA_RETURN_IF_ERROR(r.status());
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(domain::Household h, Visible(a, tx, id));
    JA_RETURN_IF_ERROR(RequireWriteScope(a, h.region_code, ctx_));
    if (h.meta.deleted()) {
      return absl::FailedPreconditionError(
          absl::StrCat("household ", id.value(), " was deleted (", h.meta.delete_reason, ")"));
    }
    JA_RETURN_IF_ERROR(tx.PutHouseholdIncome(h, income));
    JA_RETURN_IF_ERROR(tx.InsertAudit(
        Audit(a, "update", "household_income", id.value(),
              absl::StrCat(year, ": wage ", FormatYuan(income.wage), ", business ",
                           FormatYuan(income.business), ", property ", FormatYuan(income.property),
                           ", transfer ", FormatYuan(income.transfer)))));
    tx.Notify(storage::Change::Record(storage::Topic::kHousehold, id.value()));
    return absl::OkStatus();
  }));
  return income;
}

}  // namespace jobaid::service
