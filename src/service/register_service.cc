#include "service/register_service.h"

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/status.h"
#include "service/entity_traits.h"
#include "service/spells_change.h"

namespace jobaid::service {
namespace {

absl::Status NotFound(absl::string_view what, int64_t id) {
  return absl::NotFoundError(absl::StrCat(what, " ", id, " does not exist"));
}

// Whether the actor may change `rec` where it is now (its region or, for employer accounts,
// its owner).
template <typename T>
absl::Status CheckWritable(const Actor& a, const T& rec, const Context& ctx) {
  if constexpr (std::is_same_v<T, Employer>) {
    if (a.role == Role::kEmployer) {
      if (a.employer_id == rec.id) return absl::OkStatus();
      return absl::PermissionDeniedError("an employer account can change only its own employer");
    }
  }
  if constexpr (std::is_same_v<T, Job>) {
    if (a.role == Role::kEmployer) {
      if (a.employer_id == rec.employer_id) return absl::OkStatus();
      return absl::PermissionDeniedError("an employer account can change only its own jobs");
    }
  }
  return RequireWriteScope(a, EntityTraits<T>::Region(rec), ctx);
}

template <typename T>
std::vector<absl::string_view> PatchKeys() {
  static const std::vector<std::string>* keys = [] {
    auto* v = new std::vector<std::string>;
    for (const auto& [k, _] : EntityTraits<T>::ToFields(T{})) v->push_back(k);
    v->push_back("version");
    if constexpr (std::is_same_v<T, Person>) v->push_back("household_id");
    if constexpr (std::is_same_v<T, Job>) v->push_back("employer_id");
    return v;
  }();
  return {keys->begin(), keys->end()};
}

absl::StatusOr<int64_t> IdField(const Fields& f, absl::string_view key) {
  auto it = f.find(key);
  int64_t id;
  if (it == f.end() || it->second.empty())
    return FieldError(key, absl::StrCat(key, " is required"));
  if (!absl::SimpleAtoi(it->second, &id) || id <= 0) {
    return FieldError(key, absl::StrCat(key, " must be a record id, not \"", it->second, "\""));
  }
  return id;
}

}  // namespace

absl::StatusOr<int64_t> VersionOf(const Fields& f) { return IdField(f, "version"); }

absl::StatusOr<Quarter> ParseQuarter(absl::string_view text, Date today) {
  std::string t = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  int year = 0, q = 0;
  if (t == "CURRENT") {
    year = today.year();
    q = (today.month() - 1) / 3 + 1;
  } else {
    absl::StrReplaceAll({{"-", ""}}, &t);
    if (t.size() != 6 || t[4] != 'Q' || !absl::SimpleAtoi(t.substr(0, 4), &year) ||
        !absl::SimpleAtoi(t.substr(5), &q) || q < 1 || q > 4 || year < 2000 || year > 2100) {
      return FieldError("unverified",
                        absl::StrCat("\"", text, "\" is not a quarter; write it as 2026Q4"));
    }
  }
  Quarter out;
  out.first = Date::FromCivil(year, 3 * (q - 1) + 1, 1);
  out.end = q == 4 ? Date::FromCivil(year + 1, 1, 1) : Date::FromCivil(year, 3 * q + 1, 1);
  out.name = absl::StrCat(year, "Q", q);
  return out;
}

template <>
RecordCache<Household>& RegisterService::Caches::For<Household>() {
  return households;
}
template <>
RecordCache<Person>& RegisterService::Caches::For<Person>() {
  return persons;
}
template <>
RecordCache<Employer>& RegisterService::Caches::For<Employer>() {
  return employers;
}
template <>
RecordCache<Job>& RegisterService::Caches::For<Job>() {
  return jobs;
}

RegisterService::RegisterService(const Context& ctx, AuditLog& audit) : ctx_(ctx), audit_(audit) {
  ctx_.store.Subscribe([caches = caches_](const storage::Change& c) {
    switch (c.topic) {
      case storage::Topic::kSpells:
        caches->households.Invalidate(c.spells.household_id);
        caches->persons.Invalidate(c.spells.person_id);
        break;
      case storage::Topic::kRegister:
        caches->households.Clear();
        caches->persons.Clear();
        caches->employers.Clear();
        caches->jobs.Clear();
        break;
      case storage::Topic::kHousehold:
        caches->households.Invalidate(c.id);
        caches->persons.Clear();  // members follow their household's village
        break;
      case storage::Topic::kPerson:
        caches->persons.Invalidate(c.id);
        break;
      case storage::Topic::kEmployer:
        caches->employers.Invalidate(c.id);
        break;
      case storage::Topic::kJob:
        caches->jobs.Invalidate(c.id);
        break;
      default:
        break;
    }
  });
}

// The generic read / update / delete / restore flow, the same for every entity.
template <typename T>
struct Ops {
  using Tr = EntityTraits<T>;
  using IdT = typename Tr::IdT;

