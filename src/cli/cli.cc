#include "cli/cli.h"

#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"

namespace jobaid::cli {

absl::StatusOr<std::unique_ptr<server::App>> Common::Open() const { return server::App::Open(app); }

void AddCommonOptions(CLI::App* cmd, Common& common) {
  cmd->add_option("--data", common.app.data_dir, "Data directory holding jobaid.db and jobaid.key")
      ->capture_default_str();
  cmd->add_option("--store", common.app.store_url,
                  "Store URL, e.g. sqlite:var/jobaid.db (default: sqlite:DATA/jobaid.db, or "
                  "$JOBAID_STORE)");
  cmd->add_option("--regions", common.app.regions_file,
                  "The compiled division list (default: regions.bin beside the binary)");
  cmd->add_option("--today", common.app.today,
                  "Run as of this date (YYYY-MM-DD), the clock moving on from there; for tests "
                  "and demonstrations (default: the system's date)");
}

void AddMatchWeightsOption(CLI::App* cmd, Common& common) {
  cmd->add_option("--match-weights", common.app.match_weights,
                  "The match score's weights, a JSON file like data/matching/weights.json;\n"
                  "members left out keep their built-in values (default: $JOBAID_MATCH_WEIGHTS,\n"
                  "else the weights built in)");
  // Read here, not by CLI11's envname (which reads it for every command): only the commands
  // that match should stop over a bad file.
  cmd->parse_complete_callback([&common] {
    const char* env = std::getenv("JOBAID_MATCH_WEIGHTS");
    if (common.app.match_weights.empty() && env != nullptr) common.app.match_weights = env;
  });
}

int Report(const absl::Status& s) {
  if (s.ok()) return 0;
  std::fprintf(stderr, "jobaid: %s\n", std::string(s.message()).c_str());
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists:
      return 2;
    default:
      return 1;
  }
}

int Run(int argc, char** argv) {
  CLI::App app{
      "JobAid: the register, matching and statistics of employment-based poverty alleviation.\n"
      "Every command that opens a store takes --data DIR (default var) or --store URL."};
  app.set_version_flag("--version", JOBAID_VERSION);
  app.require_subcommand(1);
  Common common;
  Action action;
  AddServe(app, common, action);
  AddDemo(app, common, action);
  AddGen(app, common, action);
  AddImportExport(app, common, action);
  AddUser(app, common, action);
  AddMigrate(app, common, action);
  AddRegions(app, common, action);
  AddStoreCommands(app, common, action);
  AddMatch(app, common, action);
  AddReport(app, common, action);
  AddAudit(app, common, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return action ? action() : 0;
}

}  // namespace jobaid::cli
