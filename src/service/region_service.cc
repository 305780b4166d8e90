#include "service/region_service.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace jobaid::service {

using domain::Region;
using domain::RegionLevel;

RegionInfo RegionService::Info(const Region& r) const {
  RegionInfo info;
  info.region = r;
  info.path = ctx_.regions.Path(r.code);
  info.flags.region_code = r.code;
  return info;
}

absl::StatusOr<RegionInfo> RegionService::Get(absl::string_view code) {
  auto r = ctx_.regions.Lookup(code);
  if (!r.ok()) return WithField(r.status(), "code");
  RegionInfo info = Info(*r);
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](storage::Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(info.flags, tx.GetRegionFlags(r->code));
    return absl::OkStatus();
  }));
  return info;
}

absl::StatusOr<std::vector<RegionInfo>> RegionService::Children(absl::string_view code) {
  int64_t parent = 0;
  domain::RegionRange range;
  if (!code.empty()) {
    auto r = ctx_.regions.Lookup(code);
    if (!r.ok()) return WithField(r.status(), "code");
    parent = r->code;
    range = r->range();
  }
  std::vector<RegionInfo> out;
  for (const Region& c : ctx_.regions.Children(parent)) out.push_back(Info(c));
  std::vector<domain::RegionFlags> flags;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](storage::Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(flags, tx.ListRegionFlags(range));
    return absl::OkStatus();
  }));
  absl::flat_hash_map<int64_t, domain::RegionFlags> by_code;
  for (auto& f : flags) by_code[f.region_code] = f;
  for (RegionInfo& i : out) {
    auto it = by_code.find(i.region.code);
    if (it != by_code.end()) i.flags = it->second;
  }
  return out;
}

absl::StatusOr<std::vector<RegionInfo>> RegionService::Search(absl::string_view q,
                                                              absl::string_view within,
                                                              size_t limit) {
  if (q.empty()) return FieldError("q", "give part of a region's name to search for");
  domain::RegionRange range;
  if (!within.empty()) {
    auto r = ctx_.regions.Lookup(within);
    if (!r.ok()) return WithField(r.status(), "within");
    range = r->range();
  }
  std::vector<RegionInfo> out;
  for (const Region& r : ctx_.regions.Search(q, range, limit)) out.push_back(Info(r));
  return out;
}

absl::StatusOr<domain::RegionFlags> RegionService::SetFlags(const auth::Actor& a,
                                                            absl::string_view code,
                                                            const domain::Fields& f) {
  JA_RETURN_IF_ERROR(RequireWrite(a, auth::Resource::kRegionFlags, "region flags"));
  JA_RETURN_IF_ERROR(
      RejectUnknownFields(f, {"key_county", "poverty_village", "relocation_site", "version"}));
  auto r = ctx_.regions.Lookup(code);
  if (!r.ok()) return WithField(r.status(), "code");
  JA_RETURN_IF_ERROR(RequireWriteScope(a, r->code, ctx_));
  int64_t version = 0;
  if (auto it = f.find("version"); it != f.end() && !absl::SimpleAtoi(it->second, &version)) {
    return FieldError("version", "version must be a number");
  }
  domain::ValidationContext vc = ctx_.Validation();
  domain::Fields empty;
  domain::RegionFlags out;
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](storage::Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(out, tx.GetRegionFlags(r->code));
    domain::FieldReader reader(f, vc);
    out.key_county = reader.Bool("key_county", out.key_county);
    out.poverty_village = reader.Bool("poverty_village", out.poverty_village);
    out.relocation_site = reader.Bool("relocation_site", out.relocation_site);
    JA_RETURN_IF_ERROR(reader.status());
    JA_RETURN_IF_ERROR(
        domain::CheckRegionFlags(*r, out.key_county, out.poverty_village, out.relocation_site));
    out.meta.version = version;
    JA_RETURN_IF_ERROR(tx.PutRegionFlags(out));
    storage::AuditEntry e;
    e.user_id = a.user_id;
    e.action = "update";
    e.entity = "region_flag";
    e.entity_id = r->code;
    return tx.InsertAudit(e);
  }));
  return out;
}

absl::StatusOr<std::vector<RegionInfo>> RegionService::Flagged(absl::string_view code) {
  domain::RegionRange range;
  if (!code.empty()) {
    auto r = ctx_.regions.Lookup(code);
    if (!r.ok()) return WithField(r.status(), "code");
    range = r->range();
  }
  std::vector<domain::RegionFlags> flags;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](storage::Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(flags, tx.ListRegionFlags(range));
    return absl::OkStatus();
  }));
  std::vector<RegionInfo> out;
  for (const auto& f : flags) {
    auto r = ctx_.regions.Find(f.region_code);
    if (!r.ok()) continue;
    RegionInfo i = Info(*r);
    i.flags = f;
    out.push_back(std::move(i));
  }
  return out;
}

}  // namespace jobaid::service
