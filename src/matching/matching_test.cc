#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <functional>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "matching/assign.h"
#include "matching/auction.h"
#include "matching/engine.h"
#include "matching/huge_array.h"
#include "matching/score.h"
#include "matching/skills.h"

namespace jobaid::matching {

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const SkillVocabulary& V() { return SkillVocabulary::Default(); }

struct Rng {
  uint64_t state = 7;
  int operator()(int n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state >> 33) % static_cast<uint64_t>(n));
  }
};

// A welder of 35 from a village of Yongxing's 马田镇 who wants work in the county.
Seeker Welder() {
  Seeker s;
  s.person_id = 1;
  s.region_code = 431023101201;
  s.age = 35;
  s.education = EducationRank("junior_high");
  s.intention = "local";
  s.skills = V().TermsOf({"焊工", "驾驶"});
  s.wanted = V().TermsOf({"电焊工"});
  s.expected_wage = 400000;
  return s;
}

// A welding job in the same township.
Opening WeldingJob() {
  Opening o;
  o.job_id = 2;
  o.region_code = 431023101000;
  o.skills = V().TermsOf({"电焊", "叉车"});
  o.occupation = V().TermsOf({"电焊工"});
  o.wage_min = 350000;
  o.wage_max = 520000;
  o.min_age = 18;
  o.max_age = 55;
  o.min_education = EducationRank("primary");
  o.openings_left = 3;
  return o;
}

double Part(const Match& m, const std::string& name) {
  for (const auto& p : m.parts) {
    if (p.name == name) return p.value;
  }
  ADD_FAILURE() << "no part " << name;
  return -1;
}

TEST(Data, TheShippedFilesParse) {
  auto v = SkillVocabulary::Parse(Embedded(kSkillsTsv, kSkillsTsvSize));
  EXPECT_TRUE(v.ok()) << v.status();
  auto w = Weights::Parse(Embedded(kWeightsJson, kWeightsJsonSize));
  EXPECT_TRUE(w.ok()) << w.status();
  if (w.ok()) {
    EXPECT_EQ(w->skills, Weights::Default().skills);
  }
}

TEST(SkillVocabulary, SynonymsMeetInOneTerm) {
  EXPECT_GE(V().size(), 20);
  EXPECT_EQ(V().Find("焊工"), V().Find("电焊"));
  EXPECT_EQ(V().Find(" 电焊 工 "), V().Find("电焊"));
  EXPECT_EQ(V().Name(V().Find("氩弧焊")), "电焊");
  EXPECT_EQ(V().Find("量子计算"), -1);
  auto t = V().TermsOf({"焊工", "电焊工", "无人机"});
  EXPECT_EQ(t.known.size(), 1u);
  EXPECT_THAT(t.other, ElementsAre("无人机"));
}

TEST(SkillVocabulary, ADuplicateSynonymIsNamedByLine) {
  auto v = SkillVocabulary::Parse("# c\n电焊\t焊工\n焊接\t焊工\n");
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("line 3"));
  EXPECT_THAT(v.status().message(), HasSubstr("焊工"));
}

TEST(Weights, DefaultsComeFromTheDataFileAndBadOnesAreNamed) {
  EXPECT_GT(Weights::Default().skills, 0);
  auto w = Weights::Parse(R"({"skills": 50, "distance_scale_km": 80})");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->skills, 50);
  EXPECT_EQ(w->distance_scale_km, 80);
  EXPECT_EQ(w->wage, Weights().wage);
  EXPECT_THAT(Weights::Parse(R"({"skils": 5})").status().message(), HasSubstr("skils"));
  EXPECT_THAT(Weights::Parse(R"({"wage": -1})").status().message(), HasSubstr("wage"));
  EXPECT_FALSE(Weights::Parse("[]").ok());
  EXPECT_THAT(Weights::Parse(R"({"skills": 5,)").status().message(), HasSubstr("not JSON"));
  EXPECT_THAT(Weights::Parse(R"({"skills": 5 "wage": 1})").status().message(),
              HasSubstr("at byte 13"));
  // Members left out take the base's values (a server's file, the built-in ones).
  Weights base;
  base.lodging = 7;
  auto on_base = Weights::Parse(R"({"wage": 3})", base);
  ASSERT_TRUE(on_base.ok());
  EXPECT_EQ(on_base->wage, 3);
  EXPECT_EQ(on_base->lodging, 7);
  // A score is at most the weights' sum, which bulk questions keep in 32 bits of millionths.
  EXPECT_TRUE(Weights::Parse(R"({"skills": 900})").ok());  // 970 in all
  EXPECT_THAT(Weights::Parse(R"({"skills": 1000})").status().message(),
              HasSubstr("add up to 1070 (those left out count at their default values), above"));
  // Weights are points: fractions that add up to 1 would leave every score within a point.
  auto fractions = Weights::Parse(R"({"skills": 0.35, "occupation": 0.2, "distance": 0.2,
                                      "wage": 0.15, "lodging": 0.05, "priority": 0.05})");
  EXPECT_EQ(fractions.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(fractions.status().message(), HasSubstr("add up to 1, below 10"));
  EXPECT_TRUE(Weights::Parse(R"({"skills": 0, "occupation": 0, "distance": 0, "wage": 0,
                                 "lodging": 0, "priority": 10})")
                  .ok());
}

TEST(Constraints, AgeEducationOpeningsAndTheWishWhereToWork) {
  Seeker s = Welder();
  Opening o = WeldingJob();
  EXPECT_EQ(Rejection(s, o), "");
  s.age = 56;
  EXPECT_THAT(Rejection(s, o), HasSubstr("年龄 56 岁"));
  s = Welder();
  o.min_education = EducationRank("senior_high");
  EXPECT_THAT(Rejection(s, o), HasSubstr("学历"));
  o = WeldingJob();
  o.openings_left = 0;
  EXPECT_THAT(Rejection(s, o), HasSubstr("招满"));
  o = WeldingJob();
  o.open = false;
  EXPECT_THAT(Rejection(s, o), HasSubstr("关闭"));

  o = WeldingJob();
  o.region_code = 440304000000;  // Shenzhen
  EXPECT_THAT(Rejection(s, o), HasSubstr("县内"));
  s.intention = "out_of_province";
  EXPECT_EQ(Rejection(s, o), "");
  EXPECT_THAT(Rejection(s, WeldingJob()), HasSubstr("省外"));
  s.intention = "in_province";
  EXPECT_THAT(Rejection(s, o), HasSubstr("省内"));
  o.region_code = 430100000000;  // Changsha
  EXPECT_EQ(Rejection(s, o), "");
  s.intention = "named_region";
  s.intention_region = 440300000000;  // Shenzhen, a prefecture
  EXPECT_THAT(Rejection(s, o), HasSubstr("希望的地区"));
  o.region_code = 440304000000;
  EXPECT_EQ(Rejection(s, o), "");
  s.intention = "none";
  EXPECT_THAT(Rejection(s, o), HasSubstr("无就业意愿"));
}

