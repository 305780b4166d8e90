#include "service/context.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace jobaid::service {

absl::Status RequireRead(const auth::Actor& a, auth::Resource r, absl::string_view what) {
  if (a.MayRead(r)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("the role ", auth::RoleCode(a.role), " cannot see ", what));
}

absl::Status RequireWrite(const auth::Actor& a, auth::Resource r, absl::string_view what) {
  if (a.MayWrite(r)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("the role ", auth::RoleCode(a.role), " cannot change ", what));
}

absl::Status RequireWriteScope(const auth::Actor& a, int64_t region_code, const Context& ctx) {
  if (a.InScope(region_code)) return absl::OkStatus();
  return WithReason(
      absl::PermissionDeniedError(absl::StrCat(
          ctx.regions.PathName(region_code), " (", domain::FormatRegionCode(region_code),
          ") lies outside your region; ask an officer of that region")),
      {"outside_region", {{"region", ctx.regions.PathName(region_code)}}});
}

absl::StatusOr<domain::RegionRange> NarrowScope(const auth::Actor& a, absl::string_view region,
                                                const Context& ctx) {
  if (region.empty()) return a.scope;
  auto r = ctx.regions.Lookup(region);
  if (!r.ok()) return WithField(r.status(), "region");
  domain::RegionRange range = r->range();
  if (a.scope.Contains(range)) return range;
  if (range.Contains(a.scope)) return a.scope;  // asking for a parent region: the scope is it
  return WithField(absl::NotFoundError(absl::StrCat("no region ", region, " in your scope")),
                   "region");
}

absl::Status RejectUnknownFields(const domain::Fields& fields,
                                 const std::vector<absl::string_view>& allowed) {
  for (const auto& [k, v] : fields) {
    if (std::find(allowed.begin(), allowed.end(), absl::string_view(k)) == allowed.end()) {
      return FieldError(k, absl::StrCat("\"", k, "\" is not a field of this record"));
    }
  }
  return absl::OkStatus();
}

}  // namespace jobaid::service
