#include "matching/score.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace jobaid::matching {

namespace {

// How many of want's terms `have` has, and how many it lacks.
std::pair<size_t, size_t> CountShared(const SkillVocabulary::Terms& have,
                                      const SkillVocabulary::Terms& want) {
  size_t shared = 0;
  for (int t : want.known) {
    shared += std::find(have.known.begin(), have.known.end(), t) != have.known.end();
  }
  for (const std::string& t : want.other) {
    shared += std::find(have.other.begin(), have.other.end(), t) != have.other.end();
  }
  return {shared, want.known.size() + want.other.size() - shared};
}

// The shared terms of `have` and `want`, as names; `lacking` gets want's terms not in have.
std::vector<std::string> Shared(const SkillVocabulary::Terms& have,
                                const SkillVocabulary::Terms& want, const SkillVocabulary& v,
                                std::vector<std::string>* lacking) {
  std::vector<std::string> out;
  for (int t : want.known) {
    bool has = std::find(have.known.begin(), have.known.end(), t) != have.known.end();
    (has ? out : *lacking).push_back(v.Name(t));
  }
  for (const std::string& t : want.other) {
    bool has = std::find(have.other.begin(), have.other.end(), t) != have.other.end();
    (has ? out : *lacking).push_back(t);
  }
  return out;
}

bool SameBlock(int64_t a, int64_t b, int64_t unit) { return a / unit == b / unit; }

std::string Yuan(int64_t fen) { return absl::StrCat(fen / 100); }

}  // namespace

absl::StatusOr<Weights> Weights::Parse(absl::string_view json, const Weights& base) {
  boost::system::error_code ec;
  boost::json::stream_parser parser;
  const size_t read = parser.write(json.data(), json.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("the weights are not JSON: ", ec.message(), " at byte ", read));
  }
  boost::json::value v = parser.release();
  if (!v.is_object()) return absl::InvalidArgumentError("the weights are not a JSON object");
  Weights w = base;
  int given = 0;  // of the six weights (not the distance scale)
  for (const auto& member : v.as_object()) {
    const auto& key = member.key();
    const auto& value = member.value();
    if (key == "comment") continue;
    auto it = std::find_if(std::begin(kWeightMembers), std::end(kWeightMembers),
                           [&](const WeightMember& m) { return key == m.name; });
    if (it == std::end(kWeightMembers)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown weight \"", std::string(key), "\""));
    }
    if (!value.is_number() || value.to_number<double>() < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("weight \"", std::string(key), "\" must be a number of at least 0"));
    }
    w.*it->value = value.to_number<double>();
    given += it->value != &Weights::distance_scale_km;
  }
  if (w.distance_scale_km <= 0) {
    return absl::InvalidArgumentError("distance_scale_km must be above 0");
  }
  const double sum = w.Sum();
  const char* left_out = given < 6 ? " (those left out count at their default values)" : "";
  if (sum > kMaxWeightSum) {
    return absl::InvalidArgumentError(absl::StrCat("the weights add up to ", sum, left_out,
                                                   ", above ", kMaxWeightSum,
                                                   ": a score is at most their sum"));
  }
  if (sum < kMinWeightSum) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the weights add up to ", sum, left_out, ", below ", kMinWeightSum,
        ": they are points (the built-in ones add up to about 100), and scores are kept to a "
        "hundredth"));
  }
  return w;
}

const Weights& Weights::Default() {
  static const Weights* w = [] {
    auto parsed = Parse(Embedded(kWeightsJson, kWeightsJsonSize));
    return new Weights(parsed.ok() ? *parsed : Weights());
  }();
  return *w;
}

int64_t RegionBlock(int64_t code) {
  int64_t unit = 1;
  for (int64_t u : {int64_t{1000}, int64_t{1000000}, int64_t{100000000}, int64_t{10000000000}}) {
    if (code % u == 0) unit = u;
  }
  return unit;
}

int EducationRank(absl::string_view code) {
  static const std::pair<absl::string_view, int> kRanks[] = {{"primary", 1},     {"junior_high", 2},
                                                             {"senior_high", 3}, {"vocational", 3},
                                                             {"college", 4},     {"bachelor", 5}};
  for (const auto& [c, r] : kRanks) {
    if (c == code) return r;
  }
  return 0;
}