TEST(Distance, FollowsTheRegionHierarchy) {
  EXPECT_EQ(EstimatedDistanceKm(431023101201, 431023101201), 0);
  EXPECT_EQ(EstimatedDistanceKm(431023101201, 431023101202), 5);
  EXPECT_EQ(EstimatedDistanceKm(431023101201, 431023102201), 25);
  EXPECT_EQ(EstimatedDistanceKm(431023101201, 431021001001), 80);
  EXPECT_EQ(EstimatedDistanceKm(431023101201, 430100000000), 250);
  EXPECT_EQ(EstimatedDistanceKm(431023101201, 440304000000), 1200);
}

// A match's reasons in words.
std::vector<std::string> Words(const Match& m) {
  std::vector<std::string> out;
  for (const Reason& r : m.reasons) out.push_back(ReasonText(r));
  return out;
}

TEST(Score, AHandCheckedPair) {
  Weights w;  // 35 skills, 20 occupation, 20 distance, 15 wage, 5 lodging, 10 priority; 150 km
  Match m = Score(Welder(), WeldingJob(), w, V());
  // Skills: 电焊 of 电焊 and 叉车; occupation wished; 5 km; 5200 against 4000; at home;
  // no priority.
  EXPECT_DOUBLE_EQ(Part(m, "skills"), 0.5);
  EXPECT_DOUBLE_EQ(Part(m, "occupation"), 1);
  EXPECT_DOUBLE_EQ(Part(m, "distance"), 1 - 5.0 / 150);
  EXPECT_DOUBLE_EQ(Part(m, "wage"), 1);
  EXPECT_DOUBLE_EQ(Part(m, "lodging"), 1);
  EXPECT_DOUBLE_EQ(Part(m, "priority"), 0);
  // The sum, on the score grid of 1e-6.
  EXPECT_NEAR(m.score, 35 * 0.5 + 20 + 20 * (1 - 5.0 / 150) + 15 + 5, 1e-6);
  EXPECT_DOUBLE_EQ(m.score, 76.833333);
  EXPECT_THAT(m.missing_skills, ElementsAre("叉车"));
  EXPECT_THAT(Words(m), ElementsAre("技能匹配：电焊", "期望工种：电焊", "距离约 5 公里",
                                    "月薪 3500–5200 元，不低于期望"));
  // The same as codes with parameters, for clients in other languages.
  ASSERT_EQ(m.reasons.size(), 4u);
  EXPECT_EQ(m.reasons[0].code, "skills");
  EXPECT_THAT(m.reasons[0].params,
              ElementsAre(std::pair<std::string, std::string>("skills", "电焊")));
  EXPECT_EQ(m.reasons[2].code, "distance");
  EXPECT_THAT(m.reasons[2].params, ElementsAre(std::pair<std::string, std::string>("km", "5")));
  EXPECT_EQ(m.reasons[3].code, "wage_as_expected");
  EXPECT_THAT(m.reasons[3].params,
              ElementsAre(std::pair<std::string, std::string>("range", "3500–5200")));
  // Kept by an application as one text, and read back.
  std::optional<std::vector<Reason>> back = DecodeReasons(EncodeReasons(m.reasons));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(ReasonsText(*back),
            "技能匹配：电焊；期望工种：电焊；距离约 5 公里；月薪 3500–5200 元，不低于期望");
  EXPECT_FALSE(DecodeReasons("技能匹配：电焊；距离约 5 公里").has_value());  // an older row's words
  EXPECT_FALSE(DecodeReasons("12:abc").has_value());
}

TEST(Score, WageBelowExpectationAndUnstatedWishes) {
  Seeker s = Welder();
  Opening o = WeldingJob();
  o.wage_max = 300000;
  o.wage_min = 300000;
  Match m = Score(s, o, Weights(), V());
  EXPECT_DOUBLE_EQ(Part(m, "wage"), 0.75);
  EXPECT_THAT(Words(m), ::testing::Contains("月薪 3000 元，低于期望"));
  s.expected_wage = 0;
  EXPECT_DOUBLE_EQ(Part(Score(s, o, Weights(), V()), "wage"), 0.5);
  o.skills = {};
  EXPECT_DOUBLE_EQ(Part(Score(s, o, Weights(), V()), "skills"), 0.5);  // the job names none
  s.wanted = {};
  EXPECT_DOUBLE_EQ(Part(Score(s, o, Weights(), V()), "occupation"), 0.5);  // a skill of it
  s.skills = {};
  EXPECT_DOUBLE_EQ(Part(Score(s, o, Weights(), V()), "occupation"), 0);
}

TEST(Score, BoardAndLodgingCountAwayFromHome) {
  Seeker s = Welder();
  s.intention = "out_of_province";
  Opening o = WeldingJob();
  o.region_code = 440304000000;
  Match bare = Score(s, o, Weights(), V());
  EXPECT_DOUBLE_EQ(Part(bare, "lodging"), 0);
  EXPECT_DOUBLE_EQ(Part(bare, "distance"), 1);  // going out is the wish
  o.board = o.lodging = true;
  Match both = Score(s, o, Weights(), V());
  EXPECT_DOUBLE_EQ(Part(both, "lodging"), 1);
  EXPECT_THAT(Words(both), ::testing::Contains("包食宿"));
  EXPECT_THAT(Words(both), ::testing::Contains("距离约 1200 公里"));
}

TEST(Score, PriorityHouseholdsAreLifted) {
  Seeker s = Welder();
  double plain = Score(s, WeldingJob(), Weights(), V()).score;
  s.monitored = true;
  Match monitored = Score(s, WeldingJob(), Weights(), V());
  EXPECT_DOUBLE_EQ(monitored.score, plain + 5);
  s.zero_employment_household = true;
  Match zero = Score(s, WeldingJob(), Weights(), V());
  EXPECT_DOUBLE_EQ(zero.score, plain + 10);
  EXPECT_THAT(Words(zero), ::testing::Contains("优先：零就业家庭"));
}

