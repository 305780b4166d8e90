#include "service/indicator_service.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "service/audit_log.h"

namespace jobaid::service {

using analytics::Figure;
using analytics::FigureKind;
using auth::Actor;
using auth::Role;
using storage::Transaction;

namespace {

int Threads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

// Passes the facts of a scan on to `to` until `stop` is set, then ends the scan (Unavailable:
// a question waiting for the load is answered 503, the server is stopping).
class Stoppable final : public storage::FactSink {
 public:
  Stoppable(storage::FactSink& to, const std::atomic<bool>& stop) : to_(to), stop_(stop) {}
  absl::Status Household(const storage::HouseholdFact& h) override {
    return Go() ? to_.Household(h) : Stopped();
  }
  absl::Status Person(const storage::PersonFact& p) override {
    return Go() ? to_.Person(p) : Stopped();
  }
  absl::Status Spell(const storage::SpellFact& s) override {
    return Go() ? to_.Spell(s) : Stopped();
  }
  absl::Status Income(const storage::IncomeFact& i) override {
    return Go() ? to_.Income(i) : Stopped();
  }

 private:
  bool Go() const { return !stop_.load(std::memory_order_relaxed); }
  static absl::Status Stopped() {
    return absl::UnavailableError("the figures' register was not loaded: the server is stopping");
  }
  storage::FactSink& to_;
  const std::atomic<bool>& stop_;
};

}  // namespace

IndicatorService::IndicatorService(const Context& ctx) : ctx_(ctx) {
  ctx_.store.Subscribe([mu = pending_mu_, pending = pending_](const storage::Change& c) {
    absl::MutexLock lock(mu.get());
    switch (c.topic) {
      case storage::Topic::kSpells:
        pending->spells.push_back(c.spells);
        break;
      case storage::Topic::kRegister:
        if (c.range.Contains(domain::RegionRange::Nation())) {
          pending->everything = true;
        } else {
          pending->ranges.push_back(c.range);
        }
        break;
      case storage::Topic::kHousehold:
        pending->households.insert(c.id);
        break;
      case storage::Topic::kPerson:
        pending->persons.insert(c.id);
        break;
      default:
        break;
    }
  });
}

absl::Status IndicatorService::Warm() {
  absl::MutexLock lock(&mu_);
  return Refresh();
}

absl::Status IndicatorService::ReadAgain(Transaction& tx, int64_t household) {
  analytics::Register::Columns rows;
  storage::FactFilter f;
  f.household_id = household;
  JA_RETURN_IF_ERROR(rows.Scan([&](domain::FactSink& sink) { return tx.ScanFacts(f, sink); }));
  ++catch_up_.households_read;
  return register_.Replace(household, std::move(rows));
}

absl::Status IndicatorService::Refresh() {
  Pending todo;
  {
    absl::MutexLock lock(pending_mu_.get());
    std::swap(todo, *pending_);
    pending_->everything = false;
  }
  std::vector<domain::RegionRange> joined;  // the ranges read again
  absl::Status s;
  if (todo.everything || !todo.ranges.empty() || !todo.persons.empty() ||
      !todo.households.empty()) {
    s = ctx_.store.Read([&](Transaction& tx) -> absl::Status {
      if (todo.everything) {
        // The nation in one scan (streamed by the store, a query for each kind of fact).
        analytics::Register::Columns all;
        Stoppable sink(all, stopping_);
        all.BeginScan();
        absl::Status read =
            tx.ScanFacts(storage::FactFilter{domain::RegionRange::Nation(), 0}, sink);
        all.EndScan();
        JA_RETURN_IF_ERROR(read);
        register_.Reset(std::move(all));
        return absl::OkStatus();
      }
      // Ranges read again whole, each once (overlapping ones joined).
      std::sort(
          todo.ranges.begin(), todo.ranges.end(),
          [](const domain::RegionRange& a, const domain::RegionRange& b) { return a.lo < b.lo; });
      for (size_t i = 0; i < todo.ranges.size();) {
        domain::RegionRange r = todo.ranges[i++];
        while (i < todo.ranges.size() && todo.ranges[i].lo <= r.hi) {
          r.hi = std::max(r.hi, todo.ranges[i++].hi);
        }
        analytics::Register::Columns rows;
        storage::FactFilter f;
        f.range = r;
        JA_RETURN_IF_ERROR(
            rows.Scan([&](domain::FactSink& sink) { return tx.ScanFacts(f, sink); }));
        JA_RETURN_IF_ERROR(register_.ReplaceRange(r, std::move(rows)));
        joined.push_back(r);
      }
      // A person's change is their household's (a move is announced for both households).
      for (int64_t id : todo.persons) {
        auto p = tx.GetPerson(PersonId(id));
        if (absl::IsNotFound(p.status())) continue;
        JA_RETURN_IF_ERROR(p.status());
        todo.households.insert(p->household_id.value());
      }
      for (int64_t id : todo.households) JA_RETURN_IF_ERROR(ReadAgain(tx, id));
      return absl::OkStatus();
    });
  }
  // Spells named in full, in the order they were announced (the last naming of a person is
  // theirs now), set in memory without a transaction; unless their household was just read
  // again, which saw them all.
  absl::flat_hash_set<int64_t> unheld;  // households to read after all
  for (size_t i = 0; s.ok() && !todo.everything && i < todo.spells.size(); ++i) {
    const SpellsChange& c = todo.spells[i];
    if (todo.households.contains(c.household_id) ||
        std::any_of(joined.begin(), joined.end(),
                    [&](const domain::RegionRange& r) { return r.Contains(c.region_code); })) {
      continue;
    }
    s = register_.SetSpells(c.household_id, c.person_id, c.spells);
    if (s.ok()) {
      ++catch_up_.spells_set;
    } else if (absl::IsNotFound(s)) {
      // Not held as the change expects (a household new to the register, say): read it, after
      // the others, which the reading then overrides.
      unheld.insert(c.household_id);
      s = absl::OkStatus();
    }
  }
  if (s.ok() && !unheld.empty()) {
    s = ctx_.store.Read([&](Transaction& tx) -> absl::Status {
      for (int64_t id : unheld) JA_RETURN_IF_ERROR(ReadAgain(tx, id));
      return absl::OkStatus();
    });
  }
  if (!s.ok()) {
    absl::MutexLock lock(pending_mu_.get());
    pending_->everything = true;  // try again from scratch next time
  }
  return s;
}

absl::StatusOr<std::vector<std::vector<domain::IndicatorCounts>>> IndicatorService::Tallies(
    domain::RegionRange range, int64_t unit, const std::vector<Date>& days, int threads) {
  {
    absl::MutexLock lock(&mu_);
    JA_RETURN_IF_ERROR(Refresh());
  }
  absl::ReaderMutexLock lock(&mu_);
  return register_.Count(range, unit, days, threads > 0 ? threads : Threads());
}

absl::StatusOr<IndicatorService::Size> IndicatorService::RegisterSize() {
  absl::MutexLock lock(&mu_);
  JA_RETURN_IF_ERROR(Refresh());
  return Size{register_.households(), register_.persons(), register_.spells(),
              register_.MemoryBytes()};
}

absl::Status IndicatorService::RequireOfficer(const Actor& a, absl::string_view what) const {
  if (a.system || a.role == Role::kAdmin || a.role == Role::kOfficer) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("the role ", auth::RoleCode(a.role), " cannot ", what));
}

