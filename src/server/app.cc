#include "server/app.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "io/table.h"
#include "matching/score.h"
#include "storage/open_store.h"

namespace jobaid::server {

std::string ExecutableDir() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  buf[n] = '\0';
  return std::filesystem::path(buf).parent_path().string();
}

App::~App() {
  // The audit log flushes into the store, so it goes first.
  services_.reset();
  audit_.reset();
}

std::string StoreUrlOf(const AppOptions& options) {
  if (!options.store_url.empty()) return options.store_url;
  if (const char* env = std::getenv("JOBAID_STORE")) return env;
  return absl::StrCat("sqlite:", options.data_dir, "/jobaid.db");
}

std::string RegionsFileOf(const AppOptions& options) {
  if (!options.regions_file.empty()) return options.regions_file;
  if (const char* env = std::getenv("JOBAID_REGIONS")) return env;
  return ExecutableDir() + "/regions.bin";
}

// The weights in the file `options.match_weights`, else those built in. An unreadable or bad
// file is an error that names it: a bureau that tuned its weights must not get the defaults
// without knowing.
absl::StatusOr<matching::Weights> MatchWeightsOf(const AppOptions& options) {
  const std::string& file = options.match_weights;
  if (file.empty()) return matching::Weights::Default();
  auto json = io::ReadFile(file);
  if (!json.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("match weights file ", file, ": cannot be opened or read"));
  }
  auto weights = matching::Weights::Parse(*json, matching::Weights::Default());
  if (!weights.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("match weights file ", file, ": ", weights.status().message()));
  }
  return weights;
}

absl::StatusOr<std::unique_ptr<App>> App::Open(const AppOptions& options) {
  std::unique_ptr<App> app(new App);
  JA_ASSIGN_OR_RETURN(app->regions_, domain::RegionTable::Load(RegionsFileOf(options)));
  JA_ASSIGN_OR_RETURN(matching::Weights weights, MatchWeightsOf(options));
  app->match_weights_file_ = options.match_weights;
  app->store_url_ = StoreUrlOf(options);
  std::string sqlite_path = storage::SqlitePath(app->store_url_);
  std::string key_file =
      options.key_file.empty() ? absl::StrCat(options.data_dir, "/jobaid.key") : options.key_file;
  std::error_code ec;
  std::string web = options.web_dir;
  if (web.empty()) {
    for (const std::string& candidate :
         {std::string("web/dist"), ExecutableDir() + "/../../../web/dist"}) {
      if (std::filesystem::exists(candidate + "/index.html")) {
        web = candidate;
        break;
      }
    }
  }
  if (!web.empty()) {
    // The web folder is served to anyone: the store and its key must never lie inside it.
    std::filesystem::path root = std::filesystem::weakly_canonical(web, ec);
    for (const std::string& secret : {options.data_dir, key_file, sqlite_path}) {
      if (secret.empty() || root.empty()) continue;
      std::filesystem::path p = std::filesystem::weakly_canonical(secret, ec);
      auto [r, q] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
      if (r == root.end()) {
        return absl::FailedPreconditionError(
            absl::StrCat("the web folder ", web, " holds ", secret,
                         ", which would be served to anyone; keep the data elsewhere (--data)"));
      }
    }
  }
  if (!options.data_dir.empty()) std::filesystem::create_directories(options.data_dir, ec);
  if (!sqlite_path.empty()) {
    auto parent = std::filesystem::path(sqlite_path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  // A new key only goes with a new database: a missing key beside an existing database means
  // its personal data can no longer be read, which must not pass silently.
  bool new_store = !sqlite_path.empty() && !std::filesystem::exists(sqlite_path);
  if (sqlite_path.empty() && !std::filesystem::exists(key_file)) {
    // A database server may already hold people's data sealed with a key kept elsewhere: make a
    // new key only for a store without any.
    IdGenerator probe_ids;
    storage::PiiCodec probe = storage::PiiCodec::FromSeed("probe");
    JA_ASSIGN_OR_RETURN(auto store, storage::OpenStore(app->store_url_, probe, probe_ids,
                                                       SystemClock::Get(), /*migrate=*/true, 1));
    storage::RegisterCounts counts;
    JA_RETURN_IF_ERROR(store->Read([&](storage::Transaction& tx) -> absl::Status {
      JA_ASSIGN_OR_RETURN(counts, tx.CountRegister(domain::RegionRange::Nation()));
      return absl::OkStatus();
    }));
    new_store = counts.households == 0 && counts.persons == 0;
    if (!new_store) {
      return absl::NotFoundError(absl::StrCat(
          "key file ", key_file, " is missing, and ", app->store_url_,
          " already holds personal data sealed with a key; copy that key here (--data DIR)"));
    }
  }
  if (!options.today.empty()) {
    absl::StatusOr<Date> today = Date::Parse(options.today);
    if (!today.ok()) return WithField(today.status(), "--today");
    app->clock_ = std::make_unique<ShiftedClock>(*today);
  }
  const Clock& clock = app->clock_ ? *app->clock_ : SystemClock::Get();
  auto codec = storage::PiiCodec::FromKeyFile(key_file, new_store);
  if (!codec.ok()) return codec.status();
  app->codec_ = std::make_unique<storage::PiiCodec>(*codec);
  app->node_ids_ = std::make_unique<IdGenerator>(options.node);
  JA_ASSIGN_OR_RETURN(app->store_,
                      storage::OpenStore(app->store_url_, *app->codec_, *app->node_ids_, clock,
                                         /*migrate=*/true, options.pool));
  // Contact phones that an older schema kept in clear are sealed at the first start after it.
  JA_RETURN_IF_ERROR(app->store_->Write([](storage::Transaction& tx) -> absl::Status {
    return tx.SealClearContactPhones().status();
  }));
  app->ctx_.reset(new service::Context{*app->store_, app->regions_, clock});
  app->audit_ = std::make_unique<service::AuditLog>(*app->ctx_, *app->codec_);
  app->reg_ = std::make_unique<service::RegisterService>(*app->ctx_, *app->audit_);
  app->imports_ = std::make_unique<service::ImportService>(*app->ctx_, *app->reg_);
  app->accounts_ = std::make_unique<service::AccountService>(*app->ctx_);
  app->regions_svc_ = std::make_unique<service::RegionService>(*app->ctx_);
  app->match_ =
      std::make_unique<service::MatchService>(*app->ctx_, *app->reg_, *app->audit_, weights);
  app->recruit_ = std::make_unique<service::RecruitService>(*app->ctx_, *app->match_, *app->audit_);
  app->employment_ = std::make_unique<service::EmploymentService>(*app->ctx_, *app->audit_);
  app->income_ = std::make_unique<service::IncomeService>(*app->ctx_, *app->audit_);
  app->indicators_ = std::make_unique<service::IndicatorService>(*app->ctx_);
  app->reports_ = std::make_unique<service::ReportService>(*app->ctx_, *app->indicators_);
  app->services_.reset(new api::Services{*app->ctx_, *app->reg_, *app->imports_, *app->accounts_,
                                         *app->regions_svc_, *app->audit_, *app->match_,
                                         *app->recruit_, *app->employment_, *app->income_,
                                         *app->indicators_, *app->reports_, JOBAID_VERSION, web});
  api::AddRoutes(app->router_, *app->services_);
  return app;
}

}  // namespace jobaid::server
