// Numbered SQL migrations compiled into the binary from storage/migrations/<dialect>/NNNN_*.sql.
#pragma once

#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"

namespace jobaid::storage {

struct Migration {
  int version;
  absl::string_view name;
  absl::string_view sql;
};

// In version order.
const std::vector<Migration>& SqliteMigrations();
const std::vector<Migration>& PostgresMigrations();

}  // namespace jobaid::storage
