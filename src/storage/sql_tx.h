// The Transaction of every SQL backend, written once over the driver interface of
// storage/sql/sql.h. SQL uses `?` placeholders and only what SQLite and PostgreSQL both speak;
// what differs is behind `Dialect`.
#pragma once

#include <memory>

#include "common/dates.h"
#include "common/ids.h"
#include "storage/pii_codec.h"
#include "storage/sql/sql.h"
#include "storage/store.h"

namespace jobaid::storage {

enum class Dialect { kSqlite, kPostgres };

// A transaction over `c`, which must already be inside BEGIN; the caller commits.
std::unique_ptr<Transaction> NewSqlTx(sql::Connection& c, Dialect dialect, const PiiCodec& codec,
                                      SealCache& cache, IdGenerator& ids, const Clock& clock);

}  // namespace jobaid::storage
