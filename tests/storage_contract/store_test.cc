// The storage contract: every backend must pass these. Parameterised by backend so that
// PostgreSQL joins by adding a factory.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "analytics/indicators.h"
#include "analytics/register.h"
#include "common/status.h"
#include "storage/open_store.h"
#include "storage/postgres/pg_db.h"
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
    url_ = GetParam().url(dir_);
    auto s = OpenStore(url_, codec_, ids_, clock_);
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

  // Writes NewHousehold(seq) and its head, `name`, born on `born`; returns the head.
  Person NewHead(int seq, const std::string& name, Date born, Household* out = nullptr) {
    Household h = NewHousehold(seq);
    Person p;
    EXPECT_TRUE(store_
                    ->Write([&](Transaction& tx) -> absl::Status {
                      JA_RETURN_IF_ERROR(tx.InsertHousehold(h));
                      p.household_id = h.id;
                      p.region_code = h.region_code;
                      p.name = name;
                      p.id_number = h.head_id_number;
                      p.birth_date = born;
                      return tx.InsertPerson(p);
                    })
                    .ok());
    if (out != nullptr) *out = h;
    return p;
  }

  // A member of `h`, born on `born`, with an ID number of its own.
  Person Member(const Household& h, Date born, const char* ability, const char* intention) {
    Person p;
    p.household_id = h.id;
    p.region_code = h.region_code;
    p.name = "成员";
    p.id_number = jobaid::testing::IdNumberFor(h.region_code / 1000000, born, ++seq_);
    p.gender = "male";
    p.birth_date = born;
    p.relation = "other";
    p.health = "healthy";
    p.work_ability = ability;
    p.intention = intention;
    return p;
  }

  int seq_ = 700;
  TempDir dir_;
  PiiCodec codec_ = PiiCodec::FromSeed("contract");
  IdGenerator ids_;
  FakeClock clock_;
  std::string url_;
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

// Two servers on one PostgreSQL database: a change reaches the other's subscribers through the
// database, and this one's once, at commit (its listener skips what this store sent), so that
// they see each store's changes in commit order.
TEST_P(StoreContract, ChangesReachEachSubscriberOnce) {
  if (GetParam().name != "postgres") GTEST_SKIP();
  auto other = OpenStore(url_, codec_, ids_, clock_);
  ASSERT_TRUE(other.ok()) << other.status();
  absl::Mutex mu;
  std::vector<std::string> here, there;
  store_->Subscribe([&](const Change& c) {
    absl::MutexLock lock(&mu);
    here.push_back(c.Encode());
  });
  (*other)->Subscribe([&](const Change& c) {
    absl::MutexLock lock(&mu);
    there.push_back(c.Encode());
  });
  auto count = [&](const std::vector<std::string>& in, const std::string& what) {
    absl::MutexLock lock(&mu);
    return std::count(in.begin(), in.end(), what);
  };
  // Announces job `id` from `from` until `in` hears it (a listener may still be starting):
  // false after 10 s.
  auto hear = [&](Store& from, const std::vector<std::string>& in, int64_t id) {
    Change probe = Change::Record(Topic::kJob, id);
    for (int i = 0; i < 100; ++i) {
      EXPECT_TRUE(from.Write([&](Transaction& tx) {
                        tx.Notify(probe);
                        return absl::OkStatus();
                      })
                      .ok());
      absl::MutexLock lock(&mu);
      auto heard = [&] { return std::count(in.begin(), in.end(), probe.Encode()) > 0; };
      if (mu.AwaitWithTimeout(absl::Condition(&heard), absl::Milliseconds(100))) return true;
    }
    return false;
  };
  ASSERT_TRUE(hear(**other, here, 1000));
  ASSERT_TRUE(hear(*store_, there, 1001));
  SpellsChange spells{1, 431023101201, 2, {}};
  spells.spells.push_back({2, 431023101000, Date::FromDays(20000), Date(), false});
  spells.spells.push_back({2, 0, Date::FromDays(20100), Date::FromDays(20200), true});
  const std::string spells_text = Change::Spells(spells).Encode();
  EXPECT_EQ(spells_text, "spells:1 431023101201 2 431023101000,20000,,0 0,20100,20200,1");
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) {
                    tx.Notify(Change::Spells(spells));
                    tx.Notify(Change::Record(Topic::kHousehold, 1));
                    return absl::OkStatus();
                  })
                  .ok());
  // Changes arrive in commit order, so once a later marker is heard on both sides, any second
  // delivery of the ones before it would have been heard too.
  ASSERT_TRUE(hear(*store_, there, 1002));
  ASSERT_TRUE(hear(**other, here, 1003));
  for (const std::vector<std::string>* in : {&here, &there}) {
    EXPECT_EQ(count(*in, spells_text), 1);
    EXPECT_EQ(count(*in, "household:1"), 1);
  }
}

// Placeholders become $n outside quoted text and -- comments, which may hold an apostrophe or a
// question mark (the queries under storage/queries/ are commented).
TEST(PgPlaceholders, AreNumberedOutsideQuotesAndComments) {
  int n = 0;
  EXPECT_EQ(
      postgres::NumberPlaceholders("SELECT ?, '?', ? -- what's this? ?\nFROM t WHERE a = ?", &n),
      "SELECT $1, '?', $2 -- what's this? ?\nFROM t WHERE a = $3");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(postgres::NumberPlaceholders("SELECT 'a--b', ?", &n), "SELECT 'a--b', $1");
  EXPECT_EQ(n, 1);
}

