// The audit chain on a real store: reads recorded from many threads at once and changes'
// entries written unchained by their own transactions end up in one unbroken chain; an entry
// changed, removed or moved behind the server's back (plain SQL on the file), or entries cut
// from the end, are found by Verify. On PostgreSQL (when scripts/with-postgres.sh gives one),
// two servers' sequencers on one database make one chain between them.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"
#include "service/audit_log.h"
#include "storage/open_store.h"
#include "test_support.h"

namespace jobaid::service {
namespace {

using jobaid::testing::TempDir;

struct Server {
  Server(const std::string& url, const storage::PiiCodec& codec, int node) : ids(node) {
    auto s = storage::OpenStore(url, codec, ids, SystemClock::Get());
    EXPECT_TRUE(s.ok()) << s.status();
    store = std::move(*s);
    ctx =
        std::make_unique<Context>(Context{*store, jobaid::testing::Regions(), SystemClock::Get()});
    audit = std::make_unique<AuditLog>(*ctx, codec);
  }
  IdGenerator ids;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<Context> ctx;
  std::unique_ptr<AuditLog> audit;
};

// Reads from `threads` threads and, beside them, changes' entries written the way a service
// writes them (unchained, in the change's transaction). Returns how many entries were made.
int Exercise(std::vector<Server*> servers, int threads, int per_thread) {
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      Server& s = *servers[t % servers.size()];
      for (int i = 0; i < per_thread; ++i) {
        storage::AuditEntry e;
        e.user_id = UserId(1 + t);
        e.entity = "person";
        e.entity_id = 1000 * t + i;
        if (i % 4 == 3) {
          e.action = "update";
          e.detail = absl::StrCat("name: 甲", i, " -> 乙", i);
          EXPECT_TRUE(
              s.store->Write([&](storage::Transaction& tx) { return tx.InsertAudit(e); }).ok());
        } else {
          e.action = "read";
          absl::Status st = s.audit->Record(e);
          EXPECT_TRUE(st.ok()) << st;
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  for (Server* s : servers) EXPECT_TRUE(s->audit->Flush().ok());
  return threads * per_thread;
}

class AuditChain : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>("sqlite:" + path_, codec_, 1);
    made_ = Exercise({server_.get()}, 6, 40);
    auto v = server_->audit->Verify();
    ASSERT_TRUE(v.ok()) << v.status();
    ASSERT_TRUE(v->ok()) << absl::StrJoin(v->problems, "\n");
    ASSERT_EQ(v->entries, made_);
    ASSERT_EQ(v->unchained, 0);
    ASSERT_EQ(v->head.seq, made_);
  }

  // Runs `sql` on the store's file through a connection of its own, as someone with access to
  // the file but not to the key would.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    EXPECT_GT(sqlite3_total_changes(db), 0) << sql;
    sqlite3_close(db);
  }

  std::string Problems() {
    auto v = server_->audit->Verify();
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? absl::StrJoin(v->problems, "\n") : "";
  }

