#include "io/columns.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace jobaid::io {
namespace {
using domain::Educations;
using K = CellKind;

std::string NormalizeHeader(absl::string_view h) {
  std::string s = absl::StrReplaceAll(
      h, {{"（", "("}, {"）", ")"}, {"*", ""}, {"＊", ""}, {" ", ""}, {"\u3000", ""}, {"\n", ""}});
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(s));
}
}  // namespace

absl::StatusOr<EntityKind> ParseEntityKind(absl::string_view name) {
  if (name == "persons" || name == "person") return EntityKind::kPersons;
  if (name == "households" || name == "household") return EntityKind::kHouseholds;
  if (name == "employers" || name == "employer") return EntityKind::kEmployers;
  if (name == "jobs" || name == "job") return EntityKind::kJobs;
  if (name == "region_flags" || name == "regions") return EntityKind::kRegionFlags;
  if (name == "employment" || name == "spells") return EntityKind::kEmployment;
  if (name == "household_income" || name == "income") return EntityKind::kHouseholdIncome;
  if (name == "targets" || name == "target") return EntityKind::kTargets;
  return absl::InvalidArgumentError(
      absl::StrCat("\"", name,
                   "\" is not importable; use persons, households, employers, jobs, employment, "
                   "household_income, targets or region_flags"));
}

absl::string_view EntityKindName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kPersons:
      return "persons";
    case EntityKind::kHouseholds:
      return "households";
    case EntityKind::kEmployers:
      return "employers";
    case EntityKind::kJobs:
      return "jobs";
    case EntityKind::kRegionFlags:
      return "region_flags";
    case EntityKind::kEmployment:
      return "employment";
    case EntityKind::kHouseholdIncome:
      return "household_income";
    case EntityKind::kTargets:
      return "targets";
  }
  return "";
}

absl::string_view EntityKindZh(EntityKind kind) {
  switch (kind) {
    case EntityKind::kPersons:
      return "人员信息";
    case EntityKind::kHouseholds:
      return "农户信息";
    case EntityKind::kEmployers:
      return "用工单位";
    case EntityKind::kJobs:
      return "岗位信息";
    case EntityKind::kRegionFlags:
      return "区划标识";
    case EntityKind::kEmployment:
      return "就业信息";
    case EntityKind::kHouseholdIncome:
      return "家庭收入";
    case EntityKind::kTargets:
      return "目标任务";
  }
  return "";
}

