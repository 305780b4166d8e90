// The real-name register: households, persons, employers and jobs. Create, read, update, soft
// delete with a reason, restore, and list with filters, all under the acting user's region
// scope: a record outside the scope is not found on reads and forbidden on writes.
// Every write is one transaction and is audited in it.
// Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "auth/actor.h"
#include "domain/entities.h"
#include "domain/fields.h"
#include "service/audit_log.h"
#include "service/context.h"
#include "service/record_cache.h"
#include "storage/store.h"

namespace jobaid::service {

struct HouseholdDetail {
  domain::Household household;
  std::vector<domain::Person> members;
  int laborers = 0;  // derived: members who are laborers today
};

// Filters shared by the list calls; each list uses those that apply to it.
struct ListFilter {
  std::string region;  // code of 2-12 digits; "" = the actor's whole scope
  std::string poverty_type;
  std::string status;
  std::string intention;
  std::string employment;  // employed / unemployed
  std::string kind;
  std::string q;  // name or title search
  std::string id_number;
  // A quarter, "2026Q4" ("" = no filter; "current" = today's): persons whose record was not
  // confirmed since the quarter began (the verification round; days are UTC days).
  std::string unverified;
  int64_t household_id = 0;
  int64_t employer_id = 0;
  bool deleted = false;
  storage::PageRequest page;
};

template <typename T>
struct WriteResult {
  T record;
  std::vector<std::string> warnings;
};

class RegisterService {
 public:
  // Subscribes to the store's change feed to keep its record cache current.
  RegisterService(const Context& ctx, AuditLog& audit);

  // Creates the household and `members` (person fields without household_id) in one
  // transaction: all or nothing. A member's problem names its field as members[i].field.
  absl::StatusOr<WriteResult<domain::Household>> CreateHousehold(
      const auth::Actor& a, const domain::Fields& f,
      const std::vector<domain::Fields>& members = {});
  absl::StatusOr<HouseholdDetail> GetHousehold(const auth::Actor& a, HouseholdId id);
  // `patch` holds the changed fields and "version", the version the change was based on.
  absl::StatusOr<WriteResult<domain::Household>> UpdateHousehold(const auth::Actor& a,
                                                                 HouseholdId id,
                                                                 const domain::Fields& patch);
  // Also deletes the household's live members, with the same reason.
  absl::StatusOr<domain::Household> DeleteHousehold(const auth::Actor& a, HouseholdId id,
                                                    int64_t version, const std::string& reason);
  absl::StatusOr<domain::Household> RestoreHousehold(const auth::Actor& a, HouseholdId id,
                                                     int64_t version);
  absl::StatusOr<storage::Page<domain::Household>> ListHouseholds(const auth::Actor& a,
                                                                  const ListFilter& f);

  // `f` must hold household_id.
  absl::StatusOr<WriteResult<domain::Person>> CreatePerson(const auth::Actor& a,
                                                           const domain::Fields& f);
  absl::StatusOr<domain::Person> GetPerson(const auth::Actor& a, PersonId id);
  // Who read or changed person `id`, and when, newest first (at most 500): the right to know
  // under PIPL, for whoever may see the person (the laborer themself included). NotFound as
  // GetPerson. Reads still queued for the audit table are written first.
  // A record's full ID number and phone number (an employer's contact phone), which reads show
  // masked: for admins, officers and helpers inside their scope, with a reason of 4-500 bytes
  // that the audit keeps beside the entry "reveal". `entity`: person, household or employer.
  // NotFound as a read; PermissionDenied for employers and laborers.
  struct Revealed {
    std::string id_number, phone;
  };
  absl::StatusOr<Revealed> Reveal(const auth::Actor& a, absl::string_view entity, int64_t id,
                                  absl::string_view reason);
  struct AccessEntry {
    int64_t at = 0;
    std::string username, display_name, role;  // "" for the system
    std::string action, detail;
  };
  absl::StatusOr<std::vector<AccessEntry>> PersonAccessLog(const auth::Actor& a, PersonId id);
  absl::StatusOr<WriteResult<domain::Person>> UpdatePerson(const auth::Actor& a, PersonId id,
                                                           const domain::Fields& patch);
  absl::StatusOr<domain::Person> DeletePerson(const auth::Actor& a, PersonId id, int64_t version,
                                              const std::string& reason);
  absl::StatusOr<domain::Person> RestorePerson(const auth::Actor& a, PersonId id, int64_t version);
  absl::StatusOr<storage::Page<domain::Person>> ListPersons(const auth::Actor& a,
                                                            const ListFilter& f);

