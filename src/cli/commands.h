// Internal to cli/: each sub-command adds itself to the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "io/table.h"
#include "server/app.h"

namespace jobaid::cli {

// Options every command that opens a store shares.
struct Common {
  server::AppOptions app;
  // Opens the app or prints why not.
  absl::StatusOr<std::unique_ptr<server::App>> Open() const;
};

void AddCommonOptions(CLI::App* cmd, Common& common);
// --match-weights, for the commands that match (serve, match).
void AddMatchWeightsOption(CLI::App* cmd, Common& common);
// The command line acts with full rights unless --as names an account.
absl::StatusOr<auth::Actor> ActingUser(server::App& app, const std::string& as);
// CSV for a path ending in .csv, XLSX otherwise.
io::Format FormatOf(const std::string& path);
// Prints `s` as "jobaid: message" on stderr and returns the exit code for it (0 if OK).
int Report(const absl::Status& s);

// A sub-command's body runs after parsing; the int is the exit code.
using Action = std::function<int()>;

void AddServe(CLI::App& app, Common& common, Action& action);
void AddDemo(CLI::App& app, Common& common, Action& action);
void AddGen(CLI::App& app, Common& common, Action& action);
void AddImportExport(CLI::App& app, Common& common, Action& action);
void AddUser(CLI::App& app, Common& common, Action& action);
void AddMigrate(CLI::App& app, Common& common, Action& action);
void AddRegions(CLI::App& app, Common& common, Action& action);
void AddStoreCommands(CLI::App& app, Common& common, Action& action);
void AddMatch(CLI::App& app, Common& common, Action& action);
void AddReport(CLI::App& app, Common& common, Action& action);
void AddAudit(CLI::App& app, Common& common, Action& action);

}  // namespace jobaid::cli
