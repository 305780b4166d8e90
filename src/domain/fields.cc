#include "domain/fields.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/money.h"
#include "common/status.h"
#include "domain/identifiers.h"

namespace jobaid::domain {
namespace {

// Number of code points, or -1 if `s` is not valid UTF-8.
int Utf8Length(absl::string_view s) {
  int n = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return -1;
    }
    i += len;
    ++n;
  }
  return n;
}

std::string Trim(absl::string_view s) {
  // Also strips the ideographic space U+3000 that Chinese input methods produce.
  absl::string_view t = absl::StripAsciiWhitespace(s);
  while (absl::StartsWith(t, "\u3000")) t.remove_prefix(3);
  while (absl::EndsWith(t, "\u3000")) t.remove_suffix(3);
  return std::string(absl::StripAsciiWhitespace(t));
}

}  // namespace

bool IsLaborer(const Person& p, Date on) {
  if (!p.birth_date.valid()) return false;
  int age = p.birth_date.AgeOn(on);
  return age >= 16 && age <= 64 &&
         (p.work_ability == "skilled" || p.work_ability == "ordinary" || p.work_ability == "weak");
}

std::vector<std::string> SplitList(absl::string_view text) {
  std::string s(text);
  for (const std::string sep : {"，", "、", "；", ";", "|"}) {
    for (size_t p; (p = s.find(sep)) != std::string::npos;) s.replace(p, sep.size(), ",");
  }
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(s, ',')) {
    std::string item = Trim(part);
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) {
      out.push_back(std::move(item));
    }
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& items) { return absl::StrJoin(items, ","); }

bool FieldReader::Has(absl::string_view key) const {
  auto it = f_.find(key);
  return it != f_.end() && !Trim(it->second).empty();
}

absl::string_view FieldReader::Raw(absl::string_view key) const {
  auto it = f_.find(key);
  return it == f_.end() ? absl::string_view() : absl::string_view(it->second);
}

void FieldReader::Add(absl::string_view field, absl::string_view value, std::string message,
                      Reason reason) {
  issues_.push_back(
      {std::string(field), std::string(value), std::move(message), std::move(reason)});
}

void FieldReader::Add(absl::string_view field, absl::string_view value, const absl::Status& s) {
  Add(field, value, std::string(s.message()), ReasonOf(s));
}

absl::Status FieldReader::status() const {
  if (issues_.empty()) return absl::OkStatus();
  const FieldIssue& i = issues_.front();
  return WithReason(FieldError(i.field, absl::StrCat(i.field, ": ", i.message)), i.reason);
}

std::string FieldReader::Text(absl::string_view key, bool required, size_t max_chars) {
  std::string v = Trim(Raw(key));
  if (v.empty()) {
    if (required) Add(key, "", "is required", {"required", {}});
    return v;
  }
  int n = Utf8Length(v);
  if (n < 0) {
    Add(key, v, "is not valid UTF-8 text; save the file as UTF-8 or GB18030", {"not_utf8", {}});
  } else if (static_cast<size_t>(n) > max_chars) {
    Add(key, v, absl::StrFormat("is %d characters long; at most %d are allowed", n, max_chars),
        {"too_long", {{"length", absl::StrCat(n)}, {"max", absl::StrCat(max_chars)}}});
  } else {
    for (char c : v) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
        Add(key, v, "contains a control character", {"control_character", {}});
        break;
      }
    }
  }
  return v;
}

std::string FieldReader::Code(absl::string_view key, const Vocabulary& vocab, bool required,
                              absl::string_view fallback) {
  std::string v = Trim(Raw(key));
  if (v.empty()) {
    if (required && fallback.empty()) {
      Add(key, "", "is required; one of " + vocab.Describe(),
          {"required_one_of", {{"options", vocab.Describe()}}});
    }
    return std::string(fallback);
  }
  auto code = vocab.Parse(v);
  if (!code) {
    Add(key, v, "is not one of " + vocab.Describe(),
        {"not_one_of", {{"options", vocab.Describe()}}});
    return std::string(fallback);
  }
  return std::string(*code);
}

std::vector<std::string> FieldReader::CodeList(absl::string_view key, const Vocabulary& vocab,
                                               bool required) {
  std::vector<std::string> out;
  for (const std::string& item : SplitList(Raw(key))) {
    auto code = vocab.Parse(item);
    if (!code) {
      Add(key, item, "is not one of " + vocab.Describe(),
          {"not_one_of", {{"options", vocab.Describe()}}});
    } else {
      out.emplace_back(*code);
    }
  }
  if (out.empty() && required && issues_.empty()) {
    Add(key, "", "is required; one or more of " + vocab.Describe(),
        {"required_some_of", {{"options", vocab.Describe()}}});
  }
  return out;
}

