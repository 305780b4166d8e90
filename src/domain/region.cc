#include "domain/region.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"

namespace jobaid::domain {
namespace {

constexpr char kMagic[8] = {'J', 'A', 'R', 'E', 'G', 'N', '0', '1'};
constexpr int64_t kPow10[] = {1,           10,           100,          1000,      10000,
                              100000,      1000000,      10000000,     100000000, 1000000000,
                              10000000000, 100000000000, 1000000000000};

std::optional<RegionLevel> LevelForDigits(size_t n) {
  switch (n) {
    case 2:
      return RegionLevel::kProvince;
    case 4:
      return RegionLevel::kPrefecture;
    case 6:
      return RegionLevel::kCounty;
    case 9:
      return RegionLevel::kTownship;
    case 12:
      return RegionLevel::kVillage;
    default:
      return std::nullopt;
  }
}

}  // namespace

absl::string_view RegionLevelName(RegionLevel level) {
  static constexpr absl::string_view kNames[] = {"",       "province", "prefecture",
                                                 "county", "township", "village"};
  return kNames[static_cast<int>(level)];
}

std::optional<RegionLevel> ParseRegionLevel(absl::string_view name) {
  for (int l = static_cast<int>(RegionLevel::kProvince);
       l <= static_cast<int>(RegionLevel::kVillage); ++l) {
    if (RegionLevelName(static_cast<RegionLevel>(l)) == name) return static_cast<RegionLevel>(l);
  }
  return std::nullopt;
}

int RegionDigits(RegionLevel level) {
  static constexpr int kDigits[] = {0, 2, 4, 6, 9, 12};
  return kDigits[static_cast<int>(level)];
}

RegionRange Region::range() const { return {code, code + kPow10[12 - RegionDigits(level)]}; }

std::string Region::ShortCode() const {
  return FormatRegionCode(code).substr(0, RegionDigits(level));
}

absl::Status CheckRegionFlags(const Region& r, bool key_county, bool poverty_village,
                              bool relocation_site) {
  if (key_county && r.level != RegionLevel::kCounty) {
    return FieldError("key_county", absl::StrCat(r.name, " is not a county"));
  }
  if (poverty_village && r.level != RegionLevel::kVillage) {
    return FieldError("poverty_village", absl::StrCat(r.name, " is not a village"));
  }
  if (relocation_site && r.level < RegionLevel::kTownship) {
    return FieldError("relocation_site",
                      "a relocation site is a village or community (or a township)");
  }
  return absl::OkStatus();
}

std::string FormatRegionCode(int64_t code) { return absl::StrFormat("%012d", code); }

Region RegionTable::at(size_t i) const {
  const Entry& e = entries_[i];
  const char* p = names_.data() + e.name_offset;
  return {e.code, static_cast<RegionLevel>(e.level), absl::string_view(p, std::strlen(p))};
}

absl::StatusOr<RegionTable> RegionTable::Build(
    const std::vector<std::pair<std::string, std::string>>& rows) {
  RegionTable t;
  t.entries_.reserve(rows.size());
  for (const auto& [code, name] : rows) {
    auto level = LevelForDigits(code.size());
    int64_t v;
    if (!level || !absl::SimpleAtoi(code, &v)) {
      return absl::InvalidArgumentError(absl::StrCat("bad region code \"", code, "\""));
    }
    Entry e{};
    e.code = v * kPow10[12 - code.size()];
    e.level = static_cast<uint8_t>(*level);
    e.name_offset = static_cast<uint32_t>(t.names_.size());
    t.names_.append(name);
    t.names_.push_back('\0');
    t.entries_.push_back(e);
  }
  std::sort(t.entries_.begin(), t.entries_.end(), [](const Entry& a, const Entry& b) {
    return a.code != b.code ? a.code < b.code : a.level < b.level;
  });
  return t;
}

absl::Status RegionTable::Write(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  uint32_t n = static_cast<uint32_t>(entries_.size());
  uint32_t names_size = static_cast<uint32_t>(names_.size());
  out.write(kMagic, sizeof kMagic);
  out.write(reinterpret_cast<const char*>(&n), sizeof n);
  out.write(reinterpret_cast<const char*>(&names_size), sizeof names_size);
  out.write(reinterpret_cast<const char*>(entries_.data()),
            static_cast<std::streamsize>(n * sizeof(Entry)));
  out.write(names_.data(), names_size);
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

absl::StatusOr<RegionTable> RegionTable::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("region file ", path, " not found; build the project (make run) to make it"));
  }
  char magic[8];
  uint32_t n = 0, names_size = 0;
  in.read(magic, sizeof magic);
  in.read(reinterpret_cast<char*>(&n), sizeof n);
  in.read(reinterpret_cast<char*>(&names_size), sizeof names_size);
  if (!in || std::memcmp(magic, kMagic, sizeof magic) != 0) {
    return absl::DataLossError(absl::StrCat(path, " is not a JobAid region file"));
  }
  RegionTable t;
  t.entries_.resize(n);
  t.names_.resize(names_size);
  in.read(reinterpret_cast<char*>(t.entries_.data()),
          static_cast<std::streamsize>(n * sizeof(Entry)));
  in.read(t.names_.data(), names_size);
  if (!in || (names_size > 0 && t.names_.back() != '\0')) {
    return absl::DataLossError(absl::StrCat(path, " is truncated"));
  }
  for (const Entry& e : t.entries_) {
    if (e.name_offset >= names_size || e.level < 1 || e.level > 5) {
      return absl::DataLossError(absl::StrCat(path, " is corrupt"));
    }
  }
  return t;
}

