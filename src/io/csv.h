// An RFC 4180 CSV reader over text already converted to UTF-8.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid::io {

// Not thread-safe. `text` must outlive the reader.
class CsvReader {
 public:
  explicit CsvReader(absl::string_view text, char delimiter = ',')
      : text_(text), delim_(delimiter) {}
  // Reads the next record into `cells`; false at the end of the text. InvalidArgument for an
  // unterminated quote or text after a closing quote, naming the record and byte offset.
  absl::StatusOr<bool> Next(std::vector<std::string>& cells);
  size_t offset() const { return pos_; }
  int record() const { return record_; }

 private:
  absl::string_view text_;
  char delim_;
  size_t pos_ = 0;
  int record_ = 0;
};

// Quotes `cell` if it holds a delimiter, quote or line break.
std::string CsvEscape(absl::string_view cell);

// Whether a spreadsheet program would take `cell` for a formula: it begins with =, +, -, @, a
// tab or a carriage return and is not a plain number ("-12.5" stays a number).
bool LooksLikeFormula(absl::string_view cell);
// `cell` as text no spreadsheet program runs: a formula-like cell, also one already behind
// apostrophes, gets one more leading apostrophe (which Excel and WPS hide), as OWASP advises
// against CSV injection.
std::string NeutraliseFormula(absl::string_view cell);
// The inverse, for reading CSV back: "'=x" is "=x", "''=x" is "'=x"; anything else is
// unchanged.
void RestoreFormula(std::string& cell);

}  // namespace jobaid::io
