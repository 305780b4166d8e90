#include "storage/sql_tx.h"

#include "storage/sql_tx_internal.h"

namespace jobaid::storage {
namespace internal {

absl::Status SqlTx::ReadFact(const Stmt& st, storage::FactSink& sink) {
  auto date = [](const std::string& text) {
    absl::StatusOr<Date> d = Date::Parse(text);
    return d.ok() ? *d : Date();
  };
  switch (st.Int(0)) {
    case 0:
      return sink.Household({st.Int(1), st.Int(2), st.Int(3) != 0});
    case 1: {
      storage::PersonFact p;
      p.id = st.Int(1);
      p.household_id = st.Int(2);
      p.able = st.Int(3) != 0;
      p.wants = st.Int(4) != 0;
      p.birth_date = date(st.Text(6));
      return sink.Person(p);
    }
    case 2: {
      storage::SpellFact e;
      e.person_id = st.Int(1);
      e.region_code = st.Int(2);
      e.by_transfer = st.Int(3) != 0;
      e.start = date(st.Text(6));
      e.end = date(st.Text(7));  // '' while open: no date
      return sink.Spell(e);
    }
    default:
      return sink.Income({st.Int(1), static_cast<int>(st.Int(2)), st.Int(3), st.Int(4)});
  }
}

absl::Status SqlTx::CheckUpdated(absl::string_view table, int64_t id) {
  if (c_.Changes() > 0) return absl::OkStatus();
  JA_ASSIGN_OR_RETURN(Stmt * st,
                      c_.Prepare(absl::StrCat("SELECT 1 FROM ", table, " WHERE id = ?")));
  st->Bind(id);
  JA_ASSIGN_OR_RETURN(bool row, st->Step());
  JA_RETURN_IF_ERROR(st->Run());
  absl::string_view what = table == "app_user" ? "user" : table;
  if (!row) return absl::NotFoundError(absl::StrCat(what, " ", id, " does not exist"));
  return WithField(
      absl::AbortedError(absl::StrCat("this ", what,
                                      " was changed by someone else since you read it; reload "
                                      "it and apply your change again")),
      "version");
}

void SqlTx::BindHousehold(Stmt& st, const Household& h, const SealedPii* ahead) {
  scratch_.clear();
  st.Bind(ProvinceOf(h.region_code)).Bind(h.region_code).Bind(h.head_name);
  BindSealed(st, h.head_id_number, true, ahead ? &ahead->id_sealed : nullptr,
             ahead ? &ahead->id_hash : nullptr);
  st.Bind(h.poverty_type).Bind(h.monitor_type).Bind(h.status);
  BindSealed(st, h.phone, false, ahead ? &ahead->phone_sealed : nullptr, nullptr);
  st.Bind(h.address);
  if (h.helper_id.valid()) {
    st.Bind(h.helper_id.value());
  } else {
    st.BindNull();
  }
  st.Bind(h.note);
}

absl::StatusOr<Household> SqlTx::ReadHousehold(const Stmt& st) {
  Household h;
  h.id = HouseholdId(st.Int(0));
  h.region_code = st.Int(1);
  h.head_name = st.Text(2);
  JA_ASSIGN_OR_RETURN(h.head_id_number, OpenSealed(st, 3));
  h.poverty_type = st.Text(4);
  h.monitor_type = st.Text(5);
  h.status = st.Text(6);
  JA_ASSIGN_OR_RETURN(h.phone, OpenSealed(st, 7));
  h.address = st.Text(8);
  h.helper_id = UserId(st.Int(9));
  h.note = st.Text(10);
  ReadMeta(st, 11, h.meta);
  return h;
}

void SqlTx::BindPerson(Stmt& st, const Person& p, const SealedPii* ahead) {
  scratch_.clear();
  st.Bind(ProvinceOf(p.region_code))
      .Bind(p.household_id.value())
      .Bind(p.region_code)
      .BindRef(p.name);
  BindSealed(st, p.id_number, true, ahead ? &ahead->id_sealed : nullptr,
             ahead ? &ahead->id_hash : nullptr);
  st.BindRef(p.gender).BindRef(Keep(DateText(p.birth_date)));
  BindSealed(st, p.phone, false, ahead ? &ahead->phone_sealed : nullptr, nullptr);
  st.BindRef(p.relation)
      .BindRef(p.education)
      .BindRef(p.health)
      .BindRef(p.work_ability)
      .BindRef(Keep(domain::JoinList(p.skills)))
      .BindRef(Keep(domain::JoinList(p.certificates)))
      .BindRef(p.intention)
      .Bind(p.intention_region)
      .BindRef(Keep(domain::JoinList(p.wanted_occupations)))
      .Bind(p.expected_wage)
      .BindRef(p.note);
}

absl::StatusOr<Person> SqlTx::ReadPerson(const Stmt& st) {
  Person p;
  p.id = PersonId(st.Int(0));
  p.household_id = HouseholdId(st.Int(1));
  p.region_code = st.Int(2);
  p.name = st.Text(3);
  JA_ASSIGN_OR_RETURN(p.id_number, OpenSealed(st, 4));
  p.gender = st.Text(5);
  p.birth_date = DateFrom(st.Text(6));
  JA_ASSIGN_OR_RETURN(p.phone, OpenSealed(st, 7));
  p.relation = st.Text(8);
  p.education = st.Text(9);
  p.health = st.Text(10);
  p.work_ability = st.Text(11);
  p.skills = ListFrom(st.Text(12));
  p.certificates = ListFrom(st.Text(13));
  p.intention = st.Text(14);
  p.intention_region = st.Int(15);
  p.wanted_occupations = ListFrom(st.Text(16));
  p.expected_wage = st.Int(17);
  p.note = st.Text(18);
  ReadMeta(st, 19, p.meta);
  return p;
}

void SqlTx::BindEmployer(Stmt& st, const Employer& e) {
  scratch_.clear();
  st.Bind(ProvinceOf(e.region_code))
      .Bind(e.credit_code)
      .Bind(e.name)
      .Bind(e.region_code)
      .Bind(domain::JoinList(e.kinds))
      .Bind(e.industry)
      .Bind(e.contact_name);
  BindSealed(st, e.contact_phone, false, nullptr, nullptr);
  st.Bind(e.address).Bind(e.note);
}

absl::StatusOr<Employer> SqlTx::ReadEmployer(const Stmt& st) {
  Employer e;
  e.id = EmployerId(st.Int(0));
  e.credit_code = st.Text(1);
  e.name = st.Text(2);
  e.region_code = st.Int(3);
  e.kinds = ListFrom(st.Text(4));
  e.industry = st.Text(5);
  e.contact_name = st.Text(6);
  JA_ASSIGN_OR_RETURN(e.contact_phone, OpenSealed(st, 7));
  e.address = st.Text(8);
  e.note = st.Text(9);
  ReadMeta(st, 10, e.meta);
  return e;
}

void SqlTx::BindJob(Stmt& st, const Job& j) {
  st.Bind(ProvinceOf(j.region_code))
      .Bind(j.employer_id.value())
      .Bind(j.title)
      .Bind(j.occupation)
      .Bind(domain::JoinList(j.skills))
      .Bind(j.region_code)
      .Bind(j.wage_min)
      .Bind(j.wage_max)
      .Bind(int64_t{j.openings})
      .Bind(int64_t{j.min_age})
      .Bind(int64_t{j.max_age})
      .Bind(j.min_education)
      .Bind(int64_t{j.board})
      .Bind(int64_t{j.lodging})
      .Bind(int64_t{j.transport})
      .Bind(j.kind)
      .Bind(j.status)
      .Bind(DateText(j.start_date))
      .Bind(DateText(j.end_date))
      .Bind(j.description)
      .Bind(int64_t{j.hired});
}

Job SqlTx::ReadJob(const Stmt& st) {
  Job j;
  j.id = JobId(st.Int(0));
  j.employer_id = EmployerId(st.Int(1));
  j.title = st.Text(2);
  j.occupation = st.Text(3);
  j.skills = ListFrom(st.Text(4));
  j.region_code = st.Int(5);
  j.wage_min = st.Int(6);
  j.wage_max = st.Int(7);
  j.openings = static_cast<int32_t>(st.Int(8));
  j.min_age = static_cast<int32_t>(st.Int(9));
  j.max_age = static_cast<int32_t>(st.Int(10));
  j.min_education = st.Text(11);
  j.board = st.Int(12) != 0;
  j.lodging = st.Int(13) != 0;
  j.transport = st.Int(14) != 0;
  j.kind = st.Text(15);
  j.status = st.Text(16);
  j.start_date = DateFrom(st.Text(17));
  j.end_date = DateFrom(st.Text(18));
  j.description = st.Text(19);
  j.hired = static_cast<int32_t>(st.Int(20));
  ReadMeta(st, 21, j.meta);
  return j;
}

absl::StatusOr<int64_t> SqlTx::PersonProvince(PersonId id) {
  for (const auto& [person, province] : recent_persons_) {
    if (person == id.value()) return province;
  }
  JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("SELECT region_code FROM person WHERE id = ?"));
  st->Bind(id.value());
  JA_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    return WithField(absl::NotFoundError(absl::StrCat("person ", id.value(), " does not exist")),
                     "person_id");
  }
  int64_t region = st->Int(0);
  JA_RETURN_IF_ERROR(st->Run());
  return ProvinceOf(region);
}