TEST(Views, FromTheRegisterRecords) {
  domain::Person p;
  p.id = PersonId(7);
  p.region_code = 431023101201;
  p.birth_date = Date::FromCivil(1990, 6, 1);
  p.education = "senior_high";
  p.intention = "local";
  p.skills = {"焊工"};
  domain::Household h;
  h.poverty_type = "relocated";
  Seeker s = SeekerOf(p, h, Date::FromCivil(2026, 5, 31), true, V());
  EXPECT_EQ(s.age, 35);
  EXPECT_EQ(s.education, 3);
  EXPECT_TRUE(s.relocated && s.zero_employment_household && !s.monitored);
  domain::Job j;
  j.id = JobId(9);
  j.title = "电焊工";
  j.status = "open";
  j.min_education = "vocational";
  Opening o = OpeningOf(j, 2, V());
  EXPECT_EQ(o.occupation.known.size(), 1u);
  EXPECT_EQ(o.min_education, 3);
  EXPECT_TRUE(o.open);
  EXPECT_THAT(o.skills.other, IsEmpty());
}

Opening At(int64_t id, int64_t region, std::vector<std::string> skills) {
  Opening o = WeldingJob();
  o.job_id = id;
  o.region_code = region;
  o.skills = V().TermsOf(skills);
  return o;
}

TEST(HugeArray, StartsOnAHugePageZeroedAndCopiesAndMoves) {
  HugeArray<uint32_t> a(3000000);  // 12 MB: six huge pages
  ASSERT_EQ(a.size(), 3000000u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data()) % (uintptr_t{2} << 20), 0u);
  EXPECT_EQ(a[0], 0u);
  EXPECT_EQ(a[2999999], 0u);
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint32_t>(i * 7);
  HugeArray<uint32_t> b = a;
  a[5] = 1;
  EXPECT_EQ(b[5], 35u);
  EXPECT_EQ(b[2999999], 2999999u * 7);
  HugeArray<uint32_t> c = std::move(b);
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(c.subspan(2999998, 2)[1], 2999999u * 7);
  c = HugeArray<uint32_t>();
  EXPECT_EQ(c.size(), 0u);
  EXPECT_TRUE(c.subspan(0, 0).empty());
}

TEST(Engine, JobsForALaborerFollowTheirWishAndComeBestFirst) {
  Engine e(V(), Weights());
  e.PutOpening(At(1, 431023101000, {"缝纫"}));          // same township, other skill
  e.PutOpening(At(2, 431023102000, {"电焊"}));          // same county, welding
  e.PutOpening(At(3, 430100000000, {"电焊"}));          // Changsha
  e.PutOpening(At(4, 440304000000, {"电焊"}));          // Shenzhen
  e.PutOpening(At(5, 431023101000, {"电焊", "驾驶"}));  // same township, both skills
  Opening full = At(6, 431023101000, {"电焊"});
  full.openings_left = 0;
  e.PutOpening(full);
  EXPECT_EQ(e.openings(), 6u);

  Seeker s = Welder();
  std::vector<int64_t> ids;
  for (const auto& r : e.JobsFor(s, 10)) ids.push_back(r.id);
  EXPECT_THAT(ids, ElementsAre(5, 2, 1));  // in the county, best first; the full one left out
  EXPECT_EQ(e.JobsFor(s, 1).size(), 1u);

  s.intention = "out_of_province";
  ids.clear();
  for (const auto& r : e.JobsFor(s, 10)) ids.push_back(r.id);
  EXPECT_THAT(ids, ElementsAre(4));
  s.intention = "in_province";
  EXPECT_EQ(e.JobsFor(s, 10).size(), 4u);

  e.PutOpening(At(5, 440304000000, {"电焊"}));  // moved to Shenzhen
  s.intention = "local";
  ids.clear();
  for (const auto& r : e.JobsFor(s, 10)) ids.push_back(r.id);
  EXPECT_THAT(ids, ElementsAre(2, 1));
  e.RemoveOpening(2);
  EXPECT_EQ(e.JobsFor(s, 10).size(), 1u);
}

TEST(Engine, ALoadSortsOnceAndLaterChangesFindTheirEntries) {
  Engine e(V(), Weights());
  e.Load({At(3, 431023102000, {"电焊"}), At(1, 431023101000, {"电焊"}), At(2, 440304000000, {})},
         {});
  Seeker s = Welder();
  std::vector<int64_t> ids;
  for (const auto& r : e.JobsFor(s, 10)) ids.push_back(r.id);
  EXPECT_THAT(ids, ElementsAre(1, 3));
  e.RemoveOpening(1);
  e.RemoveOpening(99);                          // unknown: nothing happens
  e.PutOpening(At(3, 431023101000, {"电焊"}));  // moved next door
  ids.clear();
  for (const auto& r : e.JobsFor(s, 10)) ids.push_back(r.id);
  EXPECT_THAT(ids, ElementsAre(3));
  EXPECT_EQ(e.openings(), 2u);
}

TEST(Engine, LaborersForAJobStayInTheGivenRegion) {
  Engine e(V(), Weights());
  Seeker a = Welder(), b = Welder(), c = Welder();
  b.person_id = 2;
  b.region_code = 431023102201;  // another township
  c.person_id = 3;
  c.skills = V().TermsOf({"厨师"});
  e.PutSeeker(a);
  e.PutSeeker(b);
  e.PutSeeker(c);
  Opening o = WeldingJob();
  auto county = e.SeekersFor(o, 10, {431023000000, 431024000000});
  ASSERT_EQ(county.size(), 3u);
  EXPECT_EQ(county[0].id, 1);  // the welder of the same township
  EXPECT_EQ(county[2].id, 3);  // the cook last
  auto township = e.SeekersFor(o, 10, {431023101000, 431023102000});
  EXPECT_EQ(township.size(), 2u);
  e.RemoveSeeker(1);
  EXPECT_EQ(e.SeekersFor(o, 10, domain::RegionRange::Nation()).size(), 2u);
}