std::vector<std::string> FieldReader::List(absl::string_view key, size_t max_items) {
  std::vector<std::string> items = SplitList(Raw(key));
  if (items.size() > max_items) {
    Add(key, Raw(key),
        absl::StrFormat("has %d items; at most %d are allowed", items.size(), max_items),
        {"too_many_items",
         {{"count", absl::StrCat(items.size())}, {"max", absl::StrCat(max_items)}}});
  }
  for (const std::string& item : items) {
    if (Utf8Length(item) < 0 || Utf8Length(item) > 50) {
      Add(key, item, "items must be valid text of at most 50 characters",
          {"bad_list_item", {{"max", "50"}}});
      break;
    }
  }
  return items;
}

int64_t FieldReader::Int(absl::string_view key, bool required, int64_t min, int64_t max,
                         int64_t fallback) {
  std::string v = Trim(Raw(key));
  if (v.empty()) {
    if (required) Add(key, "", "is required", {"required", {}});
    return fallback;
  }
  int64_t n;
  if (!absl::SimpleAtoi(v, &n)) {
    Add(key, v, "is not a whole number", {"not_whole_number", {}});
    return fallback;
  }
  if (n < min || n > max) {
    Add(key, v, absl::StrFormat("must be between %d and %d", min, max),
        {"out_of_range", {{"min", absl::StrCat(min)}, {"max", absl::StrCat(max)}}});
    return fallback;
  }
  return n;
}

int64_t FieldReader::Fen(absl::string_view key, bool required) {
  return Int(key, required, 0, 100000000000000, 0);
}

bool FieldReader::Bool(absl::string_view key, bool fallback) {
  std::string v = absl::AsciiStrToLower(Trim(Raw(key)));
  if (v.empty()) return fallback;
  if (v == "true" || v == "1" || v == "yes" || v == "y" || v == "是" || v == "有" || v == "提供") {
    return true;
  }
  if (v == "false" || v == "0" || v == "no" || v == "n" || v == "否" || v == "无" ||
      v == "不提供") {
    return false;
  }
  Add(key, v, "must be yes or no (是/否)", {"not_yes_no", {}});
  return fallback;
}

Date FieldReader::DateField(absl::string_view key, bool required) {
  std::string v = Trim(Raw(key));
  if (v.empty()) {
    if (required) Add(key, "", "is required", {"required", {}});
    return Date();
  }
  auto d = Date::Parse(v);
  if (!d.ok()) {
    Add(key, v, d.status());
    return Date();
  }
  return *d;
}

int64_t FieldReader::Region(absl::string_view key, bool required, RegionLevel min_level) {
  std::string v = Trim(Raw(key));
  if (v.empty()) {
    if (required) Add(key, "", "is required", {"required", {}});
    return 0;
  }
  auto r = ctx_.regions->Lookup(v);
  if (!r.ok()) {
    Add(key, v, r.status());
    return 0;
  }
  if (r->level < min_level) {
    Add(key, v,
        absl::StrCat(r->name, " is a ", RegionLevelName(r->level), "; a ",
                     RegionLevelName(min_level),
                     min_level == RegionLevel::kVillage ? " is needed" : " or lower is needed"),
        {"region_level",
         {{"name", std::string(r->name)},
          {"level", std::string(RegionLevelName(r->level))},
          {"needed", std::string(RegionLevelName(min_level))}}});
    return 0;
  }
  return r->code;
}

std::string FieldReader::Mobile(absl::string_view key, bool required) {
  std::string v = Trim(Raw(key));
  if (v.empty()) {
    if (required) Add(key, "", "is required", {"required", {}});
    return v;
  }
  auto m = ParseMobile(v);
  if (!m.ok()) {
    Add(key, v, m.status());
    return v;
  }
  return *m;
}

void ReadHousehold(FieldReader& r, Household& h) {
  h.region_code = r.Region("region_code", true, RegionLevel::kVillage);
  h.head_name = r.Text("head_name", true, 30);
  std::string id = r.Text("head_id_number", true, 18);
  if (!id.empty()) {
    auto info = ParseIdNumber(id, *r.ctx().regions, r.ctx().today);
    if (!info.ok()) {
      r.Add("head_id_number", id, info.status());
    } else {
      h.head_id_number = info->normalized;
    }
  }
  h.poverty_type = r.Code("poverty_type", PovertyTypes(), true);
  h.monitor_type = r.Code("monitor_type", MonitorTypes(), false);
  if (!h.monitor_type.empty() && h.poverty_type != "monitored") {
    r.Add("monitor_type", h.monitor_type, "applies only to monitored households",
          {"monitor_type_unmonitored", {}});
  }
  h.status = r.Code("status", HouseholdStatuses(), false, "lifted");
  h.phone = r.Mobile("phone", false);
  h.address = r.Text("address", false, 100);
  h.helper_id = UserId(r.Int("helper_id", false, 1, INT64_MAX, 0));
  h.note = r.Text("note", false, 500);
}