void SqlTx::BindOptionalId(Stmt& st, int64_t id) {
  if (id > 0) {
    st.Bind(id);
  } else {
    st.BindNull();
  }
}

void SqlTx::BindEmployment(Stmt& st, const domain::Employment& e) {
  st.Bind(e.person_id.value());
  BindOptionalId(st, e.employer_id.value());
  BindOptionalId(st, e.job_id.value());
  st.Bind(e.kind)
      .Bind(e.region_code)
      .Bind(DateText(e.start_date))
      .Bind(DateText(e.end_date))
      .Bind(e.monthly_income)
      .Bind(e.how_found)
      .Bind(int64_t{e.part_time});
}

domain::Employment SqlTx::ReadEmployment(const Stmt& st) {
  domain::Employment e;
  e.id = EmploymentId(st.Int(0));
  e.person_id = PersonId(st.Int(1));
  e.employer_id = EmployerId(st.IsNull(2) ? 0 : st.Int(2));
  e.job_id = JobId(st.IsNull(3) ? 0 : st.Int(3));
  e.kind = st.Text(4);
  e.region_code = st.Int(5);
  e.start_date = DateFrom(st.Text(6));
  e.end_date = DateFrom(st.Text(7));
  e.monthly_income = st.Int(8);
  e.how_found = st.Text(9);
  e.part_time = st.Int(10) != 0;
  ReadMeta(st, 11, e.meta);
  return e;
}

