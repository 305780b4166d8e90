#include "analytics/register.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"

namespace jobaid::analytics {

using domain::IndicatorCounts;
using domain::Place;

// ---- Columns: loading ----

absl::Status Register::Columns::Scan(absl::FunctionRef<absl::Status(domain::FactSink&)> scan) {
  BeginScan();
  absl::Status s = scan(*this);
  EndScan();
  return s;
}

void Register::Columns::BeginScan() {
  cur_h_ = spell_h_ = income_h_ = hh_id_.size();
  cur_p_ = p_birth_.size();
}

void Register::Columns::EndScan() {
  // The CSR ends of households and persons that got no rows of the later kinds.
  hh_persons_.resize(hh_id_.size() + 1, static_cast<uint32_t>(p_birth_.size()));
  hh_incomes_.resize(hh_id_.size() + 1, static_cast<uint32_t>(incomes_.size()));
  p_spells_.resize(p_birth_.size() + 1, static_cast<uint32_t>(s_start_.size()));
}

absl::Status Register::Columns::Household(const domain::HouseholdFact& h) {
  if (!hh_region_.empty() && h.region_code < hh_region_.back()) {
    return absl::InternalError(
        absl::StrCat("household ", h.id, " arrived out of region order for the analytics"));
  }
  hh_region_.push_back(h.region_code);
  hh_id_.push_back(h.id);
  hh_flags_.push_back(h.relocated ? kRelocated : 0);
  return absl::OkStatus();
}

namespace {
// Moves `cur` on to the row of `ids` equal to `id`; false if there is none left.
bool Seek(const std::vector<int64_t>& ids, size_t& cur, int64_t id) {
  while (cur < ids.size() && ids[cur] != id) ++cur;
  return cur < ids.size();
}
// Appends one row to the CSR `ends` of item `item` (whose rows end at `count` so far).
void AddToCsr(std::vector<uint32_t>& ends, size_t item, size_t count) {
  ends.resize(item + 1, static_cast<uint32_t>(count));
  ends.push_back(static_cast<uint32_t>(count + 1));
}
}  // namespace

absl::Status Register::Columns::Person(const domain::PersonFact& p) {
  if (!Seek(hh_id_, cur_h_, p.household_id)) {
    return absl::InternalError(absl::StrCat("person ", p.id, " of household ", p.household_id,
                                            " arrived out of order for the analytics"));
  }
  const bool first = hh_persons_.size() <= cur_h_ + 1;  // no end entered for the household yet
  AddToCsr(hh_persons_, cur_h_, p_birth_.size());
  p_id_.push_back(p.id);
  p_key_.push_back(PersonKey(p.id));
  p_birth_.push_back(p.birth_date.days());
  p_flags_.push_back(static_cast<uint8_t>((p.able ? kAble : 0) | (p.wants ? kWants : 0) |
                                          (first ? kFirst : 0) |
                                          (hh_flags_[cur_h_] & kRelocated ? kOfRelocated : 0)));
  return absl::OkStatus();
}

absl::Status Register::Columns::Spell(const domain::SpellFact& s) {
  if (!Seek(p_id_, cur_p_, s.person_id)) {
    return absl::InternalError(
        absl::StrCat("a spell of person ", s.person_id, " arrived out of order for the analytics"));
  }
  hh_persons_.resize(hh_id_.size() + 1, static_cast<uint32_t>(p_birth_.size()));
  while (hh_persons_[spell_h_ + 1] <= cur_p_) ++spell_h_;  // the person's household
  AddToCsr(p_spells_, cur_p_, s_start_.size());
  spell_owner_.push_back(static_cast<uint32_t>(cur_p_));
  s_start_.push_back(s.start.days());
  s_end_.push_back(s.end.valid() ? s.end.days() : INT32_MAX);
  s_kind_.push_back(SpellKind(hh_region_[spell_h_], s));
  return absl::OkStatus();
}

uint32_t Register::Columns::PersonKey(int64_t id) {
  return static_cast<uint32_t>((static_cast<uint64_t>(id) * 0x9E3779B97F4A7C15ull) >> 32);
}

uint8_t Register::Columns::SpellKind(int64_t home, const domain::SpellFact& s) {
  const Place place = domain::PlaceOf(home, s.region_code);
  return static_cast<uint8_t>((1u << static_cast<int>(place)) |
                              (s.by_transfer && place != Place::kTownship ? kOrganisedKind : 0));
}

absl::Status Register::Columns::Income(const domain::IncomeFact& i) {
  if (!Seek(hh_id_, income_h_, i.household_id)) {
    return absl::InternalError(absl::StrCat("the income of household ", i.household_id,
                                            " arrived out of order for the analytics"));
  }
  AddToCsr(hh_incomes_, income_h_, incomes_.size());
  // Incomes come after the persons: the household's are all in.
  hh_persons_.resize(hh_id_.size() + 1, static_cast<uint32_t>(p_birth_.size()));
  const uint32_t p0 = hh_persons_[income_h_], p1 = hh_persons_[income_h_ + 1];
  incomes_.push_back({i.year, p1 > p0 ? p1 - 1 : kNoPerson, i.work, i.total});
  return absl::OkStatus();
}

void Register::Columns::Reserve(size_t households, size_t persons, size_t spells) {
  hh_region_.reserve(households);
  hh_id_.reserve(households);
  hh_flags_.reserve(households);
  hh_persons_.reserve(households + 1);
  hh_incomes_.reserve(households + 1);
  p_id_.reserve(persons);
  p_key_.reserve(persons);
  p_birth_.reserve(persons);
  p_flags_.reserve(persons);
  p_spells_.reserve(persons + 1);
  s_start_.reserve(spells);
  s_end_.reserve(spells);
  s_kind_.reserve(spells);
  spell_owner_.reserve(spells);
}

void Register::Columns::Append(const Columns& from, size_t h, size_t person,
                               std::span<const domain::SpellFact> spells) {
  hh_region_.push_back(from.hh_region_[h]);
  hh_id_.push_back(from.hh_id_[h]);
  hh_flags_.push_back(from.hh_flags_[h] & ~kGone);
  for (uint32_t p = from.hh_persons_[h]; p < from.hh_persons_[h + 1]; ++p) {
    p_key_.push_back(from.p_key_[p]);
    p_birth_.push_back(from.p_birth_[p]);
    p_flags_.push_back(from.p_flags_[p]);
    if (p == person) {
      for (const domain::SpellFact& s : spells) {
        s_start_.push_back(s.start.days());
        s_end_.push_back(s.end.valid() ? s.end.days() : INT32_MAX);
        s_kind_.push_back(SpellKind(from.hh_region_[h], s));
      }
    } else {
      const uint32_t s0 = from.p_spells_[p], s1 = from.p_spells_[p + 1];
      s_start_.insert(s_start_.end(), from.s_start_.begin() + s0, from.s_start_.begin() + s1);
      s_end_.insert(s_end_.end(), from.s_end_.begin() + s0, from.s_end_.begin() + s1);
      s_kind_.insert(s_kind_.end(), from.s_kind_.begin() + s0, from.s_kind_.begin() + s1);
    }
    spell_owner_.resize(s_start_.size(), static_cast<uint32_t>(p_birth_.size() - 1));
    p_spells_.push_back(static_cast<uint32_t>(s_start_.size()));
  }
  hh_persons_.push_back(static_cast<uint32_t>(p_birth_.size()));
  const uint32_t last = from.hh_persons_[h + 1] > from.hh_persons_[h]
                            ? static_cast<uint32_t>(p_birth_.size() - 1)
                            : kNoPerson;
  for (uint32_t i = from.hh_incomes_[h]; i < from.hh_incomes_[h + 1]; ++i) {
    incomes_.push_back(from.incomes_[i]);
    incomes_.back().last = last;
  }
  hh_incomes_.push_back(static_cast<uint32_t>(incomes_.size()));
}

void Register::Columns::AppendSlice(const Columns& from, size_t h0, size_t h1) {
  if (h0 >= h1) return;
  // Appends from[lo, hi) to `to`; for `shifted`, each value moved by `shift` (the CSR ends
  // and indexes into the rows below).
  auto copy = [](auto& to, const auto& from, size_t lo, size_t hi) {
    to.insert(to.end(), from.begin() + static_cast<ptrdiff_t>(lo),
              from.begin() + static_cast<ptrdiff_t>(hi));
  };
  auto shifted = [](std::vector<uint32_t>& to, const std::vector<uint32_t>& from, size_t lo,
                    size_t hi, int64_t shift) {
    for (size_t i = lo; i < hi; ++i) to.push_back(static_cast<uint32_t>(from[i] + shift));
  };
  const uint32_t p0 = from.hh_persons_[h0], p1 = from.hh_persons_[h1];
  const uint32_t i0 = from.hh_incomes_[h0], i1 = from.hh_incomes_[h1];
  const uint32_t s0 = from.p_spells_[p0], s1 = from.p_spells_[p1];
  const int64_t person_shift = static_cast<int64_t>(p_birth_.size()) - p0;
  copy(hh_region_, from.hh_region_, h0, h1);
  copy(hh_id_, from.hh_id_, h0, h1);
  copy(hh_flags_, from.hh_flags_, h0, h1);
  shifted(hh_persons_, from.hh_persons_, h0 + 1, h1 + 1, person_shift);
  shifted(hh_incomes_, from.hh_incomes_, h0 + 1, h1 + 1,
          static_cast<int64_t>(incomes_.size()) - i0);
  const size_t first_income = incomes_.size();
  copy(incomes_, from.incomes_, i0, i1);
  for (size_t i = first_income; i < incomes_.size(); ++i) {
    if (incomes_[i].last != kNoPerson) {
      incomes_[i].last = static_cast<uint32_t>(incomes_[i].last + person_shift);
    }
  }
  copy(p_key_, from.p_key_, p0, p1);
  copy(p_birth_, from.p_birth_, p0, p1);
  copy(p_flags_, from.p_flags_, p0, p1);
  shifted(p_spells_, from.p_spells_, p0 + 1, p1 + 1, static_cast<int64_t>(s_start_.size()) - s0);
  copy(s_start_, from.s_start_, s0, s1);
  copy(s_end_, from.s_end_, s0, s1);
  copy(s_kind_, from.s_kind_, s0, s1);
  shifted(spell_owner_, from.spell_owner_, s0, s1, person_shift);
}

size_t Register::Columns::MemoryBytes() const {
  auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  return bytes(hh_region_) + bytes(hh_id_) + bytes(hh_flags_) + bytes(hh_persons_) +
         bytes(hh_incomes_) + bytes(incomes_) + bytes(p_id_) + bytes(p_key_) + bytes(p_birth_) +
         bytes(p_flags_) + bytes(p_spells_) + bytes(s_start_) + bytes(s_end_) + bytes(s_kind_) +
         bytes(spell_owner_);
}

// ---- Register: changes ----

void Register::Reset(Columns base) {
  base_ = std::move(base);
  // Loaded: the person ids are no longer needed, and nothing grows until the next merge.
  std::vector<int64_t>().swap(base_.p_id_);
  base_.hh_region_.shrink_to_fit();
  base_.hh_id_.shrink_to_fit();
  base_.hh_flags_.shrink_to_fit();
  base_.hh_persons_.shrink_to_fit();
  base_.hh_incomes_.shrink_to_fit();
  base_.incomes_.shrink_to_fit();
  base_.p_key_.shrink_to_fit();
  base_.p_birth_.shrink_to_fit();
  base_.p_flags_.shrink_to_fit();
  base_.p_spells_.shrink_to_fit();
  base_.s_start_.shrink_to_fit();
  base_.s_end_.shrink_to_fit();
  base_.s_kind_.shrink_to_fit();
  base_.spell_owner_.shrink_to_fit();
  aside_.clear();
  aside_region_.clear();
  base_gone_ = base_gone_persons_ = base_gone_spells_ = 0;
  base_by_id_.resize(base_.households());
  for (size_t h = 0; h < base_by_id_.size(); ++h) base_by_id_[h] = static_cast<uint32_t>(h);
  std::sort(base_by_id_.begin(), base_by_id_.end(),
            [ids = base_.hh_id_.data()](uint32_t a, uint32_t b) { return ids[a] < ids[b]; });
}

std::optional<uint32_t> Register::LiveInBase(int64_t id) const {
  auto b = std::lower_bound(
      base_by_id_.begin(), base_by_id_.end(), id,
      [ids = base_.hh_id_.data()](uint32_t h, int64_t key) { return ids[h] < key; });
  if (b == base_by_id_.end() || base_.hh_id_[*b] != id || base_.hh_flags_[*b] & Columns::kGone) {
    return std::nullopt;
  }
  return *b;
}

absl::Status Register::Replace(int64_t id, Columns rows) {
  if (rows.households() > 1 || (rows.households() == 1 && rows.hh_id_[0] != id)) {
    return absl::InternalError(absl::StrCat("the rows given for household ", id, " are not its"));
  }
  if (std::optional<uint32_t> b = LiveInBase(id)) {
    const uint32_t h = *b;
    base_.hh_flags_[h] |= Columns::kGone;
    ++base_gone_;
    uint32_t p0 = base_.hh_persons_[h], p1 = base_.hh_persons_[h + 1];
    base_gone_persons_ += p1 - p0;
    base_gone_spells_ += base_.p_spells_[p1] - base_.p_spells_[p0];
  }
  if (auto a = aside_region_.find(id); a != aside_region_.end()) {
    aside_.erase(Key(a->second, id));
    aside_region_.erase(a);
  }
  if (rows.households() == 1) {
    int64_t region = rows.hh_region_[0];
    aside_region_[id] = region;
    aside_.insert_or_assign(Key(region, id), std::move(rows));
  }
  // Merge once the rows aside cost about as much to read as a thirty-second of the base.
  if (aside_.size() > std::max<size_t>(merge_threshold_, base_.households() / 32)) Merge();
  return absl::OkStatus();
}

absl::Status Register::SetSpells(int64_t id, int64_t person,
                                 std::span<const domain::SpellFact> spells) {
  const Columns* from = nullptr;
  size_t h = 0;
  if (auto a = aside_region_.find(id); a != aside_region_.end()) {
    from = &aside_.at(Key(a->second, id));
  } else if (std::optional<uint32_t> b = LiveInBase(id)) {
    from = &base_;
    h = *b;
  } else {
    return absl::NotFoundError(absl::StrCat("the analytics hold no household ", id));
  }
  const uint32_t key = Columns::PersonKey(person);
  size_t found = SIZE_MAX, matches = 0;
  for (uint32_t p = from->hh_persons_[h]; p < from->hh_persons_[h + 1]; ++p) {
    if (from->p_key_[p] == key) found = p, ++matches;
  }
  if (matches != 1) {
    return absl::NotFoundError(
        absl::StrCat("the analytics cannot tell person ", person, " in household ", id));
  }
  Columns rows;
  rows.Append(*from, h, found, spells);
  return Replace(id, std::move(rows));
}

absl::Status Register::ReplaceRange(domain::RegionRange range, Columns rows) {
  for (int64_t region : rows.hh_region_) {
    if (!range.Contains(region)) {
      return absl::InternalError(
          absl::StrCat("the rows given for a region range hold a household of ", region));
    }
  }
  if (base_gone_ > 0 || !aside_.empty()) Merge();  // a base without holes, copied in slices
  const auto& regions = base_.hh_region_;
  const size_t lo = static_cast<size_t>(std::lower_bound(regions.begin(), regions.end(), range.lo) -
                                        regions.begin());
  const size_t hi = static_cast<size_t>(std::lower_bound(regions.begin(), regions.end(), range.hi) -
                                        regions.begin());
  Columns next;
  next.Reserve(base_.households() - (hi - lo) + rows.households(), base_.persons() + rows.persons(),
               base_.spells() + rows.spells());
  next.AppendSlice(base_, 0, lo);
  next.AppendSlice(rows, 0, rows.households());
  next.AppendSlice(base_, hi, base_.households());
  Reset(std::move(next));
  return absl::OkStatus();
}

void Register::Merge() {
  Columns next;
  next.Reserve(base_.households() + aside_.size(), base_.persons() + aside_.size() * 4,
               base_.spells() + aside_.size() * 4);
  auto a = aside_.begin();
  auto drain_until = [&](Key k) {
    for (; a != aside_.end() && a->first < k; ++a) next.Append(a->second, 0);
  };
  for (size_t h = 0; h < base_.households(); ++h) {
    if (base_.hh_flags_[h] & Columns::kGone) continue;
    drain_until(Key(base_.hh_region_[h], base_.hh_id_[h]));
    next.Append(base_, h);
  }
  drain_until(Key(INT64_MAX, INT64_MAX));
  Reset(std::move(next));
}

size_t Register::households() const { return base_.households() - base_gone_ + aside_.size(); }
size_t Register::persons() const {
  size_t n = base_.persons() - base_gone_persons_;
  for (const auto& [k, c] : aside_) n += c.persons();
  return n;
}
size_t Register::spells() const {
  size_t n = base_.spells() - base_gone_spells_;
  for (const auto& [k, c] : aside_) n += c.spells();
  return n;
}
size_t Register::MemoryBytes() const {
  size_t n = base_.MemoryBytes() + base_by_id_.capacity() * sizeof(base_by_id_[0]);
  for (const auto& [k, c] : aside_) n += c.MemoryBytes();
  return n;
}

// ---- Register: counting ----

// The bounds of one day of counting, in days since 1970.
struct Register::Day {
  explicit Day(Date d) {
    domain::CountingDay c(d);
    as_of = d.days();
    born_by = c.born_by.days();
    born_after = c.born_after.days();
    for (int i = 0; i < 12; ++i) month[i] = c.months[i].days();
    income_year = c.income_year;
    year_end = c.year_end.days();
    year_end_born_by = c.year_end_born_by.days();
    year_end_born_after = c.year_end_born_after.days();
  }
  int32_t as_of, born_by, born_after;
  int32_t month[12];
  int income_year;
  int32_t year_end, year_end_born_by, year_end_born_after;