std::vector<std::string> ReadPerson(FieldReader& r, Person& p) {
  std::vector<std::string> warnings;
  p.name = r.Text("name", true, 30);
  std::string id = r.Text("id_number", true, 18);
  if (!id.empty()) {
    auto info = ParseIdNumber(id, *r.ctx().regions, r.ctx().today);
    if (!info.ok()) {
      r.Add("id_number", id, info.status());
    } else {
      p.id_number = info->normalized;
      p.birth_date = info->birth_date;
      p.gender = std::string(GenderCode(info->gender));
      if (!info->warning.empty()) warnings.push_back("id_number: " + info->warning);
    }
  }
  // Gender and birth date come from the ID number; a stated one must agree with it.
  if (r.Has("gender") && !p.gender.empty()) {
    auto g = Genders().Parse(r.Raw("gender"));
    if (!g || *g != p.gender) {
      r.Add("gender", r.Raw("gender"),
            absl::StrCat("does not match the ID number, which says ", Genders().Zh(p.gender)),
            {"id_mismatch_gender", {{"says", p.gender}}});
    }
  }
  if (r.Has("birth_date") && p.birth_date.valid()) {
    auto d = Date::Parse(r.Raw("birth_date"));
    if (!d.ok() || *d != p.birth_date) {
      r.Add("birth_date", r.Raw("birth_date"),
            absl::StrCat("does not match the ID number, which says ", p.birth_date.ToString()),
            {"id_mismatch_birth", {{"says", p.birth_date.ToString()}}});
    }
  }
  p.phone = r.Mobile("phone", false);
  p.relation = r.Code("relation", Relations(), false, "other");
  p.education = r.Code("education", Educations(), false);
  p.health = r.Code("health", Healths(), false, "healthy");
  p.work_ability = r.Code("work_ability", WorkAbilities(), false, "ordinary");
  p.skills = r.List("skills");
  p.certificates = r.List("certificates");
  p.intention = r.Code("intention", Intentions(), false, "none");
  p.intention_region =
      r.Region("intention_region", p.intention == "named_region", RegionLevel::kProvince);
  if (p.intention != "named_region" && p.intention_region != 0) {
    r.Add("intention_region", r.Raw("intention_region"),
          "applies only when the intention is named_region (指定地区)",
          {"intention_region_unnamed", {}});
  }
  p.wanted_occupations = r.List("wanted_occupations", 10);
  p.expected_wage = r.Fen("expected_wage", false);
  p.note = r.Text("note", false, 500);
  return warnings;
}

void ReadEmployer(FieldReader& r, Employer& e) {
  std::string code = r.Text("credit_code", true, 18);
  if (!code.empty()) {
    auto c = ParseCreditCode(code);
    if (!c.ok()) {
      r.Add("credit_code", code, c.status());
    } else {
      e.credit_code = *c;
    }
  }
  e.name = r.Text("name", true, 100);
  e.region_code = r.Region("region_code", true, RegionLevel::kCounty);
  e.kinds = r.CodeList("kinds", EmployerKinds(), false);
  if (e.kinds.empty()) e.kinds = {"enterprise"};
  e.industry = r.Text("industry", false, 50);
  e.contact_name = r.Text("contact_name", false, 30);
  e.contact_phone = r.Mobile("contact_phone", false);
  e.address = r.Text("address", false, 100);
  e.note = r.Text("note", false, 500);
}

void ReadJob(FieldReader& r, Job& j) {
  j.title = r.Text("title", true, 50);
  j.occupation = r.Text("occupation", false, 50);
  j.skills = r.List("skills");
  j.region_code = r.Region("region_code", true, RegionLevel::kCounty);
  j.wage_min = r.Fen("wage_min", false);
  j.wage_max = r.Fen("wage_max", false);
  if (j.wage_max == 0) j.wage_max = j.wage_min;
  if (j.wage_max < j.wage_min) {
    r.Add("wage_max", r.Raw("wage_max"), "must not be below wage_min", {"wage_max_below_min", {}});
  }
  j.openings = static_cast<int32_t>(r.Int("openings", false, 0, 100000, 1));
  j.min_age = static_cast<int32_t>(r.Int("min_age", false, 16, 75, 16));
  j.max_age = static_cast<int32_t>(r.Int("max_age", false, 16, 75, 60));
  if (j.max_age < j.min_age) {
    r.Add("max_age", r.Raw("max_age"), "must not be below min_age", {"max_age_below_min", {}});
  }
  j.min_education = r.Code("min_education", Educations(), false);
  j.board = r.Bool("board", false);
  j.lodging = r.Bool("lodging", false);
  j.transport = r.Bool("transport", false);
  j.kind = r.Code("kind", JobKinds(), false, "regular");
  j.status = r.Code("status", JobStatuses(), false, "open");
  j.start_date = r.DateField("start_date", false);
  j.end_date = r.DateField("end_date", false);
  if (j.start_date.valid() && j.end_date.valid() && j.end_date < j.start_date) {
    r.Add("end_date", r.Raw("end_date"), "must not be before start_date", {"end_before_start", {}});
  }
  j.description = r.Text("description", false, 2000);
}