  // Audits a read of a person or household as `action` ("read"; "reveal" with the reason as
  // `detail` for the full ID and phone numbers, of any entity).
  static absl::StatusOr<T> Get(RegisterService& s, const Actor& a, IdT id,
                               absl::string_view action = "read", std::string detail = "") {
    JA_RETURN_IF_ERROR(RequireRead(a, Tr::kResource, absl::StrCat(Tr::kName, "s")));
    T out;
    RecordCache<T>& cache = s.caches_->template For<T>();
    // For staff roles, visibility is the region scope alone, so a cached record serves;
    // laborers and employers are judged by links the store has to answer.
    bool cacheable = a.role != Role::kLaborer && a.role != Role::kEmployer;
    std::optional<T> cached = cacheable ? cache.Get(id.value()) : std::nullopt;
    if (cached) {
      if (!a.InScope(Tr::Region(*cached))) return NotFound(Tr::kName, id.value());
      out = std::move(*cached);
    } else {
      uint64_t epoch = cache.Epoch();
      JA_RETURN_IF_ERROR(s.ctx_.store.Read([&](Transaction& tx) -> absl::Status {
        auto rec = Tr::Get(tx, id);
        if (!rec.ok()) return rec.status();
        JA_ASSIGN_OR_RETURN(bool visible, Tr::Visible(a, *rec, tx));
        if (!visible) return NotFound(Tr::kName, id.value());
        out = std::move(*rec);
        return absl::OkStatus();
      }));
      if (cacheable) cache.Put(id.value(), out, epoch);
    }
    if (std::is_same_v<T, Person> || std::is_same_v<T, Household> || action != "read") {
      JA_RETURN_IF_ERROR(s.audit_.Record(Audit(a, action, Tr::kName, id.value(), detail)));
    }
    return out;
  }

  // Loads `id` for a change by `a`: NotFound if it does not exist or the actor cannot see it
  // (as a read answers, so that a write tells no one that a record outside their region
  // exists), PermissionDenied if the actor sees it but may not change it.
  static absl::StatusOr<T> LoadForWrite(RegisterService& s, const Actor& a, Transaction& tx,
                                        IdT id) {
    JA_ASSIGN_OR_RETURN(T rec, Tr::Get(tx, id));
    JA_ASSIGN_OR_RETURN(bool visible, Tr::Visible(a, rec, tx));
    if (!visible) return NotFound(Tr::kName, id.value());
    JA_RETURN_IF_ERROR(CheckWritable(a, rec, s.ctx_));
    return rec;
  }

