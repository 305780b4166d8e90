// The figures every level is judged on (docs/INDICATORS.md): the indicators of a region and of each
// of its sub-regions on any day, with last year's figures and the year's targets; monthly
// series; targets set by officers and split from a region down to its sub-regions.
//
// Figures come from an analytics::Register of the whole store, loaded once (Warm, or the first
// question) and kept current from the store's change feed before the next question, so a new
// spell shows at once: a change to a person's spells names them all and is made in memory; the
// households other changes name are read again. Thread-safe.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "analytics/indicators.h"
#include "analytics/register.h"
#include "auth/actor.h"
#include "domain/entities.h"
#include "domain/fields.h"
#include "service/context.h"
#include "service/spells_change.h"

namespace jobaid::service {

class IndicatorService {
 public:
  explicit IndicatorService(const Context& ctx);

  // Loads the register if it is not loaded yet (a server calls it once it starts).
  absl::Status Warm();
  // Ends a load of the whole register under way at its next fact, and any later one, both
  // failing Unavailable (an empty store's still loads, as do reads of a household or range
  // again), so that a server stopping does not wait for a nation's register to load; the
  // register is left as it was.
  void Stop() { stopping_.store(true, std::memory_order_relaxed); }
  // How changes reached the register since it was made: households read again from the store,
  // and persons' spells set from their announcement alone.
  struct CatchUp {
    int64_t households_read = 0, spells_set = 0;
  };
  CatchUp caught_up() {
    absl::MutexLock lock(&mu_);
    return catch_up_;
  }

  struct RegionFigures {
    int64_t code = 0;        // 0 for the nation
    std::string short_code;  // "431023"; "" for the nation
    std::string name;
    domain::IndicatorCounts counts;
    std::vector<analytics::Figure> figures;      // in the order of analytics::Indicators()
    std::vector<analytics::Figure> last_year;    // a year before
    std::vector<std::optional<double>> targets;  // of the day's year
  };
  struct Figures {
    Date as_of, last_year;
    RegionFigures total;
    std::vector<RegionFigures> subregions;  // every child region, in code order
  };
  // The figures of `region` (within the actor's scope; "" = the scope) and of its children on
  // `as_of`.
  absl::StatusOr<Figures> Of(const auth::Actor& a, const std::string& region, Date as_of);

  struct Ranked {
    const RegionFigures* region;
    const analytics::Figure* figure;
  };
  // The sub-regions of `f` by indicator `def`, highest first; those without a value (a zero
  // denominator) last, in code order.
  static std::vector<Ranked> Rank(const Figures& f, const analytics::IndicatorDef* def);

  // Every region of `level` below `region` (within the actor's scope), in code order.
  absl::StatusOr<std::vector<RegionFigures>> OfLevel(const auth::Actor& a,
                                                     const std::string& region,
                                                     domain::RegionLevel level, Date as_of);

  struct Point {
    Date day;
    analytics::Figure figure;
  };
  // `indicator` of `region` at the end of each of the `months` (1-36) months up to `as_of`'s
  // month, the last on `as_of` itself.
  absl::StatusOr<std::vector<Point>> Series(const auth::Actor& a, const std::string& region,
                                            const std::string& indicator, Date as_of, int months);

  // The targets of `year` for `region` and its sub-regions (all levels).
  absl::StatusOr<std::vector<domain::Target>> Targets(const auth::Actor& a,
                                                      const std::string& region, int year);
  // Sets the target of `indicator` for `region` and `year` from the fields value (a count, or
  // a rate in percent) and version (0 or absent for a new target).
  absl::StatusOr<domain::Target> PutTarget(const auth::Actor& a, const std::string& indicator,
                                           const std::string& region, int year,
                                           const domain::Fields& f);
  // Splits the target of `indicator` for `region` and `year` among the region's children and
  // writes theirs (one transaction): a count in proportion to each child's denominator today
  // (laborers for the employment scale), rounded so that the parts add up to the whole; a
  // rate as the same rate. With `down_to` (the children's level or one below), each child's
  // part is split again among its own children, level by level down to that level, in the same
  // transaction, so that every region's parts add up to its target (a province's down to its
  // counties, say). Returns the targets written, in code order.
  absl::StatusOr<std::vector<domain::Target>> SplitTarget(
      const auth::Actor& a, const std::string& indicator, const std::string& region, int year,
      std::optional<domain::RegionLevel> down_to = std::nullopt);

  // The tallies of `range` by blocks of `unit` codes on each of `days` (out[i] for days[i]),
  // current; on up to `threads` threads (0: one per core). For reports and benchmarks: no
  // scope check.
  absl::StatusOr<std::vector<std::vector<domain::IndicatorCounts>>> Tallies(
      domain::RegionRange range, int64_t unit, const std::vector<Date>& days, int threads = 0);

  // Size of the register now (loads it first).
  struct Size {
    size_t households = 0, persons = 0, spells = 0, bytes = 0;
  };
  absl::StatusOr<Size> RegisterSize();

 private:
  struct Pending {
    bool everything = true;
    std::vector<domain::RegionRange> ranges;  // read again whole (after an import)
    absl::flat_hash_set<int64_t> households, persons;
    std::vector<SpellsChange> spells;  // in the order announced
  };
  // Applies what changed since the last question. Requires mu_ (exclusively).
  absl::Status Refresh() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Reads household `household` again from `tx` into the register (gone if it is gone).
  absl::Status ReadAgain(storage::Transaction& tx, int64_t household)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status RequireOfficer(const auth::Actor& a, absl::string_view what) const;
  // The figures of `regions` (in code order, each one block of `unit` codes in `range`) on
  // `as_of` and a year before, with the year's targets; and in `total`, if given (its code
  // set), those of the whole range, the sum of every block.
  absl::StatusOr<std::vector<RegionFigures>> FiguresOfRegions(
      domain::RegionRange range, const std::vector<domain::Region>& regions, int64_t unit,
      Date as_of, RegionFigures* total = nullptr);

  const Context& ctx_;
  std::shared_ptr<absl::Mutex> pending_mu_ = std::make_shared<absl::Mutex>();
  std::shared_ptr<Pending> pending_ = std::make_shared<Pending>();  // guarded by *pending_mu_
  std::atomic<bool> stopping_{false};                               // see Stop()
  absl::Mutex mu_;
  analytics::Register register_ ABSL_GUARDED_BY(mu_);
  CatchUp catch_up_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobaid::service