  TempDir dir_;
  std::string path_ = dir_.File("audit.db");
  storage::PiiCodec codec_ = storage::PiiCodec::FromSeed("audit");
  std::unique_ptr<Server> server_;
  int made_ = 0;
};

TEST_F(AuditChain, ChangedEntryIsFound) {
  Tamper("UPDATE audit SET detail = 'nothing to see' WHERE seq = 17");
  std::string p = Problems();
  EXPECT_NE(p.find("entry 17 "), std::string::npos) << p;
  EXPECT_NE(p.find("does not match its MAC"), std::string::npos) << p;
  // Only that entry: the ones after it still chain from what is stored.
  EXPECT_EQ(p.find("entry 18 "), std::string::npos) << p;
}

TEST_F(AuditChain, ChangedUserOrTimeIsFound) {
  Tamper("UPDATE audit SET user_id = 99 WHERE seq = 3; UPDATE audit SET at = at + 1 WHERE seq = 9");
  std::string p = Problems();
  EXPECT_NE(p.find("entry 3 "), std::string::npos) << p;
  EXPECT_NE(p.find("entry 9 "), std::string::npos) << p;
}

TEST_F(AuditChain, RemovedEntryIsFound) {
  Tamper("DELETE FROM audit WHERE seq = 40");
  std::string p = Problems();
  EXPECT_NE(p.find("entry 40 is missing"), std::string::npos) << p;
  EXPECT_NE(p.find("entry 41 "), std::string::npos) << p;
}

TEST_F(AuditChain, RenumberedAfterRemovalIsFound) {
  // Closing the gap does not help: every later entry's MAC covers its place.
  Tamper(
      "DELETE FROM audit WHERE seq = 40; UPDATE audit SET seq = -seq WHERE seq > 40; "
      "UPDATE audit SET seq = -seq - 1 WHERE seq < 0; "
      "UPDATE audit_head SET seq = seq - 1");
  std::string p = Problems();
  EXPECT_NE(p.find("entry 40 "), std::string::npos) << p;
}

TEST_F(AuditChain, SwappedEntriesAreFound) {
  Tamper(
      "UPDATE audit SET seq = -1 WHERE seq = 20; UPDATE audit SET seq = 20 WHERE seq = 21; "
      "UPDATE audit SET seq = 21 WHERE seq = -1");
  std::string p = Problems();
  EXPECT_NE(p.find("entry 20 "), std::string::npos) << p;
  EXPECT_NE(p.find("entry 21 "), std::string::npos) << p;
}

TEST_F(AuditChain, EntriesCutFromTheEndAreFound) {
  Tamper(absl::StrCat("DELETE FROM audit WHERE seq > ", made_ - 3));
  std::string p = Problems();
  EXPECT_NE(p.find(absl::StrCat("the chain ends at entry ", made_ - 3)), std::string::npos) << p;
}

TEST_F(AuditChain, ChainGoesOnAfterRestart) {
  server_.reset();
  server_ = std::make_unique<Server>("sqlite:" + path_, codec_, 1);
  int more = Exercise({server_.get()}, 2, 10);
  auto v = server_->audit->Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << absl::StrJoin(v->problems, "\n");
  EXPECT_EQ(v->entries, made_ + more);
}

TEST_F(AuditChain, AnotherKeyCannotVouchForTheChain) {
  // A chain re-made by someone without the key file does not verify under the real key.
  server_.reset();
  storage::PiiCodec other = storage::PiiCodec::FromSeed("not the key");
  Server forger("sqlite:" + path_, other, 2);
  auto v = forger.audit->Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_FALSE(v->ok());
}

TEST_F(AuditChain, QueryFiltersAndPagesForAdminsOnly) {
  auth::Actor officer;
  officer.role = auth::Role::kOfficer;
  EXPECT_EQ(server_->audit->Query(officer, {}, [](const AuditRow&) {}).code(),
            absl::StatusCode::kPermissionDenied);
  auth::Actor admin;
  admin.role = auth::Role::kAdmin;
  AuditQuery q;
  q.action = "update";
  q.limit = 7;
  std::vector<AuditRow> rows;
  ASSERT_TRUE(server_->audit->Query(admin, q, [&](const AuditRow& r) { rows.push_back(r); }).ok());
  ASSERT_EQ(rows.size(), 7u);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].entry.action, "update");
    if (i > 0) {
      EXPECT_LT(rows[i].entry.id, rows[i - 1].entry.id);  // newest first
    }
  }
  // The next page starts below the last id, with no overlap.
  q.before_id = rows.back().entry.id;
  std::vector<AuditRow> next;
  ASSERT_TRUE(server_->audit->Query(admin, q, [&](const AuditRow& r) { next.push_back(r); }).ok());
  ASSERT_FALSE(next.empty());
  EXPECT_LT(next.front().entry.id, rows.back().entry.id);
  // All of them: 6 threads x 10 updates each.
  q = {};
  q.action = "update";
  q.limit = 0;
  int n = 0;
  ASSERT_TRUE(server_->audit->Query(admin, q, [&](const AuditRow&) { ++n; }).ok());
  EXPECT_EQ(n, 60);
  q.limit = 1001;
  EXPECT_EQ(server_->audit->Query(admin, q, [](const AuditRow&) {}).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(AuditChainPostgres, TwoServersMakeOneChain) {
  const char* pg = std::getenv("JOBAID_TEST_PG");
  if (pg == nullptr || *pg == '\0') GTEST_SKIP() << "no PostgreSQL (scripts/with-postgres.sh)";
  std::string url = jobaid::testing::FreshPostgresDatabase(pg);
  storage::PiiCodec codec = storage::PiiCodec::FromSeed("audit-pg");
  Server a(url, codec, 1), b(url, codec, 2);
  int made = Exercise({&a, &b}, 6, 30);
  auto v = a.audit->Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << absl::StrJoin(v->problems, "\n");
  EXPECT_EQ(v->entries, made);
  EXPECT_EQ(v->unchained, 0);
}

}  // namespace
}  // namespace jobaid::service
