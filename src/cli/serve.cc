// jobaid serve: the HTTP server, and jobaid demo: the demo county.
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "auth/passwords.h"
#include "cli/commands.h"
#include "common/status.h"
#include "server/http_server.h"
#include "service/demo.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

namespace jobaid::cli {
namespace {

void PrintDemo(const service::DemoSummary& d) {
  std::printf(
      "Demo data: %d households, %d people, %d spells of employment, %d employers, %d jobs in "
      "湖南省郴州市永兴县.\n",
      d.households, d.persons, d.spells, d.employers, d.jobs);
  std::printf("Accounts (password %s):\n", service::kDemoPassword);
  for (const auto& [name, what] : d.users) std::printf("  %-10s %s\n", name.c_str(), what.c_str());
}

// Whether the store has no accounts and no register yet.
absl::StatusOr<bool> IsEmpty(server::App& app) {
  bool empty = false;
  JA_RETURN_IF_ERROR(app.store().Read([&](storage::Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(auto users, tx.ListUsers());
    JA_ASSIGN_OR_RETURN(auto counts, tx.CountRegister(domain::RegionRange::Nation()));
    empty = users.empty() && counts.households == 0;
    return absl::OkStatus();
  }));
  return empty;
}

}  // namespace

void AddServe(CLI::App& app, Common& common, Action& action) {
  auto* cmd = app.add_subcommand("serve", "Serve the web front end and the JSON API over HTTP");
  AddCommonOptions(cmd, common);
  AddMatchWeightsOption(cmd, common);
  auto opts = std::make_shared<server::HttpOptions>();
  auto demo = std::make_shared<bool>(false);
  cmd->add_option("--address", opts->address, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", opts->port, "Port to listen on (0 = any free port)")
      ->capture_default_str();
  cmd->add_option("--threads", opts->threads, "Worker threads")->capture_default_str();
  cmd->add_option("--web", common.app.web_dir, "Directory of the built web front end");
  cmd->add_option("--pool", common.app.pool, "Database connections (readers for SQLite)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd->add_option("--node", common.app.node, "Server number 0-15 when several share a database")
      ->check(CLI::Range(0, 15));
  cmd->add_flag("--demo-if-empty", *demo, "Create the demo county first if the store is empty");
  auto log_level = std::make_shared<std::string>("info");
  cmd->add_option("--log-level", *log_level,
                  "Access and event log on stderr: debug, info (every request), warn, error, off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  cmd->callback([&, opts, demo, log_level] {
    action = [&common, opts, demo, log_level]() -> int {
      spdlog::set_default_logger(spdlog::stderr_color_mt("jobaid"));
      spdlog::set_level(spdlog::level::from_str(*log_level));
      spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      server::App& a = **app;
      if (*demo) {
        auto empty = IsEmpty(a);
        if (!empty.ok()) return Report(empty.status());
        if (*empty) {
          std::printf("Creating the demo county in %s …\n", a.store_url().c_str());
          auto d = service::CreateDemo(a.context());
          if (!d.ok()) return Report(d.status());
          PrintDemo(*d);
        }
      }
      server::HttpServer http(
          *opts, [&a](api::Request& req) { return api::Dispatch(a.router(), a.services(), req); },
          [&a](const std::string& m, const std::string& p) { return a.router().BodyLimit(m, p); });
      absl::Status s = http.Start();
      if (!s.ok()) return Report(s);
      // The figures' register loads beside the serving (a dashboard asked meanwhile waits).
      std::thread warm([&a] {
        auto start = std::chrono::steady_clock::now();
        auto size = a.indicators().RegisterSize();
        double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (absl::IsUnavailable(size.status())) {
          spdlog::info("{}", std::string(size.status().message()));
        } else if (!size.ok()) {
          spdlog::error("loading the figures' register: {}", size.status().ToString());
        } else {
          spdlog::info(
              "figures' register loaded in {:.1f} s: {} households, {} persons, {} spells, {:.1f} "
              "MB",
              secs, size->households, size->persons, size->spells,
              static_cast<double>(size->bytes) / 1e6);
        }
      });
      if (!a.match_weights_file().empty()) {
        std::printf("Match weights from %s.\n", a.match_weights_file().c_str());
      }
      std::printf("JobAid %s serving %s at http://%s:%d/\n", JOBAID_VERSION, a.store_url().c_str(),
                  opts->address.c_str(), http.port());
      // Plain HTTP beyond this machine sends passwords and session cookies in clear.
      boost::system::error_code bad;
      auto listen = boost::asio::ip::make_address(opts->address, bad);
      if (!bad && !listen.is_loopback()) {
        std::printf(
            "Warning: plain HTTP on %s reaches other machines, and passwords and session cookies "
            "cross the network in clear. In production, listen on 127.0.0.1 behind a reverse "
            "proxy that ends TLS (see README, People's data).\n",
            opts->address.c_str());
      }
      // Say how to log in while the demo admin still has the demo password.
      absl::Status login = a.store().Read([&](storage::Transaction& tx) -> absl::Status {
        JA_ASSIGN_OR_RETURN(auto admin, tx.FindUserByName("admin"));
        if (admin && auth::VerifyPassword(admin->password_hash, service::kDemoPassword)) {
          std::printf(
              "Log in as admin / %s (or yongxing, guiyang, matian, huangni, employer, laborer with "
              "the same password).\n",
              service::kDemoPassword);
        }
        return absl::OkStatus();
      });
      (void)login;
      std::printf("Press Ctrl-C to stop.\n");
      std::fflush(stdout);
      server::HttpServer::WaitForSignal();
      // A load of the figures' register still under way ends first: requests waiting for it
      // (which the HTTP server lets finish) then answer at once instead of after it.
      a.indicators().Stop();
      http.Stop();
      warm.join();
      std::printf("Stopped.\n");
      return 0;
    };
  });
}

void AddDemo(CLI::App& app, Common& common, Action& action) {
  auto* cmd = app.add_subcommand(
      "demo", "Create the demo county (Yongxing, Chenzhou, Hunan) in an empty store");
  AddCommonOptions(cmd, common);
  auto seed = std::make_shared<uint64_t>(20261125);
  cmd->add_option("--seed", *seed, "Random seed; the same seed gives the same data")
      ->capture_default_str();
  cmd->callback([&, seed] {
    action = [&common, seed]() -> int {
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      auto d = service::CreateDemo((*app)->context(), *seed);
      if (!d.ok()) return Report(d.status());
      PrintDemo(*d);
      return 0;
    };
  });
}

void AddGen(CLI::App& app, Common& common, Action& action) {
  auto* cmd = app.add_subcommand(
      "gen",
      "Generate a register at scale into an empty store, for benchmarks and trials: households\n"
      "in the villages of the home provinces, employers and open jobs in the job provinces.");
  AddCommonOptions(cmd, common);
  auto o = std::make_shared<service::GenOptions>();
  cmd->add_option("--households", o->households, "Households (1-4 persons each)")
      ->capture_default_str();
  cmd->add_option("--jobs", o->jobs, "Open jobs (20 per employer)")->capture_default_str();
  cmd->add_option("--laborers", o->laborers,
                  "Draw households until they hold this many laborers (instead of --households),\n"
                  "with earlier spells too; unless the provinces are given, a national register:\n"
                  "the 22 central and western provinces at home, jobs in the 8 eastern ones");
  auto* home = cmd->add_option("--home-provinces", o->home_provinces,
                               "2-digit codes of the laborers' provinces")
                   ->capture_default_str();
  auto* away =
      cmd->add_option("--job-provinces", o->job_provinces, "2-digit codes of the jobs' provinces")
          ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Random seed; the same seed gives the same data")
      ->capture_default_str();
  cmd->callback([&, o, home, away] {
    if (o->laborers > 0 && home->count() == 0) o->home_provinces = service::NationalHomeProvinces();
    if (o->laborers > 0 && away->count() == 0) o->job_provinces = service::EasternJobProvinces();
    action = [&common, o]() -> int {
      auto app = common.Open();
      if (!app.ok()) return Report(app.status());
      auto start = std::chrono::steady_clock::now();
      auto sum = service::GenerateRegister((*app)->context(), *o);
      if (!sum.ok()) return Report(sum.status());
      double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf(
          "Generated %d households, %d persons (%lld laborers), %d spells of employment, %d "
          "employers, %d open jobs in %.1f s.\n",
          sum->households, sum->persons, static_cast<long long>(sum->laborers), sum->spells,
          sum->employers, sum->jobs, took);
      return 0;
    };
  });
}

void AddMigrate(CLI::App& app, Common& common, Action& action) {
  auto* cmd = app.add_subcommand(
      "migrate", "Apply pending schema migrations (serve does this at start-up too)");
  AddCommonOptions(cmd, common);
  auto check = std::make_shared<bool>(false);
  cmd->add_flag("--check", *check, "Also run a full integrity check of the store");
  cmd->callback([&, check] {
    action = [&common, check]() -> int {
      auto app = common.Open();  // opening migrates
      if (!app.ok()) return Report(app.status());
      auto v = (*app)->store().SchemaVersion();
      if (!v.ok()) return Report(v.status());
      std::printf("%s is at schema version %d.\n", (*app)->store_url().c_str(), *v);
      if (*check) {
        absl::Status s = (*app)->store().CheckIntegrity();
        if (!s.ok()) return Report(s);
        std::printf("Integrity check passed.\n");
      }
      return 0;
    };
  });
}

}  // namespace jobaid::cli
