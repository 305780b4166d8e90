// Helpers shared by the test programs: temporary directories, the region table, a fixed clock.
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/dates.h"
#include "domain/identifiers.h"
#include "domain/region.h"

namespace jobaid::testing {

// Checks `cond` every 5 ms until it holds (true) or `limit` has passed (false): for tests that
// wait on something another thread or process does, instead of sleeping a fixed time.
template <typename Cond>
bool WaitUntil(std::chrono::milliseconds limit, Cond cond) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!cond()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// A fresh directory under $TMPDIR, removed with the object.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base ? base : "/tmp") + "/jobaid-test-XXXXXX";
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline const domain::RegionTable& Regions() {
  static const domain::RegionTable* t = [] {
    auto r = domain::RegionTable::Load(JOBAID_REGIONS_FILE);
    if (!r.ok()) std::abort();
    return new domain::RegionTable(std::move(*r));
  }();
  return *t;
}

// A clock tests move by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t ms = 1795564800000) : ms_(ms) {}  // 2026-11-25T00:00:00Z
  int64_t NowMs() const override { return ms_; }
  void Advance(int64_t ms) { ms_ += ms; }

 private:
  std::atomic<int64_t> ms_;
};

// A valid ID number born on `birth` in `county`, made unique by `seq` (0-999).
inline std::string IdNumberFor(int county, Date birth, int seq) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%06d%04d%02d%02d%03d", county, birth.year(), birth.month(),
                birth.day(), seq % 1000);
  std::string first17(buf, 17);
  return first17 + domain::IdNumberCheckChar(first17);
}

// Creates an empty database on the server of `admin_url` (a URL ending in /postgres) and
// returns its URL. Aborts the test program if the server cannot be reached.
std::string FreshPostgresDatabase(const std::string& admin_url);

// The jobaid options that name the store of a test server with its data in `dir`: SQLite by
// default; PostgreSQL when ctest says so (JOBAID_TEST_BACKEND=postgres) — the prepared database
// JOBAID_TEST_PG_DATABASE (the partitioned coordinator) or a fresh one on JOBAID_TEST_PG.
// nullopt when PostgreSQL is asked for and scripts/with-postgres.sh gave no server.
std::optional<std::vector<std::string>> TestStoreOptions(const std::string& dir);

}  // namespace jobaid::testing
