// jobaid audit: check the audit chain and export entries.
#include <cstdio>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "common/status.h"

namespace jobaid::cli {
namespace {

// A day (YYYY-MM-DD, from its start in UTC) as ms; `end` moves it to the next day's start.
absl::StatusOr<int64_t> DayMs(const std::string& text, const char* flag, bool end) {
  if (text.empty()) return int64_t{0};
  auto day = Date::Parse(text);
  if (!day.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " must be a day like 2026-12-07, not \"", text, "\""));
  }
  return (int64_t{day->days()} + (end ? 1 : 0)) * 86400000;
}

}  // namespace

void AddAudit(CLI::App& app, Common& common, Action& action) {
  auto* cmd = app.add_subcommand("audit", "The audit of who read and changed what: verify, export");
  cmd->require_subcommand(1);

  auto* verify = cmd->add_subcommand(
      "verify",
      "Check every audit entry against the chain's MAC (keyed from jobaid.key) and its place; "
      "exit status 1 if an entry was changed, removed or moved");
  AddCommonOptions(verify, common);
  verify->callback([&] {
    action = [&common]() -> int {
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      // Entries of changes still waiting for the sequencer are chained first.
      if (absl::Status s = (*app)->audit().Flush(); !s.ok()) return Report(s);
      auto v = (*app)->audit().Verify();
      if (!v.ok()) return Report(v.status());
      for (const std::string& p : v->problems) std::printf("PROBLEM: %s\n", p.c_str());
      std::printf("%s: %lld entries checked; head: entry %lld, MAC %s; %lld not yet chained.\n",
                  v->ok() ? "Audit chain intact" : "Audit chain BROKEN",
                  static_cast<long long>(v->entries), static_cast<long long>(v->head.seq),
                  absl::BytesToHexString(v->head.mac).c_str(),
                  static_cast<long long>(v->unchained));
      return v->ok() ? 0 : 1;
    };
  });

  struct ExportArgs {
    std::string user, action, entity, from, to, out;
    int64_t entity_id = -1, person = 0;
  };
  auto ea = std::make_shared<ExportArgs>();
  auto* exp = cmd->add_subcommand("export",
                                  "Write audit entries (newest first) to CSV or XLSX; the export "
                                  "is itself audited");
  AddCommonOptions(exp, common);
  exp->add_option("--user", ea->user, "Only this user's entries (log-in name)");
  exp->add_option("--person", ea->person, "Only entries about this person (id)");
  exp->add_option("--action", ea->action, "Only this action (read, reveal, update, export, ...)");
  exp->add_option("--entity", ea->entity, "Only entries about this kind of record");
  exp->add_option("--entity-id", ea->entity_id, "Only entries about this record (id)");
  exp->add_option("--from", ea->from, "From this day on (YYYY-MM-DD, UTC)");
  exp->add_option("--to", ea->to, "Up to and including this day");
  exp->add_option("--out", ea->out, "File to write, .csv or .xlsx (default: CSV to stdout)");
  exp->callback([&, ea] {
    action = [&common, ea]() -> int {
      service::AuditQuery q;
      q.username = ea->user;
      q.action = ea->action;
      q.entity = ea->entity;
      q.entity_id = ea->entity_id;
      if (ea->person > 0) {
        q.entity = "person";
        q.entity_id = ea->person;
      }
      auto from = DayMs(ea->from, "--from", false);
      if (!from.ok()) return Report(from.status());
      auto to = DayMs(ea->to, "--to", true);
      if (!to.ok()) return Report(to.status());
      q.from_ms = *from;
      q.to_ms = *to;
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      std::string described = absl::StrCat(
          "jobaid audit export", ea->user.empty() ? "" : " --user ", ea->user,
          ea->person ? " --person " : "", ea->person ? absl::StrCat(ea->person) : "",
          ea->action.empty() ? "" : " --action ", ea->action, ea->from.empty() ? "" : " --from ",
          ea->from, ea->to.empty() ? "" : " --to ", ea->to);
      auto table = (*app)->audit().Export(auth::Actor::System(), q, described);
      if (!table.ok()) return Report(table.status());
      if (ea->out.empty()) {
        std::string csv = io::WriteCsv(*table);
        std::fwrite(csv.data(), 1, csv.size(), stdout);
        return 0;
      }
      std::string bytes;
      if (FormatOf(ea->out) == io::Format::kCsv) {
        bytes = io::WriteCsv(*table);
      } else {
        auto x = io::WriteXlsx(*table);
        if (!x.ok()) return Report(x.status());
        bytes = std::move(*x);
      }
      if (absl::Status s = io::WriteFile(ea->out, bytes); !s.ok()) return Report(s);
      std::fprintf(stderr, "Wrote %zu entries to %s.\n", table->rows.size(), ea->out.c_str());
      return 0;
    };
  });
}

}  // namespace jobaid::cli
