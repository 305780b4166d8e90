#include "storage/open_store.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "storage/postgres/postgres_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace jobaid::storage {

std::string SqlitePath(const std::string& url) {
  if (absl::StartsWith(url, "sqlite://")) return url.substr(9);
  if (absl::StartsWith(url, "sqlite:")) return url.substr(7);
  if (url.find("://") == std::string::npos) return url;
  return "";
}

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& url, const PiiCodec& codec,
                                                 IdGenerator& ids, const Clock& clock, bool migrate,
                                                 int pool) {
  if (absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://")) {
    JA_ASSIGN_OR_RETURN(auto store, postgres::PostgresStore::Open(url, codec, ids, clock, pool));
    if (migrate) JA_RETURN_IF_ERROR(store->Migrate().status());
    return std::unique_ptr<Store>(std::move(store));
  }
  std::string path = SqlitePath(url);
  if (path.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unsupported store \"", url, "\"; use sqlite:PATH or postgresql://user@host:port/db"));
  }
  JA_ASSIGN_OR_RETURN(auto store, sqlite::SqliteStore::Open(path, codec, ids, clock, pool));
  if (migrate) JA_RETURN_IF_ERROR(store->Migrate().status());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace jobaid::storage
