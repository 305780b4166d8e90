// What every service needs: the store, the region table and the clock. Owned by the server or
// the CLI command; services hold references.
#pragma once

#include "absl/status/status.h"
#include "auth/actor.h"
#include "common/dates.h"
#include "domain/fields.h"
#include "domain/region.h"
#include "storage/store.h"

namespace jobaid::service {

struct Context {
  storage::Store& store;
  const domain::RegionTable& regions;
  const Clock& clock;

  domain::ValidationContext Validation() const { return {&regions, clock.Today()}; }
};

// PermissionDenied unless the actor's role may read `r`.
absl::Status RequireRead(const auth::Actor& a, auth::Resource r, absl::string_view what);
// PermissionDenied unless the actor's role may write `r`.
absl::Status RequireWrite(const auth::Actor& a, auth::Resource r, absl::string_view what);
// PermissionDenied unless `region_code` lies in the actor's scope.
absl::Status RequireWriteScope(const auth::Actor& a, int64_t region_code, const Context& ctx);
// The actor's scope narrowed to `region` (a code of 2-12 digits; "" = the whole scope).
// NotFound if the region does not exist or lies outside the scope.
absl::StatusOr<domain::RegionRange> NarrowScope(const auth::Actor& a, absl::string_view region,
                                                const Context& ctx);
// InvalidArgument naming the first key of `fields` not in `allowed`.
absl::Status RejectUnknownFields(const domain::Fields& fields,
                                 const std::vector<absl::string_view>& allowed);

}  // namespace jobaid::service