TEST(Engine, JobsForAnswerAsAFullScanWouldAfterLoadsPutsMovesAndRemovals) {
  Rng rnd;
  std::vector<std::string> words = {"电焊", "缝纫", "厨师", "驾驶", "电工", "保洁", "无人机操作"};
  const int64_t places[] = {431023101000, 431023101201, 431023102000, 431021001000,
                            431002000000, 430100000000, 440304000000, 440305000000};
  const int64_t named[] = {440300000000, 440304000000, 431023101000, 430000000000, 431023000000};
  for (int round = 0; round < 160; ++round) {
    Engine e(V(), Weights());
    std::vector<Opening> jobs;
    // Most rounds small; some large enough that removals rebuild the index.
    int n = round % 20 == 0 ? 1500 + rnd(500) : 5 + rnd(60);
    for (int j = 0; j < n; ++j) {
      std::vector<std::string> skills;
      // Up to five skills (every skill-count bucket of the index); now and then one listed
      // twice, which Score() counts twice.
      for (int i = rnd(round % 3 == 0 ? 6 : 3); i > 0; --i) {
        skills.push_back(words[static_cast<size_t>(rnd(7))]);
      }
      Opening o = At(j + 1, places[rnd(8)], skills);
      if (!o.skills.known.empty() && rnd(10) == 0) o.skills.known.push_back(o.skills.known[0]);
      o.occupation = V().TermsOf({words[static_cast<size_t>(rnd(7))]});
      o.wage_max = rnd(6) == 0 ? 0 : 200000 + 50000 * rnd(8);
      o.board = rnd(2);
      o.lodging = rnd(2);
      o.min_age = 16 + rnd(20);
      o.max_age = 45 + rnd(16);
      o.min_education = rnd(4);
      jobs.push_back(o);
    }
    // Half loaded at once, half put one by one (and some moved), as the service does.
    e.Load(std::vector<Opening>(jobs.begin(), jobs.begin() + n / 2), {});
    for (int j = n / 2; j < n; ++j) e.PutOpening(jobs[static_cast<size_t>(j)]);
    for (int j = 0; j < n; j += 7) {
      jobs[static_cast<size_t>(j)].region_code = places[rnd(8)];
      jobs[static_cast<size_t>(j)].wage_max += 10000;
      e.PutOpening(jobs[static_cast<size_t>(j)]);
    }
    for (int j = 3; j < n; j += 3) e.RemoveOpening(jobs[static_cast<size_t>(j)].job_id);
    std::erase_if(jobs, [&](const Opening& o) { return o.job_id > 3 && (o.job_id - 1) % 3 == 0; });
    ASSERT_EQ(e.openings(), jobs.size());
    const char* wishes[] = {"local", "in_province", "out_of_province", "named_region"};
    for (int q = 0; q < 5; ++q) {
      Seeker s = Welder();
      s.intention = wishes[rnd(4)];
      s.intention_region = named[rnd(5)];
      s.age = 20 + rnd(50);  // some past every job's age limit
      s.education = rnd(5);
      s.expected_wage = rnd(4) == 0 ? 0 : 250000 + 50000 * rnd(6);
      std::vector<std::string> has;
      for (int i = 1 + rnd(4); i > 0; --i) has.push_back(words[static_cast<size_t>(rnd(7))]);
      s.skills = V().TermsOf(has);
      s.wanted = V().TermsOf({words[static_cast<size_t>(rnd(7))]});
      s.zero_employment_household = rnd(2);
      s.monitored = rnd(3) == 0;
      size_t k = 1 + static_cast<size_t>(rnd(5));
      std::vector<std::pair<double, int64_t>> scan;
      absl::flat_hash_map<int64_t, int64_t> wage;
      for (const Opening& o : jobs) {
        wage[o.job_id] = o.wage_max;
        if (Rejection(s, o).empty()) scan.emplace_back(Score(s, o, Weights(), V()).score, o.job_id);
      }
      // Best first; equal scores: the higher wage, then the lower id.
      std::sort(scan.begin(), scan.end(), [&](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first > b.first;
        if (wage[a.second] != wage[b.second]) return wage[a.second] > wage[b.second];
        return a.second < b.second;
      });
      scan.resize(std::min(k, scan.size()));
      auto got = e.JobsFor(s, k);
      ASSERT_EQ(got.size(), scan.size()) << "round " << round;
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].id, scan[i].second) << "round " << round << " rank " << i;
        EXPECT_DOUBLE_EQ(got[i].match.score, scan[i].first);
      }
    }
  }
}

TEST(Assign, AHandCheckedInstance) {
  // Two welding places in one job and a sewing job; three laborers. The best total puts both
  // welders in the welding job and the seamstress in the sewing one.
  Engine e(V(), Weights());
  Opening welding = At(1, 431023101000, {"电焊"});
  welding.openings_left = 2;
  Opening sewing = At(2, 431023101000, {"缝纫"});
  sewing.openings_left = 1;
  e.Load({welding, sewing}, {});
  Seeker a = Welder(), b = Welder(), c = Welder();
  b.person_id = 2;
  c.person_id = 3;
  c.skills = V().TermsOf({"缝纫"});
  Proposal p = Assign(e, {a, b, c}, 5);
  ASSERT_EQ(p.pairs.size(), 3u);
  absl::flat_hash_map<int64_t, int64_t> job_of;
  for (const Pair& x : p.pairs) job_of[x.person_id] = x.job_id;
  EXPECT_EQ(job_of[1], 1);
  EXPECT_EQ(job_of[2], 1);
  EXPECT_EQ(job_of[3], 2);
  // One welding place only: a welder is left out rather than put in the seamstress's place.
  welding.openings_left = 1;
  e.PutOpening(welding);
  p = Assign(e, {a, b, c}, 5);
  ASSERT_EQ(p.pairs.size(), 2u);
  job_of.clear();
  for (const Pair& x : p.pairs) job_of[x.person_id] = x.job_id;
  EXPECT_EQ(job_of[3], 2);
  EXPECT_EQ(job_of.size(), 2u);
  EXPECT_TRUE(job_of.contains(1) != job_of.contains(2));
  // The same with ids far apart (numbered through a hash map, not an array by id).
  welding.job_id = int64_t{1} << 40;
  welding.openings_left = 2;
  sewing.job_id = 3;
  e.Load({welding, sewing}, {});
  p = Assign(e, {a, b, c}, 5);
  ASSERT_EQ(p.pairs.size(), 3u);
  job_of.clear();
  for (const Pair& x : p.pairs) job_of[x.person_id] = x.job_id;
  EXPECT_EQ(job_of[1], int64_t{1} << 40);
  EXPECT_EQ(job_of[2], int64_t{1} << 40);
  EXPECT_EQ(job_of[3], 3);
}