namespace {

struct Place {
  int64_t code = 0;
  std::string short_code;
  std::string name;
  domain::RegionRange range;
  std::vector<domain::Region> children;
  int64_t unit = 0;  // a child's range size
};

absl::StatusOr<Place> PlaceOf(const Actor& a, const std::string& region, const Context& ctx) {
  if (a.role == Role::kLaborer || a.role == Role::kEmployer) {
    return absl::PermissionDeniedError(
        absl::StrCat("the role ", auth::RoleCode(a.role), " cannot see the register's figures"));
  }
  Place p;
  JA_ASSIGN_OR_RETURN(p.range, NarrowScope(a, region, ctx));
  if (p.range.IsNation()) {
    p.name = "全国";
  } else {
    JA_ASSIGN_OR_RETURN(domain::Region r, ctx.regions.Find(p.range.lo));
    p.code = r.code;
    p.short_code = r.ShortCode();
    p.name = std::string(r.name);
  }
  p.children = ctx.regions.Children(p.code);
  if (!p.children.empty()) {
    p.unit = p.children.front().range().hi - p.children.front().range().lo;
  }
  return p;
}

// The tallies of each of `regions` (in code order) among `blocks` (in code order, one for each
// block with persons): a pointer into `blocks`, or to empty tallies.
std::vector<const domain::IndicatorCounts*> TalliesOf(
    const std::vector<domain::Region>& regions,
    const std::vector<domain::IndicatorCounts>& blocks) {
  static const domain::IndicatorCounts kNone;
  std::vector<const domain::IndicatorCounts*> out;
  out.reserve(regions.size());
  size_t at = regions.empty() ? 0
                              : std::lower_bound(blocks.begin(), blocks.end(), regions.front().code,
                                                 [](const domain::IndicatorCounts& b,
                                                    int64_t code) { return b.region < code; }) -
                                    blocks.begin();
  for (const domain::Region& r : regions) {
    while (at < blocks.size() && blocks[at].region < r.code) ++at;
    out.push_back(at < blocks.size() && blocks[at].region == r.code ? &blocks[at] : &kNone);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<IndicatorService::RegionFigures>> IndicatorService::FiguresOfRegions(
    domain::RegionRange range, const std::vector<domain::Region>& regions, int64_t unit, Date as_of,
    RegionFigures* total) {
  const std::vector<Date> days = {as_of, domain::YearsBefore(as_of, 1)};
  std::vector<domain::Target> targets;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(targets, tx.ListTargets(range, as_of.year()));
    return absl::OkStatus();
  }));
  absl::flat_hash_map<std::pair<int64_t, std::string>, double> target_of;
  for (const domain::Target& t : targets) target_of[{t.region_code, t.indicator}] = t.value;
  JA_ASSIGN_OR_RETURN(auto blocks, Tallies(range, unit, days));
  // r's figures from its tallies of the day and of a year before.
  auto fill = [&](RegionFigures& r, const domain::IndicatorCounts& day,
                  const domain::IndicatorCounts& year_before) {
    r.counts = day;
    r.counts.region = r.code;
    r.figures = analytics::FiguresOf(day);
    r.last_year = analytics::FiguresOf(year_before);
    r.targets.assign(r.figures.size(), std::nullopt);
    for (size_t i = 0; i < r.figures.size(); ++i) {
      auto t = target_of.find({r.code, std::string(r.figures[i].def->key)});
      if (t != target_of.end()) r.targets[i] = t->second;
    }
  };
  if (total != nullptr) {  // the whole range: every block added up
    domain::IndicatorCounts sum[2];
    for (size_t d = 0; d < days.size(); ++d) {
      for (const domain::IndicatorCounts& c : blocks[d]) sum[d] += c;
    }
    fill(*total, sum[0], sum[1]);
  }
  const std::vector<const domain::IndicatorCounts*> now = TalliesOf(regions, blocks[0]),
                                                    then = TalliesOf(regions, blocks[1]);
  std::vector<RegionFigures> out;
  out.reserve(regions.size());
  for (size_t i = 0; i < regions.size(); ++i) {
    RegionFigures& r = out.emplace_back();
    r.code = regions[i].code;
    r.short_code = regions[i].ShortCode();
    r.name = std::string(regions[i].name);
    fill(r, *now[i], *then[i]);
  }
  return out;
}

