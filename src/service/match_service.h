// Recommendations: the jobs that fit a laborer and the laborers that fit a job, each with its
// score, the parts of the score and the reasons in words. Keeps a matching::Engine of every
// open job and every laborer who wishes to work, loaded from the store on first use (and again
// each new day, as ages change) and kept current from the store's change feed: the records a
// change names are read again before the next question. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "auth/actor.h"
#include "matching/assign.h"
#include "matching/engine.h"
#include "service/audit_log.h"
#include "service/context.h"
#include "service/register_service.h"

namespace jobaid::service {

class MatchService {
 public:
  // Scores with `weights`: the server's, which are the built-in ones unless it was given others.
  MatchService(const Context& ctx, RegisterService& reg, AuditLog& audit,
               const matching::Weights& weights);

  // The weights every score is made with.
  const matching::Weights& weights() const { return weights_; }

  struct RankedJob {
    domain::Job job;
    matching::Match match;
  };
  struct RankedPerson {
    domain::Person person;
    matching::Match match;
  };
  // The best `limit` (1-100) open jobs for the person, who must be in the actor's scope.
  absl::StatusOr<std::vector<RankedJob>> JobsFor(const auth::Actor& a, PersonId id, int limit);
  // A bulk assignment of the laborers of `region` (within the actor's scope) to open jobs:
  // priority households first, then the greatest total score, within openings. Laborers with
  // an application in progress are left out. A proposal for an officer to review; nothing is
  // written.
  struct Proposal {
    std::vector<RankedPerson> people;  // people[i] takes jobs[i]
    std::vector<domain::Job> jobs;
    matching::Proposal summary;
    int laborers = 0;   // weighed
    int following = 0;  // left out: an application of theirs is in progress
  };
  absl::StatusOr<Proposal> Propose(const auth::Actor& a, const std::string& region);
  // The best `limit` laborers in the actor's scope (narrowed to `region`) for the job.
  absl::StatusOr<std::vector<RankedPerson>> PeopleFor(const auth::Actor& a, JobId id,
                                                      const std::string& region, int limit);

  // The seeker `p` is, or nullopt if they are not a laborer looking for work: aged 16-64, able,
  // wishing to work, in a live household and not employed today.
  absl::StatusOr<std::optional<matching::Seeker>> SeekerFor(storage::Transaction& tx,
                                                            const domain::Person& p);
  // How `p` and `j` fit, from the records as they stand in `tx`: FailedPrecondition naming
  // `field` when `p` is not looking for work or a hard constraint keeps them apart.
  absl::StatusOr<matching::Match> Fit(storage::Transaction& tx, const domain::Person& p,
                                      const domain::Job& j, absl::string_view field);

 private:
  struct Pending {
    bool everything = true;  // load from scratch
    absl::flat_hash_set<int64_t> jobs, persons, households;
  };
  // Applies what changed since the last question. Requires mu_.
  absl::Status Refresh() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status LoadAll(storage::Transaction& tx) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status LoadPerson(storage::Transaction& tx, const domain::Person& p)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DropPerson(int64_t id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status LoadJob(storage::Transaction& tx, JobId id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Context& ctx_;
  RegisterService& reg_;
  AuditLog& audit_;
  std::shared_ptr<absl::Mutex> pending_mu_ = std::make_shared<absl::Mutex>();
  std::shared_ptr<Pending> pending_ = std::make_shared<Pending>();  // guarded by *pending_mu_
  absl::Mutex mu_;
  const matching::Weights weights_;
  matching::Engine engine_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<int64_t, domain::Job> jobs_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<int64_t, domain::Person> persons_ ABSL_GUARDED_BY(mu_);
  // household -> its members in the engine, to drop them when the household changes.
  absl::flat_hash_map<int64_t, absl::flat_hash_set<int64_t>> members_ ABSL_GUARDED_BY(mu_);
  Date loaded_on_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jobaid::service
