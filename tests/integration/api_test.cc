// In-process checks of the API layer: the OpenAPI document against the router's real routes;
// the figures the server answers from memory against the same tallies by SQL on the demo data.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "common/status.h"
#include "server/app.h"
#include "service/demo.h"
#include "service/spells_change.h"
#include "test_support.h"

namespace jobaid::testing {
namespace {

namespace json = boost::json;

// A server's services on a fresh SQLite store in `dir`.
absl::StatusOr<std::unique_ptr<server::App>> OpenApp(const TempDir& dir) {
  server::AppOptions opt;
  opt.data_dir = dir.path();
  opt.regions_file = JOBAID_REGIONS_FILE;
  return server::App::Open(opt);
}

TEST(OpenApi, DocumentsExactlyTheRoutesTheRouterServes) {
  TempDir dir;
  auto app = OpenApp(dir);
  ASSERT_TRUE(app.ok()) << app.status();

  boost::system::error_code ec;
  auto sv = api::OpenApiDocument();
  json::value doc = json::parse(json::string_view(sv.data(), sv.size()), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(doc.at("openapi").as_string().subview(0, 2), "3.");
  const json::object& paths = doc.at("paths").as_object();

  // The document is where a route's purpose is written; the router holds the rest. Both say
  // alike which routes need no session ("security": []).
  std::set<std::string> routes, documented, open_routes, open_documented;
  for (const api::Route& r : (*app)->router().routes()) {
    std::string method = r.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    routes.insert(method + " " + r.pattern);
    if (!r.authenticated) open_routes.insert(method + " " + r.pattern);
  }
  for (const auto& [path, ops] : paths) {
    for (const auto& [method, op] : ops.as_object()) {
      documented.insert(std::string(method) + " " + std::string(path));
      const json::object& o = op.as_object();
      if (o.contains("security") && o.at("security").as_array().empty()) {
        open_documented.insert(std::string(method) + " " + std::string(path));
      }
      EXPECT_TRUE(o.contains("summary")) << method << " " << path;
      EXPECT_TRUE(o.contains("responses")) << method << " " << path;
      // Every {param} of the path is declared.
      std::string p(path);
      for (size_t b = p.find('{'); b != std::string::npos; b = p.find('{', b + 1)) {
        std::string name = p.substr(b + 1, p.find('}', b) - b - 1);
        bool declared = false;
        if (o.contains("parameters")) {
          for (const auto& param : o.at("parameters").as_array()) {
            declared |=
                param.at("name").as_string() == name && param.at("in").as_string() == "path";
          }
        }
        EXPECT_TRUE(declared) << method << " " << path << " does not declare {" << name << "}";
      }
    }
  }
  for (const auto& r : routes) EXPECT_TRUE(documented.count(r)) << "undocumented route: " << r;
  for (const auto& d : documented)
    EXPECT_TRUE(routes.count(d)) << "documented but not served: " << d;
  EXPECT_EQ(open_routes, open_documented);
  EXPECT_EQ(open_routes.size(), 7u);
  // Every $ref points at a schema that exists.
  std::string text(sv);
  const json::object& schemas = doc.at("components").at("schemas").as_object();
  for (size_t at = text.find("#/components/schemas/"); at != std::string::npos;
       at = text.find("#/components/schemas/", at + 1)) {
    size_t start = at + std::string("#/components/schemas/").size();
    std::string name = text.substr(start, text.find('"', start) - start);
    EXPECT_TRUE(schemas.contains(name)) << "missing schema " << name;
  }
}

// A spell's kind must be its workplace's when the spell is recorded or its kind or place
// changes; a spell stored before that rule (here written to the store directly) may still be
// ended.
TEST(Employment, KindIsCheckedWhereItChangesAndOldSpellsMayStillEnd) {
  TempDir dir;
  auto app = OpenApp(dir);
  ASSERT_TRUE(app.ok()) << app.status();
  ASSERT_TRUE(service::CreateDemo((*app)->context()).ok());
  const auth::Actor admin = auth::Actor::System();
  const Date today = (*app)->context().clock.Today();
  storage::PersonQuery q;
  q.page.limit = 1;
  domain::Person person;
  domain::Employment old;
  ASSERT_TRUE((*app)
                  ->store()
                  .Write([&](storage::Transaction& tx) -> absl::Status {
                    auto page = tx.ListPersons(q);
                    if (!page.ok()) return page.status();
                    if (page->items.empty()) return absl::NotFoundError("no person");
                    person = page->items[0];
                    old.person_id = person.id;
                    old.kind = "local";              // but the workplace is in Shenzhen
                    old.region_code = 440304000000;  // 福田区
                    old.start_date = today.AddDays(-30);
                    old.part_time = true;
                    old.how_found = "self";
                    return tx.InsertEmployment(old);
                  })
                  .ok());
  ASSERT_EQ(person.region_code / 10000000000, 43);  // a Hunan laborer
  // Ended as the web form does it, sending every field back.
  auto ended = (*app)->employment().Update(admin, old.id,
                                           {{"kind", "local"},
                                            {"region_code", "440304000000"},
                                            {"end_date", today.ToString()},
                                            {"version", absl::StrCat(old.meta.version)}});
  ASSERT_TRUE(ended.ok()) << ended.status();
  auto renamed = (*app)->employment().Update(
      admin, old.id, {{"kind", "out_of_county"}, {"version", absl::StrCat(ended->meta.version)}});
  EXPECT_EQ(FieldOf(renamed.status()), "kind") << renamed.status();
  auto fixed = (*app)->employment().Update(
      admin, old.id, {{"kind", "省外"}, {"version", absl::StrCat(ended->meta.version)}});
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_EQ(fixed->kind, "out_of_province");
  // A change of place alone that the kind no longer fits names the place.
  auto moved = (*app)->employment().Update(
      admin, old.id, {{"region_code", "431023"}, {"version", absl::StrCat(fixed->meta.version)}});
  EXPECT_EQ(FieldOf(moved.status()), "region_code") << moved.status();
  auto recorded = (*app)->employment().Create(admin, person.id,
                                              {{"kind", "out_of_county"},
                                               {"region_code", "440304"},
                                               {"start_date", today.AddDays(1).ToString()},
                                               {"part_time", "true"}});
  EXPECT_EQ(FieldOf(recorded.status()), "kind") << recorded.status();
}

// A server stopping ends the figures' register's load instead of waiting for it: a load after
// Stop() fails Unavailable (503 over HTTP), and no figures come from a part of the register.
TEST(Indicators, StopEndsTheRegistersLoad) {
  TempDir dir;
  auto app = OpenApp(dir);
  ASSERT_TRUE(app.ok()) << app.status();
  ASSERT_TRUE(service::CreateDemo((*app)->context()).ok());
  (*app)->indicators().Stop();
  auto size = (*app)->indicators().RegisterSize();
  EXPECT_TRUE(absl::IsUnavailable(size.status())) << size.status();
  const domain::RegionRange county{431023000000, 431024000000};
  auto tallies = (*app)->indicators().Tallies(county, 1000000, {(*app)->context().clock.Today()});
  EXPECT_TRUE(absl::IsUnavailable(tallies.status())) << tallies.status();
}

// The engine the server answers from and the store's SQL agree on every tally of the demo
// county, for every level and several days, before and after writes.
TEST(Indicators, TheEngineAgreesWithSqlOnTheDemoCounty) {
  TempDir dir;
  auto app = OpenApp(dir);
  ASSERT_TRUE(app.ok()) << app.status();
  ASSERT_TRUE(service::CreateDemo((*app)->context()).ok());
  const Date today = (*app)->context().clock.Today();
  const std::vector<Date> days = {today, Date::FromCivil(today.year() - 1, 12, 31),
                                  domain::YearsBefore(today, 1), today.AddDays(-400)};
  const domain::RegionRange county{431023000000, 431024000000};
  auto check = [&](const std::string& when) {
    for (int64_t unit : {int64_t{1000000}, int64_t{1000}, int64_t{1}}) {
      auto engine = (*app)->indicators().Tallies(county, unit, days);
      ASSERT_TRUE(engine.ok()) << engine.status();
      for (size_t d = 0; d < days.size(); ++d) {
        std::vector<domain::IndicatorCounts> sql;
        ASSERT_TRUE((*app)
                        ->store()
                        .Read([&](storage::Transaction& tx) -> absl::Status {
                          auto c = tx.CountIndicators(county, unit, days[d]);
                          if (!c.ok()) return c.status();
                          sql = std::move(*c);
                          return absl::OkStatus();
                        })
                        .ok());
        ASSERT_FALSE(sql.empty());
        EXPECT_TRUE((*engine)[d] == sql)
            << when << ": unit " << unit << " on " << days[d].ToString() << " differs";
      }
    }
  };
  check("after the demo");
  // A write through the services: a spell ended, one added, a person moved to another
  // household; the engine has them at once.
  const auth::Actor admin = auth::Actor::System();
  storage::PersonQuery q;
  q.employment = "employed";
  q.as_of = today.ToString();
  q.page.limit = 2;
  std::vector<domain::Person> two;
  ASSERT_TRUE((*app)
                  ->store()
                  .Read([&](storage::Transaction& tx) -> absl::Status {
                    auto page = tx.ListPersons(q);
                    if (!page.ok()) return page.status();
                    two = page->items;
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(two.size(), 2u);
  auto spells = (*app)->employment().Of(admin, two[0].id);
  ASSERT_TRUE(spells.ok()) << spells.status();
  ASSERT_FALSE(spells->empty());
  const domain::Employment& last = spells->back();
  const service::IndicatorService::CatchUp before = (*app)->indicators().caught_up();
  auto ended = (*app)->employment().Update(
      admin, last.id,
      {{"end_date", today.AddDays(-1).ToString()}, {"version", absl::StrCat(last.meta.version)}});
  ASSERT_TRUE(ended.ok()) << ended.status();
  auto added = (*app)->employment().Create(admin, two[1].id,
                                           {{"kind", "workshop"},
                                            {"region_code", "431023101"},
                                            {"start_date", today.ToString()},
                                            {"part_time", "true"},
                                            {"how_found", "fair"}});
  ASSERT_TRUE(added.ok()) << added.status();
  check("after a spell ended and one added");
  // Both were set from their announcements, naming all the person's spells; no household was
  // read again.
  const service::IndicatorService::CatchUp after = (*app)->indicators().caught_up();
  EXPECT_EQ(after.spells_set, before.spells_set + 2);
  EXPECT_EQ(after.households_read, before.households_read);
  auto moved = (*app)->register_service().UpdatePerson(
      admin, two[1].id,
      {{"household_id", absl::StrCat(two[0].household_id.value())},
       {"version", absl::StrCat(two[1].meta.version)}});
  ASSERT_TRUE(moved.ok()) << moved.status();
  check("after the writes");
}

}  // namespace
}  // namespace jobaid::testing