  template <typename Hook>
  static absl::StatusOr<WriteResult<T>> Update(RegisterService& s, const Actor& a, IdT id,
                                               const Fields& patch, Hook hook) {
    JA_RETURN_IF_ERROR(RequireWrite(a, Tr::kResource, absl::StrCat(Tr::kName, "s")));
    JA_RETURN_IF_ERROR(RejectUnknownFields(patch, PatchKeys<T>()));
    JA_ASSIGN_OR_RETURN(int64_t version, VersionOf(patch));
    WriteResult<T> out;
    domain::ValidationContext vc = s.ctx_.Validation();
    JA_RETURN_IF_ERROR(s.ctx_.store.Write([&](Transaction& tx) -> absl::Status {
      JA_ASSIGN_OR_RETURN(T rec, LoadForWrite(s, a, tx, id));
      if (rec.meta.deleted()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "this ", Tr::kName, " was deleted (", rec.meta.delete_reason, "); restore it first"));
      }
      Fields merged = Tr::ToFields(rec);
      for (const auto& [k, v] : patch) merged[k] = v;
      T next = rec;
      FieldReader r(merged, vc);
      out.warnings = Tr::Read(r, next);
      JA_RETURN_IF_ERROR(r.status());
      JA_RETURN_IF_ERROR(hook(tx, rec, next, patch));
      JA_RETURN_IF_ERROR(CheckWritable(a, next, s.ctx_));
      next.meta.version = version;
      JA_RETURN_IF_ERROR(Tr::Update(tx, next));
      JA_RETURN_IF_ERROR(tx.InsertAudit(Audit(a, "update", Tr::kName, id.value())));
      tx.Notify(storage::Change::Record(Tr::kTopic, id.value()));
      out.record = std::move(next);
      return absl::OkStatus();
    }));
    return out;
  }

  template <typename Cascade>
  static absl::StatusOr<T> SetDeleted(RegisterService& s, const Actor& a, IdT id, int64_t version,
                                      const std::string& reason, bool deleted, Cascade cascade) {
    if (!a.MayDelete(Tr::kResource)) {
      return absl::PermissionDeniedError(absl::StrCat("the role ", auth::RoleCode(a.role),
                                                      " cannot ", deleted ? "delete " : "restore ",
                                                      Tr::kName, "s"));
    }
    if (deleted && absl::StripAsciiWhitespace(reason).empty()) {
      return WithReason(FieldError("reason", "say why the record is deleted (reason)"),
                        {"delete_reason_required", {}});
    }
    T out;
    JA_RETURN_IF_ERROR(s.ctx_.store.Write([&](Transaction& tx) -> absl::Status {
      JA_ASSIGN_OR_RETURN(T rec, LoadForWrite(s, a, tx, id));
      if (rec.meta.deleted() == deleted) {
        return absl::FailedPreconditionError(
            absl::StrCat("this ", Tr::kName, deleted ? " is already deleted" : " is not deleted"));
      }
      rec.meta.version = version;
      rec.meta.deleted_at = deleted ? s.ctx_.clock.NowMs() : 0;
      rec.meta.delete_reason = deleted ? std::string(absl::StripAsciiWhitespace(reason)) : "";
      JA_RETURN_IF_ERROR(cascade(tx, rec));
      JA_RETURN_IF_ERROR(Tr::Update(tx, rec));
      JA_RETURN_IF_ERROR(tx.InsertAudit(
          Audit(a, deleted ? "delete" : "restore", Tr::kName, id.value(), rec.meta.delete_reason)));
      tx.Notify(storage::Change::Record(Tr::kTopic, id.value()));
      out = std::move(rec);
      return absl::OkStatus();
    }));
    return out;
  }
};

namespace {
constexpr auto kNoHook = [](Transaction&, const auto&, auto&, const Fields&) {
  return absl::OkStatus();
};
constexpr auto kNoCascade = [](Transaction&, const auto&) { return absl::OkStatus(); };
}  // namespace

// ---- households ----

