// Realistic synthetic data, deterministic from a seed: the demo county for `jobaid demo` and
// `make run`, and the generators benchmarks use.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/dates.h"
#include "domain/region.h"
#include "service/context.h"

namespace jobaid::service {

// Makes valid identifiers and plausible Chinese names.
class Synthetic {
 public:
  explicit Synthetic(uint64_t seed) : rng_(seed) {}
  std::mt19937_64& rng() { return rng_; }
  int Uniform(int lo, int hi);  // inclusive
  bool Chance(double p);
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Uniform(0, static_cast<int>(v.size()) - 1))];
  }
  std::string Name(bool male);
  // A valid 18-character ID number: county, birth date, sequence with the gender's parity.
  std::string IdNumber(int county6, Date birth, bool male);
  std::string Mobile();
  // A valid unified social credit code of an enterprise registered in `county6`.
  std::string CreditCode(int county6);

 private:
  std::mt19937_64 rng_;
  int seq_ = 0;
};

struct DemoSummary {
  int households = 0;
  int persons = 0;
  int spells = 0;  // of employment
  int employers = 0;
  int jobs = 0;
  std::vector<std::pair<std::string, std::string>> users;  // (user name, role and scope)
};

inline constexpr char kDemoPassword[] = "jobaid-demo";
inline constexpr int kDemoCounty = 431023;  // 永兴县, 郴州市, 湖南省

// Fills an empty store with Yongxing County: about 5,000 households and 12,000 people in its
// 281 villages, employers and jobs there and in Guangdong, and one account per role (all
// with the password kDemoPassword). FailedPrecondition if the store already has households.
absl::StatusOr<DemoSummary> CreateDemo(const Context& ctx, uint64_t seed = 20261125);

// A generated register for benchmarks and trials at scale (`jobaid gen`): households in the
// villages of the home provinces, employers and open jobs in the job provinces (the first home
// province's share as large as each other's, the rest in the paired provinces), written in one
// transaction. FailedPrecondition if the store already has households.
struct GenOptions {
  int households = 10000;
  // When above 0, households are drawn until they hold this many laborers (aged 16-64 and
  // able to work today), instead of `households`; each laborer who wants work has also had
  // earlier seasonal spells: 1.24 spells a laborer (40.9M for 33M laborers, the 41M of a
  // national register that bench/stats is asked to count).
  int64_t laborers = 0;
  int jobs = 100000;
  std::vector<int> home_provinces = {43};     // 2-digit codes: 湖南
  std::vector<int> job_provinces = {43, 44};  // 湖南, 广东
  uint64_t seed = 1;
};
struct GenSummary {
  int households = 0, persons = 0, spells = 0, employers = 0, jobs = 0;
  int64_t laborers = 0;
};
// The provinces of a national register (gen --laborers without --home-provinces): the central
// and western provinces whose counties were poverty counties; and the eastern provinces their
// migrants work in.
const std::vector<int>& NationalHomeProvinces();
const std::vector<int>& EasternJobProvinces();
absl::StatusOr<GenSummary> GenerateRegister(const Context& ctx, const GenOptions& options);

}  // namespace jobaid::service