std::vector<IndicatorService::Ranked> IndicatorService::Rank(const Figures& f,
                                                             const analytics::IndicatorDef* def) {
  std::vector<Ranked> rows;
  for (const RegionFigures& r : f.subregions) {
    for (const Figure& x : r.figures) {
      if (x.def == def) rows.push_back({&r, &x});
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Ranked& a, const Ranked& b) {
    std::optional<double> x = a.figure->value(), y = b.figure->value();
    if (!x || !y) return x.has_value() && !y.has_value();
    return *x > *y;
  });
  return rows;
}

absl::StatusOr<IndicatorService::Figures> IndicatorService::Of(const Actor& a,
                                                               const std::string& region,
                                                               Date as_of) {
  JA_ASSIGN_OR_RETURN(Place place, PlaceOf(a, region, ctx_));
  Figures out;
  out.as_of = as_of;
  out.last_year = domain::YearsBefore(as_of, 1);
  out.total.code = place.code;
  out.total.short_code = place.short_code;
  out.total.name = place.name;
  // One pass by children (the total is their sum), or by the region itself when it has none.
  int64_t unit = place.children.empty() ? place.range.hi - place.range.lo : place.unit;
  JA_ASSIGN_OR_RETURN(out.subregions,
                      FiguresOfRegions(place.range, place.children, unit, as_of, &out.total));
  return out;
}

