// The spreadsheet reader on arbitrary bytes, as an import receives them: format detection,
// GB18030 / UTF-8 detection and conversion, the CSV reader (and the XLSX reader for a ZIP). It
// must end with rows or an error naming the row, never crash or read out of bounds.
#include <cstdint>
#include <string>
#include <vector>

#include "io/table.h"
#include "io/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  std::string encoding;
  (void)jobaid::io::ToUtf8(bytes, &encoding);
  auto rows = jobaid::io::OpenRows(std::move(bytes));
  if (!rows.ok()) return 0;
  std::vector<std::string> cells;
  int row = 0;
  for (int i = 0; i < 100000; ++i) {
    auto more = (*rows)->Next(cells, row);
    if (!more.ok() || !*more) break;
  }
  (void)(*rows)->Progress();
  return 0;
}