// A change goes through a notification's text and back unchanged, of every topic: spells open
// and ended, by transfer or not, none at all; any other text is refused, naming the byte.
TEST(ChangeText, RoundTripsEveryTopicAndRefusesOtherText) {
  SpellsChange sc{375334184222737, 431023101201, 375334184222738, {}};
  sc.spells.push_back({sc.person_id, 431023101000, Date::FromCivil(2025, 3, 1), Date(), true});
  sc.spells.push_back(
      {sc.person_id, 440304000000, Date::FromCivil(2024, 1, 15), Date::FromCivil(2024, 12, 31)});
  std::vector<Change> all = {Change::Spells(sc),
                             Change::Spells({1, 2, 3, {}}),
                             Change::Register(domain::RegionRange::Nation()),
                             Change::Register({430000000000, 440000000000}),
                             Change::Session(std::string("\x01\xfe\x00z", 4)),
                             Change::Record(Topic::kHousehold, 7),
                             Change::Record(Topic::kPerson, 8),
                             Change::Record(Topic::kEmployer, 9),
                             Change::Record(Topic::kJob, 10),
                             Change::Record(Topic::kApplication, 11),
                             Change::Record(Topic::kUser, 12)};
  for (const Change& in : all) {
    absl::StatusOr<Change> out = Change::Decode(in.Encode());
    ASSERT_TRUE(out.ok()) << in.Encode() << ": " << out.status();
    EXPECT_EQ(out->topic, in.topic);
    EXPECT_EQ(out->Encode(), in.Encode());
    EXPECT_EQ(out->id, in.id);
    EXPECT_EQ(out->token_hash, in.token_hash);
    EXPECT_EQ(out->range.lo, in.range.lo);
    EXPECT_EQ(out->range.hi, in.range.hi);
    const SpellsChange &a = out->spells, &b = in.spells;
    EXPECT_EQ(a.household_id, b.household_id);
    EXPECT_EQ(a.region_code, b.region_code);
    EXPECT_EQ(a.person_id, b.person_id);
    ASSERT_EQ(a.spells.size(), b.spells.size());
    for (size_t i = 0; i < b.spells.size(); ++i) {
      EXPECT_EQ(a.spells[i].person_id, b.person_id);
      EXPECT_EQ(a.spells[i].region_code, b.spells[i].region_code);
      EXPECT_EQ(a.spells[i].start, b.spells[i].start);
      EXPECT_EQ(a.spells[i].end, b.spells[i].end);  // no date while open
      EXPECT_EQ(a.spells[i].by_transfer, b.spells[i].by_transfer);
    }
  }
  EXPECT_EQ(Change::Register(domain::RegionRange::Nation()).Encode(), "register:*");
  EXPECT_EQ(Change::Record(Topic::kPerson, 42).Encode(), "person:42");
  for (const char* bad : {"", "probe:1", "person", "person:", "person:x", "person:-3",
                          "register:5-2", "register:", "session:abc", "session:zz",
                          "spells:", "spells:12", "spells:1 2 x", "spells:1 2 3 4,5",
                          "spells:1 2 3 4,5,6,7,8", "spells:1 2 3 4,x,,0", "spells:1 2 3 4,5,,2"}) {
    absl::StatusOr<Change> c = Change::Decode(bad);
    EXPECT_FALSE(c.ok()) << bad;
    EXPECT_TRUE(absl::StrContains(c.status().message(), "at byte")) << c.status();
  }
}

// Every byte the store keeps for its database: SQLite's file and log; PostgreSQL's files of
// this database after a checkpoint, and every row of every table as text (bytea as hex).
std::string StoredBytes(const std::string& backend, const std::string& url, const TempDir& dir) {
  std::string all;
  auto slurp = [&](const std::filesystem::path& f) {
    std::ifstream in(f, std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), {});
  };
  if (backend == "sqlite") {
    for (const char* f : {"jobaid.db", "jobaid.db-wal"}) slurp(dir.File(f));
    return all;
  }
  PGconn* c = PQconnectdb(url.c_str());
  EXPECT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  auto query = [&](const std::string& sql) {
    std::vector<std::string> out;
    PGresult* r = PQexec(c, sql.c_str());
    EXPECT_TRUE(PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK)
        << sql << ": " << PQerrorMessage(c);
    for (int i = 0; i < PQntuples(r); ++i) out.emplace_back(PQgetvalue(r, i, 0));
    PQclear(r);
    return out;
  };
  query("CHECKPOINT");
  std::string data = query("SHOW data_directory").at(0);
  std::string oid = query("SELECT oid FROM pg_database WHERE datname = current_database()").at(0);
  for (const auto& f :
       std::filesystem::recursive_directory_iterator(std::filesystem::path(data) / "base" / oid)) {
    if (f.is_regular_file()) slurp(f.path());
  }
  for (const std::string& table :
       query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
    for (const std::string& row : query(absl::StrCat("SELECT t::text FROM \"", table, "\" t"))) {
      all += row;
    }
  }
  PQfinish(c);
  return all;
}