TEST(Assign, PriorityLaborersArePlacedFirst) {
  Engine e(V(), Weights());
  Opening one = At(1, 431023101000, {"电焊"});
  one.openings_left = 1;
  e.Load({one}, {});
  Seeker skilled = Welder(), poor = Welder();
  poor.person_id = 2;
  poor.skills = {};                       // scores lower ...
  poor.zero_employment_household = true;  // ... but comes first
  Proposal p = Assign(e, {skilled, poor}, 5);
  ASSERT_EQ(p.pairs.size(), 1u);
  EXPECT_EQ(p.pairs[0].person_id, 2);
  EXPECT_EQ(p.priority_placed, 1);
}

// Every way to place `seekers` (each in one of their candidate jobs or none), best by
// (priority placed, total score).
std::pair<int, double> BruteForce(const Engine& e, const std::vector<Seeker>& seekers,
                                  size_t candidates) {
  std::vector<std::vector<Engine::Ranked>> options;
  for (const Seeker& s : seekers) options.push_back(e.JobsFor(s, candidates));
  std::pair<int, double> best{0, 0};
  absl::flat_hash_map<int64_t, int> used;
  std::function<void(size_t, int, double)> go = [&](size_t i, int prio, double total) {
    if (i == seekers.size()) {
      if (prio > best.first || (prio == best.first && total > best.second + 1e-9)) {
        best = {prio, total};
      }
      return;
    }
    go(i + 1, prio, total);
    for (const auto& r : options[i]) {
      if (used[r.id] >= e.OpeningsLeft(r.id)) continue;
      ++used[r.id];
      go(i + 1, prio + Priority(seekers[i]), total + r.match.score);
      --used[r.id];
    }
  };
  go(0, 0, 0);
  return best;
}

TEST(Assign, MatchesBruteForceOnRandomTinyInstances) {
  Rng rnd;
  std::vector<std::string> skills = {"电焊", "缝纫", "厨师", "驾驶", "电工"};
  for (int round = 0; round < 200; ++round) {
    Engine e(V(), Weights());
    std::vector<Opening> jobs;
    int n_jobs = 1 + rnd(3);
    for (int j = 0; j < n_jobs; ++j) {
      Opening o = At(j + 1, 431023101000 + 1000 * rnd(2), {skills[static_cast<size_t>(rnd(5))]});
      o.openings_left = 1 + rnd(2);
      o.wage_max = 300000 + 50000 * rnd(5);
      jobs.push_back(o);
    }
    e.Load(jobs, {});
    std::vector<Seeker> seekers;
    int n_seekers = 1 + rnd(5);
    for (int i = 0; i < n_seekers; ++i) {
      Seeker s = Welder();
      s.person_id = i + 1;
      s.skills = V().TermsOf({skills[static_cast<size_t>(rnd(5))]});
      s.zero_employment_household = rnd(3) == 0;
      s.expected_wage = 300000 + 50000 * rnd(5);
      seekers.push_back(s);
    }
    Proposal p = Assign(e, seekers, 3);
    auto [prio, total] = BruteForce(e, seekers, 3);
    ASSERT_EQ(p.priority_placed, prio) << "round " << round;
    ASSERT_NEAR(p.total_score, total, 0.05) << "round " << round;
    Proposal auction = Solve(e, seekers, FindCandidates(e, seekers, 3), Solver::kAuction);
    ASSERT_EQ(auction.priority_placed, prio) << "round " << round;
    ASSERT_NEAR(auction.total_score, total, 0.05) << "round " << round;
    EXPECT_EQ(auction.gap, 0) << "round " << round;
    // Capacities hold and nobody is placed twice.
    absl::flat_hash_map<int64_t, int> per_job;
    absl::flat_hash_set<int64_t> placed;
    for (const Pair& x : p.pairs) {
      EXPECT_TRUE(placed.insert(x.person_id).second);
      EXPECT_LE(++per_job[x.job_id], e.OpeningsLeft(x.job_id));
    }
  }
}

int64_t Hundredths(const Proposal& p) {
  int64_t sum = 0;
  for (const Pair& x : p.pairs) sum += std::llround(x.score * 100);
  return sum;
}

TEST(Assign, ComponentsSolvedApartEqualOneFlowAndBeatGreedy) {
  Rng rnd;
  const int64_t places[] = {431023101000, 431023102000, 431021001000, 430100000000,
                            440304000000, 440305000000, 520100000000, 330100000000};
  const char* wishes[] = {"local", "in_province", "out_of_province"};
  std::vector<std::string> words = {"电焊", "缝纫", "厨师", "驾驶", "电工", "保洁"};
  for (int round = 0; round < 20; ++round) {
    Engine e(V(), Weights());
    std::vector<Opening> jobs;
    for (int j = 0; j < 60; ++j) {
      Opening o = At(j + 1, places[rnd(8)], {words[static_cast<size_t>(rnd(6))]});
      o.openings_left = 1 + rnd(4);
      o.wage_max = 300000 + 50000 * rnd(6);
      jobs.push_back(o);
    }
    e.Load(jobs, {});
    std::vector<Seeker> people;
    for (int i = 0; i < 400; ++i) {
      Seeker s = Welder();
      s.person_id = i + 1;
      s.region_code = places[rnd(8)] + 201;
      s.intention = wishes[rnd(3)];
      s.skills = V().TermsOf({words[static_cast<size_t>(rnd(6))]});
      s.zero_employment_household = rnd(4) == 0;
      people.push_back(s);
    }
    Candidates c = FindCandidates(e, people, 5);
    Proposal parts = Solve(e, people, c, Solver::kComponents);
    Proposal whole = Solve(e, people, c, Solver::kWhole);
    Proposal greedy = Solve(e, people, c, Solver::kGreedy);
    Proposal shared = Solve(e, people, c, Solver::kPartitioned);
    Proposal auction = Solve(e, people, c, Solver::kAuction);
    // The same optimum in the hundredths both solve in (ties may pick other pairs).
    EXPECT_EQ(auction.priority_placed, whole.priority_placed) << round;
    EXPECT_EQ(Hundredths(auction), Hundredths(whole)) << round;
    EXPECT_EQ(auction.gap, 0) << round;
    absl::flat_hash_map<int64_t, int> auction_taken;
    absl::flat_hash_set<int64_t> auction_people;
    for (const Pair& p : auction.pairs) {
      EXPECT_LE(++auction_taken[p.job_id], e.OpeningsLeft(p.job_id)) << round;
      EXPECT_TRUE(auction_people.insert(p.person_id).second) << round;
    }
    EXPECT_LE(shared.priority_placed, whole.priority_placed);
    if (shared.priority_placed == whole.priority_placed) {
      EXPECT_LE(shared.total_score, whole.total_score + 1e-6);
    }
    absl::flat_hash_map<int64_t, int> shared_taken;
    absl::flat_hash_set<int64_t> shared_people;
    for (const Pair& p : shared.pairs) {
      EXPECT_LE(++shared_taken[p.job_id], e.OpeningsLeft(p.job_id)) << round;
      EXPECT_TRUE(shared_people.insert(p.person_id).second) << round;
    }
    EXPECT_EQ(parts.priority_placed, whole.priority_placed) << round;
    EXPECT_NEAR(parts.total_score, whole.total_score, 1e-6) << round;
    EXPECT_EQ(parts.candidates, whole.candidates);
    // Greedy places no more priority laborers, and at most the same score at equal priority.
    EXPECT_LE(greedy.priority_placed, whole.priority_placed);
    if (greedy.priority_placed == whole.priority_placed) {
      EXPECT_LE(greedy.total_score, whole.total_score + 1e-6);
    }
    absl::flat_hash_map<int64_t, int> taken;
    for (const Pair& p : parts.pairs) {
      EXPECT_LE(++taken[p.job_id], e.OpeningsLeft(p.job_id));
    }
  }
}