const RegionTable::Entry* RegionTable::FindEntry(int64_t code12) const {
  auto it = std::upper_bound(entries_.begin(), entries_.end(), code12,
                             [](int64_t c, const Entry& e) { return c < e.code; });
  if (it == entries_.begin()) return nullptr;
  --it;
  return it->code == code12 ? &*it : nullptr;
}

absl::StatusOr<Region> RegionTable::Find(int64_t code12) const {
  const Entry* e = FindEntry(code12);
  if (e == nullptr) {
    return WithReason(
        absl::NotFoundError(absl::StrCat("no region has code ", FormatRegionCode(code12))),
        {"no_region", {{"code", FormatRegionCode(code12)}}});
  }
  return at(static_cast<size_t>(e - entries_.data()));
}

absl::StatusOr<Region> RegionTable::Lookup(absl::string_view code) const {
  auto level = LevelForDigits(code.size());
  int64_t v;
  if (!level || code.find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(code, &v)) {
    return Invalid(absl::StrCat("\"", code,
                                "\" is not a region code; use the 2, 4, 6, 9 or 12 digit "
                                "statistical code"),
                   {"not_region_code", {{"value", std::string(code)}}});
  }
  int64_t code12 = v * kPow10[12 - code.size()];
  const Entry* e = FindEntry(code12);
  if (e == nullptr) {
    return WithReason(absl::NotFoundError(absl::StrCat("no region has code ", code)),
                      {"no_region", {{"code", std::string(code)}}});
  }
  // A short code names its own level if that level exists under this code.
  if (code.size() < 12) {
    for (const Entry* p = e; p >= entries_.data() && p->code == code12; --p) {
      if (p->level == static_cast<uint8_t>(*level))
        return at(static_cast<size_t>(p - entries_.data()));
    }
  }
  return at(static_cast<size_t>(e - entries_.data()));
}

std::vector<Region> RegionTable::Path(int64_t code12) const {
  std::vector<Region> path;
  const Entry* e = FindEntry(code12);
  if (e == nullptr) return path;
  int deepest = e->level;
  for (int level = 1; level <= deepest; ++level) {
    int64_t unit = kPow10[12 - RegionDigits(static_cast<RegionLevel>(level))];
    int64_t c = code12 / unit * unit;
    for (const Entry* p = FindEntry(c); p != nullptr && p >= entries_.data() && p->code == c; --p) {
      if (p->level == level) {
        path.push_back(at(static_cast<size_t>(p - entries_.data())));
        break;
      }
    }
  }
  return path;
}

std::string RegionTable::PathName(int64_t code12) const {
  std::string out;
  absl::string_view last;
  for (const Region& r : Path(code12)) {
    if (r.name == last) continue;  // Dongguan the prefecture and Dongguan the county
    if (!out.empty()) out += ' ';
    out.append(r.name.data(), r.name.size());
    last = r.name;
  }
  return out;
}

std::pair<size_t, size_t> RegionTable::Slice(RegionRange range) const {
  auto lo = std::lower_bound(entries_.begin(), entries_.end(), range.lo,
                             [](const Entry& e, int64_t c) { return e.code < c; });
  auto hi = std::lower_bound(lo, entries_.end(), range.hi,
                             [](const Entry& e, int64_t c) { return e.code < c; });
  return {static_cast<size_t>(lo - entries_.begin()), static_cast<size_t>(hi - entries_.begin())};
}

std::vector<Region> RegionTable::Children(int64_t code12) const {
  std::vector<Region> out;
  RegionRange range;
  int child_level = 1;
  if (code12 != 0) {
    auto r = Find(code12);
    if (!r.ok()) return out;
    range = r->range();
    child_level = static_cast<int>(r->level) + 1;
  }
  auto [first, last] = Slice(range);
  for (size_t i = first; i < last; ++i) {
    if (entries_[i].level == child_level) out.push_back(at(i));
  }
  return out;
}

std::vector<Region> RegionTable::Search(absl::string_view needle, RegionRange within,
                                        size_t limit) const {
  std::vector<Region> out;
  auto [first, last] = Slice(within);
  for (size_t i = first; i < last && out.size() < limit; ++i) {
    Region r = at(i);
    if (r.name.find(needle) != absl::string_view::npos) out.push_back(r);
  }
  return out;
}

std::vector<Region> RegionTable::FindByName(absl::string_view name, RegionRange within,
                                            RegionLevel level) const {
  std::vector<Region> out;
  auto [first, last] = Slice(within);
  for (size_t i = first; i < last; ++i) {
    if (entries_[i].level == static_cast<uint8_t>(level) && at(i).name == name) {
      out.push_back(at(i));
    }
  }
  return out;
}

}  // namespace jobaid::domain
