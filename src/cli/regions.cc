// jobaid regions: look up the national division list and set our flags on it.
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "domain/region.h"

namespace jobaid::cli {
namespace {

void PrintRegion(const domain::RegionTable& t, const domain::Region& r) {
  std::printf("%s  %-10s %s\n", domain::FormatRegionCode(r.code).c_str(),
              std::string(domain::RegionLevelName(r.level)).c_str(), t.PathName(r.code).c_str());
}

}  // namespace

void AddRegions(CLI::App& app, Common& common, Action& action) {
  struct Args {
    std::string query, within;
    bool children = false;
    size_t limit = 20;
    std::string code, key_county, poverty_village, relocation_site;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "regions",
      "Look up a region by code or name and show its path from the province down;\n"
      "`regions flag CODE …` sets flags, `regions flagged` lists them");
  AddCommonOptions(cmd, common);
  cmd->add_option("query", a->query, "A code of 2-12 digits or part of a name");
  cmd->add_flag("--children", a->children, "List the regions one level below instead");
  cmd->add_option("--within", a->within, "Search names only inside this region");
  cmd->add_option("--limit", a->limit, "Show at most this many matches")->capture_default_str();
  cmd->callback([&, a, cmd] {
    if (cmd->got_subcommand("flag") || cmd->got_subcommand("flagged")) return;
    action = [&common, a]() -> int {
      auto table = domain::RegionTable::Load(server::RegionsFileOf(common.app));
      if (!table.ok()) return Report(table.status());
      if (a->query.empty() || a->children) {
        int64_t code = 0;
        if (!a->query.empty()) {
          auto r = table->Lookup(a->query);
          if (!r.ok()) return Report(r.status());
          code = r->code;
        }
        for (const auto& c : table->Children(code)) PrintRegion(*table, c);
        return 0;
      }
      if (a->query.find_first_not_of("0123456789") == std::string::npos) {
        auto r = table->Lookup(a->query);
        if (!r.ok()) return Report(r.status());
        for (const auto& p : table->Path(r->code)) PrintRegion(*table, p);
        return 0;
      }
      domain::RegionRange within;
      if (!a->within.empty()) {
        auto w = table->Lookup(a->within);
        if (!w.ok()) return Report(w.status());
        within = w->range();
      }
      auto found = table->Search(a->query, within, a->limit + 1);
      if (found.empty()) {
        std::fprintf(stderr, "jobaid: no region's name contains \"%s\"\n", a->query.c_str());
        return 1;
      }
      for (size_t i = 0; i < found.size() && i < a->limit; ++i) PrintRegion(*table, found[i]);
      if (found.size() > a->limit) std::printf("… more; narrow with --within or --limit\n");
      return 0;
    };
  });

  auto* flag = cmd->add_subcommand("flag", "Set flags of a region (true or false)");
  AddCommonOptions(flag, common);
  flag->add_option("code", a->code, "Region code")->required();
  flag->add_option("--key-county", a->key_county, "National key assistance county (counties)");
  flag->add_option("--poverty-village", a->poverty_village, "Poverty village (villages)");
  flag->add_option("--relocation-site", a->relocation_site,
                   "Relocation resettlement site (villages, communities, townships)");
  flag->callback([&, a] {
    action = [&common, a]() -> int {
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      auto& svc = (*app)->region_service();
      auto cur = svc.Get(a->code);
      if (!cur.ok()) return Report(cur.status());
      domain::Fields f{{"version", absl::StrCat(cur->flags.meta.version)}};
      if (!a->key_county.empty()) f["key_county"] = a->key_county;
      if (!a->poverty_village.empty()) f["poverty_village"] = a->poverty_village;
      if (!a->relocation_site.empty()) f["relocation_site"] = a->relocation_site;
      auto r = svc.SetFlags(auth::Actor::System(), a->code, f);
      if (!r.ok()) return Report(r.status());
      std::printf("%s: key_county=%s poverty_village=%s relocation_site=%s\n",
                  (*app)->regions().PathName(r->region_code).c_str(),
                  r->key_county ? "true" : "false", r->poverty_village ? "true" : "false",
                  r->relocation_site ? "true" : "false");
      return 0;
    };
  });

  auto* flagged = cmd->add_subcommand("flagged", "List regions with flags set");
  AddCommonOptions(flagged, common);
  flagged->add_option("code", a->code, "Only inside this region");
  flagged->callback([&, a] {
    action = [&common, a]() -> int {
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      auto list = (*app)->region_service().Flagged(a->code);
      if (!list.ok()) return Report(list.status());
      for (const auto& i : *list) {
        std::printf("%s  %s%s%s%s\n", domain::FormatRegionCode(i.region.code).c_str(),
                    (*app)->regions().PathName(i.region.code).c_str(),
                    i.flags.key_county ? "  [key county]" : "",
                    i.flags.poverty_village ? "  [poverty village]" : "",
                    i.flags.relocation_site ? "  [relocation site]" : "");
      }
      return 0;
    };
  });
}

}  // namespace jobaid::cli