absl::StatusOr<WriteResult<Household>> RegisterService::CreateHousehold(
    const Actor& a, const Fields& f, const std::vector<Fields>& members) {
  JA_RETURN_IF_ERROR(RequireWrite(a, Resource::kHousehold, "households"));
  if (!members.empty()) JA_RETURN_IF_ERROR(RequireWrite(a, Resource::kPerson, "persons"));
  std::vector<absl::string_view> keys = PatchKeys<Household>();
  keys.pop_back();  // no version on create
  JA_RETURN_IF_ERROR(RejectUnknownFields(f, keys));
  domain::ValidationContext vc = ctx_.Validation();
  FieldReader r(f, vc);
  WriteResult<Household> out;
  domain::ReadHousehold(r, out.record);
  JA_RETURN_IF_ERROR(r.status());
  JA_RETURN_IF_ERROR(RequireWriteScope(a, out.record.region_code, ctx_));

  std::vector<absl::string_view> person_keys = PatchKeys<Person>();
  std::erase_if(person_keys,
                [](absl::string_view k) { return k == "version" || k == "household_id"; });
  std::vector<Person> people(members.size());
  for (size_t i = 0; i < members.size(); ++i) {
    std::string prefix = absl::StrCat("members[", i, "].");
    auto named = [&](const absl::Status& s) {
      std::string field = absl::StrCat(prefix, FieldOf(s));
      return WithField(s, field);
    };
    absl::Status known = RejectUnknownFields(members[i], person_keys);
    if (!known.ok()) return named(known);
    FieldReader pr(members[i], vc);
    for (std::string& w : domain::ReadPerson(pr, people[i])) {
      out.warnings.push_back(absl::StrCat("member ", i + 1, ": ", w));
    }
    if (!pr.status().ok()) return named(pr.status());
  }

  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    absl::Status s = tx.InsertHousehold(out.record);
    if (absl::IsAlreadyExists(s)) {
      return WithField(WithReason(absl::AlreadyExistsError(
                                      "a household with this householder's ID number is already "
                                      "registered"),
                                  {"household_exists", {}}),
                       "head_id_number");
    }
    JA_RETURN_IF_ERROR(s);
    tx.Notify(storage::Change::Record(storage::Topic::kHousehold, out.record.id.value()));
    JA_RETURN_IF_ERROR(tx.InsertAudit(Audit(a, "create", "household", out.record.id.value())));
    for (size_t i = 0; i < people.size(); ++i) {
      Person& p = people[i];
      p.household_id = out.record.id;
      p.region_code = out.record.region_code;
      absl::Status ps = tx.InsertPerson(p);
      if (absl::IsAlreadyExists(ps)) {
        return WithField(WithReason(absl::AlreadyExistsError(
                                        "a person with this ID number is already registered"),
                                    {"person_exists", {}}),
                         absl::StrCat("members[", i, "].id_number"));
      }
      JA_RETURN_IF_ERROR(ps);
      tx.Notify(storage::Change::Record(storage::Topic::kPerson, p.id.value()));
      JA_RETURN_IF_ERROR(tx.InsertAudit(Audit(a, "create", "person", p.id.value())));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<HouseholdDetail> RegisterService::GetHousehold(const Actor& a, HouseholdId id) {
  HouseholdDetail d;
  JA_ASSIGN_OR_RETURN(d.household, Ops<Household>::Get(*this, a, id));
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(d.members, tx.ListMembers(id));
    return absl::OkStatus();
  }));
  Date today = ctx_.clock.Today();
  for (const Person& p : d.members) d.laborers += domain::IsLaborer(p, today) ? 1 : 0;
  return d;
}

absl::StatusOr<WriteResult<Household>> RegisterService::UpdateHousehold(const Actor& a,
                                                                        HouseholdId id,
                                                                        const Fields& patch) {
  return Ops<Household>::Update(*this, a, id, patch, kNoHook);
}

