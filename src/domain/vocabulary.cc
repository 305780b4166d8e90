#include "domain/vocabulary.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace jobaid::domain {

std::optional<absl::string_view> Vocabulary::Parse(absl::string_view text) const {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  for (const Term& term : terms_) {
    if (absl::EqualsIgnoreCase(t, term.code) || t == term.zh ||
        absl::EqualsIgnoreCase(t, term.en)) {
      return term.code;
    }
    for (absl::string_view a : term.aliases) {
      if (absl::EqualsIgnoreCase(t, a)) return term.code;
    }
  }
  return std::nullopt;
}

absl::string_view Vocabulary::Zh(absl::string_view code) const {
  for (const Term& t : terms_) {
    if (t.code == code) return t.zh;
  }
  return code;
}

std::string Vocabulary::Describe() const {
  std::string out;
  for (const Term& t : terms_) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", t.code, " (", t.zh, ")");
  }
  return out;
}

#define JA_VOCABULARY(fn, name, ...)                                  \
  const Vocabulary& fn() {                                            \
    static const Vocabulary* v = new Vocabulary(name, {__VA_ARGS__}); \
    return *v;                                                        \
  }

JA_VOCABULARY(
    PovertyTypes, "poverty_type",
    {"registered_poor", "建档立卡贫困户", "registered poor", {"脱贫户", "贫困户", "建档立卡户"}},
    {"relocated", "易地扶贫搬迁户", "relocated", {"搬迁户", "易地搬迁户"}},
    {"monitored", "防止返贫监测对象", "monitored", {"监测户", "监测对象"}},
    {"marginal", "边缘易致贫户", "marginal", {"边缘户"}})
JA_VOCABULARY(MonitorTypes, "monitor_type", {"unstable", "脱贫不稳定户", "unstable"},
              {"marginal", "边缘易致贫户", "marginal", {"边缘户"}},
              {"sudden_hardship", "突发严重困难户", "sudden hardship"})
JA_VOCABULARY(HouseholdStatuses, "status", {"in_poverty", "未脱贫", "in poverty"},
              {"lifted", "已脱贫", "lifted", {"脱贫"}},
              {"at_risk", "风险未消除", "at risk", {"返贫风险"}})
JA_VOCABULARY(
    Relations, "relation", {"head", "户主", "head"}, {"spouse", "配偶", "spouse", {"妻", "夫"}},
    {"child", "子女", "child", {"之子", "之女", "子", "女", "长子", "长女", "次子", "次女"}},
    {"parent", "父母", "parent", {"父亲", "母亲", "之父", "之母"}},
    {"grandchild", "孙子女", "grandchild", {"孙子", "孙女", "之孙子", "之孙女"}},
    {"sibling", "兄弟姐妹", "sibling"},
    {"child_in_law", "儿媳女婿", "child-in-law", {"儿媳", "女婿"}}, {"other", "其他", "other"})
JA_VOCABULARY(Educations, "education", {"none", "文盲或半文盲", "none", {"文盲", "半文盲"}},
              {"primary", "小学", "primary school"}, {"junior_high", "初中", "junior high school"},
              {"senior_high", "高中", "senior high school"},
              {"vocational", "中专", "secondary vocational", {"中职", "技校", "中专及中职"}},
              {"college", "大专", "college", {"高职", "大专及以上"}},
              {"bachelor", "本科及以上", "bachelor or above", {"本科", "研究生"}})
JA_VOCABULARY(Healths, "health", {"healthy", "健康", "healthy"},
              {"chronic", "长期慢性病", "chronic illness", {"慢性病"}},
              {"serious_illness", "患有大病", "serious illness", {"大病"}},
              {"disabled", "残疾", "disabled"})
JA_VOCABULARY(WorkAbilities, "work_ability", {"skilled", "技能劳动力", "skilled"},
              {"ordinary", "普通劳动力", "ordinary"},
              {"weak", "弱劳动力或半劳动力", "weak or partial", {"弱劳动力", "半劳动力"}},
              {"lost", "丧失劳动力", "lost"}, {"none", "无劳动力", "none"})
JA_VOCABULARY(Intentions, "intention", {"none", "无就业意愿", "no wish to work", {"无"}},
              {"local", "县内就业", "in the home county", {"县内", "就近就业"}},
              {"in_province", "省内县外就业", "in the province", {"省内", "省内县外"}},
              {"out_of_province", "省外就业", "outside the province", {"省外"}},
              {"named_region", "指定地区", "a named region", {"指定区域"}})
JA_VOCABULARY(EmployerKinds, "kind", {"enterprise", "企业", "enterprise"},
              {"workshop", "就业帮扶车间", "workshop", {"扶贫车间"}},
              {"cooperative", "农民专业合作社", "cooperative", {"合作社"}},
              {"family_farm", "家庭农场", "family farm"},
              {"labor_input_base", "劳务输入基地", "labor input base"},
              {"leading_enterprise", "龙头企业", "leading enterprise"},
              {"public_welfare_post_provider",
               "公益性岗位开发单位",
               "public welfare post provider",
               {"公益性岗位单位"}})
JA_VOCABULARY(JobKinds, "kind", {"regular", "常年性岗位", "regular", {"常年"}},
              {"seasonal", "季节性岗位", "seasonal", {"季节性"}},
              {"workshop", "帮扶车间岗位", "workshop", {"车间岗位"}},
              {"public_welfare_post", "公益性岗位", "public welfare post"})
JA_VOCABULARY(JobStatuses, "status", {"open", "招聘中", "open"}, {"filled", "已招满", "filled"},
              {"closed", "已结束", "closed"})
JA_VOCABULARY(EmploymentKinds, "kind",
              {"local", "县内就业", "local (in the county)", {"本地", "县内"}},
              {"out_of_county", "省内县外就业", "outside the county", {"县外", "省内县外"}},
              {"out_of_province", "省外就业", "outside the province", {"省外"}},
              {"workshop", "帮扶车间就业", "workshop", {"车间", "扶贫车间"}},
              {"public_welfare_post", "公益性岗位", "public welfare post", {"公益岗"}},
              {"self_employed", "自主创业/灵活就业", "self-employed", {"自主创业", "灵活就业"}})
JA_VOCABULARY(HowFound, "how_found", {"match", "岗位匹配推荐", "matching"},
              {"fair", "招聘会", "job fair"}, {"transfer", "有组织劳务输出", "organised transfer"},
              {"self", "自行就业", "found themselves"})
JA_VOCABULARY(ApplicationStates, "state", {"recommended", "已推荐", "recommended"},
              {"applied", "已报名", "applied"}, {"interview", "面试中", "interview"},
              {"offered", "已录用待入职", "offered"}, {"hired", "已入职", "hired"},
              {"rejected", "未录用", "rejected"}, {"withdrawn", "已撤回", "withdrawn"})
JA_VOCABULARY(Genders, "gender", {"male", "男", "male"}, {"female", "女", "female"})
JA_VOCABULARY(Roles, "role", {"admin", "系统管理员", "administrator"},
              {"officer", "业务经办人员", "officer"}, {"helper", "帮扶干部", "helper"},
              {"employer", "用工单位", "employer"}, {"laborer", "劳动者", "laborer"})

#undef JA_VOCABULARY

}  // namespace jobaid::domain
