#include "test_support.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

namespace jobaid::testing {

std::string FreshPostgresDatabase(const std::string& admin_url) {
  static std::atomic<int> counter{0};
  std::string name = "jobaid_t" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  PGconn* c = PQconnectdb(admin_url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::fprintf(stderr, "cannot reach %s: %s\n", admin_url.c_str(), PQerrorMessage(c));
    std::abort();
  }
  PGresult* r = PQexec(c, ("CREATE DATABASE " + name).c_str());
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    std::fprintf(stderr, "CREATE DATABASE failed: %s\n", PQerrorMessage(c));
    std::abort();
  }
  PQclear(r);
  PQfinish(c);
  return admin_url.substr(0, admin_url.rfind('/') + 1) + name;
}

std::optional<std::vector<std::string>> TestStoreOptions(const std::string& dir) {
  std::vector<std::string> out = {"--data", dir};
  const char* backend = std::getenv("JOBAID_TEST_BACKEND");
  if (backend == nullptr || std::string(backend) != "postgres") return out;
  const char* pg = std::getenv("JOBAID_TEST_PG");
  if (pg == nullptr) return std::nullopt;
  const char* given = std::getenv("JOBAID_TEST_PG_DATABASE");
  out.push_back("--store");
  out.push_back(given ? std::string(given) : FreshPostgresDatabase(pg));
  return out;
}

}  // namespace jobaid::testing