void SqlTx::BindApplication(Stmt& st, const domain::Application& a) {
  st.Bind(a.person_id.value())
      .Bind(a.job_id.value())
      .Bind(a.employer_id.value())
      .Bind(a.region_code)
      .Bind(a.state)
      .BindDouble(a.score)
      .Bind(a.reasons)
      .Bind(a.state_reason)
      .Bind(a.employment_id.value());
}

domain::Application SqlTx::ReadApplication(const Stmt& st) {
  domain::Application a;
  a.id = ApplicationId(st.Int(0));
  a.person_id = PersonId(st.Int(1));
  a.job_id = JobId(st.Int(2));
  a.employer_id = EmployerId(st.Int(3));
  a.region_code = st.Int(4);
  a.state = st.Text(5);
  a.score = st.Double(6);
  a.reasons = st.Text(7);
  a.state_reason = st.Text(8);
  a.employment_id = EmploymentId(st.Int(9));
  ReadMeta(st, 10, a.meta, /*has_delete=*/false);
  return a;
}

void SqlTx::BindUser(Stmt& st, const User& u) {
  st.Bind(u.username)
      .Bind(u.display_name)
      .Bind(u.role)
      .Bind(u.region_code)
      .Bind(int64_t{u.scope_level});
  if (u.employer_id.valid()) {
    st.Bind(u.employer_id.value());
  } else {
    st.BindNull();
  }
  if (u.person_id.valid()) {
    st.Bind(u.person_id.value());
  } else {
    st.BindNull();
  }
  st.Bind(u.password_hash).Bind(int64_t{u.disabled});
}

User SqlTx::ReadUser(const Stmt& st) {
  User u;
  u.id = UserId(st.Int(0));
  u.username = st.Text(1);
  u.display_name = st.Text(2);
  u.role = st.Text(3);
  u.region_code = st.Int(4);
  u.scope_level = static_cast<int>(st.Int(5));
  u.employer_id = EmployerId(st.Int(6));
  u.person_id = PersonId(st.Int(7));
  u.password_hash = st.Text(8);
  u.disabled = st.Int(9) != 0;
  ReadMeta(st, 10, u.meta, /*has_delete=*/false);
  u.failed_logins = static_cast<int>(st.Int(13));
  u.locked_until = st.Int(14);
  return u;
}

void SqlTx::ReadFlags(const Stmt& st, domain::RegionFlags& f) {
  f.key_county = st.Int(0) != 0;
  f.poverty_village = st.Int(1) != 0;
  f.relocation_site = st.Int(2) != 0;
  ReadMeta(st, 3, f.meta, /*has_delete=*/false);
}

}  // namespace internal

using internal::SqlTx;

std::unique_ptr<Transaction> NewSqlTx(sql::Connection& c, Dialect dialect, const PiiCodec& codec,
                                      IdGenerator& ids, const Clock& clock,
                                      std::vector<Change>* changes) {
  return std::make_unique<SqlTx>(c, dialect, codec, ids, clock, changes);
}

void ChangeHub::Subscribe(std::function<void(const Change&)> fn) {
  absl::MutexLock lock(&mu_);
  subscribers_.push_back(std::move(fn));
}

void ChangeHub::Deliver(const Change& c) {
  std::vector<std::function<void(const Change&)>> subs;
  {
    absl::MutexLock lock(&mu_);
    subs = subscribers_;
  }
  for (const auto& fn : subs) fn(c);
}

}  // namespace jobaid::storage
