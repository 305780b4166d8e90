// SqlTx: spells of employment, applications, users, sessions and the audit.
#include "storage/sql_tx_internal.h"

namespace jobaid::storage::internal {

absl::Status SqlTx::InsertEmployment(domain::Employment& e) {
  JA_ASSIGN_OR_RETURN(int64_t province, PersonProvince(e.person_id));
  if (!e.id.valid()) e.id = EmploymentId(ids_.Next());
  StampNew(e.meta);
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("INSERT INTO employment (id, province_code, person_id, employer_id, job_id, "
                 "kind, region_code, start_date, end_date, monthly_income, how_found, "
                 "part_time, created_at, updated_at, deleted_at, delete_reason, version) "
                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  st->Bind(e.id.value()).Bind(province);
  BindEmployment(*st, e);
  st->Bind(e.meta.created_at)
      .Bind(e.meta.updated_at)
      .Bind(e.meta.deleted_at)
      .Bind(e.meta.delete_reason)
      .Bind(e.meta.version);
  return WithField(st->Run(), "employer_id");
}

absl::Status SqlTx::UpdateEmployment(domain::Employment& e) {
  int64_t now = clock_.NowMs();
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("UPDATE employment SET person_id=?, employer_id=?, job_id=?, kind=?, "
                 "region_code=?, start_date=?, end_date=?, monthly_income=?, how_found=?, "
                 "part_time=?, updated_at=?, deleted_at=?, delete_reason=?, "
                 "version=version+1 WHERE id=? AND version=?"));
  BindEmployment(*st, e);
  st->Bind(now)
      .Bind(e.meta.deleted_at)
      .Bind(e.meta.delete_reason)
      .Bind(e.id.value())
      .Bind(e.meta.version);
  JA_RETURN_IF_ERROR(st->Run());
  JA_RETURN_IF_ERROR(CheckUpdated("employment", e.id.value()));
  e.meta.updated_at = now;
  ++e.meta.version;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<domain::Employment>> SqlTx::ListEmploymentOf(PersonId id) {
  JA_ASSIGN_OR_RETURN(
      Stmt * st, c_.Prepare(absl::StrCat("SELECT ", kEmploymentCols,
                                         " FROM employment WHERE person_id = ? AND deleted_at = 0 "
                                         "ORDER BY start_date, id")));
  st->Bind(id.value());
  std::vector<domain::Employment> out;
  for (;;) {
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back(ReadEmployment(*st));
  }
  return out;
}

absl::Status SqlTx::InsertApplication(domain::Application& a) {
  if (!a.id.valid()) a.id = ApplicationId(ids_.Next());
  StampNew(a.meta);
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("INSERT INTO application (id, province_code, person_id, job_id, employer_id, "
                 "region_code, state, score, reasons, state_reason, employment_id, "
                 "created_at, updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  st->Bind(a.id.value()).Bind(ProvinceOf(a.region_code));
  BindApplication(*st, a);
  st->Bind(a.meta.created_at).Bind(a.meta.updated_at).Bind(a.meta.version);
  return WithField(st->Run(), "job_id");
}

absl::Status SqlTx::UpdateApplication(domain::Application& a) {
  int64_t now = clock_.NowMs();
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("UPDATE application SET person_id=?, job_id=?, employer_id=?, region_code=?, "
                 "state=?, score=?, reasons=?, state_reason=?, employment_id=?, updated_at=?, "
                 "version=version+1 WHERE id=? AND version=?"));
  BindApplication(*st, a);
  st->Bind(now).Bind(a.id.value()).Bind(a.meta.version);
  JA_RETURN_IF_ERROR(st->Run());
  JA_RETURN_IF_ERROR(CheckUpdated("application", a.id.value()));
  a.meta.updated_at = now;
  ++a.meta.version;
  return absl::OkStatus();
}

absl::StatusOr<Page<domain::Application>> SqlTx::ListApplications(const ApplicationQuery& q) {
  ListBuilder b{"application"};
  AddScope(b, q.scope);
  if (q.employer_id.valid()) b.Add("employer_id = ?", {q.employer_id.value()});
  if (q.person_id.valid()) b.Add("person_id = ?", {q.person_id.value()});
  if (q.job_id.valid()) b.Add("job_id = ?", {q.job_id.value()});
  if (!q.state.empty()) b.Add("state = ?", {q.state});
  static const std::vector<SortSpec> kSorts = {
      {"updated_at", "updated_at", true}, {"id", "id", true}, {"created_at", "created_at", true}};
  return RunList<domain::Application>(b, kApplicationCols, kSorts, q.page, [](Stmt& st) {
    return absl::StatusOr<domain::Application>(ReadApplication(st));
  });
}

absl::Status SqlTx::InsertApplicationEvent(const domain::ApplicationEvent& e) {
  JA_ASSIGN_OR_RETURN(Stmt * st,
                      c_.Prepare("INSERT INTO application_event (id, application_id, from_state, "
                                 "to_state, reason, user_id, at) VALUES (?,?,?,?,?,?,?)"));
  st->Bind(ids_.Next())
      .Bind(e.application_id.value())
      .Bind(e.from_state)
      .Bind(e.to_state)
      .Bind(e.reason);
  if (e.user_id.valid()) {
    st->Bind(e.user_id.value());
  } else {
    st->BindNull();
  }
  st->Bind(e.at != 0 ? e.at : clock_.NowMs());
  return st->Run();
}

absl::StatusOr<std::vector<domain::ApplicationEvent>> SqlTx::ListApplicationEvents(
    ApplicationId id) {
  JA_ASSIGN_OR_RETURN(Stmt * st,
                      c_.Prepare("SELECT application_id, from_state, to_state, reason, user_id, "
                                 "at FROM application_event WHERE application_id = ? "
                                 "ORDER BY at, id"));
  st->Bind(id.value());
  std::vector<domain::ApplicationEvent> out;
  for (;;) {
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    domain::ApplicationEvent& e = out.emplace_back();
    e.application_id = ApplicationId(st->Int(0));
    e.from_state = st->Text(1);
    e.to_state = st->Text(2);
    e.reason = st->Text(3);
    e.user_id = UserId(st->IsNull(4) ? 0 : st->Int(4));
    e.at = st->Int(5);
  }
  return out;
}

absl::StatusOr<std::optional<User>> SqlTx::FindUserByName(const std::string& name) {
  return QueryOne<User>(
      absl::StrCat("SELECT ", kUserCols, " FROM app_user WHERE username = ?"),
      [&](Stmt& st) { st.Bind(name); }, ReadUser);
}

absl::Status SqlTx::InsertUser(User& u) {
  if (!u.id.valid()) u.id = UserId(ids_.Next());
  StampNew(u.meta);
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("INSERT INTO app_user (id, username, display_name, role, region_code, "
                 "scope_level, employer_id, person_id, password_hash, disabled, created_at, "
                 "updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  st->Bind(u.id.value());
  BindUser(*st, u);
  st->Bind(u.meta.created_at).Bind(u.meta.updated_at).Bind(u.meta.version);
  return WithField(st->Run(), "username");
}

absl::Status SqlTx::UpdateUser(User& u) {
  int64_t now = clock_.NowMs();
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("UPDATE app_user SET username=?, display_name=?, role=?, region_code=?, "
                 "scope_level=?, employer_id=?, person_id=?, password_hash=?, disabled=?, "
                 "updated_at=?, version=version+1 WHERE id=? AND version=?"));
  BindUser(*st, u);
  st->Bind(now).Bind(u.id.value()).Bind(u.meta.version);
  JA_RETURN_IF_ERROR(WithField(st->Run(), "username"));
  JA_RETURN_IF_ERROR(CheckUpdated("app_user", u.id.value()));
  u.meta.updated_at = now;
  ++u.meta.version;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<User>> SqlTx::ListUsers() {
  JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare(absl::StrCat("SELECT ", kUserCols,
                                                         " FROM app_user ORDER BY username")));
  std::vector<User> out;
  for (;;) {
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back(ReadUser(*st));
  }
  return out;
}

absl::Status SqlTx::InsertSession(const SessionRecord& s) {
  JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("INSERT INTO session (token_hash, user_id, created_at, "
                                            "expires_at, last_seen) VALUES (?,?,?,?,?)"));
  st->BindBlob(s.token_hash).Bind(s.user_id.value()).Bind(s.created_at).Bind(s.expires_at);
  st->Bind(s.last_seen ? s.last_seen : s.created_at);
  return st->Run();
}

absl::StatusOr<std::optional<SessionRecord>> SqlTx::FindSession(const std::string& token_hash) {
  JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("SELECT user_id, created_at, expires_at, last_seen "
                                            "FROM session WHERE token_hash = ?"));
  st->BindBlob(token_hash);
  JA_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::nullopt;
  return std::optional<SessionRecord>(
      SessionRecord{token_hash, UserId(st->Int(0)), st->Int(1), st->Int(2), st->Int(3)});
}