Seeker SeekerOf(const domain::Person& p, const domain::Household& h, Date today,
                bool zero_employment_household, const SkillVocabulary& v) {
  Seeker s;
  s.person_id = p.id.value();
  s.region_code = p.region_code;
  s.age = p.birth_date.valid() ? p.birth_date.AgeOn(today) : 0;
  s.education = EducationRank(p.education);
  s.intention = p.intention;
  s.intention_region = p.intention_region;
  s.skills = v.TermsOf(p.skills);
  s.wanted = v.TermsOf(p.wanted_occupations);
  s.expected_wage = p.expected_wage;
  s.zero_employment_household = zero_employment_household;
  s.monitored = h.poverty_type == "monitored";
  s.relocated = h.poverty_type == "relocated";
  return s;
}

Opening OpeningOf(const domain::Job& j, int openings_left, const SkillVocabulary& v) {
  Opening o;
  o.job_id = j.id.value();
  o.region_code = j.region_code;
  o.skills = v.TermsOf(j.skills);
  o.occupation = v.TermsOf({j.occupation.empty() ? j.title : j.occupation});
  o.wage_min = j.wage_min;
  o.wage_max = j.wage_max;
  o.min_age = j.min_age;
  o.max_age = j.max_age;
  o.min_education = EducationRank(j.min_education);
  o.board = j.board;
  o.lodging = j.lodging;
  o.openings_left = openings_left;
  o.open = j.status == "open" && !j.meta.deleted();
  return o;
}

double EstimatedDistanceKm(int64_t a, int64_t b) {
  if (a == b) return 0;
  if (SameBlock(a, b, 1000)) return 5;           // same township
  if (SameBlock(a, b, 1000000)) return 25;       // same county
  if (SameBlock(a, b, 100000000)) return 80;     // same prefecture
  if (SameBlock(a, b, 10000000000)) return 250;  // same province
  return 1200;
}

std::string Rejection(const Seeker& s, const Opening& o) {
  if (!o.open) return "岗位已关闭";
  if (o.openings_left <= 0) return "岗位已招满";
  if (s.age < o.min_age || s.age > o.max_age) {
    return absl::StrFormat("年龄 %d 岁，岗位要求 %d–%d 岁", s.age, o.min_age, o.max_age);
  }
  if (s.education < o.min_education) return "学历低于岗位要求";
  bool same_county = SameBlock(s.region_code, o.region_code, 1000000);
  bool same_province = SameBlock(s.region_code, o.region_code, 10000000000);
  if (s.intention == "none" || s.intention.empty()) return "本人无就业意愿";
  if (s.intention == "local" && !same_county) return "本人希望在县内就业";
  if (s.intention == "in_province" && !same_province) return "本人希望在省内就业";
  if (s.intention == "out_of_province" && same_province) return "本人希望到省外就业";
  if (s.intention == "named_region" && s.intention_region != 0 &&
      !SameBlock(s.intention_region, o.region_code, RegionBlock(s.intention_region))) {
    return "不在本人希望的地区";
  }
  return "";
}

std::string ReasonText(const Reason& r) {
  auto param = [&r](absl::string_view name) -> std::string {
    for (const auto& [k, v] : r.params) {
      if (k == name) return v;
    }
    return "";
  };
  const std::string& c = r.code;
  if (c == "skills") return absl::StrCat("技能匹配：", param("skills"));
  if (c == "occupation") return absl::StrCat("期望工种：", param("occupations"));
  if (c == "home_village") return "本村就业";
  if (c == "distance") return absl::StrCat("距离约 ", param("km"), " 公里");
  if (c == "wage") return absl::StrCat("月薪 ", param("range"), " 元");
  if (c == "wage_as_expected") return absl::StrCat("月薪 ", param("range"), " 元，不低于期望");
  if (c == "wage_below_expected") return absl::StrCat("月薪 ", param("range"), " 元，低于期望");
  if (c == "board_and_lodging") return "包食宿";
  if (c == "board") return "包吃";
  if (c == "lodging") return "包住";
  if (c == "priority_zero_employment") return "优先：零就业家庭";
  if (c == "priority_monitored") return "优先：防止返贫监测对象";
  if (c == "priority_relocated") return "优先：易地搬迁户";
  return c;
}