void ReadEmployment(FieldReader& r, Employment& e) {
  e.kind = r.Code("kind", EmploymentKinds(), true);
  // A county at least: "local" and "out of county" are judged against the home county.
  e.region_code = r.Region("region_code", true, RegionLevel::kCounty);
  e.start_date = r.DateField("start_date", true);
  e.end_date = r.DateField("end_date", false);
  if (e.start_date.valid() && e.end_date.valid() && e.end_date < e.start_date) {
    r.Add("end_date", r.Raw("end_date"), "must not be before start_date", {"end_before_start", {}});
  }
  if (e.start_date.valid() && r.ctx().today.valid() && e.start_date > r.ctx().today.AddDays(366)) {
    r.Add("start_date", r.Raw("start_date"), "must not be more than a year ahead",
          {"start_too_far_ahead", {}});
  }
  e.monthly_income = r.Fen("monthly_income", false);
  e.how_found = r.Code("how_found", HowFound(), false, "self");
  e.part_time = r.Bool("part_time", false);
}

namespace {
std::string RegionText(int64_t code) { return code == 0 ? "" : FormatRegionCode(code); }
std::string IntText(int64_t v) { return absl::StrCat(v); }
std::string BoolText(bool b) { return b ? "true" : "false"; }
}  // namespace

Fields HouseholdFields(const Household& h) {
  return {{"region_code", RegionText(h.region_code)},
          {"head_name", h.head_name},
          {"head_id_number", h.head_id_number},
          {"poverty_type", h.poverty_type},
          {"monitor_type", h.monitor_type},
          {"status", h.status},
          {"phone", h.phone},
          {"address", h.address},
          {"helper_id", h.helper_id.valid() ? IntText(h.helper_id.value()) : ""},
          {"note", h.note}};
}

Fields PersonFields(const Person& p) {
  return {{"name", p.name},
          {"id_number", p.id_number},
          {"phone", p.phone},
          {"relation", p.relation},
          {"education", p.education},
          {"health", p.health},
          {"work_ability", p.work_ability},
          {"skills", JoinList(p.skills)},
          {"certificates", JoinList(p.certificates)},
          {"intention", p.intention},
          {"intention_region", RegionText(p.intention_region)},
          {"wanted_occupations", JoinList(p.wanted_occupations)},
          {"expected_wage", p.expected_wage ? IntText(p.expected_wage) : ""},
          {"note", p.note}};
}

Fields EmployerFields(const Employer& e) {
  return {{"credit_code", e.credit_code},
          {"name", e.name},
          {"region_code", RegionText(e.region_code)},
          {"kinds", JoinList(e.kinds)},
          {"industry", e.industry},
          {"contact_name", e.contact_name},
          {"contact_phone", e.contact_phone},
          {"address", e.address},
          {"note", e.note}};
}

Fields JobFields(const Job& j) {
  return {{"title", j.title},
          {"occupation", j.occupation},
          {"skills", JoinList(j.skills)},
          {"region_code", RegionText(j.region_code)},
          {"wage_min", IntText(j.wage_min)},
          {"wage_max", IntText(j.wage_max)},
          {"openings", IntText(j.openings)},
          {"min_age", IntText(j.min_age)},
          {"max_age", IntText(j.max_age)},
          {"min_education", j.min_education},
          {"board", BoolText(j.board)},
          {"lodging", BoolText(j.lodging)},
          {"transport", BoolText(j.transport)},
          {"kind", j.kind},
          {"status", j.status},
          {"start_date", j.start_date.ToString()},
          {"end_date", j.end_date.ToString()},
          {"description", j.description}};
}

Fields EmploymentFields(const Employment& e) {
  return {{"kind", e.kind},
          {"region_code", RegionText(e.region_code)},
          {"start_date", e.start_date.ToString()},
          {"end_date", e.end_date.ToString()},
          {"monthly_income", IntText(e.monthly_income)},
          {"how_found", e.how_found},
          {"part_time", BoolText(e.part_time)}};
}

}  // namespace jobaid::domain
