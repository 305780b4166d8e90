// Spells of employment (docs/DATA_MODEL.md `employment`) recorded by staff: work found without the
// recruitment flow (a job fair, an organised transfer, work people found themselves), a
// correction, an end. A hire through an application makes its spell in RecruitService; both
// keep the rule that a person holds one full-time spell at a time (FitSpell), since the
// indicators count a person once. Every write is one transaction with its audit entry.
//
// Who: staff (admin, officer, helper) for people in their region scope; a laborer reads their
// own spells. Thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "auth/actor.h"
#include "domain/entities.h"
#include "domain/fields.h"
#include "service/audit_log.h"
#include "service/context.h"
#include "service/spells_change.h"
#include "storage/store.h"

namespace jobaid::service {

// Checks `e` (new, or changed: its id then names the stored spell it replaces) against the
// person's other live spells: two full-time spells may not overlap. With `end_current`, a
// full-time spell that began before `e` and is still running on e's start is ended the day
// before instead of refusing. InvalidArgument naming start_date (or end_date when `e` would
// run into a later spell) and the spell in the way.
absl::Status FitSpell(storage::Transaction& tx, const domain::Person& person,
                      const domain::Employment& e, bool end_current);

// The kind of spell that work at `workplace` is for someone living in `home`, by place alone:
// local (the home county), out_of_county (elsewhere in the home province) or out_of_province.
absl::string_view KindByPlace(int64_t home, int64_t workplace);

// The rules of a spell against its person: a self-employed spell has no employer, and a kind
// that names a place (local, out_of_county, out_of_province) must be the workplace's, when a
// workplace is given, as the figures count the place (domain::PlaceOf) and a list or export of
// spells shows the kind. InvalidArgument naming kind. With `stored`, the spell as it was before
// a change, only a change of kind, place, employer or job is checked (a spell stored before a
// rule was may still be ended, and a form sends every field), and a place changed under a kind
// it no longer fits names region_code.
absl::Status CheckSpell(const domain::Person& person, const domain::Employment& e,
                        const domain::Employment* stored = nullptr);

class EmploymentService {
 public:
  EmploymentService(const Context& ctx, AuditLog& audit);

  // Records a spell of `person`. Fields: kind, region_code (the workplace, a county or below),
  // start_date, end_date, monthly_income (fen), how_found, part_time, employer_id, job_id
  // (the job's employer when employer_id is not given), end_current_spell.
  absl::StatusOr<domain::Employment> Create(const auth::Actor& a, PersonId person,
                                            const domain::Fields& f);
  // A person's live spells, by start date (staff in scope, or the laborer themself).
  absl::StatusOr<std::vector<domain::Employment>> Of(const auth::Actor& a, PersonId id);
  absl::StatusOr<domain::Employment> Get(const auth::Actor& a, EmploymentId id);
  // `patch` holds the changed fields and "version", the version the change was based on;
  // ending a spell is a patch of end_date.
  absl::StatusOr<domain::Employment> Update(const auth::Actor& a, EmploymentId id,
                                            const domain::Fields& patch);
  // A spell recorded by mistake; the reason is kept.
  absl::StatusOr<domain::Employment> Delete(const auth::Actor& a, EmploymentId id, int64_t version,
                                            const std::string& reason);

 private:
  // The person of a spell, if `a` may change their spells (PermissionDenied / NotFound).
  absl::StatusOr<domain::Person> PersonForWrite(const auth::Actor& a, storage::Transaction& tx,
                                                PersonId id) const;
  // The stored spell `id` (NotFound naming it) and its person, if `a` may change them.
  absl::StatusOr<std::pair<domain::Employment, domain::Person>> SpellForWrite(
      const auth::Actor& a, storage::Transaction& tx, EmploymentId id) const;
  // Reads `f` over `e` (the links too) and checks the links exist; `e` keeps what `f` lacks.
  absl::Status Read(storage::Transaction& tx, const domain::Fields& f, domain::Employment& e) const;

  const Context& ctx_;
  AuditLog& audit_;
};

}  // namespace jobaid::service
