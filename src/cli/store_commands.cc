// jobaid migrate-store, backup and restore: whole stores copied between backends.
#include <cstdio>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"
#include "storage/copy.h"

namespace jobaid::cli {
namespace {

int Copy(const std::string& from, const std::string& to) {
  auto r = storage::CopyStore(from, to, SystemClock::Get(), [](const std::string& t, int64_t n) {
    if (n > 0) std::printf("  %-18s %lld rows\n", t.c_str(), static_cast<long long>(n));
  });
  if (!r.ok()) return Report(r.status());
  std::printf("Copied %lld rows in %d tables from %s to %s; every row checked.\n",
              static_cast<long long>(r->rows), r->tables, from.c_str(), to.c_str());
  return 0;
}

}  // namespace

void AddStoreCommands(CLI::App& app, Common& common, Action& action) {
  struct Args {
    std::string from, to, file;
  };
  auto a = std::make_shared<Args>();
  auto* mig = app.add_subcommand(
      "migrate-store",
      "Copy a whole store into another, e.g. a county's SQLite file into a provincial PostgreSQL "
      "database; the target must be empty; every row is checked after the copy");
  mig->add_option("--from", a->from, "Source store URL (sqlite:PATH or postgresql://…)")
      ->required();
  mig->add_option("--to", a->to, "Target store URL")->required();
  mig->callback([&, a] { action = [a]() { return Copy(a->from, a->to); }; });

  auto* backup = app.add_subcommand(
      "backup",
      "Write a consistent snapshot of the store (also while it serves) to a new SQLite "
      "file; keep jobaid.key with it");
  AddCommonOptions(backup, common);
  backup->add_option("file", a->file, "The backup file to create")->required();
  backup->callback([&, a] {
    action = [&common, a]() -> int {
      if (std::filesystem::exists(a->file)) {
        return Report(absl::AlreadyExistsError(absl::StrCat(a->file, " exists; name a new file")));
      }
      return Copy(server::StoreUrlOf(common.app), absl::StrCat("sqlite:", a->file));
    };
  });

  auto* restore = app.add_subcommand(
      "restore", "Copy a backup file made by `jobaid backup` into an empty store");
  AddCommonOptions(restore, common);
  restore->add_option("file", a->file, "The backup file")->required()->check(CLI::ExistingFile);
  restore->callback([&, a] {
    action = [&common, a]() -> int {
      return Copy(absl::StrCat("sqlite:", a->file), server::StoreUrlOf(common.app));
    };
  });
}

}  // namespace jobaid::cli
