#include "io/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status.h"

namespace jobaid::io {
namespace {

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};

// Reads entry `name`, unpacking at most `budget` bytes (what the workbook's entries may unpack
// to in all, less what they took so far). The sizes a ZIP declares are not trusted: a few
// kilobytes can claim, or unpack to, gigabytes.
absl::StatusOr<std::string> ReadEntry(zip_t* z, const std::string& name, bool required,
                                      uint64_t& budget) {
  zip_stat_t st;
  if (zip_stat(z, name.c_str(), 0, &st) != 0) {
    if (!required) return std::string();
    return absl::InvalidArgumentError(absl::StrCat("the workbook has no ", name));
  }
  auto too_large = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " unpacks to more than this workbook may (", budget >> 20,
        " MiB left of what its size allows); is it a workbook of ours, or a ZIP bomb?"));
  };
  if ((st.valid & ZIP_STAT_SIZE) != 0 && st.size > budget) return too_large();
  zip_file_t* f = zip_fopen(z, name.c_str(), 0);
  if (f == nullptr) return absl::InvalidArgumentError(absl::StrCat("cannot open ", name));
  std::string out;
  if ((st.valid & ZIP_STAT_SIZE) != 0) out.reserve(st.size);
  char chunk[1 << 16];
  absl::Status status;
  for (;;) {
    zip_int64_t n = zip_fread(f, chunk, sizeof chunk);
    if (n < 0) {
      status = absl::InvalidArgumentError(absl::StrCat(name, " is damaged"));
      break;
    }
    if (n == 0) break;
    if (out.size() + static_cast<uint64_t>(n) > budget) {
      status = too_large();
      break;
    }
    out.append(chunk, static_cast<size_t>(n));
  }
  zip_fclose(f);
  JA_RETURN_IF_ERROR(status);
  if ((st.valid & ZIP_STAT_SIZE) != 0 && out.size() != st.size) {
    return absl::InvalidArgumentError(absl::StrCat(name, " is damaged"));
  }
  budget -= out.size();
  return out;
}

// Runs expat over `xml` with element handlers on `self`.
template <typename T>
absl::Status ParseXml(absl::string_view xml, T* self, absl::string_view what) {
  XML_Parser p = XML_ParserCreate("UTF-8");
  XML_SetUserData(p, self);
  XML_SetElementHandler(
      p,
      [](void* ud, const XML_Char* name, const XML_Char** attrs) {
        static_cast<T*>(ud)->Start(name, attrs);
      },
      [](void* ud, const XML_Char* name) { static_cast<T*>(ud)->End(name); });
  XML_SetCharacterDataHandler(p, [](void* ud, const XML_Char* s, int len) {
    static_cast<T*>(ud)->Text(absl::string_view(s, static_cast<size_t>(len)));
  });
  absl::Status status;
  if (XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_ERROR) {
    status = absl::InvalidArgumentError(absl::StrCat(what, " is not well-formed XML (line ",
                                                     XML_GetCurrentLineNumber(p),
                                                     "): ", XML_ErrorString(XML_GetErrorCode(p))));
  }
  XML_ParserFree(p);
  return status;
}

absl::string_view LocalName(const char* name) {
  absl::string_view n(name);
  size_t c = n.rfind(':');
  return c == absl::string_view::npos ? n : n.substr(c + 1);
}

const char* Attr(const XML_Char** attrs, absl::string_view key) {
  for (int i = 0; attrs[i]; i += 2) {
    if (LocalName(attrs[i]) == key) return attrs[i + 1];
  }
  return nullptr;
}

struct WorkbookParser {
  size_t max_sheets = 1;
  std::vector<std::pair<std::string, std::string>> sheets;  // name, relationship id
  void Start(const char* name, const XML_Char** attrs) {
    if (LocalName(name) == "sheet" && sheets.size() < max_sheets) {
      const char* n = Attr(attrs, "name");
      const char* id = Attr(attrs, "id");
      sheets.emplace_back(n ? n : "", id ? id : "");
    }
  }
  void End(const char*) {}
  void Text(absl::string_view) {}
};

struct RelsParser {
  std::string want, target;
  void Start(const char* name, const XML_Char** attrs) {
    if (LocalName(name) == "Relationship") {
      const char* id = Attr(attrs, "Id");
      const char* t = Attr(attrs, "Target");
      if (id && t && want == id) target = t;
    }
  }
  void End(const char*) {}
  void Text(absl::string_view) {}
};

