// The XLSX reader (libzip and expat under our code) on arbitrary bytes: a workbook, a broken
// one, a ZIP of anything.
#include <cstdint>
#include <string>

#include "io/xlsx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto sheets = jobaid::io::ReadSheets(bytes);
  if (sheets.ok()) {
    size_t cells = 0;
    for (const auto& s : *sheets) {
      for (const auto& r : s.rows) cells += r.size();
    }
    (void)cells;
  }
  return 0;
}
