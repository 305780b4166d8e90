// WriteXlsx, with libxlsxwriter (which writes only to files, so through a temporary one).
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "io/table.h"

namespace jobaid::io {

absl::StatusOr<std::string> WriteXlsx(const Table& t) { return WriteXlsx(std::vector<Table>{t}); }

absl::StatusOr<std::string> WriteXlsx(const std::vector<Table>& sheets) {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string path = absl::StrCat(tmpdir ? tmpdir : "/tmp", "/jobaid-xlsx-XXXXXX");
  int fd = mkstemp(path.data());
  if (fd < 0) return absl::UnavailableError("cannot create a temporary file for the workbook");
  ::close(fd);
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = const_cast<char*>(tmpdir ? tmpdir : "/tmp");
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (wb == nullptr) {
    ::unlink(path.c_str());
    return absl::UnavailableError("cannot create the workbook");
  }
  if (!sheets.empty() && !sheets[0].made_by.empty()) {
    lxw_doc_properties props = {};
    props.author = const_cast<char*>(sheets[0].made_by.c_str());
    props.comments = const_cast<char*>(sheets[0].note.c_str());
    props.created = static_cast<time_t>(sheets[0].made_at_ms / 1000);
    workbook_set_properties(wb, &props);
  }
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_text_wrap(bold);
  lxw_format* heading = workbook_add_format(wb);
  format_set_bold(heading);
  format_set_font_size(heading, 14);
  lxw_format* text = workbook_add_format(wb);
  format_set_num_format(text, "@");
  lxw_format* percent = workbook_add_format(wb);
  format_set_num_format(percent, "0.0%");
  for (const Table& t : sheets) {
    std::string sheet_name = t.sheet_name.substr(0, 31);
    lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name.c_str());
    const auto top = static_cast<lxw_row_t>(t.title.size());  // the header's row
    for (size_t i = 0; i < t.title.size(); ++i) {
      worksheet_write_string(ws, static_cast<lxw_row_t>(i), 0, t.title[i].c_str(),
                             i == 0 ? heading : nullptr);
    }
    worksheet_freeze_panes(ws, top + 1, 0);
    for (size_t c = 0; c < t.header.size(); ++c) {
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           std::min<double>(24, std::max<double>(10, t.header[c].size() * 1.2)),
                           nullptr);
      worksheet_write_string(ws, top, static_cast<lxw_col_t>(c), t.header[c].c_str(), bold);
    }
    for (size_t r = 0; r < t.rows.size(); ++r) {
      const auto& row = t.rows[r];
      for (size_t c = 0; c < row.size(); ++c) {
        auto rr = static_cast<lxw_row_t>(top + r + 1);
        auto cc = static_cast<lxw_col_t>(c);
        double d;
        if (c < t.numeric.size() && t.numeric[c] && absl::SimpleAtod(row[c], &d)) {
          bool pct = c < t.percent.size() && t.percent[c];
          worksheet_write_number(ws, rr, cc, d, pct ? percent : nullptr);
        } else if (!row[c].empty()) {
          // Text format keeps ID numbers and phone numbers from turning into numbers.
          worksheet_write_string(ws, rr, cc, row[c].c_str(), text);
        }
      }
    }
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    ::unlink(path.c_str());
    return absl::InternalError(absl::StrCat("cannot write the workbook: ", lxw_strerror(err)));
  }
  auto bytes = ReadFile(path);
  ::unlink(path.c_str());
  return bytes;
}

}  // namespace jobaid::io