absl::StatusOr<std::vector<IndicatorService::RegionFigures>> IndicatorService::OfLevel(
    const Actor& a, const std::string& region, domain::RegionLevel level, Date as_of) {
  JA_ASSIGN_OR_RETURN(Place place, PlaceOf(a, region, ctx_));
  std::vector<domain::Region> regions;
  auto [first, last] = ctx_.regions.Slice(place.range);
  for (size_t i = first; i < last; ++i) {
    domain::Region r = ctx_.regions.at(i);
    if (r.level == level && (regions.empty() || regions.back().code != r.code))
      regions.push_back(r);
  }
  if (regions.empty()) return std::vector<RegionFigures>();
  int64_t unit = regions.front().range().hi - regions.front().range().lo;
  return FiguresOfRegions(place.range, regions, unit, as_of);
}

absl::StatusOr<std::vector<IndicatorService::Point>> IndicatorService::Series(
    const Actor& a, const std::string& region, const std::string& indicator, Date as_of,
    int months) {
  JA_ASSIGN_OR_RETURN(Place place, PlaceOf(a, region, ctx_));
  JA_ASSIGN_OR_RETURN(const analytics::IndicatorDef* def, analytics::RequireIndicator(indicator));
  if (months < 1 || months > 36) return FieldError("months", "give 1 to 36 months");
  // Month ends, oldest first.
  std::vector<Date> days;
  int y = as_of.year(), m = as_of.month();
  for (int i = 0; i < months; ++i) {
    days.push_back(i == 0 ? as_of : Date::FromCivil(y, m, DaysInMonth(y, m)));
    if (--m == 0) m = 12, --y;
  }
  std::reverse(days.begin(), days.end());
  JA_ASSIGN_OR_RETURN(auto counts, Tallies(place.range, place.range.hi - place.range.lo, days));
  std::vector<Point> out;
  static const domain::IndicatorCounts kNone;
  for (int i = 0; i < months; ++i) {
    const auto& now = counts[static_cast<size_t>(i)];
    std::vector<Figure> f = analytics::FiguresOf(now.empty() ? kNone : now[0]);
    for (const Figure& x : f) {
      if (x.def == def) out.push_back({days[static_cast<size_t>(i)], x});
    }
  }
  return out;
}

absl::StatusOr<std::vector<domain::Target>> IndicatorService::Targets(const Actor& a,
                                                                      const std::string& region,
                                                                      int year) {
  JA_ASSIGN_OR_RETURN(Place place, PlaceOf(a, region, ctx_));
  std::vector<domain::Target> out;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(out, tx.ListTargets(place.range, year));
    return absl::OkStatus();
  }));
  return out;
}

