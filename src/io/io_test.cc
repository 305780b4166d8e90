#include <gtest/gtest.h>

#include "io/columns.h"
#include "io/csv.h"
#include "io/table.h"
#include "io/text.h"
#include "io/xlsx_reader.h"

namespace jobaid::io {
namespace {

std::vector<std::vector<std::string>> ReadAll(std::string bytes) {
  auto rows = OpenRows(std::move(bytes));
  EXPECT_TRUE(rows.ok()) << rows.status();
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> cells;
  int row;
  for (;;) {
    auto more = (*rows)->Next(cells, row);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    out.push_back(cells);
  }
  return out;
}

TEST(Csv, ReadsQuotesEmbeddedNewlinesAndCrlf) {
  auto rows = ReadAll("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n,,\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x,1", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"", "", ""}));
}

TEST(Csv, NamesTheRowOfAnUnclosedQuote) {
  CsvReader r("a\n\"b\n");
  std::vector<std::string> cells;
  ASSERT_TRUE(*r.Next(cells));
  auto s = r.Next(cells).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("row 2"), absl::string_view::npos) << s;
}

TEST(Text, DetectsGb18030AndConverts) {
  // "姓名,张三" in GB18030.
  std::string gb = "\xD0\xD5\xC3\xFB,\xD5\xC5\xC8\xFD";
  std::string enc;
  auto u = ToUtf8(gb, &enc);
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(*u, "姓名,张三");
  EXPECT_EQ(enc, "GB18030");
  auto back = Utf8ToGb18030("姓名,张三");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, gb);
}

TEST(Text, StripsTheUtf8ByteOrderMark) {
  std::string enc;
  EXPECT_EQ(*ToUtf8("\xEF\xBB\xBF姓名", &enc), "姓名");
  EXPECT_EQ(enc, "UTF-8");
}

TEST(Text, NamesTheByteThatIsNeitherEncoding) {
  auto s = ToUtf8(std::string("ok,\xFF\xFF\xFF", 6)).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("byte 3"), absl::string_view::npos) << s;
}

TEST(Xlsx, WritesAWorkbookThatReadsBack) {
  Table t;
  t.sheet_name = "人员信息";
  t.header = {"姓名", "公民身份号码", "期望月薪(元)"};
  t.rows = {{"张三", "431023199001011234", "3500"}, {"李四", "11010519491231002X", ""}};
  t.numeric = {false, false, true};
  auto bytes = WriteXlsx(t);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(DetectFormat(*bytes), Format::kXlsx);
  auto rows = ReadAll(*bytes);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], t.header);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"张三", "431023199001011234", "3500"}));
  EXPECT_EQ(rows[2][1], "11010519491231002X");
}

TEST(Xlsx, TurnsDateSerialsIntoIsoDates) {
  EXPECT_EQ(ExcelSerialToIso(45352), "2024-03-01");
  EXPECT_EQ(ExcelSerialToIso(1), "1900-01-01");
}

TEST(Xlsx, RejectsAZipThatIsNoWorkbook) {
  std::string not_xlsx("PK\x03\x04garbage", 11);
  EXPECT_EQ(OpenRows(not_xlsx).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Columns, MatchesChineseHeadersAliasesAndMarks) {
  auto m = MatchHeader(EntityKind::kPersons,
                       {"*姓名", "身份证号", "户主身份证号", "期望月薪（元）", "不知道"});
  ASSERT_TRUE(m.ok()) << m.status();
  const auto& cols = ColumnsFor(EntityKind::kPersons);
  EXPECT_EQ(cols[*(*m)[0]].key, "name");
  EXPECT_EQ(cols[*(*m)[1]].key, "id_number");
  EXPECT_EQ(cols[*(*m)[2]].key, "head_id_number");
  EXPECT_EQ(cols[*(*m)[3]].key, "expected_wage");
  EXPECT_FALSE((*m)[4].has_value());
}

TEST(Columns, NamesMissingRequiredColumns) {
  auto s = MatchHeader(EntityKind::kPersons, {"姓名"}).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("公民身份号码"), absl::string_view::npos) << s;
}

}  // namespace
}  // namespace jobaid::io