absl::Status SqlTx::TouchSession(const std::string& token_hash, int64_t at) {
  JA_ASSIGN_OR_RETURN(Stmt * st,
                      c_.Prepare("UPDATE session SET last_seen = ? WHERE token_hash = ?"));
  st->Bind(at).BindBlob(token_hash);
  return st->Run();
}

absl::StatusOr<int64_t> SqlTx::DeleteSessionsOf(UserId user) {
  JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("DELETE FROM session WHERE user_id = ?"));
  st->Bind(user.value());
  JA_RETURN_IF_ERROR(st->Run());
  return c_.Changes();
}

absl::Status SqlTx::SetLoginFailures(UserId user, int failures, int64_t locked_until) {
  JA_ASSIGN_OR_RETURN(
      Stmt * st,
      c_.Prepare("UPDATE app_user SET failed_logins = ?, locked_until = ? WHERE id = ?"));
  st->Bind(int64_t{failures}).Bind(locked_until).Bind(user.value());
  return st->Run();
}

absl::Status SqlTx::DeleteSession(const std::string& token_hash) {
  JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("DELETE FROM session WHERE token_hash = ? OR "
                                            "expires_at < ?"));
  st->BindBlob(token_hash).Bind(clock_.NowMs());
  return st->Run();
}

absl::Status SqlTx::InsertAudits(const std::vector<AuditEntry>& entries) {
  std::vector<int64_t> ids(entries.size());
  for (int64_t& id : ids) id = ids_.Next();
  return audit_sql::InsertMany(c_, ids, clock_.NowMs(), entries);
}

absl::StatusOr<int64_t> SqlTx::SealClearContactPhones() {
  JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("SELECT id, contact_phone FROM employer "
                                            "WHERE contact_phone <> ''"));
  std::vector<std::pair<int64_t, std::string>> clear;
  for (;;) {
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    clear.emplace_back(st->Int(0), st->Text(1));
  }
  for (const auto& [id, phone] : clear) {
    JA_ASSIGN_OR_RETURN(Stmt * up, c_.Prepare("UPDATE employer SET contact_phone = '', "
                                              "contact_phone_enc = ? WHERE id = ?"));
    JA_RETURN_IF_ERROR(up->BindBlob(codec_.Seal(phone)).Bind(id).Run());
  }
  return static_cast<int64_t>(clear.size());
}

}  // namespace jobaid::storage::internal
