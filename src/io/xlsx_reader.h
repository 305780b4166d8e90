// Reads the first worksheet of an XLSX workbook (Office Open XML) with libzip and expat:
// shared and inline strings, numbers, booleans, and dates (numbers in a date format, turned into
// ISO dates).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid::io {

struct Sheet {
  std::string name;
  // Row r (0-based) holds spreadsheet row r+1; missing rows are empty.
  std::vector<std::vector<std::string>> rows;
};

// InvalidArgument if `bytes` is not an XLSX workbook or its XML is malformed.
absl::StatusOr<Sheet> ReadFirstSheet(absl::string_view bytes);
// Every worksheet, in the workbook's order.
absl::StatusOr<std::vector<Sheet>> ReadSheets(absl::string_view bytes);

// Excel's serial day number (1900 date system) as an ISO date; "" if out of range.
std::string ExcelSerialToIso(double serial);

}  // namespace jobaid::io