  // The verification round: stamps each person's record as confirmed still true, now, by `a`
  // (all in one transaction; a person outside the scope or deleted fails the call, naming
  // person_ids[i]). Returns the time stamped (ms).
  absl::StatusOr<int64_t> VerifyPersons(const auth::Actor& a, const std::vector<PersonId>& ids);

  absl::StatusOr<WriteResult<domain::Employer>> CreateEmployer(const auth::Actor& a,
                                                               const domain::Fields& f);
  absl::StatusOr<domain::Employer> GetEmployer(const auth::Actor& a, EmployerId id);
  absl::StatusOr<WriteResult<domain::Employer>> UpdateEmployer(const auth::Actor& a, EmployerId id,
                                                               const domain::Fields& patch);
  absl::StatusOr<domain::Employer> DeleteEmployer(const auth::Actor& a, EmployerId id,
                                                  int64_t version, const std::string& reason);
  absl::StatusOr<domain::Employer> RestoreEmployer(const auth::Actor& a, EmployerId id,
                                                   int64_t version);
  absl::StatusOr<storage::Page<domain::Employer>> ListEmployers(const auth::Actor& a,
                                                                const ListFilter& f);

  // `f` must hold employer_id (employer accounts default to their own).
  absl::StatusOr<WriteResult<domain::Job>> CreateJob(const auth::Actor& a, const domain::Fields& f);
  absl::StatusOr<domain::Job> GetJob(const auth::Actor& a, JobId id);
  absl::StatusOr<WriteResult<domain::Job>> UpdateJob(const auth::Actor& a, JobId id,
                                                     const domain::Fields& patch);
  absl::StatusOr<domain::Job> DeleteJob(const auth::Actor& a, JobId id, int64_t version,
                                        const std::string& reason);
  absl::StatusOr<domain::Job> RestoreJob(const auth::Actor& a, JobId id, int64_t version);
  absl::StatusOr<storage::Page<domain::Job>> ListJobs(const auth::Actor& a, const ListFilter& f);

  // A job as anyone may see it, for its public page and poster: NotFound if it does not exist
  // or was deleted. Carries only what the posting says (the employer by name).
  struct PublicJob {
    domain::Job job;
    std::string employer_name;
  };
  absl::StatusOr<PublicJob> GetPublicJob(JobId id);

  // Register tallies for the actor's scope (narrowed to `region`): records and open jobs.
  absl::StatusOr<storage::RegisterCounts> Counts(const auth::Actor& a, const std::string& region);
  const Context& context() const { return ctx_; }

 private:
  template <typename T>
  friend struct Ops;
  // Shared with the change subscription, which may outlive this service.
  struct Caches {
    RecordCache<domain::Household> households;
    RecordCache<domain::Person> persons;
    RecordCache<domain::Employer> employers;
    RecordCache<domain::Job> jobs;
    template <typename T>
    RecordCache<T>& For();
  };

  const Context& ctx_;
  AuditLog& audit_;
  std::shared_ptr<Caches> caches_ = std::make_shared<Caches>();
};

// The version named in a patch or request, InvalidArgument if it is missing or not a number.
absl::StatusOr<int64_t> VersionOf(const domain::Fields& f);

// A calendar quarter: "2026Q4" (or "2026q4", "2026-Q4"), "current" for the one holding `today`.
struct Quarter {
  Date first, end;  // [first, end)
  std::string name;
};
absl::StatusOr<Quarter> ParseQuarter(absl::string_view text, Date today);

}  // namespace jobaid::service
