// The storage contract: every backend must pass these. Parameterised by backend so that
// PostgreSQL joins by adding a factory.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "storage/open_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "test_support.h"

namespace jobaid::storage {
namespace {

using domain::Household;
using domain::Person;
using jobaid::testing::FakeClock;
using jobaid::testing::TempDir;

struct Backend {
  std::string name;
  std::function<std::string(const TempDir&)> url;
};

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto s = OpenStore(GetParam().url(dir_), codec_, ids_, clock_);
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
  }

  Household NewHousehold(int seq) {
    Household h;
    h.region_code = 431023101201;
    h.head_name = "李明";
    h.head_id_number = jobaid::testing::IdNumberFor(431023, Date::FromCivil(1970, 1, 1), seq);
    h.poverty_type = "registered_poor";
    h.status = "lifted";
    h.phone = "13812345678";
    return h;
  }

  TempDir dir_;
  PiiCodec codec_ = PiiCodec::FromSeed("contract");
  IdGenerator ids_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContract, MigratesFromEmptyToTheNewestVersion) {
  auto v = store_->SchemaVersion();
  ASSERT_TRUE(v.ok());
  EXPECT_GE(*v, 1);
  // Migrating again is a no-op.
  EXPECT_EQ(*store_->Migrate(), *v);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

TEST_P(StoreContract, RoundTripsAHouseholdWithItsPersonalDataSealed) {
  Household h = NewHousehold(1);
  ASSERT_TRUE(store_->Write([&](Transaction& tx) { return tx.InsertHousehold(h); }).ok());
  EXPECT_EQ(h.meta.version, 1);
  Household got;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    auto r = tx.GetHousehold(h.id);
                    if (!r.ok()) return r.status();
                    got = *r;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(got.head_id_number, h.head_id_number);
  EXPECT_EQ(got.phone, "13812345678");
  // Found by the keyed hash of its ID number.
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    auto r = tx.FindHouseholdByHead(h.head_id_number);
                    EXPECT_TRUE(r.ok() && r->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(StoreContract, ADuplicateNaturalKeyIsAlreadyExists) {
  Household a = NewHousehold(2), b = NewHousehold(2);
  ASSERT_TRUE(store_->Write([&](Transaction& tx) { return tx.InsertHousehold(a); }).ok());
  auto s = store_->Write([&](Transaction& tx) { return tx.InsertHousehold(b); });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
}

TEST_P(StoreContract, AFailedTransactionLeavesNothingBehind) {
  Household a = NewHousehold(3), b = NewHousehold(4);
  auto s = store_->Write([&](Transaction& tx) -> absl::Status {
    EXPECT_TRUE(tx.InsertHousehold(a).ok());
    EXPECT_TRUE(tx.InsertHousehold(b).ok());
    return absl::InvalidArgumentError("row 3 is bad");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    EXPECT_EQ(tx.GetHousehold(a.id).status().code(), absl::StatusCode::kNotFound);
                    auto c = tx.CountRegister(domain::RegionRange::Nation());
                    EXPECT_EQ(c->households, 0);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(StoreContract, AStaleVersionIsAbortedAndChangesNothing) {
  Household h = NewHousehold(5);
  ASSERT_TRUE(store_->Write([&](Transaction& tx) { return tx.InsertHousehold(h); }).ok());
  Household first = h, second = h;
  first.address = "一组";
  second.address = "二组";
  ASSERT_TRUE(store_->Write([&](Transaction& tx) { return tx.UpdateHousehold(first); }).ok());
  EXPECT_EQ(first.meta.version, 2);
  auto s = store_->Write([&](Transaction& tx) { return tx.UpdateHousehold(second); });
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    EXPECT_EQ(tx.GetHousehold(h.id)->address, "一组");
                    return absl::OkStatus();
                  })
                  .ok());
  Household ghost = h;
  ghost.id = HouseholdId(12345);
  EXPECT_EQ(store_->Write([&](Transaction& tx) { return tx.UpdateHousehold(ghost); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreContract, MovingAHouseholdMovesItsMembers) {
  Household h = NewHousehold(6);
  Person p;
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    JA_RETURN_IF_ERROR(tx.InsertHousehold(h));
                    p.household_id = h.id;
                    p.region_code = h.region_code;
                    p.name = "李明";
                    p.id_number = h.head_id_number;
                    p.gender = "male";
                    p.birth_date = Date::FromCivil(1970, 1, 1);
                    p.relation = "head";
                    p.health = "healthy";
                    p.work_ability = "ordinary";
                    p.intention = "local";
                    return tx.InsertPerson(p);
                  })
                  .ok());
  h.region_code = 431023101202;
  ASSERT_TRUE(store_->Write([&](Transaction& tx) { return tx.UpdateHousehold(h); }).ok());
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    EXPECT_EQ(tx.GetPerson(p.id)->region_code, 431023101202);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(StoreContract, ListsPageThroughEveryRecordOnceInOrder) {
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    for (int i = 0; i < 23; ++i) {
                      Household h = NewHousehold(100 + i);
                      h.head_name = std::string("户") + static_cast<char>('A' + i % 5);
                      JA_RETURN_IF_ERROR(tx.InsertHousehold(h));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  for (bool desc : {false, true}) {
    HouseholdQuery q;
    q.page.sort = "head_name";
    q.page.descending = desc;
    q.page.limit = 5;
    std::vector<std::pair<std::string, int64_t>> seen;
    for (int pages = 0; pages < 10; ++pages) {
      Page<Household> page;
      ASSERT_TRUE(store_
                      ->Read([&](Transaction& tx) -> absl::Status {
                        JA_ASSIGN_OR_RETURN(page, tx.ListHouseholds(q));
                        return absl::OkStatus();
                      })
                      .ok());
      EXPECT_EQ(page.total, 23);
      for (const auto& h : page.items) seen.emplace_back(h.head_name, h.id.value());
      if (page.next_cursor.empty()) break;
      q.page.cursor = page.next_cursor;
    }
    ASSERT_EQ(seen.size(), 23u);
    auto sorted = seen;
    std::sort(sorted.begin(), sorted.end());
    if (desc) std::reverse(sorted.begin(), sorted.end());
    EXPECT_EQ(seen, sorted);
  }
  HouseholdQuery bad;
  bad.page.sort = "password";
  auto s = store_->Read([&](Transaction& tx) { return tx.ListHouseholds(bad).status(); });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(StoreContract, TheRegionScopeOfAListIsAPrefixRange) {
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    Household a = NewHousehold(200), b = NewHousehold(201);
                    b.region_code = 431021100201;  // another county
                    JA_RETURN_IF_ERROR(tx.InsertHousehold(a));
                    return tx.InsertHousehold(b);
                  })
                  .ok());
  HouseholdQuery q;
  q.scope = testing::Regions().Lookup("431023")->range();
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    auto page = tx.ListHouseholds(q);
                    EXPECT_EQ(page->total, 1);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(StoreContract, ABulkLoadRebuildsItsIndexesAndStillCatchesDuplicates) {
  // Unique indexes deferred by the caller's promise are verified when they come back.
  auto s = store_->Write([&](Transaction& tx) -> absl::Status {
    JA_RETURN_IF_ERROR(tx.BeginBulkLoad({"household"}, /*unique_checked_by_caller=*/true));
    Household a = NewHousehold(300), b = NewHousehold(300);
    JA_RETURN_IF_ERROR(tx.InsertHousehold(a));
    JA_RETURN_IF_ERROR(tx.InsertHousehold(b));  // the promise broken
    return tx.EndBulkLoad();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  // Kept promises load, and the indexes answer afterwards.
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    JA_RETURN_IF_ERROR(tx.BeginBulkLoad({"household"}, true));
                    for (int i = 0; i < 50; ++i) {
                      Household h = NewHousehold(400 + i);
                      JA_RETURN_IF_ERROR(tx.InsertHousehold(h));
                    }
                    return tx.EndBulkLoad();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    auto found = tx.FindHouseholdByHead(NewHousehold(420).head_id_number);
                    EXPECT_TRUE(found.ok() && found->has_value());
                    HouseholdQuery q;
                    q.scope = testing::Regions().Lookup("431023")->range();
                    EXPECT_EQ(tx.ListHouseholds(q)->total, 50);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_TRUE(store_->CheckIntegrity().ok());
  Household dup = NewHousehold(401);
  EXPECT_EQ(store_->Write([&](Transaction& tx) { return tx.InsertHousehold(dup); }).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(StoreContract, PersonalDataIsNotStoredInClear) {
  if (GetParam().name != "sqlite") GTEST_SKIP();
  Household h = NewHousehold(7);
  ASSERT_TRUE(store_->Write([&](Transaction& tx) { return tx.InsertHousehold(h); }).ok());
  store_.reset();
  auto bytes = std::filesystem::file_size(dir_.File("jobaid.db"));
  std::string all;
  for (const char* f : {"jobaid.db", "jobaid.db-wal"}) {
    std::ifstream in(dir_.File(f), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_GT(bytes, 0u);
  EXPECT_EQ(all.find(h.head_id_number), std::string::npos);
  EXPECT_EQ(all.find("13812345678"), std::string::npos);
}

TEST_P(StoreContract, ValuesSealedAheadAreWrittenAndFoundAsIfSealedOnTheSpot) {
  Household h = NewHousehold(8);
  SealedPii for_household;
  store_->SealAhead(h.head_id_number, h.phone, &for_household);
  Person p;
  p.name = "李明";
  p.id_number = h.head_id_number;
  p.gender = "male";
  p.birth_date = Date::FromCivil(1970, 1, 1);
  p.phone = "13900001111";
  p.relation = "head";
  p.health = "healthy";
  p.work_ability = "ordinary";
  p.intention = "local";
  SealedPii for_person;
  store_->SealAhead(p.id_number, p.phone, &for_person);
  EXPECT_EQ(for_person.id_sealed.find(p.id_number), std::string::npos);
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    JA_RETURN_IF_ERROR(tx.InsertHousehold(h, &for_household));
                    p.household_id = h.id;
                    p.region_code = h.region_code;
                    return tx.InsertPerson(p, &for_person);
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    auto person = tx.FindPersonByIdNumber(p.id_number);
                    EXPECT_TRUE(person.ok() && person->has_value());
                    if (person.ok() && person->has_value()) {
                      EXPECT_EQ((*person)->phone, "13900001111");
                    }
                    auto household = tx.FindHouseholdByHead(h.head_id_number);
                    EXPECT_TRUE(household.ok() && household->has_value());
                    if (household.ok() && household->has_value()) {
                      EXPECT_EQ((*household)->phone, "13812345678");
                    }
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(StoreContract, TheLogIsCopiedIntoTheDatabaseWhileTheStoreIsOpen) {
  if (GetParam().name != "sqlite") GTEST_SKIP();
  auto db_bytes = [&] { return std::filesystem::file_size(dir_.File("jobaid.db")); };
  auto before = db_bytes();
  // About 12 MB of log, well past the checkpoint threshold, in one commit.
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    for (int i = 0; i < 400; ++i) {
                      Household h = NewHousehold(1000 + i);
                      h.note = std::string(30000, 'x');
                      JA_RETURN_IF_ERROR(tx.InsertHousehold(h));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  // The commit leaves the pages in the log; the store's checkpoint thread copies them over.
  for (int i = 0; i < 500 && db_bytes() < before + 10'000'000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(db_bytes(), before + 10'000'000);
}

TEST_P(StoreContract, LaborTalliesFollowTheIndicatorDefinitions) {
  const Date today = Date::FromCivil(2026, 6, 1);
  int64_t worker = 0, migrant = 0;
  auto person = [&](const Household& h, int seq, Date born, const char* ability,
                    const char* intention) {
    Person p;
    p.household_id = h.id;
    p.region_code = h.region_code;
    p.name = "成员";
    p.id_number = jobaid::testing::IdNumberFor(431023, born, seq);
    p.gender = "male";
    p.birth_date = born;
    p.relation = "other";
    p.health = "healthy";
    p.work_ability = ability;
    p.intention = intention;
    return p;
  };
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    Household a = NewHousehold(500), b = NewHousehold(501);
                    b.region_code = 431023102201;  // another township
                    JA_RETURN_IF_ERROR(tx.InsertHousehold(a));
                    JA_RETURN_IF_ERROR(tx.InsertHousehold(b));
                    std::vector<Person> people = {
                        person(a, 1, Date::FromCivil(1986, 1, 1), "ordinary", "local"),  // laborer
                        person(a, 2, Date::FromCivil(1956, 1, 1), "ordinary", "local"),  // 70
                        person(a, 3, Date::FromCivil(2016, 1, 1), "none", "none"),       // 10
                        person(a, 4, Date::FromCivil(2010, 6, 1), "weak", "none"),       // 16 today
                        person(b, 5, Date::FromCivil(1961, 6, 2), "skilled", "out_of_province"),
                        person(b, 6, Date::FromCivil(1990, 1, 1), "lost", "none")};
                    for (Person& p : people) JA_RETURN_IF_ERROR(tx.InsertPerson(p));
                    worker = people[0].id.value();
                    migrant = people[4].id.value();
                    return absl::OkStatus();
                  })
                  .ok());
  domain::RegionRange county = testing::Regions().Lookup("431023")->range();
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    auto all = tx.CountLaborBy(county, county.hi - county.lo, today);
                    EXPECT_TRUE(all.ok()) << all.status();
                    if (!all.ok() || all->size() != 1) return absl::OkStatus();
                    const LaborCounts& c = all->front();
                    EXPECT_EQ(c.persons, 6);
                    EXPECT_EQ(c.households, 2);
                    // 40 and just-16 in a; 64 (born a day after 65 years back) in b.
                    EXPECT_EQ(c.laborers, 3);
                    EXPECT_EQ(c.with_intention, 2);
                    EXPECT_EQ(c.employed, 0);
                    EXPECT_EQ(c.zero_employment_households, 2);
                    auto by_township = tx.CountLaborBy(county, 1000, today);
                    EXPECT_TRUE(by_township.ok());
                    if (by_township.ok()) {
                      EXPECT_EQ(by_township->size(), 2u);
                      EXPECT_EQ(by_township->front().region, 431023101000);
                      EXPECT_EQ(by_township->front().laborers, 2);
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  if (GetParam().name != "sqlite") return;
  // Spells are written by a later part of the store; here straight into the table: one at
  // home, one in Shenzhen, one ended last year.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.File("jobaid.db").c_str(), &db), SQLITE_OK);
  std::string spells = absl::StrCat(
      "INSERT INTO employment (id, province_code, person_id, kind, region_code, start_date, "
      "end_date, created_at, updated_at) VALUES "
      "(1, 43, ",
      worker,
      ", 'local', 431023101000, '2026-03-01', '', 0, 0), "
      "(2, 43, ",
      migrant,
      ", 'out_of_province', 440304000000, '2025-09-01', '', 0, 0), "
      "(3, 43, ",
      worker, ", 'out_of_province', 440304000000, '2024-01-01', '2025-12-31', 0, 0)");
  EXPECT_EQ(sqlite3_exec(db, spells.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    auto all = tx.CountLaborBy(county, county.hi - county.lo, today);
                    EXPECT_TRUE(all.ok() && all->size() == 1);
                    if (!all.ok() || all->empty()) return absl::OkStatus();
                    EXPECT_EQ(all->front().employed, 2);
                    EXPECT_EQ(all->front().employed_with_intention, 2);
                    EXPECT_EQ(all->front().out_migrants, 1);
                    EXPECT_EQ(all->front().zero_employment_households, 0);
                    return absl::OkStatus();
                  })
                  .ok());
}

// SQLite always; PostgreSQL when the test command runs next to a server (scripts/with-postgres.sh
// sets JOBAID_TEST_PG), each test in a database of its own.
std::vector<Backend> Backends() {
  std::vector<Backend> out = {
      {"sqlite", [](const TempDir& d) { return "sqlite:" + d.File("jobaid.db"); }}};
  if (const char* pg = std::getenv("JOBAID_TEST_PG")) {
    out.push_back({"postgres", [admin = std::string(pg)](const TempDir&) {
                     return jobaid::testing::FreshPostgresDatabase(admin);
                   }});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace jobaid::storage
