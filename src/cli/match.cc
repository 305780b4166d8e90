// jobaid match: a bulk assignment of a region's job seekers to open jobs from the command line,
// with a report; --confirm makes the pairs recommendations, as an officer's confirmation does.
#include <chrono>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli/commands.h"
#include "common/status.h"

namespace jobaid::cli {
namespace {

struct MatchArgs {
  std::string region, report, as;
  bool confirm = false;
};

// How the scores were made, for the report's title: the weights, their sum and where they came
// from.
std::string WeightsLine(const matching::Weights& w, const std::string& file) {
  return absl::StrCat("匹配分构成（满分 ", w.Sum(), "）：技能 ", w.skills, " · 工种 ", w.occupation,
                      " · 距离 ", w.distance, "（", w.distance_scale_km, " 公里处降为 0）· 薪资 ",
                      w.wage, " · 食宿 ", w.lodging, " · 优先对象 ", w.priority,
                      file.empty() ? "（内置权重）" : absl::StrCat("（权重文件 ", file, "）"));
}

io::Table ReportTable(const service::MatchService::Proposal& p, const std::string& where,
                      const std::string& weights, const domain::RegionTable& regions) {
  io::Table t;
  t.sheet_name = "匹配方案";
  t.title = {absl::StrCat("批量匹配方案：", where), weights};
  t.header = {"劳动力编号", "姓名",       "所在村", "岗位编号", "岗位",
              "工作地",     "月薪（元）", "匹配分", "推荐理由"};
  t.numeric = {true, false, false, true, false, false, false, true, false};
  for (size_t i = 0; i < p.people.size(); ++i) {
    const domain::Person& person = p.people[i].person;
    const domain::Job& job = p.jobs[i];
    t.rows.push_back({absl::StrCat(person.id.value()), person.name,
                      regions.PathName(person.region_code), absl::StrCat(job.id.value()), job.title,
                      regions.PathName(job.region_code),
                      absl::StrCat(job.wage_min / 100, "-", job.wage_max / 100),
                      absl::StrFormat("%.1f", p.people[i].match.score),
                      matching::ReasonsText(p.people[i].match.reasons)});
  }
  return t;
}

}  // namespace

void AddMatch(CLI::App& app, Common& common, Action& action) {
  auto args = std::make_shared<MatchArgs>();
  auto* cmd = app.add_subcommand(
      "match",
      "Propose a bulk assignment of a region's job seekers to open jobs (priority households\n"
      "first, then the greatest total score, within openings), print a summary and write the\n"
      "pairs to --report (an XLSX report's title gives the weights the scores were made with);\n"
      "--confirm makes them recommendations to follow up in the workbench.");
  AddCommonOptions(cmd, common);
  AddMatchWeightsOption(cmd, common);
  cmd->add_option("--region", args->region, "Region code (2-12 digits), e.g. 431023101")
      ->required();
  cmd->add_option("--report", args->report, "Write the pairs to this .xlsx or .csv file");
  cmd->add_flag("--confirm", args->confirm, "Make the proposed pairs recommendations");
  cmd->add_option("--as", args->as, "Act as this account (its region scope applies)");
  cmd->callback([&, args] {
    action = [&common, args]() -> int {
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      if (!(*app)->match_weights_file().empty()) {
        std::printf("Match weights from %s.\n", (*app)->match_weights_file().c_str());
      }
      auto actor = ActingUser(**app, args->as);
      if (!actor.ok()) return Report(actor.status());
      auto start = std::chrono::steady_clock::now();
      auto proposal = (*app)->match().Propose(*actor, args->region);
      if (!proposal.ok()) return Report(proposal.status());
      double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const auto& p = *proposal;
      auto found = (*app)->regions().Lookup(args->region);
      const std::string where = found.ok() ? (*app)->regions().PathName(found->code) : args->region;
      if (p.following > 0) {
        std::printf("%d job seekers with an application in progress are left out.\n", p.following);
      }
      std::printf(
          "%s: %d job seekers, %zu placed (%d of priority households), total score %.1f, "
          "%d candidate pairs weighed, in %.2f s.\n",
          where.c_str(), p.laborers, p.people.size(), p.summary.priority_placed,
          p.summary.total_score, p.summary.candidates, took);
      if (!args->report.empty()) {
        io::Table t = ReportTable(
            p, where, WeightsLine((*app)->match().weights(), (*app)->match_weights_file()),
            (*app)->regions());
        std::string bytes;
        if (FormatOf(args->report) == io::Format::kCsv) {
          bytes = io::WriteCsv(t);
        } else {
          auto x = io::WriteXlsx(t);
          if (!x.ok()) return Report(x.status());
          bytes = std::move(*x);
        }
        absl::Status w = io::WriteFile(args->report, bytes);
        if (!w.ok()) return Report(w);
        std::printf("The %zu pairs are in %s.\n", t.rows.size(), args->report.c_str());
      }
      if (args->confirm && !p.people.empty()) {
        std::vector<service::RecruitService::PersonJob> pairs;
        for (size_t i = 0; i < p.people.size(); ++i) {
          pairs.push_back({p.people[i].person.id, p.jobs[i].id});
        }
        auto made = (*app)->recruit().Recommend(*actor, pairs);
        if (!made.ok()) return Report(made.status());
        std::printf("%zu recommendations made (%d pairs had one already).\n", made->created.size(),
                    made->already);
      }
      return 0;
    };
  });
}

}  // namespace jobaid::cli
