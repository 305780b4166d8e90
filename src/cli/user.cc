// jobaid user: accounts.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "cli/commands.h"

namespace jobaid::cli {
namespace {

// --password, else $JOBAID_PASSWORD, else a line read from standard input.
std::string PasswordFrom(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("JOBAID_PASSWORD")) return env;
  if (isatty(STDIN_FILENO)) std::fprintf(stderr, "Password (at least 8 characters): ");
  std::string line;
  std::getline(std::cin, line);
  return line;
}

}  // namespace

void AddUser(CLI::App& app, Common& common, Action& action) {
  auto* cmd = app.add_subcommand("user", "Manage accounts: add, list, passwd");
  cmd->require_subcommand(1);

  auto nu = std::make_shared<service::NewUser>();
  auto* add = cmd->add_subcommand("add", "Create an account");
  AddCommonOptions(add, common);
  add->add_option("username", nu->username, "Log-in name")->required();
  add->add_option("--role", nu->role, "admin, officer, helper, employer or laborer")->required();
  add->add_option("--region", nu->region,
                  "The region the account may see (code of 2-12 digits); none = whole country");
  add->add_option("--display-name", nu->display_name, "Name shown in the front end");
  add->add_option("--password", nu->password,
                  "Password (default: $JOBAID_PASSWORD, else read from standard input)");
  add->add_option("--employer-id", nu->employer_id, "For employer accounts: the employer's id");
  add->add_option("--person-id", nu->person_id, "For laborer accounts: the person's id");
  add->callback([&, nu] {
    action = [&common, nu]() -> int {
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      nu->password = PasswordFrom(nu->password);
      auto u = (*app)->accounts().CreateUser(auth::Actor::System(), *nu);
      if (!u.ok()) return Report(u.status());
      std::printf("Created %s (%s, %s).\n", u->username.c_str(), u->role.c_str(),
                  u->scope_level == 0 ? "whole country"
                                      : (*app)->regions().PathName(u->region_code).c_str());
      return 0;
    };
  });

  auto* list = cmd->add_subcommand("list", "List the accounts");
  AddCommonOptions(list, common);
  list->callback([&] {
    action = [&common]() -> int {
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      auto users = (*app)->accounts().ListUsers(auth::Actor::System());
      if (!users.ok()) return Report(users.status());
      for (const auto& u : *users) {
        std::printf("%-16s %-9s %s%s\n", u.username.c_str(), u.role.c_str(),
                    u.scope_level == 0 ? "全国" : (*app)->regions().PathName(u.region_code).c_str(),
                    u.disabled ? " (disabled)" : "");
      }
      return 0;
    };
  });

  struct PasswdArgs {
    std::string username, password;
  };
  auto pa = std::make_shared<PasswdArgs>();
  auto* passwd = cmd->add_subcommand("passwd", "Set an account's password");
  AddCommonOptions(passwd, common);
  passwd->add_option("username", pa->username, "Log-in name")->required();
  passwd->add_option("--password", pa->password, "New password (default: as for add)");
  passwd->callback([&, pa] {
    action = [&common, pa]() -> int {
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      absl::Status s = (*app)->accounts().SetPassword(auth::Actor::System(), pa->username,
                                                      PasswordFrom(pa->password));
      if (!s.ok()) return Report(s);
      std::printf("Password of %s changed.\n", pa->username.c_str());
      return 0;
    };
  });
}

}  // namespace jobaid::cli