namespace {

absl::Status CheckYear(int year, const Clock& clock) {
  int now = clock.Today().year();
  if (year < 2000 || year > now + 5) {
    return FieldError("year", absl::StrCat("give a year from 2000 to ", now + 5, ", not ", year));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<domain::Target> IndicatorService::PutTarget(const Actor& a,
                                                           const std::string& indicator,
                                                           const std::string& region, int year,
                                                           const domain::Fields& f) {
  JA_RETURN_IF_ERROR(RequireOfficer(a, "set targets"));
  JA_RETURN_IF_ERROR(RejectUnknownFields(f, {"value", "version"}));
  JA_ASSIGN_OR_RETURN(const analytics::IndicatorDef* def, analytics::RequireIndicator(indicator));
  JA_RETURN_IF_ERROR(CheckYear(year, ctx_.clock));
  JA_ASSIGN_OR_RETURN(Place place, PlaceOf(a, region, ctx_));
  domain::Target t;
  t.indicator = std::string(def->key);
  t.region_code = place.code;
  t.year = year;
  auto value = f.find("value");
  double v = 0;
  if (value == f.end() || !absl::SimpleAtod(value->second, &v) || !std::isfinite(v) || v < 0) {
    return FieldError(
        "value",
        absl::StrCat(
            "give the target as a number ",
            def->kind == FigureKind::kRate ? "of percent (80 for 80 %)" : "of people or households",
            value == f.end() ? "" : absl::StrCat(", not \"", value->second, "\"")));
  }
  if (def->kind == FigureKind::kRate) {
    if (v > 1000) return FieldError("value", "a rate's target is in percent, at most 1000");
    v /= 100;
  } else if (v != std::floor(v)) {
    return FieldError("value",
                      absl::StrCat("a count's target is a whole number, not ", value->second));
  }
  t.value = v;
  if (auto ver = f.find("version"); ver != f.end() && !ver->second.empty()) {
    if (!absl::SimpleAtoi(ver->second, &t.version) || t.version < 0) {
      return FieldError("version", "give the version you read (0 for a new target)");
    }
  }
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    JA_RETURN_IF_ERROR(tx.PutTarget(t));
    return tx.InsertAudit(Audit(a, "update", "target", t.region_code,
                                absl::StrCat(t.indicator, " ", t.year, " = ", t.value)));
  }));
  return t;
}