namespace {

const std::vector<Column>& PersonColumns() {
  static const auto* columns = new std::vector<Column>{
      {"name", "姓名", {"name"}, K::kText, nullptr, true},
      {"id_number",
       "公民身份号码",
       {"身份证号", "身份证号码", "证件号码", "id_number"},
       K::kText,
       nullptr,
       true},
      {"gender", "性别", {"gender"}, K::kCode, &domain::Genders()},
      {"birth_date", "出生日期", {"birth_date"}, K::kDate},
      {"phone", "联系电话", {"手机号", "手机号码", "电话", "phone"}},
      {"relation", "与户主关系", {"relation"}, K::kCode, &domain::Relations()},
      {"head_id_number",
       "户主公民身份号码",
       {"户主身份证号", "户主身份证号码", "head_id_number"},
       K::kText,
       nullptr,
       true},
      {"region_code",
       "所在村",
       {"村", "行政村", "所在村代码", "village", "region_code"},
       K::kRegion},
      {"region_name", "所在地区", {"region_name"}, K::kInfo, nullptr, false, true},
      {"poverty_type",
       "户类型",
       {"户属性", "贫困户属性", "poverty_type"},
       K::kCode,
       &domain::PovertyTypes()},
      {"education", "文化程度", {"学历", "education"}, K::kCode, &Educations()},
      {"health", "健康状况", {"health"}, K::kCode, &domain::Healths()},
      {"work_ability",
       "劳动技能",
       {"劳动能力", "work_ability"},
       K::kCode,
       &domain::WorkAbilities()},
      {"skills", "技能特长", {"技能", "职业技能", "skills"}, K::kList},
      {"certificates", "职业资格证书", {"证书", "certificates"}, K::kList},
      {"intention", "就业意愿", {"intention"}, K::kCode, &domain::Intentions()},
      {"intention_region", "意向地区", {"intention_region"}, K::kRegion},
      {"wanted_occupations", "期望工种", {"意向工种", "wanted_occupations"}, K::kList},
      {"expected_wage", "期望月薪(元)", {"期望月薪", "期望工资", "expected_wage"}, K::kYuan},
      {"note", "备注", {"note"}},
  };
  return *columns;
}

const std::vector<Column>& HouseholdColumns() {
  static const auto* columns = new std::vector<Column>{
      {"head_name", "户主姓名", {"head_name"}, K::kText, nullptr, true},
      {"head_id_number",
       "户主公民身份号码",
       {"户主身份证号", "户主身份证号码", "head_id_number"},
       K::kText,
       nullptr,
       true},
      {"region_code",
       "所在村",
       {"村", "行政村", "所在村代码", "village", "region_code"},
       K::kRegion,
       nullptr,
       true},
      {"region_name", "所在地区", {"region_name"}, K::kInfo, nullptr, false, true},
      {"poverty_type",
       "户类型",
       {"户属性", "贫困户属性", "poverty_type"},
       K::kCode,
       &domain::PovertyTypes(),
       true},
      {"monitor_type",
       "监测对象类型",
       {"监测类型", "monitor_type"},
       K::kCode,
       &domain::MonitorTypes()},
      {"status", "脱贫状态", {"status"}, K::kCode, &domain::HouseholdStatuses()},
      {"phone", "联系电话", {"电话", "phone"}},
      {"address", "家庭住址", {"住址", "address"}},
      {"note", "备注", {"note"}},
  };
  return *columns;
}

const std::vector<Column>& EmployerColumns() {
  static const auto* columns = new std::vector<Column>{
      {"credit_code", "统一社会信用代码", {"信用代码", "credit_code"}, K::kText, nullptr, true},
      {"name", "单位名称", {"企业名称", "name"}, K::kText, nullptr, true},
      {"region_code", "所在地区", {"所在地", "region_code"}, K::kRegion, nullptr, true},
      {"region_name", "所在地区名称", {"region_name"}, K::kInfo, nullptr, false, true},
      {"kinds", "单位类型", {"kinds"}, K::kList, &domain::EmployerKinds()},
      {"industry", "所属行业", {"行业", "industry"}},
      {"contact_name", "联系人", {"contact_name"}},
      {"contact_phone", "联系电话", {"contact_phone"}},
      {"address", "地址", {"单位地址", "address"}},
      {"note", "备注", {"note"}},
  };
  return *columns;
}

const std::vector<Column>& JobColumns() {
  static const auto* columns = new std::vector<Column>{
      {"employer_credit_code",
       "用工单位信用代码",
       {"统一社会信用代码", "employer_credit_code"},
       K::kText,
       nullptr,
       true},
      {"title", "岗位名称", {"title"}, K::kText, nullptr, true},
      {"occupation", "工种", {"occupation"}},
      {"skills", "技能要求", {"skills"}, K::kList},
      {"region_code", "工作地点", {"工作地区", "region_code"}, K::kRegion, nullptr, true},
      {"region_name", "工作地点名称", {"region_name"}, K::kInfo, nullptr, false, true},
      {"wage_min", "最低月薪(元)", {"最低工资", "wage_min"}, K::kYuan},
      {"wage_max", "最高月薪(元)", {"最高工资", "wage_max"}, K::kYuan},
      {"openings", "招聘人数", {"openings"}, K::kInt},
      {"min_age", "最低年龄", {"min_age"}, K::kInt},
      {"max_age", "最高年龄", {"max_age"}, K::kInt},
      {"min_education", "最低学历", {"学历要求", "min_education"}, K::kCode, &Educations()},
      {"board", "包吃", {"board"}, K::kBool},
      {"lodging", "包住", {"lodging"}, K::kBool},
      {"transport", "接送", {"transport"}, K::kBool},
      {"kind", "岗位类型", {"kind"}, K::kCode, &domain::JobKinds()},
      {"status", "招聘状态", {"status"}, K::kCode, &domain::JobStatuses()},
      {"start_date", "开始日期", {"start_date"}, K::kDate},
      {"end_date", "结束日期", {"end_date"}, K::kDate},
      {"description", "岗位描述", {"description"}},
  };
  return *columns;
}

const std::vector<Column>& RegionFlagColumns() {
  static const auto* columns = new std::vector<Column>{
      {"region_code",
       "区划代码",
       {"行政区划代码", "地区", "region_code"},
       K::kRegion,
       nullptr,
       true},
      {"region_name", "区划名称", {"region_name"}, K::kInfo, nullptr, false, true},
      {"key_county", "国家乡村振兴重点帮扶县", {"重点帮扶县", "key_county"}, K::kBool},
      {"poverty_village", "脱贫村", {"贫困村", "poverty_village"}, K::kBool},
      {"relocation_site", "易地扶贫搬迁安置点", {"安置点", "relocation_site"}, K::kBool},
  };
  return *columns;
}

// Spells of employment: a person is named by their ID number; the workplace may be anywhere.
const std::vector<Column>& EmploymentColumns() {
  static const auto* columns = new std::vector<Column>{
      {"name", "姓名", {"name"}, K::kInfo, nullptr, false, true},
      {"id_number",
       "公民身份号码",
       {"身份证号", "身份证号码", "证件号码", "id_number"},
       K::kText,
       nullptr,
       true},
      {"kind", "就业类型", {"就业方式", "kind"}, K::kCode, &domain::EmploymentKinds(), true},
      {"region_code",
       "就业地",
       {"工作地", "务工地", "就业地区", "region_code"},
       K::kRegion,
       nullptr,
       true},
      {"region_name", "就业地名称", {"region_name"}, K::kInfo, nullptr, false, true},
      {"start_date",
       "开始日期",
       {"入职日期", "就业开始日期", "start_date"},
       K::kDate,
       nullptr,
       true},
      {"end_date", "结束日期", {"离职日期", "end_date"}, K::kDate},
      {"monthly_income", "月收入(元)", {"月收入", "月工资", "monthly_income"}, K::kYuan},
      {"how_found", "就业渠道", {"how_found"}, K::kCode, &domain::HowFound()},
      {"part_time", "兼职", {"是否兼职", "part_time"}, K::kBool},
      {"employer_credit_code",
       "用工单位信用代码",
       {"统一社会信用代码", "employer_credit_code"},
       K::kText},
  };
  return *columns;
}

// A household's income of a year, by source; the household is named by its head's ID number.
const std::vector<Column>& IncomeColumns() {
  static const auto* columns = new std::vector<Column>{
      {"head_id_number",
       "户主公民身份号码",
       {"户主身份证号", "户主身份证号码", "head_id_number"},
       K::kText,
       nullptr,
       true},
      {"head_name", "户主姓名", {"head_name"}, K::kInfo, nullptr, false, true},
      {"year", "年度", {"年份", "year"}, K::kInt, nullptr, true},
      {"wage", "工资性收入(元)", {"工资性收入", "wage"}, K::kYuan},
      {"business", "生产经营性收入(元)", {"生产经营性收入", "经营性收入", "business"}, K::kYuan},
      {"property", "财产性收入(元)", {"财产性收入", "property"}, K::kYuan},
      {"transfer", "转移性收入(元)", {"转移性收入", "transfer"}, K::kYuan},
  };
  return *columns;
}

// The target of an indicator (its key or Chinese heading) for a region (0 for the nation) and
// a year: a count, or a rate in percent.
const std::vector<Column>& TargetColumns() {
  static const auto* columns = new std::vector<Column>{
      {"indicator", "指标", {"指标名称", "indicator"}, K::kText, nullptr, true},
      {"region_code", "区划代码", {"行政区划代码", "region_code"}, K::kText, nullptr, true},
      {"region_name", "区划名称", {"region_name"}, K::kInfo, nullptr, false, true},
      {"year", "年度", {"年份", "year"}, K::kInt, nullptr, true},
      {"value", "目标值(比率填百分数)", {"目标值", "目标", "value"}, K::kText, nullptr, true},
  };
  return *columns;
}

}  // namespace

