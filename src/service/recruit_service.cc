#include "service/recruit_service.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"
#include "domain/vocabulary.h"
#include "service/employment_service.h"

namespace jobaid::service {

using auth::Actor;
using auth::Role;
using domain::Application;
using storage::Transaction;

namespace {

bool IsStaff(const Actor& a) {
  return a.role == Role::kAdmin || a.role == Role::kOfficer || a.role == Role::kHelper;
}

// May `a` (already allowed to see the application) make the move `from` -> `to`?
bool MayMove(const Actor& a, absl::string_view from, absl::string_view to) {
  if (IsStaff(a)) return true;
  if (a.role == Role::kEmployer) {
    return to == "interview" || to == "offered" || to == "hired" || to == "rejected";
  }
  if (a.role == Role::kLaborer)
    return (from == "recommended" && to == "applied") || to == "withdrawn";
  return false;
}

// The kind of spell a hire into `j` makes for someone living in `home`.
std::string SpellKind(const domain::Job& j, int64_t home) {
  if (j.kind == "workshop" || j.kind == "public_welfare_post") return j.kind;
  return std::string(KindByPlace(home, j.region_code));
}

// An application keeps its match's reasons as codes with parameters (common/status.h).
std::string Reasons(const matching::Match& m) { return EncodeReasons(m.reasons); }

}  // namespace

const std::vector<std::string>& NextStates(absl::string_view from) {
  static const auto* next = new absl::flat_hash_map<std::string, std::vector<std::string>>{
      {"recommended", {"applied", "rejected", "withdrawn"}},
      {"applied", {"interview", "offered", "rejected", "withdrawn"}},
      {"interview", {"offered", "rejected", "withdrawn"}},
      {"offered", {"hired", "rejected", "withdrawn"}}};
  static const auto* none = new std::vector<std::string>();
  auto it = next->find(from);
  return it == next->end() ? *none : it->second;
}

RecruitService::RecruitService(const Context& ctx, MatchService& match, AuditLog& audit)
    : ctx_(ctx), match_(match), audit_(audit) {}

absl::Status RecruitService::CheckVisible(const Actor& a, const Application& app) const {
  bool visible = (IsStaff(a) && a.InScope(app.region_code)) ||
                 (a.role == Role::kEmployer && a.employer_id == app.employer_id) ||
                 (a.role == Role::kLaborer && a.person_id == app.person_id);
  if (!visible) {
    return absl::NotFoundError(absl::StrCat("application ", app.id.value(), " does not exist"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ApplicationView> RecruitService::ViewOf(const Actor& a, Transaction& tx,
                                                       Application app, JobNames* names) {
  ApplicationView v;
  JA_ASSIGN_OR_RETURN(domain::Person p, tx.GetPerson(app.person_id));
  JobNames local;
  if (names == nullptr) names = &local;
  auto known = names->find(app.job_id.value());
  if (known == names->end()) {
    JA_ASSIGN_OR_RETURN(domain::Job j, tx.GetJob(app.job_id));
    JA_ASSIGN_OR_RETURN(domain::Employer e, tx.GetEmployer(j.employer_id));
    known = names->try_emplace(app.job_id.value(), JobName{j.title, j.region_code, e.name}).first;
  }
  v.person_name = p.name;
  v.gender = p.gender;
  v.age = p.birth_date.valid() ? p.birth_date.AgeOn(ctx_.clock.Today()) : 0;
  v.education = p.education;
  v.skills = p.skills;
  v.job_title = known->second.title;
  v.job_region_code = known->second.region_code;
  v.employer_name = known->second.employer;
  for (const std::string& to : NextStates(app.state)) {
    if (MayMove(a, app.state, to)) v.moves.push_back(to);
  }
  v.application = std::move(app);
  return v;
}

absl::StatusOr<RecruitService::RecommendResult> RecruitService::Recommend(
    const Actor& a, const std::vector<PersonJob>& pairs) {
  if (a.role != Role::kAdmin && a.role != Role::kOfficer && a.role != Role::kHelper) {
    return absl::PermissionDeniedError("recommendations are made by officers and helpers");
  }
  if (pairs.empty()) return FieldError("pairs", "give at least one pair of person and job");
  constexpr size_t kMaxPairs = 100000;
  if (pairs.size() > kMaxPairs) {
    return FieldError("pairs", absl::StrCat("at most ", kMaxPairs, " pairs in one confirmation"));
  }
  RecommendResult out;
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    out = RecommendResult();
    absl::flat_hash_map<int64_t, domain::Job> jobs;
    absl::flat_hash_map<int64_t, int> taken;  // new recommendations per job in this call
    absl::flat_hash_set<std::pair<int64_t, int64_t>> seen;
    for (size_t i = 0; i < pairs.size(); ++i) {
      const std::string at = absl::StrCat("pairs[", i, "]");
      auto pi = tx.GetPerson(pairs[i].person);
      if (absl::IsNotFound(pi.status()) || (pi.ok() && !a.InScope(pi->region_code))) {
        return FieldError(absl::StrCat(at, ".person_id"),
                          absl::StrCat("person ", pairs[i].person.value(), " does not exist"));
      }
      JA_RETURN_IF_ERROR(pi.status());
      auto ji = jobs.find(pairs[i].job.value());
      if (ji == jobs.end()) {
        auto j = tx.GetJob(pairs[i].job);
        if (absl::IsNotFound(j.status())) {
          return FieldError(absl::StrCat(at, ".job_id"),
                            absl::StrCat("job ", pairs[i].job.value(), " does not exist"));
        }
        JA_RETURN_IF_ERROR(j.status());
        ji = jobs.emplace(pairs[i].job.value(), std::move(*j)).first;
      }
      const domain::Job& job = ji->second;
      if (!seen.insert({pairs[i].person.value(), job.id.value()}).second) {
        return FieldError(at, absl::StrCat("person ", pairs[i].person.value(), " and job ",
                                           job.id.value(), " are paired twice"));
      }
      JA_ASSIGN_OR_RETURN(std::optional<Application> existing,
                          tx.FindApplication(pairs[i].person, pairs[i].job));
      if (existing) {
        ++out.already;
        continue;
      }
      JA_ASSIGN_OR_RETURN(matching::Match m, match_.Fit(tx, *pi, job, at));
      if (++taken[job.id.value()] > job.openings - job.hired) {
        return FieldError(absl::StrCat(at, ".job_id"),
                          absl::StrCat("job ", job.id.value(), " (", job.title, ") has ",
                                       std::max(0, job.openings - job.hired),
                                       " openings left; fewer people must be put forward"));
      }
      Application app;
      app.person_id = pi->id;
      app.job_id = job.id;
      app.employer_id = job.employer_id;
      app.region_code = pi->region_code;
      app.state = "recommended";
      app.score = std::round(m.score * 10) / 10;
      app.reasons = Reasons(m);
      JA_RETURN_IF_ERROR(tx.InsertApplication(app));
      JA_RETURN_IF_ERROR(tx.InsertApplicationEvent(
          {app.id, "", "recommended", "", a.user_id, ctx_.clock.NowMs()}));
      JA_RETURN_IF_ERROR(tx.InsertAudit(
          Audit(a, "recommend", "application", app.id.value(),
                absl::StrCat("person ", app.person_id.value(), " for job ", app.job_id.value()))));
      tx.Notify(storage::Change::Record(storage::Topic::kApplication, app.id.value()));
      JA_ASSIGN_OR_RETURN(ApplicationView v, ViewOf(a, tx, std::move(app)));
      out.created.push_back(std::move(v));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<ApplicationView> RecruitService::Apply(const Actor& a, PersonId person, JobId job) {
  if (a.role == Role::kLaborer) {
    if (!a.person_id.valid()) {
      return absl::PermissionDeniedError("this laborer account is not linked to a person");
    }
    person = a.person_id;
  } else if (!IsStaff(a)) {
    return absl::PermissionDeniedError("applications are made by laborers or staff for them");
  }
  if (!person.valid()) return FieldError("person_id", "person_id is required");
  if (!job.valid()) return FieldError("job_id", "job_id is required");
  ApplicationView out;
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    auto p = tx.GetPerson(person);
    if (absl::IsNotFound(p.status()) || (p.ok() && IsStaff(a) && !a.InScope(p->region_code))) {
      return FieldError("person_id", absl::StrCat("person ", person.value(), " does not exist"));
    }
    JA_RETURN_IF_ERROR(p.status());
    auto j = tx.GetJob(job);
    if (absl::IsNotFound(j.status())) {
      return FieldError("job_id", absl::StrCat("job ", job.value(), " does not exist"));
    }
    JA_RETURN_IF_ERROR(j.status());
    JA_ASSIGN_OR_RETURN(std::optional<Application> existing, tx.FindApplication(person, job));
    if (existing && existing->state != "recommended") {
      return WithField(absl::AlreadyExistsError(
                           absl::StrCat(p->name, " already has an application for this job (",
                                        domain::ApplicationStates().Zh(existing->state), ")")),
                       "job_id");
    }
    JA_ASSIGN_OR_RETURN(matching::Match m, match_.Fit(tx, *p, *j, "job_id"));
    Application app;
    std::string from;
    if (existing) {
      app = std::move(*existing);
      from = app.state;
      app.state = "applied";
      JA_RETURN_IF_ERROR(tx.UpdateApplication(app));
    } else {
      app.person_id = person;
      app.job_id = job;
      app.employer_id = j->employer_id;
      app.region_code = p->region_code;
      app.state = "applied";
      app.score = std::round(m.score * 10) / 10;
      app.reasons = Reasons(m);
      JA_RETURN_IF_ERROR(tx.InsertApplication(app));
    }
    JA_RETURN_IF_ERROR(
        tx.InsertApplicationEvent({app.id, from, "applied", "", a.user_id, ctx_.clock.NowMs()}));
    JA_RETURN_IF_ERROR(
        tx.InsertAudit(Audit(a, "apply", "application", app.id.value(),
                             absl::StrCat("person ", person.value(), " for job ", job.value()))));
    tx.Notify(storage::Change::Record(storage::Topic::kApplication, app.id.value()));
    JA_ASSIGN_OR_RETURN(out, ViewOf(a, tx, std::move(app)));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<ApplicationView> RecruitService::Transition(const Actor& a, ApplicationId id,
                                                           const Move& m) {
  if (!domain::ApplicationStates().Parse(m.to)) {
    return FieldError("to", absl::StrCat("\"", m.to, "\" is not a state; use one of ",
                                         domain::ApplicationStates().Describe()));
  }
  std::string reason(absl::StripAsciiWhitespace(m.reason));
  if ((m.to == "rejected" || m.to == "withdrawn") && reason.empty()) {
    return FieldError("reason", "say why (reason)");
  }
  if (m.version <= 0) return FieldError("version", "version is required");
  if (m.hire.monthly_income < -1) {
    return FieldError("monthly_income", "monthly_income cannot be negative");
  }
  if (!m.hire.kind.empty() && !domain::EmploymentKinds().Parse(m.hire.kind)) {
    return FieldError("kind", absl::StrCat("\"", m.hire.kind,
                                           "\" is not a kind of employment; use "
                                           "one of ",
                                           domain::EmploymentKinds().Describe()));
  }
  ApplicationView out;
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(Application app, tx.GetApplication(id));
    JA_RETURN_IF_ERROR(CheckVisible(a, app));
    const std::vector<std::string>& next = NextStates(app.state);
    if (std::find(next.begin(), next.end(), m.to) == next.end()) {
      return WithField(
          absl::FailedPreconditionError(
              next.empty() ? absl::StrCat("this application is closed (",
                                          domain::ApplicationStates().Zh(app.state), ")")
                           : absl::StrCat("an application in state ", app.state, " can move to ",
                                          absl::StrJoin(next, ", "), ", not ", m.to)),
          "to");
    }
    if (!MayMove(a, app.state, m.to)) {
      return absl::PermissionDeniedError(absl::StrCat("the role ", auth::RoleCode(a.role),
                                                      " cannot move an application from ",
                                                      app.state, " to ", m.to));
    }
    std::string from = app.state;
    app.state = m.to;
    app.state_reason = reason;
    app.meta.version = m.version;
    std::optional<domain::Employment> spell;
    if (m.to == "hired") {
      JA_ASSIGN_OR_RETURN(domain::Job job, tx.GetJob(app.job_id));
      JA_ASSIGN_OR_RETURN(domain::Person person, tx.GetPerson(app.person_id));
      if (job.meta.deleted() || job.status == "closed") {
        return WithField(absl::FailedPreconditionError(
                             absl::StrCat("job ", job.id.value(), " (", job.title, ") is closed")),
                         "to");
      }
      if (job.hired >= job.openings) {
        return WithField(absl::FailedPreconditionError(absl::StrCat(
                             "job ", job.id.value(), " (", job.title, ") has no openings left (",
                             job.hired, " of ", job.openings, " hired)")),
                         "to");
      }
      if (person.meta.deleted()) {
        return WithField(
            absl::FailedPreconditionError(absl::StrCat(
                person.name, " was deleted from the register (", person.meta.delete_reason, ")")),
            "to");
      }
      domain::Employment e;
      e.person_id = person.id;
      e.employer_id = job.employer_id;
      e.job_id = job.id;
      e.kind = m.hire.kind.empty() ? SpellKind(job, person.region_code)
                                   : std::string(*domain::EmploymentKinds().Parse(m.hire.kind));
      e.region_code = job.region_code;
      e.start_date = m.hire.start_date.valid() ? m.hire.start_date : ctx_.clock.Today();
      e.monthly_income = m.hire.monthly_income >= 0 ? m.hire.monthly_income : job.wage_min;
      e.how_found = "match";
      e.part_time = m.hire.part_time;
      JA_RETURN_IF_ERROR(CheckSpell(person, e));
      // One full-time spell at a time (docs/INDICATORS.md counts a person once).
      // A hire has only a start to move: name it whichever side the other spell is on.
      absl::Status fit = FitSpell(tx, person, e, m.hire.end_current_spell);
      if (absl::IsInvalidArgument(fit)) return WithField(fit, "start_date");
      JA_RETURN_IF_ERROR(fit);
      JA_RETURN_IF_ERROR(tx.InsertEmployment(e));
      ++job.hired;
      if (job.hired >= job.openings) job.status = "filled";
      JA_RETURN_IF_ERROR(tx.UpdateJob(job));
      app.employment_id = e.id;
      tx.Notify(storage::Change::Record(storage::Topic::kJob, job.id.value()));
      JA_RETURN_IF_ERROR(AnnounceSpells(tx, person));
      JA_RETURN_IF_ERROR(
          tx.InsertAudit(Audit(a, "create", "employment", e.id.value(),
                               absl::StrCat("hire through application ", app.id.value()))));
      spell = std::move(e);
    }
    JA_RETURN_IF_ERROR(tx.UpdateApplication(app));
    JA_RETURN_IF_ERROR(
        tx.InsertApplicationEvent({app.id, from, m.to, reason, a.user_id, ctx_.clock.NowMs()}));
    JA_RETURN_IF_ERROR(tx.InsertAudit(
        Audit(a, "update", "application", app.id.value(), absl::StrCat(from, " -> ", m.to))));
    tx.Notify(storage::Change::Record(storage::Topic::kApplication, app.id.value()));
    JA_ASSIGN_OR_RETURN(out, ViewOf(a, tx, std::move(app)));
    JA_ASSIGN_OR_RETURN(out.events, tx.ListApplicationEvents(id));
    out.spell = std::move(spell);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<ApplicationView> RecruitService::Get(const Actor& a, ApplicationId id) {
  ApplicationView out;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(Application app, tx.GetApplication(id));
    JA_RETURN_IF_ERROR(CheckVisible(a, app));
    EmploymentId spell = app.employment_id;
    JA_ASSIGN_OR_RETURN(out, ViewOf(a, tx, std::move(app)));
    JA_ASSIGN_OR_RETURN(out.events, tx.ListApplicationEvents(id));
    if (spell.valid()) {
      JA_ASSIGN_OR_RETURN(out.spell, tx.GetEmployment(spell));
    }
    return absl::OkStatus();
  }));
  JA_RETURN_IF_ERROR(audit_.Record(Audit(a, "read", "application", id.value())));
  return out;
}

absl::StatusOr<storage::Page<ApplicationView>> RecruitService::List(const Actor& a,
                                                                    const ApplicationFilter& f) {
  storage::ApplicationQuery q;
  if (IsStaff(a)) {
    JA_ASSIGN_OR_RETURN(q.scope, NarrowScope(a, f.region, ctx_));
  } else if (a.role == Role::kEmployer) {
    if (!a.employer_id.valid()) {
      return absl::PermissionDeniedError("this employer account is not linked to an employer");
    }
    q.employer_id = a.employer_id;
  } else {
    if (!a.person_id.valid()) {
      return absl::PermissionDeniedError("this laborer account is not linked to a person");
    }
    q.person_id = a.person_id;
  }
  if (f.person_id > 0) {
    if (q.person_id.valid() && q.person_id.value() != f.person_id) {
      return storage::Page<ApplicationView>();  // someone else's: nothing to see
    }
    q.person_id = PersonId(f.person_id);
  }
  q.job_id = JobId(f.job_id);
  if (!f.state.empty()) {
    auto state = domain::ApplicationStates().Parse(f.state);
    if (!state) {
      return FieldError("state", absl::StrCat("\"", f.state, "\" is not a state; use one of ",
                                              domain::ApplicationStates().Describe()));
    }
    q.state = std::string(*state);
  }
  q.page = f.page;
  if (q.page.sort.empty()) {
    q.page.sort = "updated_at";
    q.page.descending = true;
  }
  storage::Page<ApplicationView> out;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(storage::Page<Application> page, tx.ListApplications(q));
    out.items.clear();
    out.total = page.total;
    out.next_cursor = page.next_cursor;
    JobNames names;  // a page holds many applications to few jobs
    for (Application& app : page.items) {
      JA_ASSIGN_OR_RETURN(ApplicationView v, ViewOf(a, tx, std::move(app), &names));
      out.items.push_back(std::move(v));
    }
    return absl::OkStatus();
  }));
  JA_RETURN_IF_ERROR(
      audit_.Record(Audit(a, "list", "application", 0, absl::StrCat(out.items.size(), " read"))));
  return out;
}

}  // namespace jobaid::service