// A component of 4,096 laborers or more has its graph built in two halves side by side (on
// two cores), each numbering the jobs as they first come in it, the second's mapped after to
// the numbers one pass would give. Here the second half also lists jobs the first never does
// (they alone have the skills 木工 and 瓦工), and the laborers share the rest: one component.
// Solved twice, to catch numbers left behind in a thread's array. Then a few of the laborers
// against the same many jobs: their lists name few of the engine's jobs, which are numbered
// again densely.
TEST(Assign, AGraphBuiltInTwoHalvesEqualsOneFlow) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "the halves need two cores";
  Rng rnd;
  const int64_t places[] = {440304000000, 440305000000, 330100000000,
                            320100000000, 310100000000, 520100000000};
  const std::vector<std::string> shared = {"电焊", "缝纫", "厨师", "驾驶", "电工", "保洁"};
  const std::vector<std::string> own = {"木工", "瓦工"};
  Engine e(V(), Weights());
  std::vector<Opening> jobs;
  for (int j = 0; j < 360; ++j) {
    const std::string& word =
        j < 300 ? shared[static_cast<size_t>(rnd(6))] : own[static_cast<size_t>(rnd(2))];
    Opening o = At(j + 1, places[rnd(6)], {word});
    o.openings_left = 1 + rnd(20);
    o.wage_max = 300000 + 10000 * rnd(30);
    jobs.push_back(o);
  }
  e.Load(jobs, {});
  // Laborers who would go anywhere, in one place (locality order is then the order given, and
  // the halves are the first and the last 3,000).
  std::vector<Seeker> people;
  for (int i = 0; i < 6000; ++i) {
    Seeker s = Welder();
    s.person_id = i + 1;
    s.intention = "out_of_province";
    const std::string& second =
        i < 3000 ? shared[static_cast<size_t>(rnd(6))] : own[static_cast<size_t>(rnd(2))];
    s.skills = V().TermsOf({shared[static_cast<size_t>(rnd(6))], second});
    s.expected_wage = 300000 + 10000 * rnd(30);
    s.zero_employment_household = rnd(4) == 0;
    people.push_back(s);
  }
  auto check = [&](const std::vector<Seeker>& laborers, size_t listed_jobs_below) {
    Candidates c = FindCandidates(e, laborers, 5);
    EXPECT_LT(c.jobs(), listed_jobs_below);
    Proposal whole = Solve(e, laborers, c, Solver::kWhole);
    for (int run = 0; run < 2; ++run) {
      Proposal auction = Solve(e, laborers, c, Solver::kAuction);
      EXPECT_EQ(auction.candidates, whole.candidates);
      EXPECT_EQ(auction.priority_placed, whole.priority_placed);
      EXPECT_EQ(Hundredths(auction), Hundredths(whole));
      EXPECT_EQ(auction.gap, 0);
      // Every pair is one of its laborer's candidates, within the job's openings.
      absl::flat_hash_map<int64_t, int> taken;
      for (const Pair& p : auction.pairs) {
        EXPECT_LE(++taken[p.job_id], e.OpeningsLeft(p.job_id));
        bool listed = false;
        const auto at = static_cast<size_t>(p.person_id - laborers.front().person_id);
        for (const Candidates::Edge& edge : c.of(at)) {
          listed |= c.id(edge.slot) == p.job_id && edge.score() == p.score;
        }
        EXPECT_TRUE(listed) << p.person_id << " " << p.job_id;
      }
    }
  };
  check(people, 361);
  // Which the first half never lists, the second does.
  absl::flat_hash_set<int64_t> first_half;
  Candidates c = FindCandidates(e, people, 5);
  for (size_t i = 0; i < 3000; ++i) {
    for (const Candidates::Edge& edge : c.of(i)) first_half.insert(c.id(edge.slot));
  }
  bool second_only = false;
  for (size_t i = 3000; i < 6000; ++i) {
    for (const Candidates::Edge& edge : c.of(i))
      second_only |= !first_half.contains(c.id(edge.slot));
  }
  EXPECT_TRUE(second_only);
  check(std::vector<Seeker>(people.begin() + 2995, people.begin() + 3005), 60);
}

