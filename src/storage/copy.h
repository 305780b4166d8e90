// Copies a whole store into another, whatever their backends: `jobaid migrate-store` (a
// county's SQLite file into a provincial PostgreSQL database), `jobaid backup` (any store into
// a new SQLite file) and `jobaid restore` (such a file into an empty store).
#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "common/dates.h"

namespace jobaid::storage {

struct CopyReport {
  int64_t rows = 0;
  int tables = 0;
};

// Reads `from` in one consistent snapshot (safe while servers use it) and writes every row into
// `to` in one transaction, after migrating `to` to the newest schema; then reads both again and
// compares them row by row. `to` must hold no register and no accounts: FailedPrecondition
// otherwise. Personal data is copied sealed, so both stores need the same key file.
// `progress` is told each table as it is done.
absl::StatusOr<CopyReport> CopyStore(
    const std::string& from_url, const std::string& to_url, const Clock& clock,
    const std::function<void(const std::string&, int64_t)>& progress = nullptr);

}  // namespace jobaid::storage
