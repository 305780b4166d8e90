#include <gtest/gtest.h>

#include "common/dates.h"
#include "common/ids.h"
#include "common/money.h"

namespace jobaid {
namespace {

TEST(Date, ParsesTheFormsOfficersWrite) {
  for (const char* text : {"2024-03-01", "2024/3/1", "20240301", "2024年3月1日", "2024.03.01"}) {
    auto d = Date::Parse(text);
    ASSERT_TRUE(d.ok()) << text << ": " << d.status();
    EXPECT_EQ(d->ToString(), "2024-03-01") << text;
  }
}

TEST(Date, RejectsImpossibleDates) {
  EXPECT_EQ(Date::Parse("2023-02-29").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Date::Parse("2024-13-01").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Date::Parse("yesterday").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Date::Parse("2024-02-29").ok());
}

TEST(Date, AgeCountsWholeYears) {
  Date birth = Date::FromCivil(1990, 6, 15);
  EXPECT_EQ(birth.AgeOn(Date::FromCivil(2024, 6, 14)), 33);
  EXPECT_EQ(birth.AgeOn(Date::FromCivil(2024, 6, 15)), 34);
}

TEST(Date, RoundTripsDays) {
  for (int days = -30000; days < 30000; days += 97) {
    Date d = Date::FromDays(days);
    EXPECT_EQ(Date::FromCivil(d.year(), d.month(), d.day()).days(), days);
  }
}

TEST(Money, ParsesYuanIntoFen) {
  EXPECT_EQ(*ParseYuan("3500"), 350000);
  EXPECT_EQ(*ParseYuan("3,500.5"), 350050);
  EXPECT_EQ(*ParseYuan("￥3500.05元"), 350005);
  EXPECT_EQ(ParseYuan("-5").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseYuan("1.234").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseYuan("abc").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatYuan(350005), "3500.05");
}

TEST(IdGenerator, MakesUniqueIncreasingIdsEvenWithinOneMillisecond) {
  IdGenerator ids(3, [] { return int64_t{1800000000000}; });
  int64_t last = 0;
  for (int i = 0; i < 2000; ++i) {
    int64_t id = ids.Next();
    EXPECT_GT(id, last);
    EXPECT_LT(id, int64_t{1} << 53);
    last = id;
  }
}

}  // namespace
}  // namespace jobaid
