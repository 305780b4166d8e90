// jobaid import / jobaid export: spreadsheets in and out of the register.
#include <cstdio>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "common/status.h"
#include "io/progress.h"
#include "io/table.h"

namespace jobaid::cli {
namespace {}  // namespace

absl::StatusOr<auth::Actor> ActingUser(server::App& app, const std::string& as) {
  if (as.empty()) return auth::Actor::System();
  std::optional<domain::User> u;
  JA_RETURN_IF_ERROR(app.store().Read([&](storage::Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(u, tx.FindUserByName(as));
    return absl::OkStatus();
  }));
  if (!u) return absl::NotFoundError(absl::StrCat("no user ", as));
  return auth::Actor::FromUser(*u);
}

io::Format FormatOf(const std::string& path) {
  return absl::EndsWith(path, ".csv") || absl::EndsWith(path, ".CSV") ? io::Format::kCsv
                                                                      : io::Format::kXlsx;
}

void AddImportExport(CLI::App& app, Common& common, Action& action) {
  struct ImportArgs {
    std::string kind, file, report, as;
    bool skip_invalid = false, dry_run = false;
  };
  auto ia = std::make_shared<ImportArgs>();
  auto* imp = app.add_subcommand(
      "import",
      "Import persons, households, employers or jobs from a CSV (UTF-8 or GB18030) or XLSX file.\n"
      "Every row is checked first; nothing is written unless every row is good (or "
      "--skip-invalid).\nRe-importing the same file changes nothing. Headers may be Chinese "
      "(姓名, 公民身份号码 …) or English field names;\n`jobaid export KIND FILE --template` writes "
      "the template.");
  AddCommonOptions(imp, common);
  imp->add_option("kind", ia->kind, "persons, households, employers or jobs")->required();
  imp->add_option("file", ia->file, "The .csv or .xlsx file")->required()->check(CLI::ExistingFile);
  imp->add_flag("--skip-invalid", ia->skip_invalid, "Write the good rows and report the bad ones");
  imp->add_flag("--dry-run", ia->dry_run, "Check and count, write nothing");
  imp->add_option("--report", ia->report, "Write every bad row to this CSV file");
  imp->add_option("--as", ia->as, "Import as this account (its region scope applies)");
  imp->callback([&, ia] {
    action = [&common, ia]() -> int {
      auto kind = io::ParseEntityKind(ia->kind);
      if (!kind.ok()) return Report(kind.status());
      auto bytes = io::ReadFile(ia->file);
      if (!bytes.ok()) return Report(bytes.status());
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      auto actor = ActingUser(**app, ia->as);
      if (!actor.ok()) return Report(actor.status());
      io::ProgressBar bar(absl::StrCat("importing ", ia->kind));
      service::ImportOptions opt;
      opt.kind = *kind;
      opt.skip_invalid = ia->skip_invalid;
      opt.dry_run = ia->dry_run;
      opt.progress = [&bar](double f, int64_t rows) { bar.Update(f, rows); };
      auto report = (*app)->imports().Import(*actor, std::move(*bytes), opt);
      if (!report.ok()) return Report(report.status());
      bar.Finish(report->rows);
      const service::ImportReport& r = *report;
      std::printf("%s, %s: %lld rows: %lld inserted, %lld updated, %lld unchanged, %lld invalid.\n",
                  ia->file.c_str(), r.format.c_str(), static_cast<long long>(r.rows),
                  static_cast<long long>(r.inserted), static_cast<long long>(r.updated),
                  static_cast<long long>(r.unchanged), static_cast<long long>(r.invalid));
      for (const auto& w : r.warnings) std::printf("warning: %s\n", w.c_str());
      size_t shown = 0;
      for (const auto& e : r.errors) {
        if (++shown > 50) {
          std::printf("… and %zu more problems%s\n", r.errors.size() - 50,
                      ia->report.empty() ? " (write them all with --report FILE)" : "");
          break;
        }
        std::printf("row %d, %s: \"%s\": %s\n", e.row, e.column.c_str(), e.value.c_str(),
                    e.message.c_str());
      }
      if (!ia->report.empty()) {
        absl::Status s = io::WriteFile(ia->report, service::ReportCsv(r));
        if (!s.ok()) return Report(s);
        std::printf("Problems written to %s.\n", ia->report.c_str());
      }
      if (ia->dry_run) {
        std::printf("Dry run: nothing was written.\n");
        return r.errors.empty() ? 0 : 3;
      }
      if (!r.errors.empty() && !ia->skip_invalid) {
        std::printf(
            "Nothing was written: fix the rows above and import again, or use "
            "--skip-invalid.\n");
        return 3;
      }
      return 0;
    };
  });

  struct ExportArgs {
    std::string kind, file, as, region, q, reason;
    bool template_only = false;
  };
  auto ea = std::make_shared<ExportArgs>();
  auto* exp = app.add_subcommand(
      "export", "Export a list of the register to a .csv or .xlsx file, in the import layout");
  AddCommonOptions(exp, common);
  exp->add_option("kind", ea->kind, "persons, households, employers or jobs")->required();
  exp->add_option("file", ea->file, "The file to write; .csv or .xlsx")->required();
  exp->add_option("--region", ea->region, "Only this region's subtree (code of 2-12 digits)");
  exp->add_option("--q", ea->q, "Only names (or job titles) containing this");
  exp->add_option("--as", ea->as, "Export as this account (its scope and masking apply)");
  exp->add_option("--reason", ea->reason,
                  "Why ID and phone numbers go out in full (audited); without it they are masked "
                  "and the file cannot be imported again");
  exp->add_flag("--template", ea->template_only, "Write the empty import template instead");
  exp->callback([&, ea] {
    action = [&common, ea]() -> int {
      auto kind = io::ParseEntityKind(ea->kind);
      if (!kind.ok()) return Report(kind.status());
      io::Format format = FormatOf(ea->file);
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      std::string bytes;
      size_t rows = 0;
      if (ea->template_only) {
        auto t = (*app)->imports().Template(*kind, format);
        if (!t.ok()) return Report(t.status());
        bytes = std::move(*t);
      } else {
        auto actor = ActingUser(**app, ea->as);
        if (!actor.ok()) return Report(actor.status());
        service::ListFilter f;
        f.region = ea->region;
        f.q = ea->q;
        auto table = (*app)->imports().Export(*actor, *kind, f, ea->reason);
        if (!table.ok()) return Report(table.status());
        rows = table->rows.size();
        storage::AuditEntry e;
        e.user_id = actor->user_id;
        e.action = "export";
        e.entity = std::string(io::EntityKindName(*kind));
        e.detail = absl::StrCat(rows, " rows; ", table->note, " (command line)");
        absl::Status audited =
            (*app)->store().Write([&](storage::Transaction& tx) { return tx.InsertAudit(e); });
        if (!audited.ok()) return Report(audited);
        if (format == io::Format::kCsv) {
          bytes = io::WriteCsv(*table);
        } else {
          auto x = io::WriteXlsx(*table);
          if (!x.ok()) return Report(x.status());
          bytes = std::move(*x);
        }
      }
      absl::Status s = io::WriteFile(ea->file, bytes);
      if (!s.ok()) return Report(s);
      std::printf("Wrote %s (%zu rows).\n", ea->file.c_str(), rows);
      return 0;
    };
  });
}

}  // namespace jobaid::cli
