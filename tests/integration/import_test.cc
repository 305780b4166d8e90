// Large imports through the service: the bulk path (secondary indexes set aside and rebuilt)
// must leave the same store as row-by-row writing, and roll back whole on a bad row.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "server/app.h"
#include "test_support.h"

namespace jobaid::testing {
namespace {

std::string Csv(int rows, int bad_row) {
  std::string csv = "姓名,公民身份号码,户主公民身份号码,所在村,户类型,联系电话,技能特长,就业意愿\n";
  std::string head;
  for (int i = 0; i < rows; ++i) {
    Date birth = Date::FromCivil(1950 + i / 1000 % 50, 1 + i / 50000 % 12, 1 + i % 28);
    std::string id = IdNumberFor(431023, birth, i % 1000);
    if (i + 2 == bad_row) id[17] = id[17] == '1' ? '2' : '1';
    bool is_head = i % 3 == 0;
    if (is_head) head = id;
    absl::StrAppend(&csv, "人", i, ",", id, ",", head, ",", is_head ? "431023101201" : "", ",",
                    is_head ? "监测户" : "", ",1390000", 1000 + i % 9000, ",电焊,县内\n");
  }
  return csv;
}

class BulkImport : public ::testing::Test {
 protected:
  void SetUp() override {
    server::AppOptions opt;
    opt.data_dir = dir_.path();
    opt.regions_file = JOBAID_REGIONS_FILE;
    auto app = server::App::Open(opt);
    ASSERT_TRUE(app.ok()) << app.status();
    app_ = std::move(*app);
  }
  int IndexCount() {
    int n = 0;
    EXPECT_TRUE(app_->store()
                    .Read([&](storage::Transaction& tx) -> absl::Status {
                      storage::PersonQuery q;
                      q.page.sort = "name";
                      q.page.limit = 3;
                      auto page = tx.ListPersons(q);
                      EXPECT_TRUE(page.ok());
                      n = static_cast<int>(page->total);
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  }
  TempDir dir_;
  std::unique_ptr<server::App> app_;
};

TEST_F(BulkImport, ALargeFileIsImportedWholeAndIndexesComeBack) {
  const int kRows = 24000;  // over 2 MB: the bulk path
  service::ImportOptions opt;
  opt.kind = io::EntityKind::kPersons;
  auto bad =
      app_->imports().Import(auth::Actor::System(), Csv(kRows, 20001), opt);  // a member's row
  ASSERT_TRUE(bad.ok()) << bad.status();
  EXPECT_FALSE(bad->written);
  ASSERT_EQ(bad->errors.size(), 1u);
  EXPECT_EQ(bad->errors[0].row, 20001);
  EXPECT_EQ(IndexCount(), 0);

  auto good = app_->imports().Import(auth::Actor::System(), Csv(kRows, -1), opt);
  ASSERT_TRUE(good.ok()) << good.status();
  ASSERT_TRUE(good->errors.empty()) << good->errors[0].message;
  EXPECT_EQ(good->inserted, kRows);
  EXPECT_EQ(IndexCount(), kRows);
  EXPECT_TRUE(app_->store().CheckIntegrity().ok());
  // The indexes set aside for the load are all back.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(dir_.File("jobaid.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  for (const char* name :
       {"person_id_number", "person_region", "person_household", "person_name", "household_head",
        "household_region", "household_name", "household_helper"}) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?",
                       -1, &st, nullptr);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(st, 0), 1) << name;
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  // Again: nothing changes, and now the store is asked about every row.
  auto again = app_->imports().Import(auth::Actor::System(), Csv(kRows, -1), opt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, kRows);
  EXPECT_EQ(again->inserted + again->updated, 0);
}

}  // namespace
}  // namespace jobaid::testing