struct SharedStringsParser {
  std::vector<std::string> strings;
  bool in_si = false, in_t = false, in_rph = false;
  void Start(const char* name, const XML_Char**) {
    absl::string_view n = LocalName(name);
    if (n == "si") {
      in_si = true;
      strings.emplace_back();
    } else if (n == "t") {
      in_t = true;
    } else if (n == "rPh") {
      in_rph = true;  // phonetic hints are not part of the text
    }
  }
  void End(const char* name) {
    absl::string_view n = LocalName(name);
    if (n == "si") in_si = false;
    if (n == "t") in_t = false;
    if (n == "rPh") in_rph = false;
  }
  void Text(absl::string_view s) {
    if (in_si && in_t && !in_rph) strings.back().append(s.data(), s.size());
  }
};

bool IsDateFormat(int id, const std::string& code) {
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return true;
  if (code.empty()) return false;
  bool quoted = false;
  for (char c : code) {
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == 'y' || c == 'd' || c == 'Y' || c == 'D')) return true;
  }
  return false;
}

struct StylesParser {
  std::vector<std::pair<int, std::string>> custom;  // numFmtId -> formatCode
  std::vector<int> xf_formats;
  bool in_cellxfs = false;
  void Start(const char* name, const XML_Char** attrs) {
    absl::string_view n = LocalName(name);
    if (n == "numFmt") {
      const char* id = Attr(attrs, "numFmtId");
      const char* code = Attr(attrs, "formatCode");
      int v;
      if (id && code && absl::SimpleAtoi(id, &v)) custom.emplace_back(v, code);
    } else if (n == "cellXfs") {
      in_cellxfs = true;
    } else if (n == "xf" && in_cellxfs) {
      const char* id = Attr(attrs, "numFmtId");
      int v = 0;
      if (id) (void)absl::SimpleAtoi(id, &v);
      xf_formats.push_back(v);
    }
  }
  void End(const char* name) {
    if (LocalName(name) == "cellXfs") in_cellxfs = false;
  }
  void Text(absl::string_view) {}

  std::vector<bool> DateStyles() const {
    std::vector<bool> out;
    for (int f : xf_formats) {
      std::string code;
      for (const auto& [id, c] : custom) {
        if (id == f) code = c;
      }
      out.push_back(IsDateFormat(f, code));
    }
    return out;
  }
};

struct SheetParser {
  const std::vector<std::string>* shared;
  std::vector<bool> date_styles;
  Sheet* sheet;
  absl::Status status;
  // current cell
  int row = 0, col = 0;
  std::string type, value;
  int style = 0;
  bool in_v = false, in_t = false, in_cell = false;

  static int ColumnOf(absl::string_view ref) {
    int c = 0;
    for (char ch : ref) {
      if (ch >= 'A' && ch <= 'Z') {
        c = c * 26 + (ch - 'A' + 1);
      } else {
        break;
      }
    }
    return c - 1;
  }

  void Start(const char* name, const XML_Char** attrs) {
    absl::string_view n = LocalName(name);
    if (n == "row") {
      const char* r = Attr(attrs, "r");
      int v;
      row = (r && absl::SimpleAtoi(r, &v)) ? v : row + 1;
      col = -1;
    } else if (n == "c") {
      in_cell = true;
      const char* r = Attr(attrs, "r");
      col = r ? ColumnOf(r) : col + 1;
      const char* t = Attr(attrs, "t");
      type = t ? t : "n";
      const char* s = Attr(attrs, "s");
      style = 0;
      if (s) (void)absl::SimpleAtoi(s, &style);
      value.clear();
    } else if (n == "v") {
      in_v = true;
    } else if (n == "t" && in_cell) {
      in_t = true;
    }
  }

  void End(const char* name) {
    absl::string_view n = LocalName(name);
    if (n == "v") in_v = false;
    if (n == "t") in_t = false;
    if (n != "c") return;
    in_cell = false;
    if (row < 1 || col < 0 || col > 16383 || row > 1048576) return;
    std::string cell;
    if (type == "s") {
      int idx;
      if (absl::SimpleAtoi(value, &idx) && idx >= 0 && static_cast<size_t>(idx) < shared->size()) {
        cell = (*shared)[static_cast<size_t>(idx)];
      }
    } else if (type == "b") {
      cell = value == "1" ? "true" : "false";
    } else if (type == "n" && !value.empty()) {
      double d;
      if (static_cast<size_t>(style) < date_styles.size() &&
          date_styles[static_cast<size_t>(style)] && absl::SimpleAtod(value, &d)) {
        cell = ExcelSerialToIso(d);
      } else if (absl::SimpleAtod(value, &d) && std::fabs(d) < 1e15 && d == std::floor(d) &&
                 value.find_first_of("eE") != std::string::npos) {
        cell = absl::StrCat(static_cast<int64_t>(d));  // 1.3812345678E10 -> 13812345678
      } else {
        cell = value;
      }
    } else {
      cell = value;  // str, inlineStr, e
    }
    auto& rows = sheet->rows;
    if (rows.size() < static_cast<size_t>(row)) rows.resize(static_cast<size_t>(row));
    auto& r = rows[static_cast<size_t>(row - 1)];
    if (r.size() <= static_cast<size_t>(col)) r.resize(static_cast<size_t>(col) + 1);
    r[static_cast<size_t>(col)] = std::move(cell);
  }