std::string ReasonsText(const std::vector<Reason>& rs) {
  std::string out;
  for (const Reason& r : rs) absl::StrAppend(&out, out.empty() ? "" : "；", ReasonText(r));
  return out;
}

Match Score(const Seeker& s, const Opening& o, const Weights& w, const SkillVocabulary& v,
            bool explain) {
  Match m;
  auto part = [&](const char* name, double value, double weight) {
    value = std::clamp(value, 0.0, 1.0);
    if (explain) m.parts.push_back({name, value, weight});
    m.score += value * weight;
  };

  auto [shared, lacking] = CountShared(s.skills, o.skills);
  part("skills",
       o.skills.empty() ? 0.5 : static_cast<double>(shared) / static_cast<double>(shared + lacking),
       w.skills);
  size_t wished = CountShared(s.wanted, o.occupation).first;
  // A skill of the job's occupation counts as half a wish for it.
  size_t skilled = CountShared(s.skills, o.occupation).first;
  part("occupation", wished > 0 ? 1.0 : skilled > 0 ? 0.5 : 0.0, w.occupation);
  if (explain) {
    std::vector<std::string> names = Shared(s.skills, o.skills, v, &m.missing_skills);
    if (!names.empty()) m.reasons.push_back({"skills", {{"skills", absl::StrJoin(names, "、")}}});
    std::vector<std::string> unused;
    std::vector<std::string> occupation = Shared(s.wanted, o.occupation, v, &unused);
    if (!occupation.empty()) {
      m.reasons.push_back({"occupation", {{"occupations", absl::StrJoin(occupation, "、")}}});
    }
  }

  double km = EstimatedDistanceKm(s.region_code, o.region_code);
  bool away = !SameBlock(s.region_code, o.region_code, 1000000);
  // Those who want to go out of the province do not mind the distance.
  part("distance", s.intention == "out_of_province" ? 1.0 : 1.0 - km / w.distance_scale_km,
       w.distance);
  if (explain) {
    m.reasons.push_back(km == 0 ? Reason{"home_village", {}}
                                : Reason{"distance", {{"km", absl::StrFormat("%.0f", km)}}});
  }

  double wage = 0.5;
  if (s.expected_wage > 0 && o.wage_max > 0) {
    wage = static_cast<double>(o.wage_max) / static_cast<double>(s.expected_wage);
  }
  part("wage", wage, w.wage);
  if (explain && o.wage_max > 0) {
    std::string range = o.wage_min > 0 && o.wage_min != o.wage_max
                            ? absl::StrCat(Yuan(o.wage_min), "–", Yuan(o.wage_max))
                            : Yuan(o.wage_max);
    const char* code = s.expected_wage <= 0            ? "wage"
                       : o.wage_max >= s.expected_wage ? "wage_as_expected"
                                                       : "wage_below_expected";
    m.reasons.push_back({code, {{"range", range}}});
  }

  double lodging = !away ? 1.0 : (o.board ? 0.5 : 0.0) + (o.lodging ? 0.5 : 0.0);
  part("lodging", lodging, w.lodging);
  if (explain && o.board && o.lodging) {
    m.reasons.push_back({"board_and_lodging", {}});
  } else if (explain && (o.board || o.lodging)) {
    m.reasons.push_back({o.board ? "board" : "lodging", {}});
  }

  double priority = s.zero_employment_household ? 1.0 : (s.monitored || s.relocated) ? 0.5 : 0.0;
  part("priority", priority, w.priority);
  if (explain) {
    if (s.zero_employment_household) m.reasons.push_back({"priority_zero_employment", {}});
    if (s.monitored) m.reasons.push_back({"priority_monitored", {}});
    if (s.relocated) m.reasons.push_back({"priority_relocated", {}});
  }
  m.score = QuantizeScore(m.score);
  return m;
}

}  // namespace jobaid::matching
