// Spreadsheet import and export of the register (CSV in UTF-8 or GB18030, XLSX).
//
// An import checks every row before anything is kept: the rows are validated and written in
// one transaction, and unless every row is good (or skip_invalid is set) that transaction is
// rolled back, so a file with one bad row writes nothing. Rows are matched to existing
// records by their natural key (ID number, householder's ID number, credit code, employer and
// job title), so importing the same file twice changes nothing the second time.
// Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "auth/actor.h"
#include "io/columns.h"
#include "io/table.h"
#include "service/context.h"
#include "service/register_service.h"

namespace jobaid::service {

struct ImportOptions {
  io::EntityKind kind = io::EntityKind::kPersons;
  bool skip_invalid = false;  // write the good rows, report the bad ones
  bool dry_run = false;       // validate and count, write nothing
  // Called now and then with the fraction of the file read and rows done.
  std::function<void(double, int64_t)> progress;
};

struct RowError {
  int row = 0;         // as the spreadsheet numbers it; the header is row 1
  std::string column;  // the header as written in the file ("" for the whole row)
  std::string field;   // the API field name
  std::string value;
  std::string message;
  Reason reason;  // the message as a code with parameters (common/status.h)
};

struct ImportReport {
  std::string kind;
  std::string format;  // "CSV (GB18030)" …
  int64_t rows = 0;
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t invalid = 0;           // rows with at least one error
  bool written = false;          // whether anything was kept
  std::vector<RowError> errors;  // every problem, in row order
  std::vector<std::string> warnings;
};

class ImportService {
 public:
  ImportService(const Context& ctx, RegisterService& reg) : ctx_(ctx), reg_(reg) {}

  // Non-OK only if the file cannot be read at all (not a CSV/XLSX, missing required columns);
  // problems in rows are in the report.
  absl::StatusOr<ImportReport> Import(const auth::Actor& a, std::string bytes,
                                      const ImportOptions& options);

  // The template: the header row of `kind` as CSV or XLSX.
  absl::StatusOr<std::string> Template(io::EntityKind kind, io::Format format);

  // Every record of the list `filter` selects (all pages), in the import layout. ID numbers
  // and phones are masked unless the actor may see them and gives `reveal_reason` (then the
  // file imports again unchanged); the table names who made it, when, and why.
  absl::StatusOr<io::Table> Export(const auth::Actor& a, io::EntityKind kind,
                                   const ListFilter& filter, const std::string& reveal_reason = "");

 private:
  // Export's rows of `kind`, each given to `add_row` with its region (nothing for other kinds).
  using AddRow = absl::FunctionRef<void(domain::Fields, int64_t)>;
  absl::Status ExportRegister(const auth::Actor& a, io::EntityKind kind, const ListFilter& filter,
                              AddRow add_row);
  absl::Status ExportFollowUp(const auth::Actor& a, io::EntityKind kind, const ListFilter& filter,
                              AddRow add_row);

  const Context& ctx_;
  RegisterService& reg_;
};

// Writes `report` as a CSV the officer can open beside the file (row, column, value, reason).
std::string ReportCsv(const ImportReport& report);

}  // namespace jobaid::service
