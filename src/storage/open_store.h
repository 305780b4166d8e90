// Opens the store named by a URL: "sqlite:PATH" (or a bare path) for the embedded backend,
// "postgresql://user@host:port/db" for PostgreSQL.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/dates.h"
#include "common/ids.h"
#include "storage/pii_codec.h"
#include "storage/store.h"

namespace jobaid::storage {

// `codec`, `ids` and `clock` must outlive the store. Migrates to the newest schema when
// `migrate` is set. InvalidArgument for an unknown URL scheme.
// `pool` is the number of database connections (readers for SQLite).
absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& url, const PiiCodec& codec,
                                                 IdGenerator& ids, const Clock& clock,
                                                 bool migrate = true, int pool = 8);

// The file path of a sqlite: URL, or "" for other schemes.
std::string SqlitePath(const std::string& url);

}  // namespace jobaid::storage