namespace {

// `whole` shared out by `weight` (equal shares when every weight is 0): for a count, whole
// numbers that add up to the whole exactly (largest remainders); for a rate, the same rate.
std::vector<double> Shares(double whole, const std::vector<double>& weight, bool count) {
  std::vector<double> parts(weight.size(), whole);
  if (!count) return parts;
  double total = 0;
  for (double w : weight) total += w;
  const int64_t target = std::llround(whole);
  int64_t given = 0;
  std::vector<std::pair<double, size_t>> rest;
  for (size_t i = 0; i < parts.size(); ++i) {
    double share =
        total > 0 ? whole * weight[i] / total : whole / static_cast<double>(parts.size());
    parts[i] = std::floor(share);
    given += static_cast<int64_t>(parts[i]);
    rest.emplace_back(share - parts[i], i);
  }
  std::sort(rest.begin(), rest.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  for (size_t k = 0; given < target && k < rest.size(); ++k, ++given) parts[rest[k].second] += 1;
  return parts;
}

}  // namespace

absl::StatusOr<std::vector<domain::Target>> IndicatorService::SplitTarget(
    const Actor& a, const std::string& indicator, const std::string& region, int year,
    std::optional<domain::RegionLevel> down_to) {
  JA_RETURN_IF_ERROR(RequireOfficer(a, "split targets"));
  JA_ASSIGN_OR_RETURN(const analytics::IndicatorDef* def, analytics::RequireIndicator(indicator));
  JA_RETURN_IF_ERROR(CheckYear(year, ctx_.clock));
  JA_ASSIGN_OR_RETURN(Place root, PlaceOf(a, region, ctx_));
  if (root.children.empty()) {
    return FieldError("region", absl::StrCat(root.name, " has no sub-regions to split among"));
  }
  const domain::RegionLevel first_level = root.children.front().level;
  if (down_to && *down_to < first_level) {
    return FieldError("down_to", absl::StrCat("the sub-regions of ", root.name, " are ",
                                              domain::RegionLevelName(first_level),
                                              "-level; split down to that level or below"));
  }
  const domain::RegionLevel last_level = down_to.value_or(first_level);
  // The regions to split, top down (each one's children, a level below, come after it), with
  // each child's weight: its denominator of the indicator today (laborers for the employment
  // scale).
  struct Node {
    Place place;
    std::vector<double> weight;
  };
  std::vector<Node> nodes;
  nodes.push_back({std::move(root), {}});
  const std::vector<Date> days = {ctx_.clock.Today()};
  // Today's tallies of every region of a level under the root, read once per level (by its
  // regions' range size).
  absl::flat_hash_map<int64_t, std::vector<domain::IndicatorCounts>> level_tallies;
  const domain::RegionRange whole = nodes.front().place.range;
  for (size_t n = 0; n < nodes.size(); ++n) {
    std::vector<Place> below;  // added once done with nodes[n]
    {
      Node& node = nodes[n];
      auto tallies = level_tallies.find(node.place.unit);
      if (tallies == level_tallies.end()) {
        JA_ASSIGN_OR_RETURN(auto blocks, Tallies(whole, node.place.unit, days));
        tallies = level_tallies.emplace(node.place.unit, std::move(blocks[0])).first;
      }
      for (const domain::IndicatorCounts* now : TalliesOf(node.place.children, tallies->second)) {
        for (const Figure& f : analytics::FiguresOf(*now)) {
          if (f.def == def) node.weight.push_back(static_cast<double>(f.denominator));
        }
      }
      for (const domain::Region& child : node.place.children) {
        if (child.level >= last_level) continue;
        JA_ASSIGN_OR_RETURN(Place place, PlaceOf(a, child.ShortCode(), ctx_));
        if (!place.children.empty()) below.push_back(std::move(place));
      }
    }
    for (Place& place : below) nodes.push_back({std::move(place), {}});
  }
  std::vector<domain::Target> out;
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    out.clear();
    const Place& top = nodes.front().place;
    JA_ASSIGN_OR_RETURN(std::vector<domain::Target> stored, tx.ListTargets(top.range, year));
    absl::flat_hash_map<int64_t, int64_t> version;  // of the targets already set
    absl::flat_hash_map<int64_t, double> value;     // the whole of each region to split
    for (const domain::Target& t : stored) {
      if (t.indicator != def->key) continue;
      version[t.region_code] = t.version;
      if (t.region_code == top.code) value[top.code] = t.value;
    }
    if (!value.contains(top.code)) {
      return FieldError("indicator", absl::StrCat(top.name, " has no target of ", def->key, " for ",
                                                  year, " to split"));
    }
    for (const Node& node : nodes) {
      std::vector<double> parts =
          Shares(value.at(node.place.code), node.weight, def->kind == FigureKind::kCount);
      for (size_t i = 0; i < parts.size(); ++i) {
        domain::Target t;
        t.indicator = std::string(def->key);
        t.region_code = node.place.children[i].code;
        t.year = year;
        t.value = parts[i];
        if (auto v = version.find(t.region_code); v != version.end()) t.version = v->second;
        JA_RETURN_IF_ERROR(tx.PutTarget(t));
        value[t.region_code] = t.value;
        out.push_back(t);
      }
    }
    return tx.InsertAudit(Audit(
        a, "split", "target", top.code,
        absl::StrCat(def->key, " ", year, " down to the ", domain::RegionLevelName(last_level),
                     " level: ", out.size(), " sub-regions")));
  }));
  std::sort(out.begin(), out.end(), [](const domain::Target& x, const domain::Target& y) {
    return x.region_code < y.region_code;
  });
  return out;
}

}  // namespace jobaid::service
