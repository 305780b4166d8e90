#include <gtest/gtest.h>
#include <zlib.h>
#ifdef JOBAID_HAVE_ZBAR
#include <zbar.h>
#endif

#include "absl/strings/str_split.h"
#include "io/columns.h"
#include "io/csv.h"
#include "io/poster.h"
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

TEST(Csv, FormulasGoOutAsTextAndComeBackUnchanged) {
  Table t;
  t.header = {"姓名", "备注", "收入"};
  t.rows = {{"=HYPERLINK(\"http://x\",\"点我\")", "+1+2", "-12.5"},
            {"@SUM(A1)", "-x", "1-2"},
            {"\tcmd", "'=already", "=1"}};
  std::string csv = WriteCsv(t);
  EXPECT_EQ(csv.find(",=HYPERLINK"), std::string::npos);
  EXPECT_NE(csv.find("\"'=HYPERLINK("), std::string::npos) << csv;
  EXPECT_NE(csv.find("'+1+2,-12.5"), std::string::npos) << csv;  // a plain number stays one
  EXPECT_NE(csv.find("'@SUM(A1),'-x,1-2"), std::string::npos) << csv;
  for (const auto& line : absl::StrSplit(csv, "\r\n")) {
    for (absl::string_view cell : absl::StrSplit(line, ',')) {
      EXPECT_FALSE(!cell.empty() && (cell[0] == '=' || cell[0] == '@')) << cell;
    }
  }
  auto rows = ReadAll(csv);
  ASSERT_EQ(rows.size(), 4u);
  for (size_t i = 0; i < t.rows.size(); ++i) EXPECT_EQ(rows[i + 1], t.rows[i]);
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

// Found by fuzz/rows: a 7 KB archive whose entry claims 1.8 GB made the reader allocate that
// much before reading a byte.
TEST(Xlsx, RefusesAnEntryThatUnpacksToMoreThanTheArchiveAllows) {
  auto bytes =
      ReadFile(std::string(JOBAID_SOURCE_DIR) + "/tests/testdata/xlsx/entry-claims-1.8-gib.xlsx");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  ASSERT_LT(bytes->size(), 16384u);
  auto sheets = ReadSheets(*bytes);
  EXPECT_EQ(sheets.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(sheets.status().message().find("unpacks to more"), absl::string_view::npos)
      << sheets.status();
  auto rows = OpenRows(*bytes);
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
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
// The pixels of a grayscale PNG that QrPng wrote (one IDAT, filter 0 rows).
std::vector<unsigned char> PngPixels(const std::string& png, int& side) {
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  auto u32 = [&](size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(png[at])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(png[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(png[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(png[at + 3]));
  };
  side = static_cast<int>(u32(16));
  size_t at = 8 + 12 + 13;  // signature, IHDR
  EXPECT_EQ(png.substr(at + 4, 4), "IDAT");
  uint32_t len = u32(at);
  // Every chunk's CRC is right.
  EXPECT_EQ(u32(at + 8 + len),
            crc32(0, reinterpret_cast<const Bytef*>(png.data() + at + 4), len + 4));
  std::vector<unsigned char> raw(static_cast<size_t>(side * (side + 1)));
  uLongf raw_len = raw.size();
  EXPECT_EQ(
      uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(png.data() + at + 8), len),
      Z_OK);
  std::vector<unsigned char> pixels;
  for (int y = 0; y < side; ++y) {
    EXPECT_EQ(raw[static_cast<size_t>(y * (side + 1))], 0);
    for (int x = 0; x < side; ++x)
      pixels.push_back(raw[static_cast<size_t>(y * (side + 1) + 1 + x)]);
  }
  return pixels;
}

TEST(Qr, ThePngDrawsEveryModuleInsideAQuietZone) {
  auto qr = EncodeQr("https://jobaid.example.cn/p/jobs/375056741875713");
  ASSERT_TRUE(qr.ok());
  EXPECT_GE(qr->size, 21);
  EXPECT_EQ((qr->size - 17) % 4, 0);  // versions grow by 4 modules
  int side = 0;
  std::vector<unsigned char> px = PngPixels(QrPng(*qr, 5), side);
  ASSERT_EQ(side, (qr->size + 8) * 5);
  for (int my = -4; my < qr->size + 4; ++my) {
    for (int mx = -4; mx < qr->size + 4; ++mx) {
      bool dark = mx >= 0 && my >= 0 && mx < qr->size && my < qr->size && qr->Dark(mx, my);
      unsigned char want = dark ? 0 : 255;
      // The centre pixel of every module.
      ASSERT_EQ(px[static_cast<size_t>(((my + 4) * 5 + 2) * side + (mx + 4) * 5 + 2)], want)
          << mx << "," << my;
    }
  }
  // The finder pattern's corner is dark; too much text is refused.
  EXPECT_TRUE(qr->Dark(0, 0));
  EXPECT_FALSE(EncodeQr("").ok());
  EXPECT_FALSE(EncodeQr(std::string(8000, 'x')).ok());
}

#ifdef JOBAID_HAVE_ZBAR
TEST(Qr, AReaderScansTheUrlBackFromThePng) {
  using namespace zbar;  // zbar.h puts its C API in this namespace when compiled as C++
  const std::string url = "http://127.0.0.1:8080/p/jobs/375056741875713";
  auto qr = EncodeQr(url);
  ASSERT_TRUE(qr.ok());
  int side = 0;
  std::vector<unsigned char> px = PngPixels(QrPng(*qr, 4), side);
  zbar_image_scanner_t* scanner = zbar_image_scanner_create();
  zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_t* image = zbar_image_create();
  zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(image, static_cast<unsigned>(side), static_cast<unsigned>(side));
  zbar_image_set_data(image, px.data(), px.size(), nullptr);
  EXPECT_EQ(zbar_scan_image(scanner, image), 1);
  const zbar_symbol_t* symbol = zbar_image_first_symbol(image);
  ASSERT_NE(symbol, nullptr);
  EXPECT_EQ(zbar_symbol_get_type(symbol), ZBAR_QRCODE);
  EXPECT_EQ(std::string(zbar_symbol_get_data(symbol)), url);
  zbar_image_destroy(image);
  zbar_image_scanner_destroy(scanner);
}
#endif

TEST(Poster, SaysTheJobAndEscapesWhatItQuotes) {
  PosterJob job;
  job.title = "电焊工 <急招> & 学徒";
  job.employer = "湘南电子厂";
  job.place = "湖南省郴州市永兴县";
  job.wage = "4,500–6,000 元/月";
  job.perks = {"包吃", "包住"};
  job.openings = "招 5 人";
  job.description = std::string(400, 'a');
  job.url = "http://127.0.0.1/p/jobs/1";
  auto svg = JobPosterSvg(job);
  ASSERT_TRUE(svg.ok());
  EXPECT_NE(svg->find("电焊工 &lt;急招&gt; &amp; 学徒"), std::string::npos);
  EXPECT_EQ(svg->find("<急招>"), std::string::npos);
  EXPECT_NE(svg->find("包住"), std::string::npos);
  EXPECT_NE(svg->find("4,500–6,000 元/月"), std::string::npos);
  EXPECT_NE(svg->find("<path transform"), std::string::npos);
  EXPECT_NE(svg->find("…"), std::string::npos);  // the long description is cut
  EXPECT_EQ(XmlEscape("a\x01'b\""), "a&apos;b&quot;");
}

}  // namespace jobaid::io
