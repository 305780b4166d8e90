// SqlTx: households, persons, employers and jobs.
#include "storage/sql_tx_internal.h"

namespace jobaid::storage::internal {

absl::StatusOr<std::optional<Household>> SqlTx::FindHouseholdByHead(const std::string& id) {
  return QueryOne<Household>(
      absl::StrCat("SELECT ", kHouseholdCols, " FROM household WHERE head_id_hash = ?"),
      [&](Stmt& st) { st.BindBlob(codec_.Hash(id)); },
      [this](const Stmt& st) { return ReadHousehold(st); });
}

absl::Status SqlTx::InsertHousehold(Household& h, const SealedPii* ahead) {
  if (!h.id.valid()) h.id = HouseholdId(ids_.Next());
  StampNew(h.meta);
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("INSERT INTO household (id, province_code, region_code, head_name, head_id_enc, "
                 "head_id_hash, poverty_type, monitor_type, status, phone_enc, address, "
                 "helper_id, note, created_at, updated_at, deleted_at, delete_reason, version) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  st->Bind(h.id.value());
  BindHousehold(*st, h, ahead);
  st->Bind(h.meta.created_at)
      .Bind(h.meta.updated_at)
      .Bind(h.meta.deleted_at)
      .Bind(h.meta.delete_reason)
      .Bind(h.meta.version);
  return WithField(st->Run(), "head_id_number");
}

absl::Status SqlTx::UpdateHousehold(Household& h) {
  recent_persons_.clear();  // its members may move
  int64_t now = clock_.NowMs();
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("UPDATE household SET province_code=?, region_code=?, head_name=?, "
                 "head_id_enc=?, head_id_hash=?, poverty_type=?, monitor_type=?, status=?, "
                 "phone_enc=?, address=?, helper_id=?, note=?, updated_at=?, deleted_at=?, "
                 "delete_reason=?, version=version+1 WHERE id=? AND version=?"));
  BindHousehold(*st, h);
  st->Bind(now)
      .Bind(h.meta.deleted_at)
      .Bind(h.meta.delete_reason)
      .Bind(h.id.value())
      .Bind(h.meta.version);
  JA_RETURN_IF_ERROR(WithField(st->Run(), "head_id_number"));
  JA_RETURN_IF_ERROR(CheckUpdated("household", h.id.value()));
  // Members live where their household lives.
  JA_ASSIGN_OR_RETURN(Stmt * mv, c_.Prepare("UPDATE person SET region_code=?, province_code=? "
                                            "WHERE household_id=? AND region_code<>?"));
  mv->Bind(h.region_code).Bind(ProvinceOf(h.region_code)).Bind(h.id.value()).Bind(h.region_code);
  JA_RETURN_IF_ERROR(mv->Run());
  h.meta.updated_at = now;
  ++h.meta.version;
  return absl::OkStatus();
}

absl::StatusOr<Page<Household>> SqlTx::ListHouseholds(const HouseholdQuery& q) {
  ListBuilder b{"household"};
  b.Add(q.deleted ? "deleted_at <> 0" : "deleted_at = 0");
  AddScope(b, q.scope);
  if (!q.poverty_type.empty()) b.Add("poverty_type = ?", {q.poverty_type});
  if (!q.status.empty()) b.Add("status = ?", {q.status});
  if (!q.name.empty()) b.Add("head_name LIKE ? ESCAPE '\\'", {LikePattern(q.name)});
  if (q.head_id_number) b.Add("head_id_hash = ?", {Blob{codec_.Hash(*q.head_id_number)}});
  if (q.helper_id.valid()) b.Add("helper_id = ?", {q.helper_id.value()});
  static const std::vector<SortSpec> kSorts = {{"region_code", "region_code", true},
                                               {"id", "id", true},
                                               {"head_name", "head_name", false},
                                               {"created_at", "created_at", true},
                                               {"updated_at", "updated_at", true}};
  return RunList<Household>(b, kHouseholdCols, kSorts, q.page,
                            [this](Stmt& st) { return ReadHousehold(st); });
}

absl::StatusOr<std::optional<Person>> SqlTx::FindPersonByIdNumber(const std::string& id) {
  return QueryOne<Person>(
      absl::StrCat("SELECT ", kPersonCols, " FROM person WHERE id_number_hash = ?"),
      [&](Stmt& st) { st.BindBlob(codec_.Hash(id)); },
      [this](const Stmt& st) { return ReadPerson(st); });
}

absl::Status SqlTx::InsertPerson(Person& p, const SealedPii* ahead) {
  if (!p.id.valid()) p.id = PersonId(ids_.Next());
  StampNew(p.meta);
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("INSERT INTO person (id, province_code, household_id, region_code, name, "
                 "id_number_enc, id_number_hash, gender, birth_date, phone_enc, "
                 "relation, education, health, work_ability, skills, certificates, intention, "
                 "intention_region, wanted_occupations, expected_wage, note, created_at, "
                 "updated_at, deleted_at, delete_reason, version) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  st->Bind(p.id.value());
  BindPerson(*st, p, ahead);
  st->Bind(p.meta.created_at)
      .Bind(p.meta.updated_at)
      .Bind(p.meta.deleted_at)
      .Bind(p.meta.delete_reason)
      .Bind(p.meta.version);
  JA_RETURN_IF_ERROR(WithField(st->Run(), "id_number"));
  if (bulk_) {  // a bulk load's spells follow their persons: no need to read the row back
    if (recent_persons_.size() == 16) recent_persons_.erase(recent_persons_.begin());
    recent_persons_.emplace_back(p.id.value(), ProvinceOf(p.region_code));
  }
  return absl::OkStatus();
}

absl::Status SqlTx::UpdatePerson(Person& p) {
  recent_persons_.clear();  // they may move
  int64_t now = clock_.NowMs();
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("UPDATE person SET province_code=?, household_id=?, region_code=?, name=?, "
                 "id_number_enc=?, id_number_hash=?, gender=?, birth_date=?, phone_enc=?, "
                 "relation=?, education=?, health=?, work_ability=?, skills=?, "
                 "certificates=?, intention=?, intention_region=?, wanted_occupations=?, "
                 "expected_wage=?, note=?, updated_at=?, deleted_at=?, delete_reason=?, "
                 "version=version+1 WHERE id=? AND version=?"));
  BindPerson(*st, p);
  st->Bind(now)
      .Bind(p.meta.deleted_at)
      .Bind(p.meta.delete_reason)
      .Bind(p.id.value())
      .Bind(p.meta.version);
  JA_RETURN_IF_ERROR(WithField(st->Run(), "id_number"));
  JA_RETURN_IF_ERROR(CheckUpdated("person", p.id.value()));
  p.meta.updated_at = now;
  ++p.meta.version;
  return absl::OkStatus();
}

absl::StatusOr<Page<Person>> SqlTx::ListPersons(const PersonQuery& q) {
  ListBuilder b{"person"};
  b.Add(q.deleted ? "deleted_at <> 0" : "deleted_at = 0");
  AddScope(b, q.scope);
  if (!q.poverty_type.empty()) {
    b.Add("household_id IN (SELECT id FROM household WHERE poverty_type = ?)", {q.poverty_type});
  }
  if (!q.intention.empty()) b.Add("intention = ?", {q.intention});
  if (!q.employment.empty()) {
    std::string cond =
        "EXISTS (SELECT 1 FROM employment e WHERE e.person_id = person.id AND e.deleted_at = 0 "
        "AND e.start_date <= ? AND (e.end_date = '' OR e.end_date >= ?))";
    b.Add(q.employment == "employed" ? cond : "NOT " + cond, {q.as_of, q.as_of});
  }
  if (!q.name.empty()) b.Add("name LIKE ? ESCAPE '\\'", {LikePattern(q.name)});
  if (q.id_number) b.Add("id_number_hash = ?", {Blob{codec_.Hash(*q.id_number)}});
  if (q.household_id.valid()) b.Add("household_id = ?", {q.household_id.value()});
  if (q.unverified_since > 0) {
    b.Add(
        "NOT EXISTS (SELECT 1 FROM verification v WHERE v.person_id = person.id AND "
        "v.verified_at >= ?)",
        {q.unverified_since});
  }
  static const std::vector<SortSpec> kSorts = {{"region_code", "region_code", true},
                                               {"id", "id", true},
                                               {"name", "name", false},
                                               {"birth_date", "birth_date", false},
                                               {"created_at", "created_at", true},
                                               {"updated_at", "updated_at", true}};
  return RunList<Person>(b, kPersonCols, kSorts, q.page,
                         [this](Stmt& st) { return ReadPerson(st); });
}

absl::StatusOr<std::vector<domain::HouseholdIncome>> SqlTx::ListHouseholdIncome(
    const Household& h) {
  JA_ASSIGN_OR_RETURN(Stmt * st,
                      c_.Prepare("SELECT year, wage, business, property, transfer, updated_at, "
                                 "version FROM household_income WHERE household_id = ? AND "
                                 "province_code = ? ORDER BY year"));
  st->Bind(h.id.value()).Bind(ProvinceOf(h.region_code));
  std::vector<domain::HouseholdIncome> out;
  for (;;) {
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    domain::HouseholdIncome i;
    i.household_id = h.id;
    i.year = static_cast<int>(st->Int(0));
    i.wage = st->Int(1);
    i.business = st->Int(2);
    i.property = st->Int(3);
    i.transfer = st->Int(4);
    i.updated_at = st->Int(5);
    i.version = st->Int(6);
    out.push_back(i);
  }
  return out;
}

absl::StatusOr<std::vector<domain::Target>> SqlTx::ListTargets(RegionRange r, int year) {
  JA_ASSIGN_OR_RETURN(Stmt * st,
                      c_.Prepare("SELECT indicator, region_code, year, value, updated_at, version "
                                 "FROM target WHERE region_code >= ? AND region_code < ? AND "
                                 "(? = 0 OR year = ?) ORDER BY region_code, year, indicator"));
  st->Bind(r.lo).Bind(r.hi).Bind(int64_t{year}).Bind(int64_t{year});
  std::vector<domain::Target> out;
  for (;;) {
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    domain::Target& t = out.emplace_back();
    t.indicator = st->Text(0);
    t.region_code = st->Int(1);
    t.year = static_cast<int>(st->Int(2));
    t.value = st->Double(3);
    t.updated_at = st->Int(4);
    t.version = st->Int(5);
  }
  return out;
}

absl::Status SqlTx::PutTarget(domain::Target& t) {
  const int64_t now = clock_.NowMs();
  if (t.version == 0) {
    JA_ASSIGN_OR_RETURN(Stmt * ins,
                        c_.Prepare("INSERT INTO target (indicator, region_code, year, value, "
                                   "created_at, updated_at, version) VALUES (?,?,?,?,?,?,1)"));
    ins->Bind(t.indicator).Bind(t.region_code).Bind(int64_t{t.year});
    ins->BindDouble(t.value).Bind(now).Bind(now);
    absl::Status s = ins->Run();
    if (absl::IsAlreadyExists(s)) {
      return absl::AbortedError("the target was set by someone else meanwhile; read it again");
    }
    JA_RETURN_IF_ERROR(s);
    t.version = 1;
  } else {
    JA_ASSIGN_OR_RETURN(
        Stmt * up, c_.Prepare("UPDATE target SET value = ?, updated_at = ?, version = version + 1 "
                              "WHERE indicator = ? AND region_code = ? AND year = ? AND "
                              "version = ?"));
    up->BindDouble(t.value).Bind(now).Bind(t.indicator).Bind(t.region_code);
    up->Bind(int64_t{t.year}).Bind(t.version);
    JA_RETURN_IF_ERROR(up->Run());
    if (c_.Changes() == 0) {
      return absl::AbortedError("the target was changed by someone else meanwhile; read it again");
    }
    ++t.version;
  }
  t.updated_at = now;
  return absl::OkStatus();
}

absl::Status SqlTx::PutHouseholdIncome(const Household& h, domain::HouseholdIncome& i) {
  const int64_t province = ProvinceOf(h.region_code), now = clock_.NowMs();
  int64_t created = now, version = 1;
  if (!bulk_new_rows_) {  // else the bulk load's caller vouches that the year is new
    JA_ASSIGN_OR_RETURN(Stmt * old,
                        c_.Prepare("SELECT created_at, version FROM household_income WHERE "
                                   "household_id = ? AND province_code = ? AND year = ?"));
    old->Bind(h.id.value()).Bind(province).Bind(int64_t{i.year});
    JA_ASSIGN_OR_RETURN(bool existed, old->Step());
    if (existed) {
      created = old->Int(0);
      version = old->Int(1) + 1;
    }
    JA_RETURN_IF_ERROR(old->Run());
    JA_ASSIGN_OR_RETURN(Stmt * del,
                        c_.Prepare("DELETE FROM household_income WHERE household_id = ? AND "
                                   "province_code = ? AND year = ?"));
    del->Bind(h.id.value()).Bind(province).Bind(int64_t{i.year});
    JA_RETURN_IF_ERROR(del->Run());
  }
  JA_ASSIGN_OR_RETURN(Stmt * ins,
                      c_.Prepare("INSERT INTO household_income (household_id, year, province_code, "
                                 "wage, business, property, transfer, created_at, updated_at, "
                                 "version) VALUES (?,?,?,?,?,?,?,?,?,?)"));
  ins->Bind(h.id.value())
      .Bind(int64_t{i.year})
      .Bind(province)
      .Bind(i.wage)
      .Bind(i.business)
      .Bind(i.property)
      .Bind(i.transfer)
      .Bind(created)
      .Bind(now)
      .Bind(version);
  JA_RETURN_IF_ERROR(ins->Run());
  i.updated_at = now;
  i.version = version;
  return absl::OkStatus();
}

absl::Status SqlTx::PutVerification(const Person& p, int64_t at, UserId by) {
  JA_ASSIGN_OR_RETURN(Stmt * del, c_.Prepare("DELETE FROM verification WHERE person_id = ? AND "
                                             "province_code = ?"));
  del->Bind(p.id.value()).Bind(ProvinceOf(p.region_code));
  JA_RETURN_IF_ERROR(del->Run());
  JA_ASSIGN_OR_RETURN(Stmt * ins, c_.Prepare("INSERT INTO verification (person_id, "
                                             "province_code, verified_at, verified_by) "
                                             "VALUES (?,?,?,?)"));
  ins->Bind(p.id.value()).Bind(ProvinceOf(p.region_code)).Bind(at).Bind(by.value());
  return ins->Run();
}

absl::StatusOr<std::vector<Person>> SqlTx::ListMembers(HouseholdId id) {
  JA_ASSIGN_OR_RETURN(
      Stmt * st, c_.Prepare(absl::StrCat("SELECT ", kPersonCols,
                                         " FROM person WHERE household_id = ? AND deleted_at = 0 "
                                         "ORDER BY relation <> 'head', birth_date, id")));
  st->Bind(id.value());
  std::vector<Person> out;
  for (;;) {
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    JA_ASSIGN_OR_RETURN(Person p, ReadPerson(*st));
    out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<std::optional<Employer>> SqlTx::FindEmployerByCreditCode(const std::string& code) {
  return QueryOne<Employer>(
      absl::StrCat("SELECT ", kEmployerCols, " FROM employer WHERE credit_code = ?"),
      [&](Stmt& st) { st.Bind(code); }, [this](const Stmt& st) { return ReadEmployer(st); });
}

absl::Status SqlTx::InsertEmployer(Employer& e) {
  if (!e.id.valid()) e.id = EmployerId(ids_.Next());
  StampNew(e.meta);
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("INSERT INTO employer (id, province_code, credit_code, name, region_code, "
                 "kinds, industry, contact_name, contact_phone_enc, address, note, created_at, "
                 "updated_at, deleted_at, delete_reason, version) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  st->Bind(e.id.value());
  BindEmployer(*st, e);
  st->Bind(e.meta.created_at)
      .Bind(e.meta.updated_at)
      .Bind(e.meta.deleted_at)
      .Bind(e.meta.delete_reason)
      .Bind(e.meta.version);
  return WithField(st->Run(), "credit_code");
}

absl::Status SqlTx::UpdateEmployer(Employer& e) {
  int64_t now = clock_.NowMs();
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("UPDATE employer SET province_code=?, credit_code=?, name=?, region_code=?, "
                 "kinds=?, industry=?, contact_name=?, contact_phone_enc=?, address=?, note=?, "
                 "updated_at=?, deleted_at=?, delete_reason=?, version=version+1 "
                 "WHERE id=? AND version=?"));
  BindEmployer(*st, e);
  st->Bind(now)
      .Bind(e.meta.deleted_at)
      .Bind(e.meta.delete_reason)
      .Bind(e.id.value())
      .Bind(e.meta.version);
  JA_RETURN_IF_ERROR(WithField(st->Run(), "credit_code"));
  JA_RETURN_IF_ERROR(CheckUpdated("employer", e.id.value()));
  e.meta.updated_at = now;
  ++e.meta.version;
  return absl::OkStatus();
}

absl::StatusOr<Page<Employer>> SqlTx::ListEmployers(const EmployerQuery& q) {
  ListBuilder b{"employer"};
  b.Add(q.deleted ? "deleted_at <> 0" : "deleted_at = 0");
  AddScope(b, q.scope);
  if (!q.kind.empty()) b.Add("(',' || kinds || ',') LIKE ?", {absl::StrCat("%,", q.kind, ",%")});
  if (!q.name.empty()) b.Add("name LIKE ? ESCAPE '\\'", {LikePattern(q.name)});
  static const std::vector<SortSpec> kSorts = {{"region_code", "region_code", true},
                                               {"id", "id", true},
                                               {"name", "name", false},
                                               {"created_at", "created_at", true},
                                               {"updated_at", "updated_at", true}};
  return RunList<Employer>(b, kEmployerCols, kSorts, q.page,
                           [this](Stmt& st) { return ReadEmployer(st); });
}

absl::Status SqlTx::InsertJob(Job& j) {
  if (!j.id.valid()) j.id = JobId(ids_.Next());
  StampNew(j.meta);
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("INSERT INTO job (id, province_code, employer_id, title, occupation, skills, "
                 "region_code, wage_min, wage_max, openings, min_age, max_age, min_education, "
                 "board, lodging, transport, kind, status, start_date, end_date, description, "
                 "hired, created_at, updated_at, deleted_at, delete_reason, version) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  st->Bind(j.id.value());
  BindJob(*st, j);
  st->Bind(j.meta.created_at)
      .Bind(j.meta.updated_at)
      .Bind(j.meta.deleted_at)
      .Bind(j.meta.delete_reason)
      .Bind(j.meta.version);
  return WithField(st->Run(), "employer_id");
}

absl::Status SqlTx::UpdateJob(Job& j) {
  int64_t now = clock_.NowMs();
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("UPDATE job SET province_code=?, employer_id=?, title=?, occupation=?, "
                 "skills=?, region_code=?, wage_min=?, wage_max=?, openings=?, min_age=?, "
                 "max_age=?, min_education=?, board=?, lodging=?, transport=?, kind=?, "
                 "status=?, start_date=?, end_date=?, description=?, hired=?, updated_at=?, "
                 "deleted_at=?, delete_reason=?, version=version+1 WHERE id=? AND version=?"));
  BindJob(*st, j);
  st->Bind(now)
      .Bind(j.meta.deleted_at)
      .Bind(j.meta.delete_reason)
      .Bind(j.id.value())
      .Bind(j.meta.version);
  JA_RETURN_IF_ERROR(st->Run());
  JA_RETURN_IF_ERROR(CheckUpdated("job", j.id.value()));
  j.meta.updated_at = now;
  ++j.meta.version;
  return absl::OkStatus();
}

absl::StatusOr<Page<Job>> SqlTx::ListJobs(const JobQuery& q) {
  ListBuilder b{"job"};
  b.Add(q.deleted ? "deleted_at <> 0" : "deleted_at = 0");
  AddScope(b, q.scope);
  if (q.employer_id.valid()) b.Add("employer_id = ?", {q.employer_id.value()});
  if (!q.kind.empty()) b.Add("kind = ?", {q.kind});
  if (!q.status.empty()) b.Add("status = ?", {q.status});
  if (!q.title.empty()) {
    b.Add("(title LIKE ? ESCAPE '\\' OR occupation LIKE ? ESCAPE '\\')",
          {LikePattern(q.title), LikePattern(q.title)});
  }
  static const std::vector<SortSpec> kSorts = {{"region_code", "region_code", true},
                                               {"id", "id", true},
                                               {"title", "title", false},
                                               {"wage_max", "wage_max", true},
                                               {"created_at", "created_at", true},
                                               {"updated_at", "updated_at", true}};
  return RunList<Job>(b, kJobCols, kSorts, q.page,
                      [](Stmt& st) { return absl::StatusOr<Job>(ReadJob(st)); });
}

}  // namespace jobaid::storage::internal
