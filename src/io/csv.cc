#include "io/csv.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jobaid::io {

absl::StatusOr<bool> CsvReader::Next(std::vector<std::string>& cells) {
  // Skip blank lines between records.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) ++pos_;
  if (pos_ >= text_.size()) return false;
  ++record_;
  size_t n = 0;
  const size_t size = text_.size();
  for (;;) {
    if (n == cells.size()) cells.emplace_back();
    std::string& cell = cells[n++];
    cell.clear();
    if (pos_ < size && text_[pos_] == '"') {
      size_t start = pos_++;
      for (;;) {
        size_t q = text_.find('"', pos_);
        if (q == absl::string_view::npos) {
          return absl::InvalidArgumentError(absl::StrFormat(
              "row %d: the quote opened at byte %d is never closed", record_, start));
        }
        cell.append(text_.data() + pos_, q - pos_);
        pos_ = q + 1;
        if (pos_ < size && text_[pos_] == '"') {
          cell.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (pos_ < size && text_[pos_] != delim_ && text_[pos_] != '\n' && text_[pos_] != '\r') {
        return absl::InvalidArgumentError(absl::StrFormat(
            "row %d: unexpected text after a closing quote at byte %d", record_, pos_));
      }
    } else {
      size_t end = pos_;
      while (end < size && text_[end] != delim_ && text_[end] != '\n' && text_[end] != '\r') ++end;
      cell.assign(text_.data() + pos_, end - pos_);
      pos_ = end;
    }
    if (pos_ < size && text_[pos_] == delim_) {
      ++pos_;
      continue;
    }
    if (pos_ < size && text_[pos_] == '\r') ++pos_;
    if (pos_ < size && text_[pos_] == '\n') ++pos_;
    break;
  }
  cells.resize(n);
  return true;
}

std::string CsvEscape(absl::string_view cell) {
  if (cell.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(cell);
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

bool LooksLikeFormula(absl::string_view cell) {
  if (cell.empty() || absl::string_view("=+-@\t\r").find(cell[0]) == absl::string_view::npos) {
    return false;
  }
  double number;
  return !((cell[0] == '-' || cell[0] == '+') && absl::SimpleAtod(cell, &number) &&
           cell.find_first_not_of("+-0123456789.") == absl::string_view::npos);
}

namespace {
// Whether `cell` is a formula behind one or more apostrophes (or none).
bool FormulaBehindApostrophes(absl::string_view cell) {
  size_t k = cell.find_first_not_of('\'');
  return k != absl::string_view::npos && LooksLikeFormula(cell.substr(k));
}
}  // namespace

std::string NeutraliseFormula(absl::string_view cell) {
  return FormulaBehindApostrophes(cell) ? absl::StrCat("'", cell) : std::string(cell);
}

void RestoreFormula(std::string& cell) {
  if (!cell.empty() && cell[0] == '\'' && FormulaBehindApostrophes(cell)) cell.erase(0, 1);
}

}  // namespace jobaid::io