absl::StatusOr<Household> RegisterService::DeleteHousehold(const Actor& a, HouseholdId id,
                                                           int64_t version,
                                                           const std::string& reason) {
  return Ops<Household>::SetDeleted(
      *this, a, id, version, reason, true,
      [&](Transaction& tx, const Household& h) -> absl::Status {
        JA_ASSIGN_OR_RETURN(std::vector<Person> members, tx.ListMembers(h.id));
        for (Person& p : members) {
          p.meta.deleted_at = h.meta.deleted_at;
          p.meta.delete_reason = absl::StrCat(reason, " (household deleted)");
          JA_RETURN_IF_ERROR(tx.UpdatePerson(p));
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<Household> RegisterService::RestoreHousehold(const Actor& a, HouseholdId id,
                                                            int64_t version) {
  return Ops<Household>::SetDeleted(*this, a, id, version, "", false, kNoCascade);
}

absl::StatusOr<storage::Page<Household>> RegisterService::ListHouseholds(const Actor& a,
                                                                         const ListFilter& f) {
  JA_RETURN_IF_ERROR(RequireRead(a, Resource::kHousehold, "households"));
  if (a.role == Role::kLaborer) {
    return absl::PermissionDeniedError("a laborer account can open only its own household");
  }
  storage::HouseholdQuery q;
  JA_ASSIGN_OR_RETURN(q.scope, NarrowScope(a, f.region, ctx_));
  q.poverty_type = f.poverty_type;
  q.status = f.status;
  q.name = f.q;
  if (!f.id_number.empty()) q.head_id_number = f.id_number;
  q.deleted = f.deleted;
  q.page = f.page;
  storage::Page<Household> out;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(out, tx.ListHouseholds(q));
    return absl::OkStatus();
  }));
  JA_RETURN_IF_ERROR(audit_.Record(Audit(a, "list", "household", 0,
                                         absl::StrCat(out.items.size(), " of ", out.total, " in ",
                                                      domain::FormatRegionCode(q.scope.lo)))));
  return out;
}

// ---- persons ----

namespace {
// Places `p` in household `household_id`: the household must be live and writable by `a`.
absl::Status PlaceInHousehold(const Actor& a, Transaction& tx, Person& p, int64_t household_id) {
  auto h = tx.GetHousehold(HouseholdId(household_id));
  // A household outside the actor's region is "not found", as a read says: a write must not
  // tell anyone that it exists, nor where.
  if (absl::IsNotFound(h.status()) || (h.ok() && !a.InScope(h->region_code))) {
    return FieldError("household_id", absl::StrCat("household ", household_id, " does not exist"));
  }
  JA_RETURN_IF_ERROR(h.status());
  if (h->meta.deleted()) {
    return FieldError("household_id", "the household was deleted; restore it first");
  }
  p.household_id = h->id;
  p.region_code = h->region_code;
  return absl::OkStatus();
}
}  // namespace

absl::StatusOr<WriteResult<Person>> RegisterService::CreatePerson(const Actor& a, const Fields& f) {
  JA_RETURN_IF_ERROR(RequireWrite(a, Resource::kPerson, "persons"));
  std::vector<absl::string_view> keys = PatchKeys<Person>();
  keys.erase(std::find(keys.begin(), keys.end(), "version"));
  JA_RETURN_IF_ERROR(RejectUnknownFields(f, keys));
  JA_ASSIGN_OR_RETURN(int64_t household_id, IdField(f, "household_id"));
  domain::ValidationContext vc = ctx_.Validation();
  FieldReader r(f, vc);
  WriteResult<Person> out;
  out.warnings = domain::ReadPerson(r, out.record);
  JA_RETURN_IF_ERROR(r.status());
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    JA_RETURN_IF_ERROR(PlaceInHousehold(a, tx, out.record, household_id));
    absl::Status s = tx.InsertPerson(out.record);
    if (absl::IsAlreadyExists(s)) {
      return WithField(
          WithReason(absl::AlreadyExistsError("a person with this ID number is already registered"),
                     {"person_exists", {}}),
          "id_number");
    }
    JA_RETURN_IF_ERROR(s);
    tx.Notify(storage::Change::Record(storage::Topic::kPerson, out.record.id.value()));
    return tx.InsertAudit(Audit(a, "create", "person", out.record.id.value()));
  }));
  return out;
}

absl::StatusOr<Person> RegisterService::GetPerson(const Actor& a, PersonId id) {
  return Ops<Person>::Get(*this, a, id);
}

absl::StatusOr<RegisterService::Revealed> RegisterService::Reveal(const Actor& a,
                                                                  absl::string_view entity,
                                                                  int64_t id,
                                                                  absl::string_view reason) {
  if (!a.MayReveal()) {
    return absl::PermissionDeniedError(
        "only officers and helpers may see full ID and phone numbers");
  }
  std::string why(absl::StripAsciiWhitespace(reason));
  if (why.size() < 4 || why.size() > 500) {
    return FieldError("reason", "say why the full numbers are needed (4 to 500 bytes)");
  }
  Revealed out;
  std::string detail = absl::StrCat("reason: ", why);
  if (entity == "person") {
    JA_ASSIGN_OR_RETURN(Person p, Ops<Person>::Get(*this, a, PersonId(id), "reveal", detail));
    out.id_number = p.id_number;
    out.phone = p.phone;
  } else if (entity == "household") {
    JA_ASSIGN_OR_RETURN(Household h,
                        Ops<Household>::Get(*this, a, HouseholdId(id), "reveal", detail));
    out.id_number = h.head_id_number;
    out.phone = h.phone;
  } else if (entity == "employer") {
    JA_ASSIGN_OR_RETURN(Employer e, Ops<Employer>::Get(*this, a, EmployerId(id), "reveal", detail));
    out.phone = e.contact_phone;
  } else {
    return absl::NotFoundError(absl::StrCat("there are no ", entity, " records to reveal"));
  }
  return out;
}

