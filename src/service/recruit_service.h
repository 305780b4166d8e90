// The recruitment flow (docs/DATA_MODEL.md, `application`): a person recommended for a job (one by
// one, or the confirmed pairs of a bulk assignment), applying, interviewed, offered and hired,
// or rejected / withdrawn with a reason. Every change is one transaction that also records the
// event (who, when, from, to, why) and an audit entry. A hire creates the spell of employment
// and takes one opening of the job (the job is "filled" when none are left).
//
// Who sees and moves what: staff (admin, officer, helper) the applications of people in their
// region scope; an employer those for its own jobs; a laborer only their own.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "auth/actor.h"
#include "domain/entities.h"
#include "service/audit_log.h"
#include "service/context.h"
#include "service/match_service.h"
#include "storage/store.h"

namespace jobaid::service {

// An application with what a list or board shows beside it.
struct ApplicationView {
  domain::Application application;
  std::string person_name;
  std::string gender;
  int age = 0;
  std::string education;
  std::vector<std::string> skills;
  std::string job_title;
  int64_t job_region_code = 0;
  std::string employer_name;
  std::vector<std::string> moves;  // the states the reading user may move it to
  // On a single read: the events, oldest first, and the spell a hire created.
  std::vector<domain::ApplicationEvent> events;
  std::optional<domain::Employment> spell;
};

struct ApplicationFilter {
  std::string region;  // staff: narrows the scope (the person's village)
  int64_t job_id = 0;
  int64_t person_id = 0;
  std::string state;
  storage::PageRequest page;
};

// Terms of a hire; unset values default to the job's.
struct HireTerms {
  Date start_date;              // invalid = today
  int64_t monthly_income = -1;  // fen; -1 = the job's lowest wage
  std::string kind;             // EmploymentKinds(); "" = from the job and the workplace
  bool part_time = false;
  // End the person's current spell the day before the new one starts, instead of refusing.
  bool end_current_spell = false;
};

class RecruitService {
 public:
  RecruitService(const Context& ctx, MatchService& match, AuditLog& audit);

  struct PersonJob {
    PersonId person;
    JobId job;
  };
  struct RecommendResult {
    std::vector<ApplicationView> created;
    int already = 0;  // pairs that had an application already (left as they were)
  };
  // Confirms pairs (a reviewed bulk assignment, or one recommendation) as applications in the
  // state "recommended", all in one transaction. Each pair is checked again against the hard
  // constraints and scored; a pair that does not fit fails the whole call, naming pairs[i].
  // More pairs for a job than it has openings left is an error too. Staff only.
  absl::StatusOr<RecommendResult> Recommend(const auth::Actor& a,
                                            const std::vector<PersonJob>& pairs);
  // A laborer applying to an open job (their own account; `person` is ignored), or staff
  // recording that a person in scope applied. A recommendation becomes an application.
  absl::StatusOr<ApplicationView> Apply(const auth::Actor& a, PersonId person, JobId job);

  struct Move {
    std::string to;      // ApplicationStates()
    std::string reason;  // required for rejected and withdrawn
    int64_t version = 0;
    HireTerms hire;  // for "hired"
  };
  // Moves an application to its next state; Aborted if `version` is not the stored one.
  absl::StatusOr<ApplicationView> Transition(const auth::Actor& a, ApplicationId id, const Move& m);
  absl::StatusOr<ApplicationView> Get(const auth::Actor& a, ApplicationId id);
  absl::StatusOr<storage::Page<ApplicationView>> List(const auth::Actor& a,
                                                      const ApplicationFilter& f);

 private:
  // NotFound unless `a` may see `app`.
  absl::Status CheckVisible(const auth::Actor& a, const domain::Application& app) const;
  // What a view shows of a job, kept per call so that a list reads each job once.
  struct JobName {
    std::string title;
    int64_t region_code = 0;
    std::string employer;
  };
  using JobNames = absl::flat_hash_map<int64_t, JobName>;
  absl::StatusOr<ApplicationView> ViewOf(const auth::Actor& a, storage::Transaction& tx,
                                         domain::Application app, JobNames* names = nullptr);

  const Context& ctx_;
  MatchService& match_;
  AuditLog& audit_;
};

// The states an application in `from` may move to (none for hired, rejected, withdrawn).
const std::vector<std::string>& NextStates(absl::string_view from);

}  // namespace jobaid::service