TEST_P(StoreContract, PersonalDataIsNotStoredInClear) {
  Household h = NewHousehold(7);
  ASSERT_TRUE(store_->Write([&](Transaction& tx) { return tx.InsertHousehold(h); }).ok());
  Person p = Member(h, Date::FromCivil(1990, 6, 1), "ordinary", "local");
  p.phone = "13987654321";
  ASSERT_TRUE(store_->Write([&](Transaction& tx) { return tx.InsertPerson(p); }).ok());
  store_.reset();
  std::string all = StoredBytes(GetParam().name, url_, dir_);
  EXPECT_GT(all.size(), 10000u);
  // Nor as the hex text PostgreSQL shows bytea in.
  auto hex = [](const std::string& s) { return absl::BytesToHexString(s); };
  for (const std::string& clear :
       {h.head_id_number, p.id_number, std::string("13812345678"), std::string("13987654321")}) {
    EXPECT_EQ(all.find(clear), std::string::npos) << clear;
    EXPECT_EQ(all.find(hex(clear)), std::string::npos) << clear;
  }
  // The test would see them: the names, stored in clear, are there.
  EXPECT_NE(all.find("李明"), std::string::npos);
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
  auto person = [&](const Household& h, int, Date born, const char* ability,
                    const char* intention) { return Member(h, born, ability, intention); };
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
                    auto all = tx.CountIndicators(county, county.hi - county.lo, today);
                    EXPECT_TRUE(all.ok()) << all.status();
                    if (!all.ok() || all->size() != 1) return absl::OkStatus();
                    const domain::IndicatorCounts& c = all->front();
                    EXPECT_EQ(c.persons, 6);
                    EXPECT_EQ(c.households, 2);
                    // 40 and just-16 in a; 64 (born a day after 65 years back) in b.
                    EXPECT_EQ(c.laborers, 3);
                    EXPECT_EQ(c.with_intention, 2);
                    EXPECT_EQ(c.employed, 0);
                    EXPECT_EQ(c.zero_employment_households, 2);
                    auto by_township = tx.CountIndicators(county, 1000, today);
                    EXPECT_TRUE(by_township.ok());
                    if (by_township.ok()) {
                      EXPECT_EQ(by_township->size(), 2u);
                      EXPECT_EQ(by_township->front().region, 431023101000);
                      EXPECT_EQ(by_township->front().laborers, 2);
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  // Spells: one at home, one in Shenzhen, one ended last year.
  auto spell = [](int64_t person, const char* kind, int64_t where, Date start, Date end) {
    domain::Employment e;
    e.person_id = PersonId(person);
    e.kind = kind;
    e.region_code = where;
    e.start_date = start;
    e.end_date = end;
    return e;
  };
  ASSERT_TRUE(
      store_
          ->Write([&](Transaction& tx) -> absl::Status {
            for (domain::Employment e :
                 {spell(worker, "local", 431023101000, Date::FromCivil(2026, 3, 1), {}),
                  spell(migrant, "out_of_province", 440304000000, Date::FromCivil(2025, 9, 1), {}),
                  spell(worker, "out_of_province", 440304000000, Date::FromCivil(2024, 1, 1),
                        Date::FromCivil(2025, 12, 31))}) {
              JA_RETURN_IF_ERROR(tx.InsertEmployment(e));
            }
            return absl::OkStatus();
          })
          .ok());
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    auto all = tx.CountIndicators(county, county.hi - county.lo, today);
                    EXPECT_TRUE(all.ok() && all->size() == 1);
                    if (!all.ok() || all->empty()) return absl::OkStatus();
                    EXPECT_EQ(all->front().employed, 2);
                    EXPECT_EQ(all->front().employed_with_intention, 2);
                    EXPECT_EQ(all->front().out_migrants(), 1);
                    EXPECT_EQ(all->front().zero_employment_households, 0);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(StoreContract, SpellsRoundTripAndListByStartDate) {
  Person p = NewHead(600, "王工", Date::FromCivil(1970, 1, 1));
  domain::Employment later, earlier;
  later.person_id = earlier.person_id = p.id;
  later.kind = "out_of_province";
  later.region_code = 440304000000;
  later.start_date = Date::FromCivil(2026, 3, 1);
  later.monthly_income = 520000;
  later.how_found = "match";
  earlier.kind = "local";
  earlier.region_code = 431023101000;
  earlier.start_date = Date::FromCivil(2025, 1, 1);
  earlier.end_date = Date::FromCivil(2025, 12, 31);
  earlier.part_time = true;
  domain::Employment nobody = earlier;
  nobody.person_id = PersonId(12345);
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    JA_RETURN_IF_ERROR(tx.InsertEmployment(later));
                    JA_RETURN_IF_ERROR(tx.InsertEmployment(earlier));
                    absl::Status missing = tx.InsertEmployment(nobody);
                    EXPECT_TRUE(absl::IsNotFound(missing)) << missing;
                    EXPECT_EQ(FieldOf(missing), "person_id");
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    auto all = tx.ListEmploymentOf(p.id);
                    EXPECT_TRUE(all.ok());
                    if (!all.ok() || all->size() != 2) return absl::InternalError("two spells");
                    EXPECT_EQ((*all)[0].id, earlier.id);
                    EXPECT_TRUE((*all)[0].part_time);
                    EXPECT_EQ((*all)[0].end_date, Date::FromCivil(2025, 12, 31));
                    EXPECT_EQ((*all)[1].monthly_income, 520000);
                    EXPECT_FALSE((*all)[1].end_date.valid());
                    EXPECT_EQ((*all)[1].how_found, "match");
                    domain::Employment e = (*all)[1];
                    e.end_date = Date::FromCivil(2026, 5, 31);
                    JA_RETURN_IF_ERROR(tx.UpdateEmployment(e));
                    EXPECT_EQ(e.meta.version, 2);
                    domain::Employment stale = (*all)[1];
                    EXPECT_TRUE(absl::IsAborted(tx.UpdateEmployment(stale)));
                    auto got = tx.GetEmployment(e.id);
                    EXPECT_TRUE(got.ok() && got->end_date == Date::FromCivil(2026, 5, 31));
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(StoreContract, AVerificationIsStampedOncePerPersonAndFiltersTheList) {
  Household h;
  Person p = NewHead(610, "李核", Date::FromCivil(1980, 1, 1), &h);
  auto unverified_since = [&](int64_t since) {
    storage::PersonQuery q;
    q.household_id = h.id;
    q.unverified_since = since;
    size_t n = 0;
    EXPECT_TRUE(store_
                    ->Read([&](Transaction& tx) -> absl::Status {
                      JA_ASSIGN_OR_RETURN(auto page, tx.ListPersons(q));
                      n = page.items.size();
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  };
  EXPECT_EQ(unverified_since(1000), 1u);  // never checked
  for (int64_t at : {5000, 9000}) {       // a second check replaces the first
    ASSERT_TRUE(store_
                    ->Write([&](Transaction& tx) -> absl::Status {
                      return tx.PutVerification(p, at, UserId(7));
                    })
                    .ok());
  }
  EXPECT_EQ(unverified_since(9000), 0u);
  EXPECT_EQ(unverified_since(9001), 1u);
}

TEST_P(StoreContract, AHouseholdsIncomeIsOneRowPerYear) {
  Household h = NewHousehold(620);
  ASSERT_TRUE(store_->Write([&](Transaction& tx) { return tx.InsertHousehold(h); }).ok());
  domain::HouseholdIncome y;
  y.household_id = h.id;
  y.year = 2025;
  y.wage = 100;
  y.transfer = 50;
  domain::HouseholdIncome older = y;
  older.year = 2024;
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    JA_RETURN_IF_ERROR(tx.PutHouseholdIncome(h, y));
                    JA_RETURN_IF_ERROR(tx.PutHouseholdIncome(h, older));
                    y.wage = 300;  // the year again: replaced
                    return tx.PutHouseholdIncome(h, y);
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    JA_ASSIGN_OR_RETURN(auto years, tx.ListHouseholdIncome(h));
                    EXPECT_EQ(years.size(), 2u);
                    if (years.size() != 2) return absl::OkStatus();
                    EXPECT_EQ(years[0].year, 2024);
                    EXPECT_EQ(years[1].wage, 300);
                    EXPECT_EQ(years[1].total(), 350);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(StoreContract, ApplicationsAreOnePerPersonAndJobWithTheirEvents) {
  Household h = NewHousehold(700);
  Person p;
  domain::Employer e;
  domain::Job j;
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    JA_RETURN_IF_ERROR(tx.InsertHousehold(h));
                    p.household_id = h.id;
                    p.region_code = h.region_code;
                    p.name = "张三";
                    p.id_number = h.head_id_number;
                    JA_RETURN_IF_ERROR(tx.InsertPerson(p));
                    e.credit_code = "91430000MA4L000001";
                    e.name = "湘南电子厂";
                    e.region_code = 431023000000;
                    JA_RETURN_IF_ERROR(tx.InsertEmployer(e));
                    j.employer_id = e.id;
                    j.title = "普工";
                    j.region_code = 431023000000;
                    j.kind = "regular";
                    j.status = "open";
                    return tx.InsertJob(j);
                  })
                  .ok());
  domain::Application a;
  a.person_id = p.id;
  a.job_id = j.id;
  a.employer_id = e.id;
  a.region_code = p.region_code;
  a.state = "recommended";
  a.score = 81.5;
  a.reasons = "技能匹配：电焊";
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    JA_RETURN_IF_ERROR(tx.InsertApplication(a));
                    domain::ApplicationEvent ev{a.id, "", "recommended", "", UserId(), 0};
                    return tx.InsertApplicationEvent(ev);
                  })
                  .ok());
  domain::Application twice = a;
  twice.id = ApplicationId();
  absl::Status dup = store_->Write([&](Transaction& tx) { return tx.InsertApplication(twice); });
  EXPECT_TRUE(absl::IsAlreadyExists(dup)) << dup;
  EXPECT_EQ(FieldOf(dup), "job_id");
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    JA_ASSIGN_OR_RETURN(std::optional<domain::Application> found,
                                        tx.FindApplication(p.id, j.id));
                    EXPECT_TRUE(found.has_value());
                    if (!found) return absl::OkStatus();
                    EXPECT_DOUBLE_EQ(found->score, 81.5);
                    EXPECT_EQ(found->reasons, "技能匹配：电焊");
                    found->state = "applied";
                    JA_RETURN_IF_ERROR(tx.UpdateApplication(*found));
                    domain::ApplicationEvent ev{a.id, "recommended", "applied", "", UserId(7), 0};
                    JA_RETURN_IF_ERROR(tx.InsertApplicationEvent(ev));
                    EXPECT_TRUE(absl::IsAborted(tx.UpdateApplication(a)));  // stale
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    ApplicationQuery q;
                    q.employer_id = e.id;
                    JA_ASSIGN_OR_RETURN(auto mine, tx.ListApplications(q));
                    EXPECT_EQ(mine.total, 1);
                    q.employer_id = EmployerId(999);
                    JA_ASSIGN_OR_RETURN(auto other, tx.ListApplications(q));
                    EXPECT_EQ(other.total, 0);
                    ApplicationQuery by_state;
                    by_state.scope = testing::Regions().Lookup("431023")->range();
                    by_state.state = "applied";
                    JA_ASSIGN_OR_RETURN(auto applied, tx.ListApplications(by_state));
                    EXPECT_EQ(applied.total, 1);
                    by_state.scope = domain::RegionRange{440100000000, 440200000000};
                    JA_ASSIGN_OR_RETURN(auto elsewhere, tx.ListApplications(by_state));
                    EXPECT_EQ(elsewhere.total, 0);
                    JA_ASSIGN_OR_RETURN(auto events, tx.ListApplicationEvents(a.id));
                    EXPECT_EQ(events.size(), 2u);
                    if (events.size() == 2) {
                      EXPECT_EQ(events[0].to_state, "recommended");
                      EXPECT_EQ(events[1].from_state, "recommended");
                      EXPECT_EQ(events[1].user_id, UserId(7));
                      EXPECT_GT(events[1].at, 0);
                    }
                    JA_ASSIGN_OR_RETURN(domain::Job again, tx.GetJob(j.id));
                    EXPECT_EQ(again.hired, 0);
                    return absl::OkStatus();
                  })
                  .ok());
}

