#include "io/table.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "io/csv.h"
#include "io/text.h"
#include "io/xlsx_reader.h"

namespace jobaid::io {
namespace {

class CsvRows final : public RowSource {
 public:
  CsvRows(std::string text, std::string encoding)
      : text_(std::move(text)), encoding_(std::move(encoding)), reader_(text_) {}
  absl::StatusOr<bool> Next(std::vector<std::string>& cells, int& row) override {
    JA_ASSIGN_OR_RETURN(bool more, reader_.Next(cells));
    for (std::string& c : cells) RestoreFormula(c);
    row = reader_.record();
    return more;
  }
  double Progress() const override {
    return text_.empty() ? 1.0 : static_cast<double>(reader_.offset()) / text_.size();
  }
  std::string Description() const override { return absl::StrCat("CSV (", encoding_, ")"); }

 private:
  std::string text_;
  std::string encoding_;
  CsvReader reader_;
};

class XlsxRows final : public RowSource {
 public:
  explicit XlsxRows(Sheet sheet) : sheet_(std::move(sheet)) {}
  absl::StatusOr<bool> Next(std::vector<std::string>& cells, int& row) override {
    // Skip empty rows, as the CSV reader skips blank lines.
    while (next_ < sheet_.rows.size()) {
      auto& r = sheet_.rows[next_++];
      bool blank = true;
      for (const auto& c : r) blank = blank && c.empty();
      if (blank) continue;
      cells = std::move(r);
      row = static_cast<int>(next_);
      return true;
    }
    return false;
  }
  double Progress() const override {
    return sheet_.rows.empty() ? 1.0 : static_cast<double>(next_) / sheet_.rows.size();
  }
  std::string Description() const override {
    return absl::StrCat("XLSX (sheet ", sheet_.name, ")");
  }

 private:
  Sheet sheet_;
  size_t next_ = 0;
};

}  // namespace

Format DetectFormat(absl::string_view bytes) {
  return bytes.substr(0, 4) == absl::string_view("PK\x03\x04", 4) ? Format::kXlsx : Format::kCsv;
}

absl::StatusOr<std::unique_ptr<RowSource>> OpenRows(std::string bytes) {
  if (DetectFormat(bytes) == Format::kXlsx) {
    JA_ASSIGN_OR_RETURN(Sheet sheet, ReadFirstSheet(bytes));
    return std::unique_ptr<RowSource>(new XlsxRows(std::move(sheet)));
  }
  std::string encoding;
  JA_ASSIGN_OR_RETURN(std::string text, ToUtf8(bytes, &encoding));
  return std::unique_ptr<RowSource>(new CsvRows(std::move(text), std::move(encoding)));
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return absl::UnavailableError(absl::StrCat("cannot read ", path));
  return std::move(ss).str();
}

absl::Status WriteFile(const std::string& path, absl::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

std::string WriteCsv(const Table& t) {
  std::string out = "\xEF\xBB\xBF";
  auto line = [&out](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i) out.push_back(',');
      out.append(CsvEscape(NeutraliseFormula(cells[i])));
    }
    out.append("\r\n");
  };
  line(t.header);
  for (const auto& r : t.rows) line(r);
  return out;
}

}  // namespace jobaid::io