// An instance small enough to solve by hand: three persons, two jobs (capacities 2 and 1).
// Person 0 gains 10 at job 0 or 9 at job 1; person 1 gains 8 at job 0; person 2 gains 7 at job 0
// or 1 at job 1. Best: 0 -> job 1 (9), 1 and 2 -> job 0 (8 + 7) = 24.
TEST(Auction, AHandSolvedInstanceAndItsBound) {
  AuctionGraph g;
  auto person = [&](std::vector<std::pair<uint32_t, int64_t>> edges) {
    for (auto [j, b] : edges) {
      g.job.push_back(j);
      g.benefit.push_back(b * 4);  // scaled by more than the persons: exact at epsilon 1
    }
    g.first.push_back(static_cast<uint32_t>(g.job.size()));
  };
  person({{0, 10}, {1, 9}});
  person({{0, 8}});
  person({{0, 7}, {1, 1}});
  g.capacity = {2, 1};
  for (int64_t theta : {2, 5, 10}) {
    AuctionOptions o;
    o.theta = theta;
    AuctionResult r = Auction(g, o);
    ASSERT_EQ(r.edge_of.size(), 3u);
    EXPECT_EQ(r.edge_of[0], 1) << theta;
    EXPECT_EQ(r.edge_of[1], 2) << theta;
    EXPECT_EQ(r.edge_of[2], 3) << theta;
    EXPECT_EQ(static_cast<int64_t>(r.primal), 24 * 4) << theta;
    EXPECT_GE(r.dual, r.primal);
    EXPECT_LT(static_cast<int64_t>(r.dual - r.primal), 4) << theta;
  }
  // A third seat in job 0: everyone's first choice fits.
  g.capacity = {3, 1};
  AuctionResult r = Auction(g);
  EXPECT_EQ(static_cast<int64_t>(r.primal), 25 * 4);
  EXPECT_EQ(r.edge_of[0], 0);
  // No seats: nobody is placed and the bound is 0.
  g.capacity = {0, 0};
  r = Auction(g);
  EXPECT_EQ(static_cast<int64_t>(r.primal), 0);
  EXPECT_EQ(static_cast<int64_t>(r.dual), 0);
  EXPECT_EQ(r.edge_of, (std::vector<int32_t>{-1, -1, -1}));
}

// The best total benefit of `g` as a min-cost flow (LEMON), to check the auction against.
int64_t BestByFlow(const AuctionGraph& g) {
  lemon::SmartDigraph net;
  auto s = net.addNode(), t = net.addNode();
  std::vector<lemon::SmartDigraph::Node> person, job;
  for (size_t i = 0; i < g.persons(); ++i) person.push_back(net.addNode());
  for (size_t j = 0; j < g.capacity.size(); ++j) job.push_back(net.addNode());
  lemon::SmartDigraph::ArcMap<int64_t> cap(net), cost(net);
  auto arc = [&](auto a, auto b, int64_t c, int64_t w) {
    auto x = net.addArc(a, b);
    cap[x] = c;
    cost[x] = w;
  };
  const int64_t n = static_cast<int64_t>(g.persons());
  arc(s, t, n, 0);  // staying unplaced
  for (size_t i = 0; i < g.persons(); ++i) {
    arc(s, person[i], 1, 0);
    for (uint32_t e = g.first[i]; e < g.first[i + 1]; ++e) {
      arc(person[i], job[g.job[e]], 1, -g.benefit[e]);
    }
  }
  for (size_t j = 0; j < g.capacity.size(); ++j) arc(job[j], t, g.capacity[j], 0);
  lemon::NetworkSimplex<lemon::SmartDigraph, int64_t, int64_t> flow(net);
  flow.upperMap(cap).costMap(cost).stSupply(s, t, n);
  EXPECT_EQ(flow.run(), flow.OPTIMAL);
  return -flow.totalCost();
}

// Three persons of a tier far above the rest (a priority bonus) who may take only two seats:
// at an epsilon of the scores' scale they would raise those seats' prices to the bonus an
// epsilon at a time, some fifteen million bids. The auction takes that for a price war,
// starts again from the coarse epsilon, and ends exact in far fewer bids.
TEST(Auction, PersonsOfATierWhoOutnumberTheirSeatsStartNoPriceWar) {
  constexpr int64_t kBonus = 100000000, kMult = 256;  // exact at epsilon 1: 256 > persons
  AuctionGraph g;
  Rng rnd;
  for (int i = 0; i < 3; ++i) {
    for (uint32_t j : {0u, 1u}) {
      g.job.push_back(j);
      g.benefit.push_back((kBonus + 50 + i + static_cast<int64_t>(j)) * kMult);
    }
    g.first.push_back(static_cast<uint32_t>(g.job.size()));
  }
  for (int i = 0; i < 200; ++i) {
    for (int e = 0; e < 5; ++e) {
      g.job.push_back(2 + static_cast<uint32_t>(rnd(50)));
      g.benefit.push_back((1 + rnd(100)) * kMult);
    }
    g.first.push_back(static_cast<uint32_t>(g.job.size()));
  }
  g.capacity.assign(52, 3);
  g.capacity[0] = g.capacity[1] = 1;
  for (int64_t parallel_from : {int64_t{250000}, int64_t{0}}) {  // one thread, then two
    AuctionOptions o;
    o.start_epsilon = 100 * kMult / o.theta;
    o.coarse_epsilon = kBonus * kMult / o.theta;
    o.parallel_from = parallel_from;
    AuctionResult r = Auction(g, o);
    EXPECT_TRUE(r.restarted);
    EXPECT_LT(r.bids, 1000000);
    EXPECT_EQ(static_cast<int64_t>(r.primal), BestByFlow(g));
    EXPECT_LT(static_cast<int64_t>(r.dual - r.primal), kMult);
    // Two of the three hold the two seats: the best pair, persons 1 and 2 (job 1 worth one
    // more).
    EXPECT_EQ((r.edge_of[0] >= 0) + (r.edge_of[1] >= 0) + (r.edge_of[2] >= 0), 2);
    EXPECT_EQ(r.edge_of[0], -1);
  }
}

// Checks an auction's answer on a graph whose benefits are scaled by more than its persons: a
// feasible assignment (each person on one of their own edges, no job over capacity) whose
// benefit is the primal and LEMON's optimum, and a dual bound less than one unscaled unit above.
void ExpectOptimal(const AuctionGraph& g, const AuctionResult& r, int round) {
  std::vector<int32_t> taken(g.capacity.size());
  int64_t total = 0;
  for (size_t i = 0; i < g.persons(); ++i) {
    const int32_t e = r.edge_of[i];
    if (e < 0) continue;
    ASSERT_GE(e, static_cast<int32_t>(g.first[i])) << "round " << round;
    ASSERT_LT(e, static_cast<int32_t>(g.first[i + 1])) << "round " << round;
    ++taken[g.job[static_cast<size_t>(e)]];
    total += g.benefit[static_cast<size_t>(e)];
  }
  for (size_t j = 0; j < g.capacity.size(); ++j) ASSERT_LE(taken[j], g.capacity[j]);
  EXPECT_EQ(total, static_cast<int64_t>(r.primal)) << "round " << round;
  EXPECT_EQ(total, BestByFlow(g)) << "round " << round;
  EXPECT_GE(r.dual, r.primal) << "round " << round;
  EXPECT_LT(static_cast<int64_t>(r.dual - r.primal), static_cast<int64_t>(g.persons()) + 1)
      << "round " << round;
}

