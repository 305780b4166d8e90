#include "service/demo.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "auth/passwords.h"
#include "common/status.h"
#include "domain/identifiers.h"
#include "spdlog/spdlog.h"

namespace jobaid::service {
namespace {

using domain::Region;
using domain::RegionLevel;

const std::vector<std::string>& Surnames() {
  static const auto* v = new std::vector<std::string>{
      "李", "王", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "胡", "朱",
      "郭", "何", "罗", "高", "林", "曹", "邓", "谢", "唐", "曾", "彭", "蒋", "廖", "谭", "欧阳"};
  return *v;
}
const std::vector<std::string>& MaleChars() {
  static const auto* v = new std::vector<std::string>{
      "伟", "强", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "华", "建", "国",
      "文", "林", "峰", "志", "海", "亮", "波", "宇", "浩", "鹏", "俊", "磊", "松", "湘", "永"};
  return *v;
}
const std::vector<std::string>& FemaleChars() {
  static const auto* v = new std::vector<std::string>{
      "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "桂", "英", "红", "梅", "兰",
      "秀", "琴", "云", "莲", "萍", "婷", "雪", "慧", "佳", "欣", "月", "春", "凤", "珍", "翠"};
  return *v;
}
const std::vector<std::string>& Skills() {
  static const auto* v = new std::vector<std::string>{
      "电焊", "瓦工", "木工", "厨师",     "缝纫", "水稻种植", "生猪养殖", "驾驶", "电工", "家政",
      "保洁", "保安", "普工", "油茶种植", "砌筑", "钢筋工",   "电子装配", "育婴", "美发", "叉车"};
  return *v;
}

char OrgCodeCheck(const std::string& first8) {
  static constexpr int kW[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    char c = first8[static_cast<size_t>(i)];
    int v = c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
    sum += v * kW[i];
  }
  int r = 11 - sum % 11;
  return r == 10 ? 'X' : r == 11 ? '0' : static_cast<char>('0' + r);
}

}  // namespace

int Synthetic::Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

bool Synthetic::Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

std::string Synthetic::Name(bool male) {
  const auto& chars = male ? MaleChars() : FemaleChars();
  std::string name = Pick(Surnames()) + Pick(chars);
  if (Chance(0.7)) name += Pick(chars);
  return name;
}

std::string Synthetic::IdNumber(int county6, Date birth, bool male) {
  int seq = (seq_++ % 500) * 2 + (male ? 1 : 0);
  std::string first17 = absl::StrFormat("%06d%04d%02d%02d%03d", county6, birth.year(),
                                        birth.month(), birth.day(), seq);
  return first17 + domain::IdNumberCheckChar(first17);
}

std::string Synthetic::Mobile() {
  static const char* kPrefixes[] = {"130", "133", "135", "136", "138", "139", "150", "151",
                                    "158", "177", "180", "186", "187", "188", "199"};
  return absl::StrFormat("%s%08d", kPrefixes[Uniform(0, 14)], Uniform(0, 99999999));
}

std::string Synthetic::CreditCode(int county6) {
  static constexpr char kAlnum[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string org;
  for (int i = 0; i < 8; ++i) org.push_back(kAlnum[Uniform(0, 30)]);
  org.push_back(OrgCodeCheck(org));
  std::string first17 = absl::StrFormat("91%06d%s", county6, org);
  return first17 + domain::CreditCodeCheckChar(first17);
}

namespace {

// A household of one to four in `village` of county `county6`, with plausible members: ages,
// relations, education, health, ability to work, wishes and skills. Members' ID numbers are of
// the county, one in ten of `other_county6`; `ids` holds the numbers used so far.
struct HouseholdDraft {
  domain::Household household;
  std::vector<domain::Person> members;  // household_id unset
};

HouseholdDraft DraftHousehold(Synthetic& syn, const Region& village, int county6, int other_county6,
                              Date today, absl::flat_hash_set<std::string>& ids) {
  static const std::vector<std::string> kPoverty = {
      "registered_poor", "registered_poor", "registered_poor", "registered_poor",
      "registered_poor", "registered_poor", "registered_poor", "relocated",
      "relocated",       "monitored",       "monitored",       "marginal"};
  auto birth = [&](int min_age, int max_age) {
    int age = syn.Uniform(min_age, max_age);
    Date d = Date::FromCivil(today.year() - age, syn.Uniform(1, 12), syn.Uniform(1, 28));
    return d > today ? today.AddDays(-366) : d;
  };
  HouseholdDraft out;
  domain::Household& hh = out.household;
  int size = syn.Chance(0.2) ? 1 : syn.Chance(0.44) ? 2 : syn.Chance(0.67) ? 3 : 4;
  hh.region_code = village.code;
  hh.poverty_type = syn.Pick(kPoverty);
  if (hh.poverty_type == "monitored") {
    hh.monitor_type = syn.Chance(0.5)   ? "unstable"
                      : syn.Chance(0.5) ? "marginal"
                                        : "sudden_hardship";
    hh.status = "at_risk";
  } else {
    hh.status = "lifted";
  }
  bool head_male = syn.Chance(0.85);
  Date head_birth = birth(30, 75);
  std::string head_id;
  do {
    head_id = syn.IdNumber(county6, head_birth, head_male);
  } while (!ids.insert(head_id).second);
  hh.head_name = syn.Name(head_male);
  hh.head_id_number = head_id;
  hh.phone = syn.Mobile();
  hh.address = absl::StrCat(village.name, syn.Uniform(1, 12), "组", syn.Uniform(1, 60), "号");
  std::string surname = hh.head_name.substr(0, hh.head_name.rfind("欧阳") == 0 ? 6 : 3);
  for (int m = 0; m < size; ++m) {
    domain::Person p;
    p.region_code = hh.region_code;
    bool male;
    if (m == 0) {
      male = head_male;
      p.relation = "head";
      p.birth_date = head_birth;
      p.id_number = head_id;
      p.name = hh.head_name;
    } else {
      int head_age = head_birth.AgeOn(today);
      if (m == 1 && syn.Chance(0.8)) {
        p.relation = "spouse";
        male = !head_male;
        p.birth_date = birth(std::max(20, head_age - 5), std::min(80, head_age + 3));
      } else if (head_age > 40 || syn.Chance(0.3)) {
        p.relation = "child";
        male = syn.Chance(0.5);
        p.birth_date = birth(std::max(0, head_age - 45), std::max(1, head_age - 20));
      } else {
        p.relation = "parent";
        male = syn.Chance(0.4);
        p.birth_date = birth(std::min(90, head_age + 20), 90);
      }
      p.name = p.relation == "child"
                   ? surname + syn.Pick(male ? MaleChars() : FemaleChars()) +
                         (syn.Chance(0.6) ? syn.Pick(male ? MaleChars() : FemaleChars()) : "")
                   : syn.Name(male);
      do {
        p.id_number = syn.IdNumber(syn.Chance(0.9) ? county6 : other_county6, p.birth_date, male);
      } while (!ids.insert(p.id_number).second);
    }
    p.gender = male ? "male" : "female";
    int age = p.birth_date.AgeOn(today);
    p.education = age < 7            ? ""
                  : age > 60         ? (syn.Chance(0.5) ? "none" : "primary")
                  : syn.Chance(0.45) ? "junior_high"
                  : syn.Chance(0.5)  ? "primary"
                  : syn.Chance(0.6)  ? "senior_high"
                  : syn.Chance(0.5)  ? "vocational"
                                     : "college";
    p.health = syn.Chance(0.85)  ? "healthy"
               : syn.Chance(0.5) ? "chronic"
               : syn.Chance(0.5) ? "serious_illness"
                                 : "disabled";
    bool working_age = age >= 16 && age <= 64;
    if (!working_age) {
      p.work_ability = "none";
    } else if (p.health == "serious_illness" || p.health == "disabled") {
      p.work_ability = syn.Chance(0.5) ? "lost" : "weak";
    } else {
      p.work_ability = syn.Chance(0.2) ? "skilled" : syn.Chance(0.9) ? "ordinary" : "weak";
    }
    if (working_age && p.work_ability != "lost") {
      p.phone = syn.Chance(0.85) ? syn.Mobile() : "";
      double r = std::uniform_real_distribution<double>(0, 1)(syn.rng());
      p.intention = r < 0.38   ? "local"
                    : r < 0.55 ? "in_province"
                    : r < 0.85 ? "out_of_province"
                               : "none";
      if (p.intention != "none") {
        int n = syn.Uniform(0, 2);
        for (int k = 0; k < n; ++k) {
          std::string skill = syn.Pick(Skills());
          if (std::find(p.skills.begin(), p.skills.end(), skill) == p.skills.end()) {
            p.skills.push_back(skill);
          }
        }
        if (!p.skills.empty()) p.wanted_occupations.push_back(p.skills.front());
        p.expected_wage = syn.Uniform(25, 65) * 10000;  // 2,500-6,500 yuan
      }
    } else {
      p.intention = "none";
    }
    out.members.push_back(std::move(p));
  }

  return out;
}

// Where people of one county work when they leave it: other counties of the province and
// counties of the paired eastern province.
struct Workplaces {
  std::vector<int64_t> in_province, out_of_province;  // county codes (12 digits)
};

// The spells of employment of `p` (already inserted, living in `home_county` (6 digits)), as
// the register would hold them: three in four of those who want work are working now (in the
// county, in a workshop or a public welfare post for those who stay; elsewhere in the province
// or in the east for those who go), some after an earlier spell that ended; a few who no longer
// want work have a past spell. No two overlap.
std::vector<domain::Employment> DraftSpells(Synthetic& syn, const domain::Person& p,
                                            int home_county, const Workplaces& where, Date today,
                                            bool history) {
  std::vector<domain::Employment> out;
  const int age = p.birth_date.AgeOn(today);
  if (age < 16 || age > 64 || p.work_ability == "lost" || p.work_ability == "none") return out;
  auto spell = [&](Date start, Date end) {
    domain::Employment e;
    e.person_id = p.id;
    e.start_date = start;
    e.end_date = end;
    const std::string& wish = p.intention;
    const int64_t county = int64_t{home_county} * 1000000;
    if ((wish == "out_of_province" && !where.out_of_province.empty()) ||
        (wish == "none" && syn.Chance(0.3) && !where.out_of_province.empty())) {
      e.kind = "out_of_province";
      e.region_code = syn.Pick(where.out_of_province);
      e.monthly_income = syn.Uniform(45, 75) * 10000;
      e.how_found = syn.Chance(0.4) ? "transfer" : syn.Chance(0.5) ? "self" : "fair";
    } else if (wish == "in_province" && where.in_province.size() > 1) {
      e.kind = "out_of_county";
      do {
        e.region_code = syn.Pick(where.in_province);
      } while (e.region_code / 1000000 == home_county);
      e.monthly_income = syn.Uniform(35, 55) * 10000;
      e.how_found = syn.Chance(0.5) ? "fair" : "self";
    } else {
      double r = std::uniform_real_distribution<double>(0, 1)(syn.rng());
      e.kind = r < 0.6 ? "local" : r < 0.85 ? "workshop" : "public_welfare_post";
      e.region_code = p.region_code / 1000 * 1000;  // the home township
      if (e.region_code / 1000000 != county / 1000000) e.region_code = county;
      e.monthly_income = e.kind == "public_welfare_post" ? syn.Uniform(8, 15) * 10000
                                                         : syn.Uniform(25, 45) * 10000;
      e.how_found = syn.Chance(0.4) ? "match" : syn.Chance(0.5) ? "fair" : "self";
    }
    out.push_back(std::move(e));
  };
  if (p.intention == "none") {
    if (syn.Chance(0.2)) {
      Date start = today.AddDays(-syn.Uniform(400, 1500));
      spell(start, start.AddDays(syn.Uniform(60, 360)));
    }
    return out;
  }
  if (!syn.Chance(0.75)) {
    if (history && syn.Chance(0.5)) {  // worked seasons before, none now
      Date end = today.AddDays(-syn.Uniform(30, 400));
      spell(end.AddDays(-syn.Uniform(60, 240)), end);
    }
    return out;
  }
  Date start = today.AddDays(-syn.Uniform(30, 1000)), earliest = start;
  if (syn.Chance(0.3)) {  // an earlier spell, ended a month or more before this one began
    Date before = start.AddDays(-syn.Uniform(30, 120));
    earliest = before.AddDays(-syn.Uniform(90, 600));
    spell(earliest, before);
  }
  // Seasons of work in earlier years, each ended a while before the next began.
  while (history && syn.Chance(0.3)) {
    Date end = earliest.AddDays(-syn.Uniform(20, 90));
    earliest = end.AddDays(-syn.Uniform(60, 120));
    spell(earliest, end);
  }
  spell(start, Date());
  return out;
}

// Writes the household and its members (setting their ids), counting them.
absl::Status InsertDraft(storage::Transaction& tx, HouseholdDraft& d, int& households,
                         int& persons) {
  JA_RETURN_IF_ERROR(tx.InsertHousehold(d.household));
  ++households;
  for (domain::Person& p : d.members) {
    p.household_id = d.household.id;
    JA_RETURN_IF_ERROR(tx.InsertPerson(p));
    ++persons;
  }
  return absl::OkStatus();
}

// Writes the spells of the household's members (inserted already), counting them, and the
// household's income of last year: the wages its spells paid then, some farming, a little
// property income and the transfers (subsidies, pensions) such households get. `working`, if
// given, receives the members working today.
absl::Status InsertSpells(storage::Transaction& tx, Synthetic& syn, const HouseholdDraft& d,
                          const Workplaces& where, Date today, int& spells,
                          absl::flat_hash_set<int64_t>* working = nullptr, bool history = false) {
  domain::HouseholdIncome income;
  income.household_id = d.household.id;
  income.year = today.year() - 1;
  const Date first = Date::FromCivil(income.year, 1, 1),
             last = Date::FromCivil(income.year, 12, 31);
  for (const domain::Person& p : d.members) {
    for (domain::Employment& e :
         DraftSpells(syn, p, static_cast<int>(p.region_code / 1000000), where, today, history)) {
      JA_RETURN_IF_ERROR(tx.InsertEmployment(e));
      ++spells;
      if (working != nullptr && e.CoversDate(today)) working->insert(p.id.value());
      const Date from = std::max(e.start_date, first);
      const Date to = e.end_date.valid() ? std::min(e.end_date, last) : last;
      if (from <= to) income.wage += e.monthly_income * (to.days() - from.days() + 1) / 30;
    }
  }
  income.business = syn.Chance(0.7) ? syn.Uniform(10, 120) * 10000 : 0;  // crops, pigs, tea oil
  income.property = syn.Chance(0.1) ? syn.Uniform(1, 20) * 10000 : 0;
  income.transfer = syn.Uniform(10, 60) * 10000 * static_cast<int64_t>(d.members.size()) / 2;
  return tx.PutHouseholdIncome(d.household, income);
}

// The counties of the province `province` (2 digits) but `except` (6 digits).
std::vector<int64_t> CountiesOf(const domain::RegionTable& regions, int province, int except) {
  std::vector<int64_t> out;
  auto p = regions.Find(int64_t{province} * 10000000000);
  if (!p.ok()) return out;
  auto [first, last] = regions.Slice(p->range());
  for (size_t i = first; i < last; ++i) {
    const Region& r = regions.at(i);
    if (r.level == RegionLevel::kCounty && r.code / 1000000 != except) out.push_back(r.code);
  }
  return out;
}

// Job number `j` (from 0) of employer `em`; `far` = outside the home province, where wages are
// higher and board and lodging usual.
domain::Job DraftJob(Synthetic& syn, const domain::Employer& em, bool far, Date today, int j) {
  static const std::vector<std::pair<std::string, std::string>> kTitles = {
      {"普工", "普工"},       {"电焊工", "电焊"},     {"缝纫工", "缝纫"},     {"保洁员", "保洁"},
      {"叉车司机", "叉车"},   {"厨师", "厨师"},       {"电工", "电工"},       {"保安员", "保安"},
      {"装配工", "电子装配"}, {"种植工", "油茶种植"}, {"养殖工", "生猪养殖"}, {"砌筑工", "砌筑"}};
  const auto& [title, skill] = syn.Pick(kTitles);
  domain::Job job;
  job.employer_id = em.id;
  job.title = absl::StrCat(title, j > 0 ? absl::StrCat("（", j + 1, "）") : "");
  job.occupation = title;
  job.skills = {skill};
  job.region_code = em.region_code;
  job.wage_min = (far ? syn.Uniform(40, 55) : syn.Uniform(22, 35)) * 10000;
  job.wage_max = job.wage_min + syn.Uniform(5, 20) * 10000;
  job.openings = syn.Uniform(1, 20);
  job.min_age = 18;
  job.max_age = syn.Chance(0.5) ? 55 : 60;
  job.min_education = syn.Chance(0.6) ? "" : "junior_high";
  job.board = far || syn.Chance(0.4);
  job.lodging = far || syn.Chance(0.2);
  job.transport = far && syn.Chance(0.5);
  job.kind = em.kinds.front() == "workshop" ? "workshop" : syn.Chance(0.2) ? "seasonal" : "regular";
  job.status = "open";
  job.start_date = today.AddDays(-syn.Uniform(0, 60));
  job.description = absl::StrCat(em.name, "招聘", title, "，", job.board ? "包吃" : "",
                                 job.lodging ? "包住，" : "", "月薪", job.wage_min / 100, "-",
                                 job.wage_max / 100, "元。");
  return job;
}

}  // namespace

absl::StatusOr<DemoSummary> CreateDemo(const Context& ctx, uint64_t seed) {
  Synthetic syn(seed);
  DemoSummary sum;
  Date today = ctx.clock.Today();
  JA_ASSIGN_OR_RETURN(Region county, ctx.regions.Find(int64_t{kDemoCounty} * 1000000));
  std::vector<Region> villages;
  auto [first, last] = ctx.regions.Slice(county.range());
  for (size_t i = first; i < last; ++i) {
    Region r = ctx.regions.at(i);
    if (r.level == RegionLevel::kVillage) villages.push_back(r);
  }
  if (villages.empty()) return absl::FailedPreconditionError("the region table has no villages");

  storage::RegisterCounts existing;
  JA_RETURN_IF_ERROR(ctx.store.Read([&](storage::Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(existing, tx.CountRegister(domain::RegionRange::Nation()));
    return absl::OkStatus();
  }));
  if (existing.households > 0) {
    return absl::FailedPreconditionError(
        "the store already has a register; demo data goes into "
        "an empty store only");
  }

  absl::flat_hash_set<std::string> ids;
  PersonId laborer_person;
  EmployerId first_employer;

  absl::Status s = ctx.store.Write([&](storage::Transaction& tx) -> absl::Status {
    // Households and their members.
    // Hunan's other counties, and the cities of Guangdong where the county's migrants work.
    Workplaces where{CountiesOf(ctx.regions, 43, kDemoCounty),
                     {441900000000, 440306000000, 440113000000, 440304000000}};
    for (int h = 0; h < 5000; ++h) {
      HouseholdDraft d = DraftHousehold(syn, syn.Pick(villages), kDemoCounty, 431021, today, ids);
      JA_RETURN_IF_ERROR(InsertDraft(tx, d, sum.households, sum.persons));
      absl::flat_hash_set<int64_t> working;
      JA_RETURN_IF_ERROR(InsertSpells(tx, syn, d, where, today, sum.spells, &working));
      for (const domain::Person& p : d.members) {
        // The laborer account: someone who wants to go out and has no work yet.
        if (!laborer_person.valid() && !working.contains(p.id.value()) &&
            p.birth_date.AgeOn(today) >= 16 && p.birth_date.AgeOn(today) <= 64 &&
            p.intention == "out_of_province") {
          laborer_person = p.id;
        }
      }
    }

    // Employers and jobs: in the county, in Chenzhou city, and in Guangdong where many of the
    // county's migrants work.
    struct Place {
      int county;
      std::string prefix;
    };
    std::vector<Place> places = {{431023, "永兴县"}, {431023, "永兴县"}, {431023, "永兴县"},
                                 {431002, "郴州市"}, {441900, "东莞市"}, {440306, "深圳市"},
                                 {440113, "广州市"}};
    static const std::vector<std::string> kTrades = {"电子", "服装", "五金", "建材",     "食品",
                                                     "物流", "家政", "农业", "稀贵金属", "冰糖橙"};
    for (int e = 0; e < 60; ++e) {
      const Place& place = syn.Pick(places);
      domain::Employer em;
      em.credit_code = syn.CreditCode(place.county);
      std::string trade = syn.Pick(kTrades);
      em.region_code = int64_t{place.county} * 1000000;
      if (place.county == kDemoCounty && e % 4 == 0) {
        auto towns = ctx.regions.Children(em.region_code);
        const Region& town = syn.Pick(towns);
        em.name = absl::StrCat(town.name, trade, "就业帮扶车间");
        em.kinds = {"workshop"};
        em.region_code = town.code;
      } else if (place.county == kDemoCounty && e % 7 == 0) {
        em.name = absl::StrCat(place.prefix, syn.Pick(Surnames()), "家", trade, "专业合作社");
        em.kinds = {"cooperative"};
      } else {
        em.name = absl::StrCat(place.prefix, syn.Pick(Surnames()), syn.Pick(MaleChars()), trade,
                               "有限公司");
        em.kinds = {"enterprise"};
        if (place.county != kDemoCounty && syn.Chance(0.5)) em.kinds.push_back("labor_input_base");
      }
      em.industry = trade;
      em.contact_name = syn.Name(syn.Chance(0.6));
      em.contact_phone = syn.Mobile();
      absl::Status st = tx.InsertEmployer(em);
      if (absl::IsAlreadyExists(st)) continue;
      JA_RETURN_IF_ERROR(st);
      ++sum.employers;
      if (!first_employer.valid() && em.region_code / 1000000 == kDemoCounty) {
        first_employer = em.id;
      }
      int njobs = syn.Uniform(2, 5);
      for (int j = 0; j < njobs; ++j) {
        domain::Job job = DraftJob(syn, em, place.county / 10000 != 43, today, j);
        JA_RETURN_IF_ERROR(tx.InsertJob(job));
        ++sum.jobs;
      }
    }
    // Flags we know from public lists are not invented here; the demo flags none.

    // One account per role.
    JA_ASSIGN_OR_RETURN(std::string hash, auth::HashPassword(kDemoPassword));
    struct Account {
      std::string name, display, role;
      int64_t region;
      int level;
    };
    std::vector<Account> accounts = {
        {"admin", "系统管理员", "admin", 0, 0},
        {"yongxing", "永兴县就业服务中心", "officer", int64_t{kDemoCounty} * 1000000, 3},
        {"guiyang", "桂阳县就业服务中心", "officer", 431021000000, 3},
        {"matian", "马田镇帮扶干部", "helper", 431023101000, 4},
        {"huangni", "黄泥镇帮扶干部", "helper", 431023112000, 4},
        {"employer", "用工单位", "employer", int64_t{kDemoCounty} * 1000000, 3},
        {"laborer", "劳动者", "laborer", int64_t{kDemoCounty} * 1000000, 3},
    };
    for (const Account& acc : accounts) {
      domain::User u;
      u.username = acc.name;
      u.display_name = acc.display;
      u.role = acc.role;
      u.region_code = acc.region;
      u.scope_level = acc.level;
      u.password_hash = hash;
      if (acc.role == "employer") u.employer_id = first_employer;
      if (acc.role == "laborer") u.person_id = laborer_person;
      JA_RETURN_IF_ERROR(tx.InsertUser(u));
      std::string scope = acc.level == 0 ? "全国" : ctx.regions.PathName(acc.region);
      sum.users.emplace_back(acc.name, absl::StrCat(acc.role, " · ", scope));
    }
    return absl::OkStatus();
  });
  JA_RETURN_IF_ERROR(s);
  return sum;
}

const std::vector<int>& NationalHomeProvinces() {
  static const std::vector<int> kHome = {13, 14, 15, 22, 23, 34, 36, 41, 42, 43, 45,
                                         46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65};
  return kHome;
}
const std::vector<int>& EasternJobProvinces() {
  static const std::vector<int> kEast = {11, 12, 31, 32, 33, 35, 37, 44};
  return kEast;
}

absl::StatusOr<GenSummary> GenerateRegister(const Context& ctx, const GenOptions& o) {
  if (o.households < 0 || o.jobs < 0 || o.home_provinces.empty() ||
      (o.jobs > 0 && o.job_provinces.empty())) {
    return absl::InvalidArgumentError("give counts of at least 0 and the provinces to use");
  }
  Synthetic syn(o.seed);
  Date today = ctx.clock.Today();
  // The villages of the home provinces; the counties of the job provinces.
  auto of_level = [&](int province, RegionLevel level) -> absl::StatusOr<std::vector<Region>> {
    JA_ASSIGN_OR_RETURN(Region p, ctx.regions.Find(int64_t{province} * 10000000000));
    std::vector<Region> out;
    auto [first, last] = ctx.regions.Slice(p.range());
    for (size_t i = first; i < last; ++i) {
      if (ctx.regions.at(i).level == level) out.push_back(ctx.regions.at(i));
    }
    return out;
  };
  std::vector<Region> villages;
  for (int p : o.home_provinces) {
    JA_ASSIGN_OR_RETURN(std::vector<Region> v, of_level(p, RegionLevel::kVillage));
    villages.insert(villages.end(), v.begin(), v.end());
  }
  std::vector<std::vector<Region>> counties;
  for (int p : o.job_provinces) {
    JA_ASSIGN_OR_RETURN(std::vector<Region> c, of_level(p, RegionLevel::kCounty));
    if (!c.empty()) counties.push_back(std::move(c));
  }
  if (villages.empty() || (o.jobs > 0 && counties.empty())) {
    return absl::FailedPreconditionError("the region table has no villages or counties there");
  }

  GenSummary sum;
  absl::flat_hash_set<std::string> ids, credit_codes;
  JA_RETURN_IF_ERROR(ctx.store.Write([&](storage::Transaction& tx) -> absl::Status {
    sum = GenSummary();
    JA_ASSIGN_OR_RETURN(storage::RegisterCounts existing,
                        tx.CountRegister(domain::RegionRange::Nation()));
    if (existing.households > 0) {
      return absl::FailedPreconditionError(
          "the store already has a register; gen fills an empty one");
    }
    JA_RETURN_IF_ERROR(tx.BeginBulkLoad(
        {"household", "person", "employment", "household_income", "employer", "job"},
        /*unique_checked_by_caller=*/true));
    // Per home province: its counties, and the counties of the job provinces outside it.
    absl::flat_hash_map<int, Workplaces> where;
    for (int home : o.home_provinces) {
      Workplaces& w = where[home];
      w.in_province = CountiesOf(ctx.regions, home, 0);
      for (int p : o.job_provinces) {
        if (p == home) continue;
        std::vector<int64_t> c = CountiesOf(ctx.regions, p, 0);
        w.out_of_province.insert(w.out_of_province.end(), c.begin(), c.end());
      }
    }
    const bool by_laborers = o.laborers > 0;
    for (int h = 0; by_laborers ? sum.laborers < o.laborers : h < o.households; ++h) {
      const Region& village = syn.Pick(villages);
      int county6 = static_cast<int>(village.code / 1000000);
      HouseholdDraft d = DraftHousehold(syn, village, county6, county6, today, ids);
      JA_RETURN_IF_ERROR(InsertDraft(tx, d, sum.households, sum.persons));
      for (const domain::Person& p : d.members) sum.laborers += domain::IsLaborer(p, today);
      JA_RETURN_IF_ERROR(InsertSpells(tx, syn, d,
                                      where[static_cast<int>(village.code / 10000000000)], today,
                                      sum.spells, nullptr, /*history=*/by_laborers));
      if (by_laborers && h % 1000000 == 999999) {
        spdlog::info("gen: {} households, {} laborers, {} spells so far", sum.households,
                     sum.laborers, sum.spells);
      }
    }
    static const std::vector<std::string> kTrades = {"电子", "服装", "五金", "建材", "食品",
                                                     "物流", "家政", "农业", "机械", "纺织"};
    constexpr int kJobsPerEmployer = 20;
    while (sum.jobs < o.jobs) {
      const std::vector<Region>& province = syn.Pick(counties);
      const Region& county = syn.Pick(province);
      int county6 = static_cast<int>(county.code / 1000000);
      domain::Employer em;
      do {
        em.credit_code = syn.CreditCode(county6);
      } while (!credit_codes.insert(em.credit_code).second);
      std::string trade = syn.Pick(kTrades);
      em.name =
          absl::StrCat(county.name, syn.Pick(Surnames()), syn.Pick(MaleChars()), trade, "有限公司");
      em.kinds = {"enterprise"};
      em.region_code = county.code;
      em.industry = trade;
      em.contact_name = syn.Name(syn.Chance(0.6));
      em.contact_phone = syn.Mobile();
      JA_RETURN_IF_ERROR(tx.InsertEmployer(em));
      ++sum.employers;
      bool far = county6 / 10000 != o.home_provinces.front();
      for (int j = 0; j < kJobsPerEmployer && sum.jobs < o.jobs; ++j) {
        domain::Job job = DraftJob(syn, em, far, today, j);
        JA_RETURN_IF_ERROR(tx.InsertJob(job));
        ++sum.jobs;
      }
    }
    return tx.EndBulkLoad();
  }));
  return sum;
}

}  // namespace jobaid::service