// SQLite always; PostgreSQL when the test command runs next to a server (scripts/with-postgres.sh
// sets JOBAID_TEST_PG), each test in a database of its own.
// ---- indicators: the SQL of CountIndicators and the engine's analytics::Register ----

// Everything the store holds in `range`, loaded into an analytics::Register.
analytics::Register LoadRegister(Store& store, domain::RegionRange range = {}) {
  analytics::Register::Columns cols;
  EXPECT_TRUE(store
                  .Read([&](Transaction& tx) {
                    return cols.Scan([&](domain::FactSink& sink) {
                      return tx.ScanFacts(FactFilter{range, 0}, sink);
                    });
                  })
                  .ok());
  analytics::Register reg;
  reg.Reset(std::move(cols));
  return reg;
}

std::vector<domain::IndicatorCounts> SqlCounts(Store& store, domain::RegionRange range,
                                               int64_t unit, Date day) {
  std::vector<domain::IndicatorCounts> out;
  absl::Status s = store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(out, tx.CountIndicators(range, unit, day));
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

std::string Describe(const std::vector<domain::IndicatorCounts>& v) {
  std::string out;
  for (const auto& c : v) {
    absl::StrAppend(
        &out, c.region, ": persons ", c.persons, " households ", c.households, " laborers ",
        c.laborers, " wanting ", c.with_intention, " employed ", c.employed, " employed wanting ",
        c.employed_with_intention, " local ", c.employed_local, " out of county ",
        c.employed_out_of_county, " out of province ", c.employed_out_of_province, " transferred ",
        c.transferred, " organised ", c.organised, " stable ", c.stable, " with laborers ",
        c.households_with_laborers, " zero ", c.zero_employment_households, " relocated ",
        c.relocated_laborers, "/", c.relocated_employed, "/", c.relocated_households, "/",
        c.relocated_households_employed, " income ", c.income_households, "/", c.income_work, "/",
        c.income_total, " out at last year's end ", c.out_migrants_year_end, "\n");
  }
  return out;
}

class Registers : public StoreContract {
 protected:
  static domain::Employment Spell(const Person& p, int64_t where, Date start, Date end,
                                  const char* how = "self", bool part_time = false) {
    domain::Employment e;
    e.person_id = p.id;
    e.kind = "local";
    e.region_code = where;
    e.start_date = start;
    e.end_date = end;
    e.how_found = how;
    e.part_time = part_time;
    return e;
  }
};

// Two writers each add a spell to one person after checking that they have none: TouchPerson
// makes the later one start again (PostgreSQL) or wait (SQLite), so it sees the other's spell,
// as the one-full-time-spell rule and the announcement of a person's spells need.
TEST_P(Registers, WritersOfOnePersonsSpellsTakeTurns) {
  Household h = NewHousehold(950);
  Person p;
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    JA_RETURN_IF_ERROR(tx.InsertHousehold(h));
                    p = Member(h, Date::FromCivil(1990, 5, 6), "ordinary", "local");
                    return tx.InsertPerson(p);
                  })
                  .ok());
  absl::Notification first_read;
  std::atomic<int> attempts{0};
  auto add_unless_employed = [&](bool first) {
    return store_->Write([&](Transaction& tx) -> absl::Status {
      ++attempts;
      JA_ASSIGN_OR_RETURN(auto spells, tx.ListEmploymentOf(p.id));
      JA_RETURN_IF_ERROR(tx.TouchPerson(p.id));
      if (first) {
        first_read.Notify();
        // The other one starts and waits behind this one (PostgreSQL: at TouchPerson; SQLite:
        // for the write lock, so it cannot start before this commits and the wait runs out).
        jobaid::testing::WaitUntil(std::chrono::milliseconds(300), [&] { return attempts >= 2; });
      }
      if (!spells.empty()) return absl::OkStatus();
      domain::Employment e =
          Spell(p, 431023101000, Date::FromCivil(2026, first ? 1 : 2, 1), Date(), "self");
      return tx.InsertEmployment(e);
    });
  };
  absl::Status a, b;
  std::thread one([&] { a = add_unless_employed(true); });
  first_read.WaitForNotification();
  std::thread two([&] { b = add_unless_employed(false); });
  one.join();
  two.join();
  EXPECT_TRUE(a.ok()) << a;
  EXPECT_TRUE(b.ok()) << b;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    JA_ASSIGN_OR_RETURN(auto spells, tx.ListEmploymentOf(p.id));
                    EXPECT_EQ(spells.size(), 1u);
                    return absl::OkStatus();
                  })
                  .ok());
  if (GetParam().name == "postgres") {
    EXPECT_EQ(attempts.load(), 3);  // the second ran twice
  }
}

