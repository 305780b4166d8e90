#include "api/json_codec.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "api/body.h"
#include "common/status.h"
#include "domain/identifiers.h"

namespace jobaid::api {
namespace {

std::string Iso(int64_t ms) { return ms ? FormatIsoMs(ms) : ""; }

void Meta(json::object& o, const domain::RecordMeta& m) {
  o["version"] = m.version;
  o["created_at"] = Sv(Iso(m.created_at));
  o["updated_at"] = Sv(Iso(m.updated_at));
  if (m.deleted()) {
    o["deleted_at"] = Sv(Iso(m.deleted_at));
    o["delete_reason"] = Sv(m.delete_reason);
  } else {
    o["deleted_at"] = nullptr;
  }
}

void RegionFields(json::object& o, const char* key, int64_t code,
                  const domain::RegionTable& regions) {
  if (code == 0) {
    o[key] = nullptr;
    return;
  }
  o[key] = Sv(domain::FormatRegionCode(code));
  o[absl::StrCat(absl::string_view(key).substr(0, absl::string_view(key).size() - 5), "_name")] =
      Sv(regions.PathName(code));
}

}  // namespace

json::string_view Sv(absl::string_view s) { return json::string_view(s.data(), s.size()); }

json::object ReasonParams(const Reason& r) {
  json::object o;
  for (const auto& [name, value] : r.params) o[name] = Sv(value);
  return o;
}

json::array ReasonsJson(const std::vector<Reason>& rs) {
  json::array out;
  for (const Reason& r : rs)
    out.push_back(json::object{{"code", Sv(r.code)}, {"params", ReasonParams(r)}});
  return out;
}

json::array StringArray(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.push_back(Sv(s));
  return a;
}

absl::StatusOr<domain::Fields> FieldsFromJson(absl::string_view body,
                                              std::vector<domain::Fields>* members) {
  JA_ASSIGN_OR_RETURN(Body b, Body::Parse(body));
  return b.AsFields(members);
}

absl::StatusOr<domain::Fields> FieldsFromJson(absl::string_view body) {
  return FieldsFromJson(body, nullptr);
}

json::object HouseholdJson(const domain::Household& h, const auth::Actor& a,
                           const domain::RegionTable& regions) {
  json::object o;
  o["id"] = h.id.value();
  RegionFields(o, "region_code", h.region_code, regions);
  o["head_name"] = Sv(h.head_name);
  o["head_id_number"] = Sv(domain::MaskIdNumber(h.head_id_number));
  o["poverty_type"] = Sv(h.poverty_type);
  o["monitor_type"] = Sv(h.monitor_type);
  o["status"] = Sv(h.status);
  o["phone"] = Sv(a.SeesPhones() || h.phone.empty() ? h.phone : domain::MaskPhone(h.phone));
  o["address"] = Sv(h.address);
  o["helper_id"] = h.helper_id.valid() ? json::value(h.helper_id.value()) : json::value(nullptr);
  o["note"] = Sv(h.note);
  Meta(o, h.meta);
  return o;
}

json::object PersonJson(const domain::Person& p, const auth::Actor& a,
                        const domain::RegionTable& regions, Date today) {
  bool own = a.role == auth::Role::kLaborer && a.person_id == p.id;
  json::object o;
  o["id"] = p.id.value();
  o["household_id"] = p.household_id.value();
  RegionFields(o, "region_code", p.region_code, regions);
  o["name"] = Sv(p.name);
  o["id_number"] = Sv(own ? p.id_number : domain::MaskIdNumber(p.id_number));
  o["gender"] = Sv(p.gender);
  o["birth_date"] = Sv(p.birth_date.ToString());
  o["age"] = p.birth_date.valid() ? p.birth_date.AgeOn(today) : 0;
  o["laborer"] = domain::IsLaborer(p, today);
  o["phone"] = Sv(a.SeesPhones() || own || p.phone.empty() ? p.phone : domain::MaskPhone(p.phone));
  o["relation"] = Sv(p.relation);
  o["education"] = Sv(p.education);
  o["health"] = Sv(p.health);
  o["work_ability"] = Sv(p.work_ability);
  o["skills"] = StringArray(p.skills);
  o["certificates"] = StringArray(p.certificates);
  o["intention"] = Sv(p.intention);
  RegionFields(o, "intention_region", p.intention_region, regions);
  o["wanted_occupations"] = StringArray(p.wanted_occupations);
  o["expected_wage"] = p.expected_wage;
  o["note"] = Sv(p.note);
  Meta(o, p.meta);
  return o;
}

json::object EmployerJson(const domain::Employer& e, const auth::Actor& a,
                          const domain::RegionTable& regions) {
  json::object o;
  o["id"] = e.id.value();
  o["credit_code"] = Sv(e.credit_code);
  o["name"] = Sv(e.name);
  RegionFields(o, "region_code", e.region_code, regions);
  o["kinds"] = StringArray(e.kinds);
  o["industry"] = Sv(e.industry);
  o["contact_name"] = Sv(e.contact_name);
  o["contact_phone"] =
      Sv(a.employer_id == e.id || e.contact_phone.empty() ? e.contact_phone
                                                          : domain::MaskPhone(e.contact_phone));
  o["address"] = Sv(e.address);
  o["note"] = Sv(e.note);
  Meta(o, e.meta);
  return o;
}

json::object JobJson(const domain::Job& j, const domain::RegionTable& regions) {
  json::object o;
  o["id"] = j.id.value();
  o["employer_id"] = j.employer_id.value();
  o["title"] = Sv(j.title);
  o["occupation"] = Sv(j.occupation);
  o["skills"] = StringArray(j.skills);
  RegionFields(o, "region_code", j.region_code, regions);
  o["wage_min"] = j.wage_min;
  o["wage_max"] = j.wage_max;
  o["openings"] = j.openings;
  o["min_age"] = j.min_age;
  o["max_age"] = j.max_age;
  o["min_education"] = Sv(j.min_education);
  o["board"] = j.board;
  o["lodging"] = j.lodging;
  o["transport"] = j.transport;
  o["kind"] = Sv(j.kind);
  o["status"] = Sv(j.status);
  o["start_date"] = Sv(j.start_date.ToString());
  o["end_date"] = Sv(j.end_date.ToString());
  o["description"] = Sv(j.description);
  o["hired"] = j.hired;
  o["openings_left"] = std::max(0, j.openings - j.hired);
  Meta(o, j.meta);
  return o;
}

json::object PublicJobJson(const service::RegisterService::PublicJob& p,
                           const domain::RegionTable& regions, const std::string& url) {
  json::object o = JobJson(p.job, regions);
  // The posting only: not the records' bookkeeping.
  for (const char* key : {"employer_id", "hired", "version", "created_at", "updated_at",
                          "deleted_at", "delete_reason"}) {
    o.erase(key);
  }
  o["employer_name"] = Sv(p.employer_name);
  o["url"] = Sv(url);
  return o;
}

json::object EmploymentJson(const domain::Employment& e, const domain::RegionTable& regions) {
  json::object o;
  o["id"] = e.id.value();
  o["person_id"] = e.person_id.value();
  o["employer_id"] = e.employer_id.valid() ? json::value(e.employer_id.value()) : nullptr;
  o["job_id"] = e.job_id.valid() ? json::value(e.job_id.value()) : nullptr;
  o["kind"] = Sv(e.kind);
  RegionFields(o, "region_code", e.region_code, regions);
  o["start_date"] = Sv(e.start_date.ToString());
  o["end_date"] = Sv(e.end_date.valid() ? e.end_date.ToString() : "");
  o["monthly_income"] = e.monthly_income;
  o["how_found"] = Sv(e.how_found);
  o["part_time"] = e.part_time;
  Meta(o, e.meta);
  return o;
}

json::object ApplicationJson(const service::ApplicationView& v,
                             const domain::RegionTable& regions) {
  const domain::Application& a = v.application;
  json::object o;
  o["id"] = a.id.value();
  o["state"] = Sv(a.state);
  json::array next;
  for (const std::string& s : v.moves) next.push_back(Sv(s));
  o["next_states"] = std::move(next);
  o["score"] = a.score;
  // In words, and as codes with parameters for clients in other languages; rows older than the
  // codes have only the words.
  if (std::optional<std::vector<Reason>> rs = DecodeReasons(a.reasons)) {
    o["reasons"] = Sv(matching::ReasonsText(*rs));
    o["reason_codes"] = ReasonsJson(*rs);
  } else {
    o["reasons"] = Sv(a.reasons);
    o["reason_codes"] = json::array();
  }
  o["state_reason"] = Sv(a.state_reason);
  json::object person;
  person["id"] = a.person_id.value();
  person["name"] = Sv(v.person_name);
  person["gender"] = Sv(v.gender);
  person["age"] = v.age;
  person["education"] = Sv(v.education);
  person["skills"] = StringArray(v.skills);
  RegionFields(person, "region_code", a.region_code, regions);
  o["person"] = std::move(person);
  json::object job;
  job["id"] = a.job_id.value();
  job["title"] = Sv(v.job_title);
  job["employer_id"] = a.employer_id.value();
  job["employer_name"] = Sv(v.employer_name);
  RegionFields(job, "region_code", v.job_region_code, regions);
  o["job"] = std::move(job);
  o["employment_id"] = a.employment_id.valid() ? json::value(a.employment_id.value()) : nullptr;
  if (!v.events.empty()) {
    json::array events;
    for (const domain::ApplicationEvent& e : v.events) {
      json::object x;
      x["from"] = Sv(e.from_state);
      x["to"] = Sv(e.to_state);
      x["reason"] = Sv(e.reason);
      x["user_id"] = e.user_id.valid() ? json::value(e.user_id.value()) : nullptr;
      x["at"] = Sv(FormatIsoMs(e.at));
      events.push_back(std::move(x));
    }
    o["events"] = std::move(events);
  }
  if (v.spell) o["employment"] = EmploymentJson(*v.spell, regions);
  o["created_at"] = Sv(FormatIsoMs(a.meta.created_at));
  o["updated_at"] = Sv(FormatIsoMs(a.meta.updated_at));
  o["version"] = a.meta.version;
  return o;
}

json::object UserJson(const domain::User& u, const domain::RegionTable& regions) {
  json::object o;
  o["id"] = u.id.value();
  o["username"] = Sv(u.username);
  o["display_name"] = Sv(u.display_name);
  o["role"] = Sv(u.role);
  if (u.scope_level == 0) {
    o["region_code"] = nullptr;
    o["region_name"] = "全国";
  } else {
    domain::Region r{u.region_code, static_cast<domain::RegionLevel>(u.scope_level), {}};
    o["region_code"] = Sv(r.ShortCode());
    o["region_name"] = Sv(regions.PathName(u.region_code));
  }
  o["employer_id"] =
      u.employer_id.valid() ? json::value(u.employer_id.value()) : json::value(nullptr);
  o["person_id"] = u.person_id.valid() ? json::value(u.person_id.value()) : json::value(nullptr);
  o["disabled"] = u.disabled;
  o["created_at"] = Sv(Iso(u.meta.created_at));
  return o;
}

json::object ActorJson(const auth::Actor& a, const domain::RegionTable& regions) {
  json::object o;
  o["id"] = a.user_id.value();
  o["username"] = Sv(a.username);
  o["display_name"] = Sv(a.display_name);
  o["role"] = Sv(auth::RoleCode(a.role));
  if (a.scope.IsNation()) {
    o["region_code"] = nullptr;
    o["region_name"] = "全国";
  } else {
    auto r = regions.Find(a.scope_code);
    o["region_code"] = Sv(r.ok() ? r->ShortCode() : domain::FormatRegionCode(a.scope_code));
    o["region_name"] = Sv(regions.PathName(a.scope_code));
  }
  o["employer_id"] =
      a.employer_id.valid() ? json::value(a.employer_id.value()) : json::value(nullptr);
  o["person_id"] = a.person_id.valid() ? json::value(a.person_id.value()) : json::value(nullptr);
  return o;
}

json::object RegionJson(const service::RegionInfo& r) {
  json::object o;
  o["code"] = Sv(r.region.ShortCode());
  o["code12"] = Sv(domain::FormatRegionCode(r.region.code));
  o["name"] = Sv(r.region.name);
  o["level"] = Sv(domain::RegionLevelName(r.region.level));
  json::array path;
  for (const auto& p : r.path) {
    json::object x;
    x["code"] = Sv(p.ShortCode());
    x["name"] = Sv(p.name);
    x["level"] = Sv(domain::RegionLevelName(p.level));
    path.push_back(std::move(x));
  }
  o["path"] = std::move(path);
  json::object flags;
  flags["key_county"] = r.flags.key_county;
  flags["poverty_village"] = r.flags.poverty_village;
  flags["relocation_site"] = r.flags.relocation_site;
  flags["version"] = r.flags.meta.version;
  o["flags"] = std::move(flags);
  return o;
}

json::object MatchJson(const matching::Match& m) {
  json::object o;
  o["score"] = std::round(m.score * 10) / 10;
  json::array parts;
  for (const auto& p : m.parts) {
    parts.push_back(json::object{
        {"name", Sv(p.name)}, {"value", std::round(p.value * 1000) / 1000}, {"weight", p.weight}});
  }
  o["parts"] = std::move(parts);
  json::array words;
  for (const Reason& r : m.reasons) words.push_back(Sv(matching::ReasonText(r)));
  o["reasons"] = std::move(words);
  o["reason_codes"] = ReasonsJson(m.reasons);
  o["missing_skills"] = StringArray(m.missing_skills);
  return o;
}

json::object WeightsJson(const matching::Weights& w) {
  json::object o;
  for (const matching::WeightMember& m : matching::kWeightMembers) o[m.name] = w.*m.value;
  return o;
}

void AddLaborCounts(json::object& o, const domain::IndicatorCounts& c) {
  o["persons"] = c.persons;
  o["households_with_members"] = c.households;
  o["laborers"] = c.laborers;
  o["with_intention"] = c.with_intention;
  o["employed"] = c.employed;
  o["employed_with_intention"] = c.employed_with_intention;
  o["out_migrants"] = c.out_migrants();
  o["zero_employment_households"] = c.zero_employment_households;
}

json::object ImportReportJson(const service::ImportReport& r) {
  json::object o;
  o["kind"] = Sv(r.kind);
  o["format"] = Sv(r.format);
  o["rows"] = r.rows;
  o["inserted"] = r.inserted;
  o["updated"] = r.updated;
  o["unchanged"] = r.unchanged;
  o["invalid"] = r.invalid;
  o["written"] = r.written;
  json::array errors;
  for (const auto& e : r.errors) {
    json::object x;
    x["row"] = e.row;
    x["column"] = Sv(e.column);
    x["field"] = Sv(e.field);
    x["value"] = Sv(e.value);
    x["message"] = Sv(e.message);
    if (!e.reason.empty()) {
      x["reason"] = Sv(e.reason.code);
      x["params"] = ReasonParams(e.reason);
    }
    errors.push_back(std::move(x));
  }
  o["errors"] = std::move(errors);
  o["warnings"] = StringArray(r.warnings);
  return o;
}

}  // namespace jobaid::api
