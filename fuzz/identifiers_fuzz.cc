// The ID-number, credit-code and phone validators on arbitrary bytes. Beyond "no crash": a
// number they accept carries its own check character, and masking keeps its length.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "domain/identifiers.h"
#include "domain/region.h"

using namespace jobaid;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const domain::RegionTable* regions = [] {
    const char* file = std::getenv("JOBAID_REGIONS");
    auto r = domain::RegionTable::Load(file ? file : "regions.bin");
    if (!r.ok()) std::abort();
    return new domain::RegionTable(std::move(*r));
  }();
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto id = domain::ParseIdNumber(text, *regions, Date::FromCivil(2026, 12, 7));
  if (id.ok()) {
    const std::string& n = id->normalized;
    if (n.size() != 18 || domain::IdNumberCheckChar(n.substr(0, 17)) != n[17]) std::abort();
    if (domain::MaskIdNumber(n).size() != 18) std::abort();
  }
  auto code = domain::ParseCreditCode(text);
  if (code.ok() &&
      (code->size() != 18 || domain::CreditCodeCheckChar(code->substr(0, 17)) != (*code)[17])) {
    std::abort();
  }
  auto phone = domain::ParseMobile(text);
  if (phone.ok() && (phone->size() != 11 || domain::MaskPhone(*phone).size() != 11)) std::abort();
  (void)domain::MaskIdNumber(text);
  (void)domain::MaskPhone(text);
  return 0;
}
