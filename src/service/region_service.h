// The national division list with the flags we keep on it (key assistance county, poverty
// village, relocation site). The list itself is public; setting flags needs an officer of the
// region.
// Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "auth/actor.h"
#include "domain/fields.h"
#include "service/context.h"

namespace jobaid::service {

struct RegionInfo {
  domain::Region region;
  std::vector<domain::Region> path;  // province first, the region itself last
  domain::RegionFlags flags;
};

class RegionService {
 public:
  explicit RegionService(const Context& ctx) : ctx_(ctx) {}

  // `code` of 2-12 digits. InvalidArgument or NotFound naming it.
  absl::StatusOr<RegionInfo> Get(absl::string_view code);
  // The regions one level below `code` ("" = the provinces), with their flags.
  absl::StatusOr<std::vector<RegionInfo>> Children(absl::string_view code);
  // Regions whose name contains `q`, inside `within` ("" = everywhere), at most `limit`.
  absl::StatusOr<std::vector<RegionInfo>> Search(absl::string_view q, absl::string_view within,
                                                 size_t limit);
  // `f` holds any of key_county, poverty_village, relocation_site (true/false) and version
  // (0 when the region has no flags yet).
  absl::StatusOr<domain::RegionFlags> SetFlags(const auth::Actor& a, absl::string_view code,
                                               const domain::Fields& f);
  // Every region under `code` with a flag set.
  absl::StatusOr<std::vector<RegionInfo>> Flagged(absl::string_view code);

 private:
  RegionInfo Info(const domain::Region& r) const;
  const Context& ctx_;
};

}  // namespace jobaid::service