absl::StatusOr<WriteResult<Person>> RegisterService::UpdatePerson(const Actor& a, PersonId id,
                                                                  const Fields& patch) {
  return Ops<Person>::Update(
      *this, a, id, patch,
      [&](Transaction& tx, const Person& old, Person& next, const Fields& p) -> absl::Status {
        auto it = p.find("household_id");
        if (it == p.end() || it->second == absl::StrCat(old.household_id.value())) {
          return absl::OkStatus();
        }
        JA_ASSIGN_OR_RETURN(int64_t hid, IdField(p, "household_id"));
        // Both households change (their members, and so their figures).
        tx.Notify(storage::Change::Record(storage::Topic::kHousehold, old.household_id.value()));
        tx.Notify(storage::Change::Record(storage::Topic::kHousehold, hid));
        return PlaceInHousehold(a, tx, next, hid);
      });
}

absl::StatusOr<Person> RegisterService::DeletePerson(const Actor& a, PersonId id, int64_t version,
                                                     const std::string& reason) {
  return Ops<Person>::SetDeleted(*this, a, id, version, reason, true, kNoCascade);
}

absl::StatusOr<Person> RegisterService::RestorePerson(const Actor& a, PersonId id,
                                                      int64_t version) {
  return Ops<Person>::SetDeleted(
      *this, a, id, version, "", false, [](Transaction& tx, const Person& p) -> absl::Status {
        JA_ASSIGN_OR_RETURN(Household h, tx.GetHousehold(p.household_id));
        if (h.meta.deleted()) {
          return absl::FailedPreconditionError(
              "the person's household is deleted; restore the household first");
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<storage::Page<Person>> RegisterService::ListPersons(const Actor& a,
                                                                   const ListFilter& f) {
  JA_RETURN_IF_ERROR(RequireRead(a, Resource::kPerson, "persons"));
  if (a.role == Role::kLaborer) {
    return absl::PermissionDeniedError("a laborer account can open only its own record");
  }
  storage::PersonQuery q;
  JA_ASSIGN_OR_RETURN(q.scope, NarrowScope(a, f.region, ctx_));
  q.poverty_type = f.poverty_type;
  q.intention = f.intention;
  if (!f.employment.empty() && f.employment != "employed" && f.employment != "unemployed") {
    return FieldError("employment", "employment must be employed or unemployed");
  }
  q.employment = f.employment;
  q.as_of = ctx_.clock.Today().ToString();
  q.name = f.q;
  if (!f.id_number.empty()) q.id_number = f.id_number;
  q.household_id = HouseholdId(f.household_id);
  if (!f.unverified.empty()) {
    JA_ASSIGN_OR_RETURN(Quarter quarter, ParseQuarter(f.unverified, ctx_.clock.Today()));
    q.unverified_since = int64_t{quarter.first.days()} * 86400000;
  }
  q.deleted = f.deleted;
  q.page = f.page;
  storage::Page<Person> out;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(out, tx.ListPersons(q));
    return absl::OkStatus();
  }));
  JA_RETURN_IF_ERROR(audit_.Record(Audit(a, "list", "person", 0,
                                         absl::StrCat(out.items.size(), " of ", out.total, " in ",
                                                      domain::FormatRegionCode(q.scope.lo)))));
  return out;
}

// ---- employers ----

absl::StatusOr<WriteResult<Employer>> RegisterService::CreateEmployer(const Actor& a,
                                                                      const Fields& f) {
  JA_RETURN_IF_ERROR(RequireWrite(a, Resource::kEmployer, "employers"));
  if (a.role == Role::kEmployer) {
    return absl::PermissionDeniedError("an employer account cannot register other employers");
  }
  std::vector<absl::string_view> keys = PatchKeys<Employer>();
  keys.pop_back();
  JA_RETURN_IF_ERROR(RejectUnknownFields(f, keys));
  domain::ValidationContext vc = ctx_.Validation();
  FieldReader r(f, vc);
  WriteResult<Employer> out;
  domain::ReadEmployer(r, out.record);
  JA_RETURN_IF_ERROR(r.status());
  JA_RETURN_IF_ERROR(RequireWriteScope(a, out.record.region_code, ctx_));
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    absl::Status s = tx.InsertEmployer(out.record);
    if (absl::IsAlreadyExists(s)) {
      return WithField(WithReason(absl::AlreadyExistsError(
                                      "an employer with this credit code is already registered"),
                                  {"employer_exists", {}}),
                       "credit_code");
    }
    JA_RETURN_IF_ERROR(s);
    tx.Notify(storage::Change::Record(storage::Topic::kEmployer, out.record.id.value()));
    return tx.InsertAudit(Audit(a, "create", "employer", out.record.id.value()));
  }));
  return out;
}