// A bulk load (rows sent in bulk by PostgreSQL's driver) keeps every value as given, lets the
// transaction read what it wrote, and leaves nothing behind when it fails.
TEST_P(Registers, ABulkLoadWritesEveryValueAsGivenOrNothing) {
  Household h = NewHousehold(900);
  h.head_name = "王\t小\\明\n二";    // a tab, a backslash, a line break
  h.address = "村口\r\n'引号' \\N";  // and what COPY would read as NULL unescaped
  h.note = "";
  Person p = Member(h, Date::FromCivil(1990, 5, 6), "ordinary", "local");
  domain::Employment e;
  domain::HouseholdIncome income;
  absl::Status s = store_->Write([&](Transaction& tx) -> absl::Status {
    JA_RETURN_IF_ERROR(tx.BeginBulkLoad({"household", "person", "employment", "household_income"},
                                        /*unique_checked_by_caller=*/true));
    JA_RETURN_IF_ERROR(tx.InsertHousehold(h));
    p.household_id = h.id;
    JA_RETURN_IF_ERROR(tx.InsertPerson(p));
    e = Spell(p, 440304000000, Date::FromCivil(2026, 3, 1), Date());
    JA_RETURN_IF_ERROR(tx.InsertEmployment(e));
    income.household_id = h.id;
    income.year = 2025;
    income.wage = 3'600'000;
    income.transfer = 50'000;
    JA_RETURN_IF_ERROR(tx.PutHouseholdIncome(h, income));
    // Read back within the load.
    JA_ASSIGN_OR_RETURN(Household again, tx.GetHousehold(h.id));
    EXPECT_EQ(again.head_name, h.head_name);
    return tx.EndBulkLoad();
  });
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    JA_ASSIGN_OR_RETURN(Household got, tx.GetHousehold(h.id));
                    EXPECT_EQ(got.head_name, h.head_name);
                    EXPECT_EQ(got.address, h.address);
                    EXPECT_EQ(got.head_id_number, h.head_id_number);
                    EXPECT_EQ(got.phone, h.phone);
                    JA_ASSIGN_OR_RETURN(Person person, tx.GetPerson(p.id));
                    EXPECT_EQ(person.id_number, p.id_number);
                    EXPECT_EQ(person.birth_date, p.birth_date);
                    EXPECT_EQ(person.intention, "local");
                    JA_ASSIGN_OR_RETURN(auto spells, tx.ListEmploymentOf(p.id));
                    EXPECT_EQ(spells.size(), 1u);
                    if (!spells.empty()) {
                      EXPECT_EQ(spells[0].start_date, e.start_date);
                      EXPECT_FALSE(spells[0].end_date.valid());
                      EXPECT_EQ(spells[0].region_code, 440304000000);
                    }
                    JA_ASSIGN_OR_RETURN(auto incomes, tx.ListHouseholdIncome(got));
                    EXPECT_EQ(incomes.size(), 1u);
                    if (!incomes.empty()) {
                      EXPECT_EQ(incomes[0].year, 2025);
                      EXPECT_EQ(incomes[0].wage, 3'600'000);
                      EXPECT_EQ(incomes[0].transfer, 50'000);
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  // The keys and indexes set aside for the load are back.
  Person orphan = Member(h, Date::FromCivil(1991, 1, 1), "ordinary", "none");
  orphan.household_id = HouseholdId(987654321);
  EXPECT_EQ(store_->Write([&](Transaction& tx) { return tx.InsertPerson(orphan); }).code(),
            absl::StatusCode::kFailedPrecondition);
  Person twin = Member(h, Date::FromCivil(1992, 2, 2), "ordinary", "none");
  twin.id_number = p.id_number;
  EXPECT_EQ(store_->Write([&](Transaction& tx) { return tx.InsertPerson(twin); }).code(),
            absl::StatusCode::kAlreadyExists);
  // A load that fails half-way leaves nothing, though some rows had been sent.
  s = store_->Write([&](Transaction& tx) -> absl::Status {
    JA_RETURN_IF_ERROR(tx.BeginBulkLoad({"household"}, true));
    for (int i = 0; i < 20; ++i) {
      Household more = NewHousehold(1000 + i);
      JA_RETURN_IF_ERROR(tx.InsertHousehold(more));
    }
    JA_ASSIGN_OR_RETURN(storage::RegisterCounts c, tx.CountRegister(domain::RegionRange::Nation()));
    EXPECT_EQ(c.households, 21);
    return absl::InternalError("stopped on purpose");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) -> absl::Status {
                    JA_ASSIGN_OR_RETURN(storage::RegisterCounts c,
                                        tx.CountRegister(domain::RegionRange::Nation()));
                    EXPECT_EQ(c.households, 1);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(Registers, IndicatorTalliesOfAHandMadeRegister) {
  using D = Date;
  const int64_t changsha = 430102000000, shenzhen = 440304000000;
  ASSERT_TRUE(
      store_
          ->Write([&](Transaction& tx) -> absl::Status {
            Household a = NewHousehold(1), b = NewHousehold(2), c = NewHousehold(3),
                      d = NewHousehold(4), e = NewHousehold(5), f = NewHousehold(6);
            b.region_code = 431023102201;  // another township
            b.poverty_type = f.poverty_type = "relocated";
            c.region_code = 431023101202;
            c.poverty_type = "monitored";
            f.region_code = 431023102202;
            for (Household* h : {&a, &b, &c, &d, &e, &f})
              JA_RETURN_IF_ERROR(tx.InsertHousehold(*h));
            e.meta.deleted_at = 1;  // a deleted household with a live member
            JA_RETURN_IF_ERROR(tx.UpdateHousehold(e));
            Person a1 = Member(a, D::FromCivil(1986, 1, 1), "ordinary", "local"),
                   a2 = Member(a, D::FromCivil(1956, 1, 1), "ordinary", "local"),  // 70
                a3 = Member(a, D::FromCivil(1990, 1, 1), "lost", "none"),
                   a4 = Member(a, D::FromCivil(1995, 1, 1), "ordinary", "in_province"),
                   b1 = Member(b, D::FromCivil(1980, 1, 1), "skilled", "out_of_province"),
                   b2 = Member(b, D::FromCivil(2000, 1, 1), "ordinary", "in_province"),
                   b3 = Member(b, D::FromCivil(1970, 1, 1), "weak", "none"),
                   c1 = Member(c, D::FromCivil(1975, 1, 1), "ordinary", "local"),
                   c2 = Member(c, D::FromCivil(1961, 6, 2), "ordinary", "none"),  // 64
                d1 = Member(d, D::FromCivil(1985, 1, 1), "ordinary", "local"),
                   e1 = Member(e, D::FromCivil(1985, 1, 1), "ordinary", "local"),
                   f1 = Member(f, D::FromCivil(1950, 1, 1), "ordinary", "none");
            for (Person* p : {&a1, &a2, &a3, &a4, &b1, &b2, &b3, &c1, &c2, &d1, &e1, &f1}) {
              JA_RETURN_IF_ERROR(tx.InsertPerson(*p));
            }
            d1.meta.deleted_at = 1;
            JA_RETURN_IF_ERROR(tx.UpdatePerson(d1));
            for (domain::Employment s :
                 {Spell(a1, 431023101000, D::FromCivil(2026, 3, 1), {}),           // 4 months
                  Spell(a2, 431023101000, D::FromCivil(2020, 3, 1), {}),           // not a laborer
                  Spell(a4, changsha, D::FromCivil(2026, 1, 15), {}, "transfer"),  // 6 months
                  Spell(b1, shenzhen, D::FromCivil(2025, 1, 1), {}, "transfer"),
                  Spell(b2, changsha, D::FromCivil(2025, 10, 1), D::FromCivil(2026, 5, 31)),
                  Spell(b2, 431023101000, D::FromCivil(2026, 5, 20), {}, "fair", true),
                  Spell(c1, 431023101000, D::FromCivil(2025, 3, 1), D::FromCivil(2025, 12, 31)),
                  Spell(d1, shenzhen, D::FromCivil(2025, 3, 1), {}),
                  Spell(e1, shenzhen, D::FromCivil(2025, 3, 1), {})}) {
              JA_RETURN_IF_ERROR(tx.InsertEmployment(s));
            }
            domain::Employment gone = Spell(c1, shenzhen, D::FromCivil(2026, 1, 1), {});
            JA_RETURN_IF_ERROR(tx.InsertEmployment(gone));
            gone.meta.deleted_at = 1;
            JA_RETURN_IF_ERROR(tx.UpdateEmployment(gone));
            auto income = [&](const Household& h, int year, int64_t wage, int64_t business,
                              int64_t property, int64_t transfer) {
              domain::HouseholdIncome i;
              i.household_id = h.id;
              i.year = year;
              i.wage = wage;
              i.business = business;
              i.property = property;
              i.transfer = transfer;
              return tx.PutHouseholdIncome(h, i);
            };
            JA_RETURN_IF_ERROR(income(b, 2025, 3'000'000, 0, 10'000, 490'000));
            JA_RETURN_IF_ERROR(income(c, 2025, 800'000, 200'000, 0, 1'000'000));
            JA_RETURN_IF_ERROR(income(c, 2024, 1, 0, 0, 0));        // another year
            JA_RETURN_IF_ERROR(income(f, 2025, 0, 0, 0, 900'000));  // no laborers
            return absl::OkStatus();
          })
          .ok());

  domain::IndicatorCounts want;
  want.region = 431023000000;
  want.persons = 10;  // A 4, B 3, C 2, F 1
  want.households = 4;
  want.laborers = 7;  // a1 a4 b1 b2 b3 c1 c2
  want.with_intention = 5;
  want.employed = 4;  // a1 a4 b1 b2
  want.employed_with_intention = 4;
  want.employed_local = 2;            // a1 at home, b2 part-time in the other township
  want.employed_out_of_county = 1;    // a4 in Changsha
  want.employed_out_of_province = 1;  // b1 in Shenzhen
  want.transferred = 3;               // a4 b1 b2
  want.organised = 2;                 // a4 b1
  want.stable = 3;                    // a4 (6 months) b1 (12) b2 (9); a1 has 4
  want.households_with_laborers = 3;
  want.zero_employment_households = 1;  // C
  want.relocated_laborers = 3;
  want.relocated_employed = 2;
  want.relocated_households = 1;
  want.relocated_households_employed = 1;
  want.income_households = 2;  // B and C in 2025; F has no laborers
  want.income_work = 4'000'000;
  want.income_total = 5'500'000;
  want.out_migrants_year_end = 2;  // b1 in Shenzhen, b2 in Changsha on 2025-12-31

  domain::RegionRange county = testing::Regions().Lookup("431023")->range();
  const Date day = Date::FromCivil(2026, 6, 1);
  std::vector<domain::IndicatorCounts> sql = SqlCounts(*store_, county, 1000000, day);
  ASSERT_EQ(sql.size(), 1u);
  EXPECT_EQ(sql[0], want) << Describe(sql);
  analytics::Register reg = LoadRegister(*store_);
  std::vector<Date> days = {day};
  auto engine = reg.Count(county, 1000000, days);
  ASSERT_EQ(engine[0].size(), 1u);
  EXPECT_EQ(engine[0][0], want) << Describe(engine[0]);

  // Each indicator of docs/INDICATORS.md from those tallies: numerator and denominator by hand.
  struct Expected {
    const char* key;
    int64_t numerator, denominator;
  };
  const Expected expected[] = {
      {"laborers", 7, 10},                            // of the persons registered
      {"employed", 4, 7},                             // of the laborers
      {"employed_local", 2, 4},                       // a1 b2, of the employed
      {"employed_out_of_county", 1, 4},               // a4
      {"employed_out_of_province", 1, 4},             // b1
      {"out_migrants", 2, 4},                         // a4 b1
      {"going_out_ratio", 2, 2},                      // against b1 b2 at the end of 2025
      {"transfer_rate", 3, 7},                        // a4 b1 b2 outside the township
      {"organisation_rate", 2, 3},                    // a4 b1 by transfer
      {"intention_employment_rate", 4, 5},            // a1 a4 b1 b2 of a1 a4 b1 b2 c1
      {"work_stability", 3, 4},                       // a4 b1 b2
      {"work_income_share", 4'000'000, 5'500'000},    // B and C in 2025
      {"zero_employment_households", 1, 3},           // C of A B C
      {"relocated_employment_rate", 2, 3},            // b1 b2 of b1 b2 b3
      {"relocated_household_employment_rate", 1, 1},  // B
  };
  std::vector<analytics::Figure> figures = analytics::FiguresOf(engine[0][0]);
  ASSERT_EQ(figures.size(), std::size(expected));
  for (size_t i = 0; i < figures.size(); ++i) {
    const Expected& e = expected[i];
    EXPECT_EQ(figures[i].def->key, e.key);
    EXPECT_EQ(figures[i].numerator, e.numerator) << e.key;
    EXPECT_EQ(figures[i].denominator, e.denominator) << e.key;
    ASSERT_TRUE(figures[i].value().has_value()) << e.key;
    // A count is its numerator (the denominator is its base); a rate the quotient.
    EXPECT_DOUBLE_EQ(*figures[i].value(),
                     figures[i].def->kind == analytics::FigureKind::kCount
                         ? static_cast<double>(e.numerator)
                         : static_cast<double>(e.numerator) / static_cast<double>(e.denominator))
        << e.key;
  }

  // By township: 101 holds A and C, 102 holds B and F.
  auto by_township = reg.Count(county, 1000, days)[0];
  ASSERT_EQ(by_township.size(), 2u);
  EXPECT_EQ(by_township[0].region, 431023101000);
  EXPECT_EQ(by_township[0].persons, 6);
  EXPECT_EQ(by_township[0].laborers, 4);
  EXPECT_EQ(by_township[0].employed, 2);
  EXPECT_EQ(by_township[1].laborers, 3);
  EXPECT_EQ(by_township[1].employed, 2);
  EXPECT_EQ(by_township, SqlCounts(*store_, county, 1000, day));

  // The end of last year: c1 still worked (the last day counts), b2 was in Changsha.
  days = {Date::FromCivil(2025, 12, 31)};
  auto then = reg.Count(county, 1000000, days)[0];
  ASSERT_EQ(then.size(), 1u);
  EXPECT_EQ(then[0].employed, 3);  // b1 b2 c1
  EXPECT_EQ(then[0].out_migrants(), 2);
  EXPECT_EQ(then[0].income_households, 1);  // 2024: C only
  EXPECT_EQ(then, SqlCounts(*store_, county, 1000000, days[0])) << Describe(then);
}

// Random registers: the engine and the SQL agree on every tally, for every level and several
// days, after loading and after changes that the engine takes a household at a time.
TEST_P(Registers, EngineAgreesWithSqlOnRandomRegisters) {
  std::mt19937 rng(20261126);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::vector<int64_t> villages = {431023101201, 431023101202, 431023102201,
                                         431023102202, 431002001001, 430102001001};
  const std::vector<int64_t> workplaces = {431023101000, 431023102000, 431002000000,
                                           430102000000, 440304000000, 330100000000};
  const char* abilities[] = {"skilled", "ordinary", "weak", "lost", "none"};
  const char* intentions[] = {"none", "local", "in_province", "out_of_province"};
  const char* hows[] = {"match", "fair", "transfer", "self"};
  auto random_date = [&](int from_year, int years) {
    return Date::FromCivil(from_year + pick(years), 1 + pick(12), 1 + pick(28));
  };
  // Writes a random household with members, spells and incomes.
  auto add_household = [&](Transaction& tx) -> absl::StatusOr<Household> {
    Household h = NewHousehold(++seq_);
    h.head_id_number =  // born before any member, so never one of theirs
        jobaid::testing::IdNumberFor(431023, Date::FromCivil(1940, 1, 1).AddDays(seq_ / 1000),
                                     seq_);
    h.region_code = villages[pick(static_cast<int>(villages.size()))];
    h.poverty_type = pick(3) == 0 ? "relocated" : "registered_poor";
    JA_RETURN_IF_ERROR(tx.InsertHousehold(h));
    for (int m = 1 + pick(5); m > 0; --m) {
      Person p = Member(h, random_date(1950, 65), abilities[pick(5)], intentions[pick(4)]);
      JA_RETURN_IF_ERROR(tx.InsertPerson(p));
      for (int k = pick(4); k > 0; --k) {
        Date start = random_date(2023, 4);
        Date end = pick(2) == 0 ? Date() : start.AddDays(pick(700));
        domain::Employment e = Spell(p, workplaces[pick(static_cast<int>(workplaces.size()))],
                                     start, end, hows[pick(4)], pick(3) == 0);
        JA_RETURN_IF_ERROR(tx.InsertEmployment(e));
      }
    }
    for (int year = 2023; year <= 2026; ++year) {
      if (pick(2) == 0) continue;
      domain::HouseholdIncome i;
      i.household_id = h.id;
      i.year = year;
      i.wage = pick(5'000'000);
      i.business = pick(1'000'000);
      i.property = pick(100'000);
      i.transfer = pick(2'000'000);
      JA_RETURN_IF_ERROR(tx.PutHouseholdIncome(h, i));
    }
    return h;
  };
  std::vector<Household> households;
  absl::Status written = store_->Write([&](Transaction& tx) -> absl::Status {
    for (int i = 0; i < 300; ++i) {
      JA_ASSIGN_OR_RETURN(Household h, add_household(tx));
      households.push_back(h);
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(written.ok()) << written;

  const std::vector<Date> days = {Date::FromCivil(2024, 2, 29), Date::FromCivil(2025, 12, 31),
                                  Date::FromCivil(2026, 6, 1), Date::FromCivil(2026, 11, 26)};
  const std::vector<std::pair<domain::RegionRange, int64_t>> levels = {
      {domain::RegionRange::Nation(), 1000000000000},
      {domain::RegionRange::Nation(), 10000000000},
      {domain::RegionRange::Nation(), 1000000},
      {{431023000000, 431024000000}, 1000},
      {{431023000000, 431024000000}, 1},
  };
  auto check = [&](const analytics::Register& reg, const std::string& when) {
    for (const auto& [range, unit] : levels) {
      auto engine = reg.Count(range, unit, days, 2);
      for (size_t d = 0; d < days.size(); ++d) {
        auto sql = SqlCounts(*store_, range, unit, days[d]);
        EXPECT_EQ(engine[d], sql) << when << ", unit " << unit << " on " << days[d].ToString()
                                  << "\nengine:\n"
                                  << Describe(engine[d]) << "sql:\n"
                                  << Describe(sql);
      }
    }
  };
  analytics::Register reg = LoadRegister(*store_);
  EXPECT_EQ(reg.households(), 300u);
  check(reg, "after loading");

  // Changes, each followed by reading the household again, as the service does: new
  // households, deleted members and spells, ended spells, moves, deleted households.
  std::vector<int64_t> touched;
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    for (int i = 0; i < 40; ++i) {
                      JA_ASSIGN_OR_RETURN(Household h, add_household(tx));
                      touched.push_back(h.id.value());
                    }
                    // A household left without members keeps its incomes, which count for
                    // nothing.
                    JA_ASSIGN_OR_RETURN(Household emptied, add_household(tx));
                    touched.push_back(emptied.id.value());
                    for (int year = 2023; year <= 2026; ++year) {
                      domain::HouseholdIncome i;
                      i.household_id = emptied.id;
                      i.year = year;
                      i.wage = 3'000'000;
                      JA_RETURN_IF_ERROR(tx.PutHouseholdIncome(emptied, i));
                    }
                    JA_ASSIGN_OR_RETURN(std::vector<Person> left, tx.ListMembers(emptied.id));
                    for (Person& p : left) {
                      p.meta.deleted_at = 1;
                      JA_RETURN_IF_ERROR(tx.UpdatePerson(p));
                    }
                    for (int i = 0; i < 60; ++i) {
                      Household& h = households[static_cast<size_t>(pick(300))];
                      JA_ASSIGN_OR_RETURN(h, tx.GetHousehold(h.id));
                      touched.push_back(h.id.value());
                      JA_ASSIGN_OR_RETURN(std::vector<Person> members, tx.ListMembers(h.id));
                      switch (pick(4)) {
                        case 0:
                          h.meta.deleted_at = 1;
                          JA_RETURN_IF_ERROR(tx.UpdateHousehold(h));
                          break;
                        case 1:
                          h.region_code = villages[pick(static_cast<int>(villages.size()))];
                          h.poverty_type = "relocated";
                          JA_RETURN_IF_ERROR(tx.UpdateHousehold(h));
                          for (Person& p : members) {
                            p.region_code = h.region_code;
                            JA_RETURN_IF_ERROR(tx.UpdatePerson(p));
                          }
                          break;
                        case 2:
                          for (Person& p : members) {
                            JA_ASSIGN_OR_RETURN(auto spells, tx.ListEmploymentOf(p.id));
                            for (domain::Employment& e : spells) {
                              e.end_date = Date::FromCivil(2026, 1, 31);
                              if (e.start_date > e.end_date) e.meta.deleted_at = 1;
                              JA_RETURN_IF_ERROR(tx.UpdateEmployment(e));
                            }
                          }
                          break;
                        default:
                          if (!members.empty()) {
                            members[0].meta.deleted_at = 1;
                            JA_RETURN_IF_ERROR(tx.UpdatePerson(members[0]));
                          }
                      }
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  // Each household read again and given to the engine, as the service does.
  auto reflect = [&](const std::vector<int64_t>& ids) {
    for (int64_t id : ids) {
      analytics::Register::Columns rows;
      ASSERT_TRUE(store_
                      ->Read([&](Transaction& tx) {
                        return rows.Scan([&](domain::FactSink& sink) {
                          return tx.ScanFacts(FactFilter{domain::RegionRange::Nation(), id}, sink);
                        });
                      })
                      .ok());
      ASSERT_TRUE(reg.Replace(id, std::move(rows)).ok());
    }
  };
  // A small threshold, so that the rows kept aside are merged into the base on the way.
  reg.set_merge_threshold(16);
  reflect(touched);
  EXPECT_LT(reg.aside(), 40u);  // merged on the way
  check(reg, "after the changes");

  // Many changes in one county (as an import makes), which is read again whole, while changes
  // elsewhere still arrive a household at a time.
  const domain::RegionRange county{431023000000, 431024000000};
  std::vector<int64_t> elsewhere;
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    for (int i = 0; i < 30; ++i) {
                      JA_ASSIGN_OR_RETURN(Household h, add_household(tx));
                      if (!county.Contains(h.region_code)) elsewhere.push_back(h.id.value());
                    }
                    for (int i = 0; i < 10; ++i) {
                      Household& h = households[static_cast<size_t>(pick(300))];
                      JA_ASSIGN_OR_RETURN(h, tx.GetHousehold(h.id));
                      if (!county.Contains(h.region_code) || h.meta.deleted()) continue;
                      h.meta.deleted_at = 1;
                      JA_RETURN_IF_ERROR(tx.UpdateHousehold(h));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  reg.set_merge_threshold(1000);
  reflect(elsewhere);
  EXPECT_GT(reg.aside(), 0u);
  analytics::Register::Columns in_county;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) {
                    return in_county.Scan([&](domain::FactSink& sink) {
                      return tx.ScanFacts(FactFilter{county, 0}, sink);
                    });
                  })
                  .ok());
  ASSERT_TRUE(reg.ReplaceRange(county, std::move(in_county)).ok());
  check(reg, "after a county was read again");
  analytics::Register::Columns stray;
  ASSERT_TRUE(store_
                  ->Read([&](Transaction& tx) {
                    return stray.Scan([&](domain::FactSink& sink) {
                      return tx.ScanFacts(FactFilter{domain::RegionRange::Nation(), 0}, sink);
                    });
                  })
                  .ok());
  EXPECT_EQ(reg.ReplaceRange(county, std::move(stray)).code(), absl::StatusCode::kInternal);

  // Changes to persons' spells given to the engine as they are announced, naming all the
  // person's spells, without reading the household again: households in the base and aside
  // alike, some persons changed twice (the later naming is theirs).
  struct Named {
    int64_t household, person;
    std::vector<storage::SpellFact> spells;
  };
  std::vector<Named> named;
  ASSERT_TRUE(store_
                  ->Write([&](Transaction& tx) -> absl::Status {
                    for (int i = 0; i < 80; ++i) {
                      Household& h = households[static_cast<size_t>(pick(i < 40 ? 300 : 10))];
                      JA_ASSIGN_OR_RETURN(h, tx.GetHousehold(h.id));
                      if (h.meta.deleted()) continue;
                      JA_ASSIGN_OR_RETURN(std::vector<Person> members, tx.ListMembers(h.id));
                      if (members.empty()) continue;
                      Person& p =
                          members[static_cast<size_t>(pick(static_cast<int>(members.size())))];
                      if (p.meta.deleted()) continue;
                      JA_ASSIGN_OR_RETURN(auto spells, tx.ListEmploymentOf(p.id));
                      if (spells.empty() || pick(2) == 0) {
                        Date start = random_date(2023, 4);
                        domain::Employment e =
                            Spell(p, workplaces[pick(static_cast<int>(workplaces.size()))], start,
                                  pick(2) == 0 ? Date() : start.AddDays(pick(700)), hows[pick(4)],
                                  pick(3) == 0);
                        JA_RETURN_IF_ERROR(tx.InsertEmployment(e));
                      } else {
                        domain::Employment& e =
                            spells[static_cast<size_t>(pick(static_cast<int>(spells.size())))];
                        if (pick(2) == 0) {
                          e.meta.deleted_at = 1;
                        } else {
                          e.end_date = e.start_date.AddDays(pick(300));
                          e.how_found = hows[pick(4)];
                          e.region_code = workplaces[pick(static_cast<int>(workplaces.size()))];
                        }
                        JA_RETURN_IF_ERROR(tx.UpdateEmployment(e));
                      }
                      Named& n = named.emplace_back(Named{h.id.value(), p.id.value(), {}});
                      JA_ASSIGN_OR_RETURN(spells, tx.ListEmploymentOf(p.id));
                      for (const domain::Employment& e : spells) {
                        n.spells.push_back({p.id.value(), e.region_code, e.start_date, e.end_date,
                                            e.how_found == "transfer"});
                      }
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_GT(named.size(), 40u);
  for (const Named& n : named) {
    ASSERT_TRUE(reg.SetSpells(n.household, n.person, n.spells).ok())
        << "person " << n.person << " of household " << n.household;
  }
  check(reg, "after spells named in full");
  // A person or household the register does not hold: the caller reads the household again.
  EXPECT_TRUE(absl::IsNotFound(reg.SetSpells(named[0].household, 1, {})));
  EXPECT_TRUE(absl::IsNotFound(reg.SetSpells(1, named[0].person, {})));

  analytics::Register fresh = LoadRegister(*store_);
  EXPECT_EQ(reg.households(), fresh.households());
  EXPECT_EQ(reg.persons(), fresh.persons());
  EXPECT_EQ(reg.spells(), fresh.spells());
}

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
INSTANTIATE_TEST_SUITE_P(Backends, Registers, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace jobaid::storage
