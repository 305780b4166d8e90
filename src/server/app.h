// Wiring: everything a running JobAid needs, opened from a data directory — the region table,
// the key file, the store, the services and the API router. Used by `jobaid serve` and by the
// other commands that work on a store.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "api/api.h"
#include "api/router.h"
#include "common/dates.h"
#include "common/ids.h"
#include "domain/region.h"
#include "service/account_service.h"
#include "service/audit_log.h"
#include "service/employment_service.h"
#include "service/import_service.h"
#include "service/income_service.h"
#include "service/indicator_service.h"
#include "service/match_service.h"
#include "service/recruit_service.h"
#include "service/region_service.h"
#include "service/register_service.h"
#include "service/report_service.h"
#include "storage/pii_codec.h"
#include "storage/store.h"

namespace jobaid::server {

struct AppOptions {
  std::string data_dir = "var";  // holds jobaid.db and jobaid.key
  std::string store_url;         // default sqlite:<data_dir>/jobaid.db
  std::string key_file;          // default <data_dir>/jobaid.key
  std::string regions_file;      // default regions.bin beside the executable
  std::string web_dir;           // the built front end; default web/dist if present
  // The match score's weights: a JSON file like data/matching/weights.json ("" = built in).
  std::string match_weights;
  int node = 0;  // id generator node, 0-15, distinct per server on one database
  int pool = 8;  // database connections
  // Today's date when not the system's ("" = the system clock's): the server runs as of that
  // date, its clock moving on from there (common/dates.h ShiftedClock).
  std::string today;
};

class App {
 public:
  // Opens (creating the data directory and key on first use) and migrates the store.
  static absl::StatusOr<std::unique_ptr<App>> Open(const AppOptions& options);
  ~App();

  const domain::RegionTable& regions() const { return regions_; }
  storage::Store& store() { return *store_; }
  const service::Context& context() const { return *ctx_; }
  service::RegisterService& register_service() { return *reg_; }
  service::ImportService& imports() { return *imports_; }
  service::AccountService& accounts() { return *accounts_; }
  service::RegionService& region_service() { return *regions_svc_; }
  service::AuditLog& audit() { return *audit_; }
  service::MatchService& match() { return *match_; }
  service::RecruitService& recruit() { return *recruit_; }
  service::EmploymentService& employment() { return *employment_; }
  service::IncomeService& income() { return *income_; }
  service::IndicatorService& indicators() { return *indicators_; }
  service::ReportService& reports() { return *reports_; }
  const api::Router& router() const { return router_; }
  api::Services& services() { return *services_; }
  const std::string& store_url() const { return store_url_; }
  // Where the match weights came from: the file read, or "" for the weights built in.
  const std::string& match_weights_file() const { return match_weights_file_; }

 private:
  App() = default;
  std::unique_ptr<Clock> clock_;  // set by AppOptions::today
  std::string match_weights_file_;
  domain::RegionTable regions_;
  std::unique_ptr<storage::PiiCodec> codec_;
  std::unique_ptr<IdGenerator> node_ids_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<service::Context> ctx_;
  std::unique_ptr<service::AuditLog> audit_;
  std::unique_ptr<service::RegisterService> reg_;
  std::unique_ptr<service::ImportService> imports_;
  std::unique_ptr<service::AccountService> accounts_;
  std::unique_ptr<service::RegionService> regions_svc_;
  std::unique_ptr<service::MatchService> match_;
  std::unique_ptr<service::RecruitService> recruit_;
  std::unique_ptr<service::EmploymentService> employment_;
  std::unique_ptr<service::IncomeService> income_;
  std::unique_ptr<service::IndicatorService> indicators_;
  std::unique_ptr<service::ReportService> reports_;
  std::unique_ptr<api::Services> services_;
  api::Router router_;
  std::string store_url_;
};

// The directory of the running executable.
std::string ExecutableDir();

// What the options name, with their defaults filled in: the store URL (--store, else
// $JOBAID_STORE, else sqlite:<data_dir>/jobaid.db) and the region file (--regions, else
// $JOBAID_REGIONS, else regions.bin beside the executable).
std::string StoreUrlOf(const AppOptions& options);
std::string RegionsFileOf(const AppOptions& options);

}  // namespace jobaid::server