absl::StatusOr<Employer> RegisterService::GetEmployer(const Actor& a, EmployerId id) {
  return Ops<Employer>::Get(*this, a, id);
}

absl::StatusOr<WriteResult<Employer>> RegisterService::UpdateEmployer(const Actor& a, EmployerId id,
                                                                      const Fields& patch) {
  return Ops<Employer>::Update(*this, a, id, patch, kNoHook);
}

absl::StatusOr<Employer> RegisterService::DeleteEmployer(const Actor& a, EmployerId id,
                                                         int64_t version,
                                                         const std::string& reason) {
  return Ops<Employer>::SetDeleted(*this, a, id, version, reason, true, kNoCascade);
}

absl::StatusOr<Employer> RegisterService::RestoreEmployer(const Actor& a, EmployerId id,
                                                          int64_t version) {
  return Ops<Employer>::SetDeleted(*this, a, id, version, "", false, kNoCascade);
}

absl::StatusOr<storage::Page<Employer>> RegisterService::ListEmployers(const Actor& a,
                                                                       const ListFilter& f) {
  JA_RETURN_IF_ERROR(RequireRead(a, Resource::kEmployer, "employers"));
  storage::Page<Employer> out;
  if (a.role == Role::kEmployer) {  // an employer account sees itself only
    JA_ASSIGN_OR_RETURN(Employer e, GetEmployer(a, a.employer_id));
    out.items.push_back(std::move(e));
    out.total = 1;
    return out;
  }
  storage::EmployerQuery q;
  JA_ASSIGN_OR_RETURN(q.scope, NarrowScope(a, f.region, ctx_));
  q.kind = f.kind;
  q.name = f.q;
  q.deleted = f.deleted;
  q.page = f.page;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(out, tx.ListEmployers(q));
    return absl::OkStatus();
  }));
  return out;
}

// ---- jobs ----

absl::StatusOr<WriteResult<Job>> RegisterService::CreateJob(const Actor& a, const Fields& f) {
  JA_RETURN_IF_ERROR(RequireWrite(a, Resource::kJob, "jobs"));
  std::vector<absl::string_view> keys = PatchKeys<Job>();
  keys.erase(std::find(keys.begin(), keys.end(), "version"));
  JA_RETURN_IF_ERROR(RejectUnknownFields(f, keys));
  int64_t employer_id = a.employer_id.value();
  if (a.role != Role::kEmployer || f.contains("employer_id")) {
    JA_ASSIGN_OR_RETURN(employer_id, IdField(f, "employer_id"));
  }
  domain::ValidationContext vc = ctx_.Validation();
  FieldReader r(f, vc);
  WriteResult<Job> out;
  domain::ReadJob(r, out.record);
  JA_RETURN_IF_ERROR(r.status());
  out.record.employer_id = EmployerId(employer_id);
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    auto e = tx.GetEmployer(out.record.employer_id);
    if (absl::IsNotFound(e.status())) {
      return FieldError("employer_id", absl::StrCat("employer ", employer_id, " does not exist"));
    }
    JA_RETURN_IF_ERROR(e.status());
    if (e->meta.deleted()) return FieldError("employer_id", "the employer was deleted");
    JA_RETURN_IF_ERROR(CheckWritable(a, out.record, ctx_));
    JA_RETURN_IF_ERROR(tx.InsertJob(out.record));
    tx.Notify(storage::Change::Record(storage::Topic::kJob, out.record.id.value()));
    return tx.InsertAudit(Audit(a, "create", "job", out.record.id.value()));
  }));
  return out;
}