TEST(Auction, EqualsAMinCostFlowWithManySeatsAndRepeatedEdges) {
  // Jobs of up to 80 seats (more than one reverse read serves), persons who list a job twice,
  // benefits scaled by more than the persons so that the last phase is exact.
  Rng rnd;
  for (int round = 0; round < 30; ++round) {
    AuctionGraph g;
    const int persons = 50 + rnd(250), jobs = 1 + rnd(8);
    for (int i = 0; i < persons; ++i) {
      const int edges = rnd(5);
      for (int k = 0; k < edges; ++k) {
        g.job.push_back(static_cast<uint32_t>(rnd(jobs)));
        g.benefit.push_back((1 + rnd(1000)) * (persons + 1));
      }
      if (edges > 0 && rnd(4) == 0) {  // the same job again, at another benefit
        g.job.push_back(g.job.back());
        g.benefit.push_back((1 + rnd(1000)) * (persons + 1));
      }
      g.first.push_back(static_cast<uint32_t>(g.job.size()));
    }
    for (int j = 0; j < jobs; ++j) g.capacity.push_back(rnd(81));
    ExpectOptimal(g, Auction(g), round);
    AuctionOptions shared;  // the bids on two threads, as for a nation's laborers
    shared.parallel_from = 0;
    ExpectOptimal(g, Auction(g, shared), round);
  }
}

// `persons` persons, each with min_edges + rnd(spread) edges to random jobs of `jobs`, best
// first (as Assign gives them), benefits scaled by more than the persons so that the last phase
// is exact; each job with 1 + rnd(seats) seats.
AuctionGraph BestFirstGraph(Rng& rnd, int persons, int jobs, int min_edges, int spread, int seats) {
  AuctionGraph g;
  for (int i = 0; i < persons; ++i) {
    const int edges = min_edges + rnd(spread);
    std::vector<int64_t> benefits;
    for (int k = 0; k < edges; ++k) benefits.push_back((1 + rnd(1000)) * (persons + 1));
    std::sort(benefits.begin(), benefits.end(), std::greater<>());
    for (int k = 0; k < edges; ++k) {
      g.job.push_back(static_cast<uint32_t>(rnd(jobs)));
      g.benefit.push_back(benefits[static_cast<size_t>(k)]);
    }
    g.first.push_back(static_cast<uint32_t>(g.job.size()));
  }
  for (int j = 0; j < jobs; ++j) g.capacity.push_back(1 + rnd(seats));
  return g;
}

TEST(Auction, EqualsAMinCostFlowWhereReverseBidsRunInLongChains) {
  // About as many seats as persons, each person's edges best first (as Assign gives them), a
  // job read by a hundred persons or more: each phase's reverse bids draw persons from job to
  // job in long chains, reading each job's best gainers from what its last read left (see
  // Gainers), reading its rows again when those run out, and taking back those who leave it.
  Rng rnd;
  for (int round = 0; round < 5; ++round) {
    const int persons = 2500 + rnd(1000), jobs = 120 + rnd(60);
    const AuctionGraph g = BestFirstGraph(rnd, persons, jobs, 1, 20, 39);
    ExpectOptimal(g, Auction(g), round);
    AuctionOptions shared;  // the bids on two threads, as for a nation's laborers
    shared.parallel_from = 0;
    ExpectOptimal(g, Auction(g, shared), round);
  }
}

TEST(Auction, TwoThreadsOfReverseBidsDrawingTheSamePersonsEqualAMinCostFlow) {
  // Many jobs of a few seats, each person's edges spread over all of them: the jobs the two
  // threads serve draw from one pool of persons, so that a draw meets a person whom the other
  // thread has just moved, claimed or holds under its lock (see Solver::Move).
  Rng rnd;
  for (int round = 0; round < 40; ++round) {
    const int persons = 400 + rnd(400), jobs = 150 + rnd(150);
    // Some rounds with fewer seats than persons, whose unplaced persons both threads draw.
    const AuctionGraph g = BestFirstGraph(rnd, persons, jobs, 2, 10, round % 2 == 0 ? 4 : 2);
    AuctionOptions shared;
    shared.parallel_from = 0;
    ExpectOptimal(g, Auction(g, shared), round);
  }
}

TEST(Auction, TheBoundLoweredFromThePricesStaysAboveTheOptimum) {
  // Stopped after its first phase at a coarse epsilon, the auction's prices are far from the
  // dual's best: the descent lowers the bound in nearly every round on one thread, and on one
  // thread or two (the jobs' halves lowered apart) never below LEMON's optimum, as any prices of
  // at least 0 bound it when each person's gain is read afresh. Among the jobs: one nobody may
  // take, one with a seat for every person; some persons list a job twice, one lists none.
  Rng rnd;
  int lowered = 0, rounds = 0;
  auto check = [&](const AuctionGraph& g, int round) {
    const int64_t best = BestByFlow(g);
    for (int64_t parallel_from : {int64_t{250000}, int64_t{0}}) {
      AuctionOptions o;
      o.parallel_from = parallel_from;
      o.enough = [](const AuctionResult&) { return true; };
      const AuctionResult r = Auction(g, o);
      EXPECT_EQ(r.phases, 1) << round;
      EXPECT_GE(static_cast<int64_t>(r.dual), best) << round;
      if (parallel_from > 0 && round >= 0) {
        ++rounds;
        lowered += r.dual < r.dual_at_prices;
      }
    }
  };
  for (int round = 0; round < 30; ++round) {
    AuctionGraph g = BestFirstGraph(rnd, 200 + rnd(300), 20 + rnd(40), 1, 8, round % 2 ? 12 : 3);
    for (size_t e = 0; e + 1 < g.job.size(); e += 7) g.job[e + 1] = g.job[e];
    g.first.push_back(g.first.back());  // a person with no jobs
    g.capacity[0] = 0;
    g.capacity[1] = static_cast<int32_t>(g.persons());
    check(g, round);
  }
  EXPECT_GE(lowered, rounds * 9 / 10);
  // One person and one job, on one thread and on two.
  AuctionGraph one;
  one.job = {0};
  one.benefit = {40};
  one.first = {0, 1};
  one.capacity = {1};
  check(one, -1);
}

}  // namespace
}  // namespace jobaid::matching
