// Spreadsheet rows from CSV or XLSX behind one interface, and writers for both.
// Rows are numbered as a spreadsheet program shows them: the header is row 1.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid::io {

enum class Format { kCsv, kXlsx };

// Yields rows one at a time. Not thread-safe.
class RowSource {
 public:
  virtual ~RowSource() = default;
  // Fills `cells` with the next row and `row` with its number; false at the end. A malformed
  // file yields InvalidArgument naming the row (and byte for CSV).
  virtual absl::StatusOr<bool> Next(std::vector<std::string>& cells, int& row) = 0;
  // Fraction of the input consumed so far, for progress bars.
  virtual double Progress() const = 0;
  // "CSV (GB18030)" or "XLSX (sheet 人员信息)".
  virtual std::string Description() const = 0;
};

// The format of `bytes`: XLSX if it is a ZIP archive, else CSV.
Format DetectFormat(absl::string_view bytes);

// Reads CSV (UTF-8 or GB18030, comma separated, RFC 4180 quoting) or XLSX (the first sheet).
// The source keeps its own copy of the data.
absl::StatusOr<std::unique_ptr<RowSource>> OpenRows(std::string bytes);

// Reads a whole file. NotFound or Unavailable naming the path.
absl::StatusOr<std::string> ReadFile(const std::string& path);
absl::Status WriteFile(const std::string& path, absl::string_view bytes);

// A whole table in memory, for writing.
struct Table {
  std::string sheet_name = "Sheet1";
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // Columns whose cells are numbers (written as numbers in XLSX).
  std::vector<bool> numeric;
  // Numeric columns shown as percentages (0.805 as 80.5%).
  std::vector<bool> percent;
  // Lines above the header (a report's title and date), written in XLSX only.
  std::vector<std::string> title;
  // Who made the file and when, written into an XLSX workbook's properties (author, created,
  // comments), where they do not disturb the rows an import reads.
  std::string made_by;
  int64_t made_at_ms = 0;
  std::string note;
};

// UTF-8 CSV with a byte-order mark (so Excel detects the encoding) and CRLF line ends.
std::string WriteCsv(const Table& t);
// One-sheet XLSX workbook with a bold frozen header row.
absl::StatusOr<std::string> WriteXlsx(const Table& t);
// A workbook of one sheet per table.
absl::StatusOr<std::string> WriteXlsx(const std::vector<Table>& sheets);

}  // namespace jobaid::io