  // Calendar months of the 12 in which spells [s, e) of `c` worked a day, up to as_of.
  int MonthsWorked(const Columns& c, uint32_t s, uint32_t e) const {
    uint32_t mask = 0;
    for (; s != e; ++s) {
      int32_t lo = std::max(c.s_start_[s], month[0]), hi = std::min(c.s_end_[s], as_of);
      if (lo > hi) continue;
      int i = 11, j = 11;
      while (month[i] > lo) --i;
      while (month[j] > hi) --j;
      mask |= ((2u << j) - 1) & ~((1u << i) - 1);
    }
    return __builtin_popcount(mask);
  }
};

namespace {
// How many of the n marks have each of bits 0 to K - 1 set, into out[0..K): one pass, counted
// in 16-bit lanes (so in blocks of fewer than 65,536 marks).
template <int K, typename M>
__attribute__((always_inline)) inline void SumBits(const M* __restrict marks, size_t n,
                                                   int64_t* out) {
  for (int k = 0; k < K; ++k) out[k] = 0;
  for (size_t i0 = 0; i0 < n; i0 += UINT16_MAX) {
    const size_t i1 = std::min<size_t>(n, i0 + UINT16_MAX);
    uint16_t sum[K] = {};
    for (size_t i = i0; i < i1; ++i) {
      for (int k = 0; k < K; ++k) sum[k] += (marks[i] >> k) & 1;
    }
    for (int k = 0; k < K; ++k) out[k] += sum[k];
  }
}
}  // namespace

namespace {

// What CountColumns keeps per spell, person and household, as bits.
//
// A spell's bits (ORed into its person's, spell by spell): the places worked in today (one bit
// each, township first), at last year's end (the same, kYearEnd up), whether one outside the
// township came by a transfer, and whether one began in time to cover 6 of the 12 months.
constexpr int kYearEnd = 4;
constexpr uint16_t kSpellOrganised = 1 << 8, kSpellLong = 1 << 9;
constexpr uint16_t kHere = 0xF, kOutYearEnd = 0xC << kYearEnd;  // province, away
// Columns' flags, as the passes below read them (CountColumns checks they are Columns').
constexpr uint8_t kAbleFlag = 1, kWantsFlag = 2, kFirstFlag = 4, kOfRelocatedFlag = 8;
constexpr uint8_t kOrganisedKindFlag = 1 << 4;
// What a person counts for (marks; the bits below kMarks are summed per run of households).
enum : int {
  kL,            // laborer
  kE,            // employed
  kLW,           // laborer wanting work
  kEW,           // employed wanting work
  kLocal,        // employed in the home county (the farthest place worked in today)
  kCounty,       // out of the county, in the province
  kAway,         // out of the province
  kTransferred,  // employed outside the township
  kOrganised,    // ... and come by a transfer
  kOutYE,        // out-migrant at last year's end
  kStable,       // a covering spell began in time for 6 of the 12 months
  kRelL,         // laborer of a relocated household
  kRelE,         // employed of a relocated household
  kMarks,
  // Employed, not stable so, with other spells that may make up the months (alone, a
  // covering spell that began that late covers fewer than 6 of the 12).
  kSlowBit = kMarks
};
constexpr uint16_t kSlow = 1 << kSlowBit;
// At the last person of each household, what the household counts for (household marks):
// a household, with laborers, with laborers none employed (zero employment), relocated with
// laborers, relocated with some employed.
enum : int { kHousehold, kWithLab, kZero, kRelHh, kRelHhEmp, kHouseholdMarks };
// The tally each mark's sum goes to (stable's takes the slow ones that are stable too).
using Tally = int64_t IndicatorCounts::*;
constexpr std::pair<Tally, int> kPersonTallies[] = {
    {&IndicatorCounts::laborers, kL},
    {&IndicatorCounts::employed, kE},
    {&IndicatorCounts::with_intention, kLW},
    {&IndicatorCounts::employed_with_intention, kEW},
    {&IndicatorCounts::employed_local, kLocal},
    {&IndicatorCounts::employed_out_of_county, kCounty},
    {&IndicatorCounts::employed_out_of_province, kAway},
    {&IndicatorCounts::transferred, kTransferred},
    {&IndicatorCounts::organised, kOrganised},
    {&IndicatorCounts::out_migrants_year_end, kOutYE},
    {&IndicatorCounts::relocated_laborers, kRelL},
    {&IndicatorCounts::relocated_employed, kRelE}};
constexpr std::pair<Tally, int> kHouseholdTallies[] = {
    {&IndicatorCounts::households, kHousehold},
    {&IndicatorCounts::households_with_laborers, kWithLab},
    {&IndicatorCounts::zero_employment_households, kZero},
    {&IndicatorCounts::relocated_households, kRelHh},
    {&IndicatorCounts::relocated_households_employed, kRelHhEmp}};

// The passes of CountColumns over one chunk, inlined into each of its clones. Each spell's
// bits, column-wise (vector instructions).
__attribute__((always_inline)) inline void SpellBits(const int32_t* __restrict st,
                                                     const int32_t* __restrict en,
                                                     const uint8_t* __restrict kind, size_t ns,
                                                     int32_t as_of, int32_t year_end,
                                                     int32_t seventh, uint16_t* __restrict out) {
  for (size_t j = 0; j < ns; ++j) {
    // All ones where true, as wide as the bits made.
    const uint16_t covers = -static_cast<uint16_t>((st[j] <= as_of) & (en[j] >= as_of));
    const uint16_t at_year_end = -static_cast<uint16_t>((st[j] <= year_end) & (en[j] >= year_end));
    const uint16_t early = -static_cast<uint16_t>(st[j] < seventh);
    const uint16_t place = kind[j] & 0xF, organised = kind[j] & kOrganisedKindFlag;
    out[j] = static_cast<uint16_t>((covers & (place | (organised << 4) | (early & kSpellLong))) |
                                   (at_year_end & (place << kYearEnd)));
  }
}

// The spells' bits ORed into their persons (`own`: each spell's person, less P0): a person's
// spells are adjacent, so the OR is carried along them and stored (the last store is the
// whole), with no read of what was stored.
__attribute__((always_inline)) inline void PersonBits(const uint32_t* __restrict own, uint32_t P0,
                                                      const uint16_t* __restrict sbits, size_t ns,
                                                      uint16_t* __restrict mask) {
  uint32_t prev = UINT32_MAX, run = 0;
  for (size_t j = 0; j < ns; ++j) {
    const uint32_t o = own[j] - P0;
    const uint32_t same = 0u - static_cast<uint32_t>(o == prev);  // all ones or none
    run = (run & same) | sbits[j];
    mask[o] = static_cast<uint16_t>(run);
    prev = o;
  }
}

// What each person counts for: one pass of element-wise arithmetic, which the compiler turns
// into vector instructions (no table, no branch).
__attribute__((always_inline)) inline void PersonMarks(
    const uint16_t* __restrict bits, const int32_t* __restrict pb, const uint8_t* __restrict pf,
    const uint32_t* __restrict psp, size_t np, int32_t born_by, int32_t born_after,
    int32_t ye_born_by, int32_t ye_born_after, uint16_t* __restrict out) {
  for (size_t i = 0; i < np; ++i) {
    const uint16_t m = bits[i];
    const uint16_t able = pf[i] & kAbleFlag, w = (pf[i] & kWantsFlag) >> 1;
    const uint16_t l = able & (pb[i] <= born_by) & (pb[i] > born_after);
    const uint16_t was = able & (pb[i] <= ye_born_by) & (pb[i] > ye_born_after);
    const uint16_t here = m & kHere;  // bit 0 township ... bit 3 away
    const uint16_t e = l & (here != 0);
    const uint16_t local = e & ((here & 0xC) == 0);
    const uint16_t county = e & ((here & 0xC) == 4);
    const uint16_t away = e & (here >> 3);
    const uint16_t transferred = e & ((here & 0xE) != 0);
    const uint16_t organised = e & ((m & kSpellOrganised) != 0);
    const uint16_t out_ye = was & ((m & kOutYearEnd) != 0);
    const uint16_t long_spell = (m & kSpellLong) != 0;
    const uint16_t several = psp[i + 1] - psp[i] > 1;
    const uint16_t rel = (pf[i] & kOfRelocatedFlag) != 0;
    out[i] = static_cast<uint16_t>(
        (l << kL) | (e << kE) | ((l & w) << kLW) | ((e & w) << kEW) | (local << kLocal) |
        (county << kCounty) | (away << kAway) | (transferred << kTransferred) |
        (organised << kOrganised) | (out_ye << kOutYE) | ((e & long_spell) << kStable) |
        ((e & !long_spell & several) << kSlowBit) | ((rel & l) << kRelL) | ((rel & e) << kRelE));
  }
}

// What each household counts for, kept at its last person: whether any of its persons is a
// laborer, and employed, carried along its persons (a household's persons are adjacent; bit 0:
// a laborer so far, bit 1: an employed one), then what that makes the household (the next
// person begins another household, or there is none in the chunk).
__attribute__((always_inline)) inline void HouseholdMarks(const uint8_t* __restrict pf,
                                                          const uint16_t* __restrict mk, size_t np,
                                                          uint8_t* __restrict hm) {
  uint32_t any = 0;
  for (size_t i = 0; i < np; ++i) {
    const uint32_t keep = 0u - static_cast<uint32_t>((pf[i] & kFirstFlag) == 0);
    any = (any & keep) | (mk[i] & 3);
    hm[i] = static_cast<uint8_t>(any);
  }
  auto household = [&](size_t i, uint8_t last) {
    const uint8_t lab = hm[i] & 1, emp = hm[i] >> 1;
    const uint8_t rel = (pf[i] & kOfRelocatedFlag) != 0;
    return static_cast<uint8_t>(
        (0 - last) & ((1 << kHousehold) | (lab << kWithLab) | ((lab & (emp ^ 1)) << kZero) |
                      ((rel & lab) << kRelHh) | ((rel & emp) << kRelHhEmp)));
  };
  for (size_t i = 0; i + 1 < np; ++i) hm[i] = household(i, (pf[i + 1] & kFirstFlag) != 0);
  if (np > 0) hm[np - 1] = household(np - 1, 1);
}

}  // namespace

__attribute__((target_clones("avx2", "default"))) void Register::CountColumns(
    const Columns& c, size_t lo, size_t hi, bool any_gone, int64_t unit, std::span<const Day> days,
    std::vector<std::vector<IndicatorCounts>>& out) {
  constexpr size_t kChunk = 2048;  // households: their columns stay in cache across the days
  constexpr uint8_t kGone = Columns::kGone;
  static_assert(Columns::kAble == kAbleFlag && Columns::kWants == kWantsFlag &&
                Columns::kFirst == kFirstFlag && Columns::kOfRelocated == kOfRelocatedFlag &&
                Columns::kOrganisedKind == kOrganisedKindFlag);
  static_assert(Columns::kOrganisedKind << 4 == kSpellOrganised);
  const int64_t* region = c.hh_region_.data();
  const uint8_t* hh_flags = c.hh_flags_.data();
  const uint32_t* hp = c.hh_persons_.data();
  const uint32_t* ps = c.p_spells_.data();
  std::vector<uint16_t> sbits, bits, marks;
  std::vector<uint8_t> hmarks;
  for (size_t h0 = lo; h0 < hi;) {
    const size_t h1 = std::min(hi, h0 + kChunk);
    const uint32_t P0 = hp[h0], P1 = hp[h1];
    const size_t np = P1 - P0;
    const uint32_t S0 = ps[P0], S1 = ps[P1];
    const size_t ns = S1 - S0;
    sbits.resize(ns);
    bits.resize(np);
    marks.resize(np);
    hmarks.resize(np);
    for (size_t d = 0; d < days.size(); ++d) {
      const Day& day = days[d];
      SpellBits(c.s_start_.data() + S0, c.s_end_.data() + S0, c.s_kind_.data() + S0, ns, day.as_of,
                day.year_end, day.month[7], sbits.data());
      std::fill(bits.begin(), bits.end(), 0);
      PersonBits(c.spell_owner_.data() + S0, P0, sbits.data(), ns, bits.data());
      PersonMarks(bits.data(), c.p_birth_.data() + P0, c.p_flags_.data() + P0, ps + P0, np,
                  day.born_by, day.born_after, day.year_end_born_by, day.year_end_born_after,
                  marks.data());
      HouseholdMarks(c.p_flags_.data() + P0, marks.data(), np, hmarks.data());
      std::vector<IndicatorCounts>& v = out[d];
      for (size_t h = h0; h < h1;) {
        if (hh_flags[h] & kGone) {
          ++h;
          continue;
        }
        // A run of live households of one block.
        const int64_t block = region[h] / unit * unit, block_hi = block + unit;
        size_t hb =
            static_cast<size_t>(std::lower_bound(region + h + 1, region + h1, block_hi) - region);
        if (any_gone) {  // the run ends at the first household gone
          hb = static_cast<size_t>(
              std::find_if(hh_flags + h + 1, hh_flags + hb, [](uint8_t f) { return f & kGone; }) -
              hh_flags);
        }
        const size_t a = hp[h] - P0, b = hp[hb] - P0;
        if (a == b) {  // households without live members are not counted
          h = hb;
          continue;
        }
        if (v.empty() || v.back().region != block) v.emplace_back().region = block;
        IndicatorCounts& t = v.back();
        // Each bit summed over the run's persons, a bit at a time (vector loops).
        int64_t n[kMarks], nh[kHouseholdMarks];
        SumBits<kMarks>(marks.data() + a, b - a, n);
        SumBits<kHouseholdMarks>(hmarks.data() + a, b - a, nh);
        int64_t stable = n[kStable];  // then the slow ones that are stable all the same
        // The employed who started lately with other spells: their months are counted. They
        // are few, so the marks are read four at a time until one is met.
        constexpr uint64_t kSlow4 = 0x0001000100010001ull * kSlow;
        for (size_t i = a; i < b;) {
          uint64_t four;
          if (i + 4 <= b && (std::memcpy(&four, &marks[i], sizeof four), (four & kSlow4) == 0)) {
            i += 4;
            continue;
          }
          if (marks[i] & kSlow) {
            const uint32_t p = static_cast<uint32_t>(P0 + i);
            stable += day.MonthsWorked(c, ps[p], ps[p + 1]) >= 6;
          }
          ++i;
        }
        // The year's income of the households with laborers (usually the one row there is).
        int64_t inc_hh = 0, inc_work = 0, inc_total = 0;
        const int income_year = day.income_year;
        for (uint32_t i = c.hh_incomes_[h]; i < c.hh_incomes_[hb]; ++i) {
          const Columns::IncomeRow& r = c.incomes_[i];
          const int64_t take = r.last != Columns::kNoPerson && r.year == income_year &&
                               (hmarks[r.last - P0] >> kWithLab & 1);
          inc_hh += take;
          inc_work += take * r.work;
          inc_total += take * r.total;
        }
        t.persons += static_cast<int64_t>(b - a);
        for (const auto& [tally, k] : kPersonTallies) t.*tally += n[k];
        for (const auto& [tally, k] : kHouseholdTallies) t.*tally += nh[k];
        t.stable += stable;
        t.income_households += inc_hh;
        t.income_work += inc_work;
        t.income_total += inc_total;
        h = hb;
      }
    }
    h0 = h1;
  }
}

namespace {

// Adds `from` (in code order) into `into` (in code order).
void MergeInto(std::vector<IndicatorCounts>& into, const std::vector<IndicatorCounts>& from) {
  if (from.empty()) return;
  if (!into.empty() && from.front().region > into.back().region) {
    into.insert(into.end(), from.begin(), from.end());
    return;
  }
  std::vector<IndicatorCounts> out;
  out.reserve(into.size() + from.size());
  auto a = into.cbegin();
  auto b = from.cbegin();
  while (a != into.cend() || b != from.cend()) {
    if (b == from.end() || (a != into.end() && a->region < b->region)) {
      out.push_back(*a++);
    } else if (a == into.end() || b->region < a->region) {
      out.push_back(*b++);
    } else {
      out.push_back(*a++);
      out.back() += *b++;
    }
  }
  into = std::move(out);
}

}  // namespace

std::vector<std::vector<IndicatorCounts>> Register::Count(domain::RegionRange range, int64_t unit,
                                                          std::span<const Date> dates,
                                                          int threads) const {
  std::vector<Day> days(dates.begin(), dates.end());
  std::vector<std::vector<IndicatorCounts>> out(days.size());
  const auto& regions = base_.hh_region_;
  size_t lo = static_cast<size_t>(std::lower_bound(regions.begin(), regions.end(), range.lo) -
                                  regions.begin());
  size_t hi = static_cast<size_t>(std::lower_bound(regions.begin(), regions.end(), range.hi) -
                                  regions.begin());
  // Threads only where there is enough to share: about 50,000 households a thread at least.
  size_t parts = std::clamp<size_t>((hi - lo) / 50000, 1, std::max(threads, 1));
  if (parts == 1) {
    CountColumns(base_, lo, hi, base_gone_ > 0, unit, days, out);
  } else {
    std::vector<std::vector<std::vector<IndicatorCounts>>> partial(
        parts, std::vector<std::vector<IndicatorCounts>>(days.size()));
    std::vector<std::thread> pool;
    for (size_t i = 0; i < parts; ++i) {
      size_t a = lo + (hi - lo) * i / parts, b = lo + (hi - lo) * (i + 1) / parts;
      pool.emplace_back(
          [&, a, b, i] { CountColumns(base_, a, b, base_gone_ > 0, unit, days, partial[i]); });
    }
    for (std::thread& t : pool) t.join();
    for (size_t i = 0; i < parts; ++i) {
      for (size_t d = 0; d < days.size(); ++d) MergeInto(out[d], partial[i][d]);
    }
  }
  if (!aside_.empty()) {
    std::vector<std::vector<IndicatorCounts>> extra(days.size());
    for (auto it = aside_.lower_bound(Key(range.lo, INT64_MIN));
         it != aside_.end() && it->first.first < range.hi; ++it) {
      CountColumns(it->second, 0, 1, false, unit, days, extra);
    }
    for (size_t d = 0; d < days.size(); ++d) MergeInto(out[d], extra[d]);
  }
  return out;
}

}  // namespace jobaid::analytics
