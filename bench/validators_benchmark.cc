// Google Benchmark micro-benchmarks of the per-row work of an import: validators and the CSV
// reader, with a size sweep for the reader.
#include <benchmark/benchmark.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "domain/identifiers.h"
#include "domain/region.h"
#include "io/csv.h"

namespace {

const jobaid::domain::RegionTable& Regions() {
  static const auto* t = new jobaid::domain::RegionTable(
      std::move(*jobaid::domain::RegionTable::Load(JOBAID_REGIONS_FILE)));
  return *t;
}

void BM_ParseIdNumber(benchmark::State& state) {
  jobaid::Date today = jobaid::Date::FromCivil(2026, 11, 25);
  for (auto _ : state) {
    auto r = jobaid::domain::ParseIdNumber("11010519491231002X", Regions(), today);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseIdNumber);

void BM_ParseCreditCode(benchmark::State& state) {
  for (auto _ : state) {
    auto r = jobaid::domain::ParseCreditCode("91350100M000100Y43");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseCreditCode);

void BM_RegionLookup(benchmark::State& state) {
  for (auto _ : state) {
    auto r = Regions().Lookup("431023101201");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_RegionLookup);

void BM_CsvReader(benchmark::State& state) {
  std::string text;
  for (int i = 0; i < state.range(0); ++i) {
    absl::StrAppend(&text, "张", i, ",11010519491231002X,\"电焊、瓦工\",431023101201,3500\r\n");
  }
  std::vector<std::string> cells;
  for (auto _ : state) {
    jobaid::io::CsvReader r(text);
    while (*r.Next(cells)) benchmark::DoNotOptimize(cells);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_CsvReader)->Range(1 << 10, 1 << 16);

}  // namespace

BENCHMARK_MAIN();