absl::StatusOr<RegisterService::PublicJob> RegisterService::GetPublicJob(JobId id) {
  PublicJob out;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    auto j = tx.GetJob(id);
    if (absl::IsNotFound(j.status()) || (j.ok() && j->meta.deleted())) {
      return NotFound("job", id.value());
    }
    JA_RETURN_IF_ERROR(j.status());
    JA_ASSIGN_OR_RETURN(domain::Employer e, tx.GetEmployer(j->employer_id));
    out.job = std::move(*j);
    out.employer_name = e.name;
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Job> RegisterService::GetJob(const Actor& a, JobId id) {
  return Ops<Job>::Get(*this, a, id);
}

absl::StatusOr<WriteResult<Job>> RegisterService::UpdateJob(const Actor& a, JobId id,
                                                            const Fields& patch) {
  return Ops<Job>::Update(
      *this, a, id, patch, [](Transaction&, const Job& old, Job&, const Fields& p) -> absl::Status {
        auto it = p.find("employer_id");
        if (it != p.end() && it->second != absl::StrCat(old.employer_id.value())) {
          return FieldError("employer_id",
                            "a job cannot move to another employer; close it "
                            "and post a new one");
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<Job> RegisterService::DeleteJob(const Actor& a, JobId id, int64_t version,
                                               const std::string& reason) {
  return Ops<Job>::SetDeleted(*this, a, id, version, reason, true, kNoCascade);
}

absl::StatusOr<Job> RegisterService::RestoreJob(const Actor& a, JobId id, int64_t version) {
  return Ops<Job>::SetDeleted(*this, a, id, version, "", false, kNoCascade);
}

absl::StatusOr<storage::Page<Job>> RegisterService::ListJobs(const Actor& a, const ListFilter& f) {
  JA_RETURN_IF_ERROR(RequireRead(a, Resource::kJob, "jobs"));
  storage::JobQuery q;
  if (a.role == Role::kLaborer) {
    // Laborers look for work anywhere; they see open postings only.
    if (!f.region.empty()) {
      auto r = ctx_.regions.Lookup(f.region);
      if (!r.ok()) return WithField(r.status(), "region");
      q.scope = r->range();
    }
    q.status = "open";
  } else {
    JA_ASSIGN_OR_RETURN(q.scope, NarrowScope(a, f.region, ctx_));
    q.status = f.status;
  }
  if (a.role == Role::kEmployer) {
    q.employer_id = a.employer_id;
  } else {
    q.employer_id = EmployerId(f.employer_id);
  }
  q.kind = f.kind;
  q.title = f.q;
  q.deleted = f.deleted && a.role != Role::kLaborer;
  q.page = f.page;
  storage::Page<Job> out;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(out, tx.ListJobs(q));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<storage::RegisterCounts> RegisterService::Counts(const Actor& a,
                                                                const std::string& region) {
  JA_RETURN_IF_ERROR(RequireRead(a, Resource::kHousehold, "the register's figures"));
  if (a.role == Role::kLaborer) {
    return absl::PermissionDeniedError("a laborer account cannot see the register's figures");
  }
  JA_ASSIGN_OR_RETURN(domain::RegionRange range, NarrowScope(a, region, ctx_));
  storage::RegisterCounts c;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(c, tx.CountRegister(range));
    return absl::OkStatus();
  }));
  return c;
}

}  // namespace jobaid::service
