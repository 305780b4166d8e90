// The analytics engine's snapshot of the register: the few columns of households, persons,
// spells and incomes that the indicators read (domain::*Fact), in region-code order so that
// every region is one contiguous slice, and tallied by the rules of domain/indicators.h for all
// regions of a level in one pass (Count). About 13 bytes a person, 53 a household (a year of income
// included) and 13 a spell (82 a laborer on a national register drawn by engine_benchmark, 66 on
// gen's).
//
// Changes arrive a household at a time (Replace): the household's base rows are marked gone and
// its new rows kept aside, in code order, until enough have gathered to be merged into the base
// in one pass. So a write is reflected at once, and a count reads the aside rows besides the
// base slice. A change to one person's spells that names them all (SetSpells) is made from the
// household's rows already here, without reading the store. Not thread-safe: the caller locks
// (Count is const and may run concurrently with other Counts).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "common/dates.h"
#include "domain/facts.h"
#include "domain/indicators.h"
#include "domain/region.h"

namespace jobaid::analytics {

class Register {
 public:
  // Rows of any number of households in code order. Fed by Transaction::ScanFacts, one filter
  // at a time (Scan); the next filter's households must not come before the last one's.
  class Columns final : public domain::FactSink {
   public:
    // Appends the facts `scan` feeds this sink (a store's Transaction::ScanFacts for one
    // filter), between BeginScan and EndScan.
    absl::Status Scan(absl::FunctionRef<absl::Status(domain::FactSink&)> scan);
    // What Scan does around the store's calls of the sink below, for other feeders.
    void BeginScan();
    void EndScan();
    absl::Status Household(const domain::HouseholdFact& h) override;
    absl::Status Person(const domain::PersonFact& p) override;
    absl::Status Spell(const domain::SpellFact& s) override;
    absl::Status Income(const domain::IncomeFact& i) override;

    size_t households() const { return hh_id_.size(); }
    size_t persons() const { return p_birth_.size(); }
    size_t spells() const { return s_start_.size(); }
    size_t MemoryBytes() const;

   private:
    friend class Register;
    struct IncomeRow {
      int32_t year;
      uint32_t last;  // the household's last person (kNoPerson if it has none)
      int64_t work;
      int64_t total;
    };
    static constexpr uint32_t kNoPerson = UINT32_MAX;
    static constexpr uint8_t kRelocated = 1, kGone = 2;  // hh_flags_
    // p_flags_: able to work, wants work, the first of its household, of a relocated household.
    static constexpr uint8_t kAble = 1, kWants = 2, kFirst = 4, kOfRelocated = 8;

    // A 32-bit hash of a person's id: what the register keeps to find a person (p_key_).
    static uint32_t PersonKey(int64_t id);
    // s_kind_ of spell `s` of a person whose household lives in `home`.
    static uint8_t SpellKind(int64_t home, const domain::SpellFact& s);

    // Household h of `from`; with `person` set (an index into `from`), that person's spells
    // replaced by `spells`.
    void Append(const Columns& from, size_t h, size_t person = SIZE_MAX,
                std::span<const domain::SpellFact> spells = {});
    // Households [h0, h1) of `from`, none of them gone, column slice by column slice.
    void AppendSlice(const Columns& from, size_t h0, size_t h1);
    void Reserve(size_t households, size_t persons, size_t spells);

    // Households: region, id, flags, and where their persons and incomes begin (CSR; one
    // extra entry at the end).
    std::vector<int64_t> hh_region_, hh_id_;
    std::vector<uint8_t> hh_flags_;
    std::vector<uint32_t> hh_persons_{0}, hh_incomes_{0};
    std::vector<IncomeRow> incomes_;
    // Persons: id (while loading only: spells find their person by it), its PersonKey, birth
    // day, flags, where their spells begin (CSR).
    std::vector<int64_t> p_id_;
    std::vector<uint32_t> p_key_;
    std::vector<int32_t> p_birth_;
    std::vector<uint8_t> p_flags_;
    std::vector<uint32_t> p_spells_{0};
    // Spells, a column each: first and last day (days since 1970; the last INT32_MAX while
    // still working), what kind (one bit for its domain::Place, township first, then
    // kOrganisedKind when it came by a transfer outside the township), and the person.
    static constexpr uint8_t kOrganisedKind = 1 << 4;
    std::vector<int32_t> s_start_, s_end_;
    std::vector<uint8_t> s_kind_;
    std::vector<uint32_t> spell_owner_;
    // Scan's cursors: the household taking persons, the person taking spells and their
    // household, the household taking incomes.
    size_t cur_h_ = 0, cur_p_ = 0, spell_h_ = 0, income_h_ = 0;
  };

  // Replaces everything.
  void Reset(Columns base);
  // Replaces household `id` by `rows` (its facts read by ScanFacts with household_id = id;
  // empty once it is deleted).
  absl::Status Replace(int64_t id, Columns rows);
  // Replaces every household in `range` by `rows` (the facts ScanFacts reads for the range),
  // after many changes there, such as an import: one pass over the base, its slices before and
  // after the range copied whole.
  absl::Status ReplaceRange(domain::RegionRange range, Columns rows);
  // Sets the spells of person `person` of household `id` to `spells` (all of them, in the
  // order ScanFacts gives: by start, then id), from the household's rows held here. NotFound
  // when the register holds no such household, or not exactly one person of that PersonKey in
  // it: then the caller reads the household again (Replace).
  absl::Status SetSpells(int64_t id, int64_t person, std::span<const domain::SpellFact> spells);

  // The tallies of the blocks of `unit` codes in `range` with persons, in code order, on each
  // of `days` (out[i] for days[i]). Uses up to `threads` threads.
  std::vector<std::vector<domain::IndicatorCounts>> Count(domain::RegionRange range, int64_t unit,
                                                          std::span<const Date> days,
                                                          int threads = 1) const;

  size_t households() const;
  size_t persons() const;
  size_t spells() const;
  size_t MemoryBytes() const;
  // Rows kept aside since the last merge (households).
  size_t aside() const { return aside_.size(); }
  // Merge the rows aside into the base once more than max(`n`, a thirty-second of the base)
  // households are kept aside (1,024 unless set).
  void set_merge_threshold(size_t n) { merge_threshold_ = n; }

 private:
  using Key = std::pair<int64_t, int64_t>;  // region, id
  struct Day;
  // Tallies of households [lo, hi) of `c` into out[d], one entry per block of `unit` codes, in
  // code order (adding to the last entry while it is the same block): a few thousand
  // households at a time in column passes without branches on the data (each spell's bits,
  // ORed into its person's; what each person counts for, and what each household counts for
  // at its last person; then those bits summed over a run of households of one block).
  // `any_gone`: whether some households of `c` are marked gone.
  static void CountColumns(const Columns& c, size_t lo, size_t hi, bool any_gone, int64_t unit,
                           std::span<const Day> days,
                           std::vector<std::vector<domain::IndicatorCounts>>& out);
  void Merge();
  // Household `id`'s index in the base, unless it is not there or marked gone.
  std::optional<uint32_t> LiveInBase(int64_t id) const;

  Columns base_;
  // The base's households in id order (indexes into base_).
  std::vector<uint32_t> base_by_id_;
  size_t base_gone_ = 0, base_gone_persons_ = 0, base_gone_spells_ = 0;  // marked gone
  size_t merge_threshold_ = 1024;
  absl::btree_map<Key, Columns> aside_;
  absl::flat_hash_map<int64_t, int64_t> aside_region_;  // id -> region of its aside rows
};

}  // namespace jobaid::analytics
