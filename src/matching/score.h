// How well a laborer and an open job fit: the hard constraints that rule a pair out, and a
// score made of parts (skills, occupation, distance, wage, board and lodging, priority), each
// 0-1 times its weight, with the reasons in words and the skills the laborer lacks. Pure
// functions over small views of the records, so that the engine can keep many in memory.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/dates.h"
#include "common/status.h"
#include "domain/entities.h"
#include "matching/skills.h"

namespace jobaid::matching {

// The weights of the score's parts, from data/matching/weights.json unless overridden.
struct Weights {
  double skills = 35, occupation = 20, distance = 20, wage = 15, lodging = 5, priority = 10;
  double distance_scale_km = 150;  // the distance at which the distance part reaches 0

  // The most a score can be.
  double Sum() const { return skills + occupation + distance + wage + lodging + priority; }

  // A JSON object with any of the members above, the others as in `base`; InvalidArgument names
  // a bad member.
  static absl::StatusOr<Weights> Parse(absl::string_view json, const Weights& base);
  static absl::StatusOr<Weights> Parse(absl::string_view json) { return Parse(json, Weights()); }
  static const Weights& Default();
};

// The members of Weights by their names in weights.json and the API, in that order: the one list
// that parsing and writing them go by.
struct WeightMember {
  const char* name;
  double Weights::*value;
};
inline constexpr WeightMember kWeightMembers[] = {
    {"skills", &Weights::skills},
    {"occupation", &Weights::occupation},
    {"distance", &Weights::distance},
    {"wage", &Weights::wage},
    {"lodging", &Weights::lodging},
    {"priority", &Weights::priority},
    {"distance_scale_km", &Weights::distance_scale_km}};

// A laborer as the matcher sees them.
struct Seeker {
  int64_t person_id = 0;
  int64_t region_code = 0;  // the home village
  int age = 0;
  int education = 0;  // EducationRank
  std::string intention;
  int64_t intention_region = 0;
  SkillVocabulary::Terms skills, wanted;
  int64_t expected_wage = 0;  // fen per month, 0 = not stated
  // Priority: the household has laborers and none employed; is monitored; was relocated.
  bool zero_employment_household = false, monitored = false, relocated = false;
};

// An open job as the matcher sees it.
struct Opening {
  int64_t job_id = 0;
  int64_t region_code = 0;  // the workplace
  SkillVocabulary::Terms skills, occupation;
  int64_t wage_min = 0, wage_max = 0;
  int min_age = 16, max_age = 60;
  int min_education = 0;  // EducationRank
  bool board = false, lodging = false;
  int openings_left = 0;
  bool open = true;
};

// none 0, primary 1, junior_high 2, senior_high and vocational 3, college 4, bachelor 5.
int EducationRank(absl::string_view code);

Seeker SeekerOf(const domain::Person& p, const domain::Household& h, Date today,
                bool zero_employment_household, const SkillVocabulary& v);
Opening OpeningOf(const domain::Job& j, int openings_left, const SkillVocabulary& v);

// The number of 12-digit codes the region `code` spans, from its trailing zero groups: 1 for a
// village, 1,000 for a township, ... 10^10 for a province.
int64_t RegionBlock(int64_t code);

// Road distance is not known; this estimates it from how far apart two 12-digit region codes
// sit in the hierarchy: same village 0 km, township 5, county 25, prefecture 80, province 250,
// otherwise 1,200. One place to replace when region centroids are loaded.
double EstimatedDistanceKm(int64_t a, int64_t b);

// Why `s` may not take `o` (age, education, the wish where to work, no openings left), in
// Chinese; "" when they may meet.
std::string Rejection(const Seeker& s, const Opening& o);

struct ScorePart {
  std::string name;  // skills, occupation, distance, wage, lodging, priority
  double value = 0;  // 0-1
  double weight = 0;
};

struct Match {
  double score = 0;  // the sum of value x weight over the parts
  std::vector<ScorePart> parts;
  // Why the pair fits, as codes with parameters (ReasonText says each in Chinese):
  // skills {skills}, occupation {occupations}, home_village, distance {km}, wage {range} (or
  // wage_as_expected, wage_below_expected), board_and_lodging, board, lodging,
  // priority_zero_employment, priority_monitored, priority_relocated. Lists are joined by "、".
  std::vector<Reason> reasons;
  std::vector<std::string> missing_skills;  // the job's skills the laborer lacks
};

// Scores are kept on a grid of 1e-6, so that equal sums of parts compare equal whatever order
// rounding took them in (ties are then broken by wage and id, the same way everywhere).
inline constexpr double kScoreGrid = 1e6;
// The most the weights may add up to (a score is at most their sum): bulk questions keep scores
// in millionths in 32 bits (JobIndex::Hit).
inline constexpr double kMaxWeightSum = 1000;
// The least they may add up to: weights are points (the built-in ones add up to 105), and scores
// are shown to a tenth and weighed in bulk to a hundredth, so fractions summing to 1 would tie.
inline constexpr double kMinWeightSum = 10;
inline double QuantizeScore(double score) { return std::round(score * kScoreGrid) / kScoreGrid; }

// A match reason in Chinese, as officers read it: "技能匹配：电焊", "距离约 25 公里", "包食宿".
std::string ReasonText(const Reason& r);
// Several, joined by "；" (as an application keeps them in words).
std::string ReasonsText(const std::vector<Reason>& rs);

// The score of a pair that Rejection() lets through. Without `explain`, only `score` is filled
// (no parts, reasons or missing skills): the cheap form for ranking many pairs.
Match Score(const Seeker& s, const Opening& o, const Weights& w, const SkillVocabulary& v,
            bool explain = true);

}  // namespace jobaid::matching