  void Text(absl::string_view s) {
    if (in_v || in_t) value.append(s.data(), s.size());
  }
};

}  // namespace

std::string ExcelSerialToIso(double serial) {
  if (serial < 1 || serial > 2958465) return "";
  // Day 60 is Excel's fictitious 1900-02-29; serials after it are one day ahead.
  int days = static_cast<int>(std::floor(serial));
  if (days > 60) --days;
  return Date::FromCivil(1899, 12, 31).AddDays(days).ToString();
}

namespace {

// The first `max_sheets` worksheets of the workbook `bytes`.
absl::StatusOr<std::vector<Sheet>> ReadSheetsUpTo(absl::string_view bytes, size_t max_sheets) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (src == nullptr) return absl::InvalidArgumentError("cannot read the workbook");
  std::unique_ptr<zip_t, ZipCloser> z(zip_open_from_source(src, ZIP_RDONLY, &err));
  if (!z) {
    zip_source_free(src);
    return absl::InvalidArgumentError(
        "the file looks like a ZIP archive but is not a readable XLSX workbook");
  }
  // What the entries may unpack to in all: sheet XML packs about tenfold, so 32 times the
  // archive's size (and 64 MiB for a small one) is room for any real workbook, and no more.
  uint64_t budget = std::min<uint64_t>(uint64_t{2} << 30, (uint64_t{64} << 20) + 32 * bytes.size());
  JA_ASSIGN_OR_RETURN(std::string workbook, ReadEntry(z.get(), "xl/workbook.xml", true, budget));
  WorkbookParser wb;
  wb.max_sheets = max_sheets;
  JA_RETURN_IF_ERROR(ParseXml(workbook, &wb, "xl/workbook.xml"));
  if (wb.sheets.empty()) return absl::InvalidArgumentError("the workbook has no worksheet");
  JA_ASSIGN_OR_RETURN(std::string rels,
                      ReadEntry(z.get(), "xl/_rels/workbook.xml.rels", true, budget));
  SharedStringsParser ssp;
  JA_ASSIGN_OR_RETURN(std::string shared,
                      ReadEntry(z.get(), "xl/sharedStrings.xml", false, budget));
  if (!shared.empty()) JA_RETURN_IF_ERROR(ParseXml(shared, &ssp, "xl/sharedStrings.xml"));
  StylesParser stp;
  JA_ASSIGN_OR_RETURN(std::string styles, ReadEntry(z.get(), "xl/styles.xml", false, budget));
  if (!styles.empty()) JA_RETURN_IF_ERROR(ParseXml(styles, &stp, "xl/styles.xml"));
  std::vector<Sheet> out;
  for (const auto& [name, rid] : wb.sheets) {
    RelsParser rp{rid, ""};
    JA_RETURN_IF_ERROR(ParseXml(rels, &rp, "xl/_rels/workbook.xml.rels"));
    if (rp.target.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("the worksheet ", name, " is missing"));
    }
    std::string target = rp.target;
    if (absl::StartsWith(target, "/")) {
      target = target.substr(1);
    } else {
      target = "xl/" + target;
    }
    JA_ASSIGN_OR_RETURN(std::string sheet_xml, ReadEntry(z.get(), target, true, budget));
    Sheet& sheet = out.emplace_back();
    sheet.name = name;
    SheetParser sp{&ssp.strings, stp.DateStyles(), &sheet};
    JA_RETURN_IF_ERROR(ParseXml(sheet_xml, &sp, target));
  }
  return out;
}

}  // namespace

absl::StatusOr<Sheet> ReadFirstSheet(absl::string_view bytes) {
  JA_ASSIGN_OR_RETURN(std::vector<Sheet> sheets, ReadSheetsUpTo(bytes, 1));
  return std::move(sheets.front());
}

absl::StatusOr<std::vector<Sheet>> ReadSheets(absl::string_view bytes) {
  return ReadSheetsUpTo(bytes, 1024);
}

}  // namespace jobaid::io
