#include "service/employment_service.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "domain/indicators.h"
#include "domain/vocabulary.h"
#include "service/register_service.h"

namespace jobaid::service {

using auth::Actor;
using auth::Role;
using domain::Employment;
using domain::Fields;
using storage::Transaction;

namespace {

std::string Span(const Employment& s) {
  return absl::StrCat(s.start_date.ToString(), s.end_date.valid()
                                                   ? absl::StrCat(" to ", s.end_date.ToString())
                                                   : std::string(" with no end"));
}

bool Overlap(const Employment& a, const Employment& b) {
  return (!a.end_date.valid() || a.end_date >= b.start_date) &&
         (!b.end_date.valid() || b.end_date >= a.start_date);
}

// A record id in `f[key]`: 0 when absent or empty, InvalidArgument naming the key otherwise.
absl::StatusOr<int64_t> LinkField(const Fields& f, absl::string_view key) {
  auto it = f.find(key);
  if (it == f.end() || absl::StripAsciiWhitespace(it->second).empty()) return 0;
  int64_t id;
  if (!absl::SimpleAtoi(it->second, &id) || id <= 0) {
    return FieldError(key, absl::StrCat(key, " must be a record id, not \"", it->second, "\""));
  }
  return id;
}

const std::vector<absl::string_view>& SpellKeys() {
  static const auto* keys = new std::vector<absl::string_view>{
      "kind",      "region_code", "start_date",  "end_date",         "monthly_income",
      "how_found", "part_time",   "employer_id", "job_id",           "version",
      "person_id", "id",          "reason",      "end_current_spell"};
  return *keys;
}

}  // namespace

absl::Status FitSpell(Transaction& tx, const domain::Person& person, const Employment& e,
                      bool end_current) {
  if (e.part_time) return absl::OkStatus();
  JA_ASSIGN_OR_RETURN(std::vector<Employment> spells, tx.ListEmploymentOf(person.id));
  for (Employment& s : spells) {
    if (s.id == e.id || s.part_time || !Overlap(s, e)) continue;
    if (end_current && s.start_date < e.start_date) {
      s.end_date = e.start_date.AddDays(-1);
      JA_RETURN_IF_ERROR(tx.UpdateEmployment(s));
      continue;
    }
    const bool later = s.start_date > e.start_date;
    return FieldError(
        later ? "end_date" : "start_date",
        absl::StrCat(person.name, " has a full-time spell of employment (", s.id.value(), ") from ",
                     Span(s), " that overlaps ", Span(e),
                     later ? "; end this one before it starts, or make one part-time"
                           : "; end that spell first (end_current_spell), start later, or "
                             "make one part-time"));
  }
  return absl::OkStatus();
}

absl::string_view KindByPlace(int64_t home, int64_t workplace) {
  switch (domain::PlaceOf(home, workplace)) {
    case domain::Place::kTownship:
    case domain::Place::kCounty:
      return "local";
    case domain::Place::kProvince:
      return "out_of_county";
    case domain::Place::kAway:
      break;
  }
  return "out_of_province";
}

namespace {

// CheckSpell's rules, on the spell as a whole.
absl::Status SpellRules(const domain::Person& person, const Employment& e) {
  if (e.kind == "self_employed" && e.employer_id.valid()) {
    return FieldError("kind", "a self-employed spell has no employer");
  }
  if (e.region_code <= 0 ||
      (e.kind != "local" && e.kind != "out_of_county" && e.kind != "out_of_province")) {
    return absl::OkStatus();
  }
  const absl::string_view by_place = KindByPlace(person.region_code, e.region_code);
  if (e.kind == by_place) return absl::OkStatus();
  const domain::Vocabulary& kinds = domain::EmploymentKinds();
  const int64_t county = person.region_code / 1000000, province = county / 10000;
  const std::string where = by_place == "local" ? absl::StrCat("in the home county (", county, ")")
                            : by_place == "out_of_county"
                                ? absl::StrCat("in the home province (", province,
                                               ") but outside the home county (", county, ")")
                                : absl::StrCat("outside the home province (", province, ")");
  return FieldError(
      "kind", absl::StrCat("the workplace ", e.region_code, " is ", where, " of ", person.name,
                           ": the kind is ", by_place, " (", kinds.Zh(by_place), "), not ", e.kind,
                           " (", kinds.Zh(e.kind), ")"));
}

}  // namespace

absl::Status CheckSpell(const domain::Person& person, const Employment& e,
                        const Employment* stored) {
  if (stored == nullptr) return SpellRules(person, e);
  if (e.kind == stored->kind && e.region_code == stored->region_code &&
      e.employer_id == stored->employer_id && e.job_id == stored->job_id) {
    return absl::OkStatus();
  }
  absl::Status rules = SpellRules(person, e);
  if (!rules.ok() && e.kind == stored->kind && e.region_code != stored->region_code) {
    return WithField(rules, "region_code");  // the place changed, not the kind
  }
  return rules;
}

EmploymentService::EmploymentService(const Context& ctx, AuditLog& audit)
    : ctx_(ctx), audit_(audit) {}

absl::StatusOr<domain::Person> EmploymentService::PersonForWrite(const Actor& a, Transaction& tx,
                                                                 PersonId id) const {
  JA_RETURN_IF_ERROR(RequireWrite(a, auth::Resource::kPerson, "spells of employment"));
  auto p = tx.GetPerson(id);
  if (absl::IsNotFound(p.status()) || (p.ok() && !a.InScope(p->region_code))) {
    return absl::NotFoundError(absl::StrCat("person ", id.value(), " does not exist"));
  }
  JA_RETURN_IF_ERROR(p.status());
  if (p->meta.deleted()) {
    return absl::FailedPreconditionError(absl::StrCat(p->name, " was deleted from the register (",
                                                      p->meta.delete_reason, "); restore first"));
  }
  return p;
}

absl::Status EmploymentService::Read(Transaction& tx, const Fields& f, Employment& e) const {
  Fields merged = domain::EmploymentFields(e);
  for (const auto& [k, v] : f) merged[k] = v;
  domain::ValidationContext vc = ctx_.Validation();
  domain::FieldReader r(merged, vc);
  domain::ReadEmployment(r, e);
  JA_RETURN_IF_ERROR(r.status());
  if (f.contains("job_id")) {
    JA_ASSIGN_OR_RETURN(int64_t job, LinkField(f, "job_id"));
    e.job_id = JobId(job);
  }
  if (f.contains("employer_id")) {
    JA_ASSIGN_OR_RETURN(int64_t employer, LinkField(f, "employer_id"));
    e.employer_id = EmployerId(employer);
  }
  if (e.job_id.valid()) {
    auto job = tx.GetJob(e.job_id);
    if (absl::IsNotFound(job.status()) || (job.ok() && job->meta.deleted())) {
      return FieldError("job_id", absl::StrCat("job ", e.job_id.value(), " does not exist"));
    }
    JA_RETURN_IF_ERROR(job.status());
    if (!e.employer_id.valid()) e.employer_id = job->employer_id;
    if (e.employer_id != job->employer_id) {
      return FieldError("employer_id",
                        absl::StrCat("job ", e.job_id.value(), " belongs to employer ",
                                     job->employer_id.value(), ", not ", e.employer_id.value()));
    }
  }
  if (e.employer_id.valid()) {
    auto employer = tx.GetEmployer(e.employer_id);
    if (absl::IsNotFound(employer.status()) || (employer.ok() && employer->meta.deleted())) {
      return FieldError("employer_id",
                        absl::StrCat("employer ", e.employer_id.value(), " does not exist"));
    }
    JA_RETURN_IF_ERROR(employer.status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::pair<Employment, domain::Person>> EmploymentService::SpellForWrite(
    const Actor& a, Transaction& tx, EmploymentId id) const {
  auto stored = tx.GetEmployment(id);
  if (absl::IsNotFound(stored.status())) {
    return absl::NotFoundError(absl::StrCat("spell of employment ", id.value(), " does not exist"));
  }
  JA_RETURN_IF_ERROR(stored.status());
  JA_ASSIGN_OR_RETURN(domain::Person p, PersonForWrite(a, tx, stored->person_id));
  return std::pair{std::move(*stored), std::move(p)};
}

absl::StatusOr<Employment> EmploymentService::Create(const Actor& a, PersonId person,
                                                     const Fields& f) {
  JA_RETURN_IF_ERROR(RejectUnknownFields(f, SpellKeys()));
  domain::ValidationContext vc = ctx_.Validation();
  domain::FieldReader flags(f, vc);
  const bool end_current = flags.Bool("end_current_spell", false);
  JA_RETURN_IF_ERROR(flags.status());
  Employment out;
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(domain::Person p, PersonForWrite(a, tx, person));
    Employment e;
    e.person_id = p.id;
    JA_RETURN_IF_ERROR(Read(tx, f, e));
    JA_RETURN_IF_ERROR(CheckSpell(p, e));
    JA_RETURN_IF_ERROR(FitSpell(tx, p, e, end_current));
    JA_RETURN_IF_ERROR(tx.InsertEmployment(e));
    JA_RETURN_IF_ERROR(tx.InsertAudit(
        Audit(a, "create", "employment", e.id.value(), absl::StrCat("person ", p.id.value()))));
    JA_RETURN_IF_ERROR(AnnounceSpells(tx, p));
    out = std::move(e);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Employment>> EmploymentService::Of(const Actor& a, PersonId id) {
  std::vector<Employment> out;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    auto p = tx.GetPerson(id);
    const bool staff = a.role != Role::kLaborer && a.role != Role::kEmployer;
    bool visible = p.ok() && ((staff && a.InScope(p->region_code)) ||
                              (a.role == Role::kLaborer && a.person_id == id));
    if (absl::IsNotFound(p.status()) || (p.ok() && !visible)) {
      return absl::NotFoundError(absl::StrCat("person ", id.value(), " does not exist"));
    }
    JA_RETURN_IF_ERROR(p.status());
    JA_ASSIGN_OR_RETURN(out, tx.ListEmploymentOf(id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Employment> EmploymentService::Get(const Actor& a, EmploymentId id) {
  Employment out;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    auto e = tx.GetEmployment(id);
    bool visible = false;
    if (e.ok()) {
      if (a.role == Role::kLaborer) {
        visible = a.person_id.valid() && a.person_id == e->person_id;
      } else if (a.role == Role::kEmployer) {  // the spells at its own workplaces
        visible = a.employer_id.valid() && a.employer_id == e->employer_id;
      } else {
        JA_ASSIGN_OR_RETURN(domain::Person p, tx.GetPerson(e->person_id));
        visible = a.InScope(p.region_code);
      }
    }
    if (absl::IsNotFound(e.status()) || (e.ok() && !visible)) {
      return absl::NotFoundError(
          absl::StrCat("spell of employment ", id.value(), " does not exist"));
    }
    JA_RETURN_IF_ERROR(e.status());
    out = std::move(*e);
    return absl::OkStatus();
  }));
  JA_RETURN_IF_ERROR(audit_.Record(Audit(a, "read", "employment", id.value())));
  return out;
}

absl::StatusOr<Employment> EmploymentService::Update(const Actor& a, EmploymentId id,
                                                     const Fields& patch) {
  JA_RETURN_IF_ERROR(RejectUnknownFields(patch, SpellKeys()));
  if (patch.contains("end_current_spell")) {
    return FieldError("end_current_spell",
                      "end_current_spell applies to a new spell; end the other spell itself");
  }
  JA_ASSIGN_OR_RETURN(int64_t version, VersionOf(patch));
  Employment out;
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(auto found, SpellForWrite(a, tx, id));
    auto& [e, p] = found;
    if (e.meta.deleted()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "spell of employment ", id.value(), " was deleted (", e.meta.delete_reason, ")"));
    }
    const std::string before = Span(e);
    const Employment stored = e;
    JA_RETURN_IF_ERROR(Read(tx, patch, e));
    JA_RETURN_IF_ERROR(CheckSpell(p, e, &stored));
    JA_RETURN_IF_ERROR(FitSpell(tx, p, e, false));
    e.meta.version = version;
    JA_RETURN_IF_ERROR(tx.UpdateEmployment(e));
    JA_RETURN_IF_ERROR(tx.InsertAudit(
        Audit(a, "update", "employment", e.id.value(), absl::StrCat(before, " -> ", Span(e)))));
    JA_RETURN_IF_ERROR(AnnounceSpells(tx, p));
    out = std::move(e);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Employment> EmploymentService::Delete(const Actor& a, EmploymentId id,
                                                     int64_t version, const std::string& reason) {
  if (!a.MayDelete(auth::Resource::kPerson)) {
    return absl::PermissionDeniedError(
        absl::StrCat("the role ", auth::RoleCode(a.role), " cannot delete spells of employment"));
  }
  std::string why(absl::StripAsciiWhitespace(reason));
  if (why.empty()) return FieldError("reason", "say why the spell is deleted (reason)");
  if (version <= 0) return FieldError("version", "version is required");
  Employment out;
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(auto found, SpellForWrite(a, tx, id));
    auto& [e, p] = found;
    if (e.meta.deleted()) return absl::OkStatus();  // already: nothing to do
    e.meta.version = version;
    e.meta.deleted_at = ctx_.clock.NowMs();
    e.meta.delete_reason = why;
    JA_RETURN_IF_ERROR(tx.UpdateEmployment(e));
    JA_RETURN_IF_ERROR(tx.InsertAudit(Audit(a, "delete", "employment", e.id.value(), why)));
    JA_RETURN_IF_ERROR(AnnounceSpells(tx, p));
    out = std::move(e);
    return absl::OkStatus();
  }));
  if (!out.id.valid()) return Get(a, id);
  return out;
}

}  // namespace jobaid::service