const std::vector<Column>& ColumnsFor(EntityKind kind) {
  switch (kind) {
    case EntityKind::kTargets:
      return TargetColumns();
    case EntityKind::kHouseholdIncome:
      return IncomeColumns();
    case EntityKind::kEmployment:
      return EmploymentColumns();
    case EntityKind::kRegionFlags:
      return RegionFlagColumns();
    case EntityKind::kPersons:
      return PersonColumns();
    case EntityKind::kHouseholds:
      return HouseholdColumns();
    case EntityKind::kEmployers:
      return EmployerColumns();
    case EntityKind::kJobs:
      return JobColumns();
  }
  return PersonColumns();
}

absl::StatusOr<std::vector<std::optional<size_t>>> MatchHeader(
    EntityKind kind, const std::vector<std::string>& header) {
  const auto& cols = ColumnsFor(kind);
  std::vector<std::optional<size_t>> out(header.size());
  std::vector<int> seen(cols.size(), -1);
  for (size_t h = 0; h < header.size(); ++h) {
    std::string n = NormalizeHeader(header[h]);
    if (n.empty()) continue;
    for (size_t c = 0; c < cols.size() && !out[h]; ++c) {
      bool match = n == NormalizeHeader(cols[c].zh) || n == cols[c].key;
      for (absl::string_view a : cols[c].aliases) match = match || n == NormalizeHeader(a);
      if (!match) continue;
      if (seen[c] >= 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("columns ", seen[c] + 1, " and ", h + 1, " are both ", cols[c].zh));
      }
      seen[c] = static_cast<int>(h);
      out[h] = c;
    }
  }
  std::vector<std::string> missing;
  for (size_t c = 0; c < cols.size(); ++c) {
    if (cols[c].required && seen[c] < 0)
      missing.push_back(absl::StrCat(cols[c].zh, " (", cols[c].key, ")"));
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the header row lacks the required column", missing.size() > 1 ? "s " : " ",
                     absl::StrJoin(missing, ", "), "; download the template to see every column"));
  }
  return out;
}

}  // namespace jobaid::io
