#include "storage/sql_tx.h"

#include <cassert>
#include <deque>
#include <variant>

#include "absl/algorithm/container.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "domain/fields.h"
#include "storage/audit_sql.h"

namespace jobaid::storage {
namespace {

using sql::Stmt;

using domain::Employer;
using domain::Household;
using domain::Job;
using domain::Person;
using domain::RegionRange;
using domain::User;
// A keyed hash, bound as a blob.
struct Blob {
  std::string bytes;
};
using Value = std::variant<int64_t, std::string, Blob>;

constexpr int64_t kProvinceUnit = 10000000000;
int64_t ProvinceOf(int64_t region_code) { return region_code / kProvinceUnit; }

std::string DateText(Date d) { return d.valid() ? d.ToString() : std::string(); }
Date DateFrom(const std::string& s) {
  if (s.empty()) return Date();
  auto d = Date::Parse(s);
  return d.ok() ? *d : Date();
}
std::vector<std::string> ListFrom(const std::string& s) {
  if (s.empty()) return {};
  return absl::StrSplit(s, ',');
}

void BindValue(Stmt& st, const Value& v) {
  if (std::holds_alternative<int64_t>(v)) {
    st.Bind(std::get<int64_t>(v));
  } else if (std::holds_alternative<Blob>(v)) {
    st.BindBlob(std::get<Blob>(v).bytes);
  } else {
    st.Bind(std::get<std::string>(v));
  }
}

std::string LikePattern(absl::string_view needle) {
  std::string out = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

// A list query in the making: filters, sort and keyset cursor shared by every entity.
struct ListBuilder {
  std::string table;
  std::string where;
  std::vector<Value> args;

  void Add(std::string cond, std::vector<Value> values = {}) {
    absl::StrAppend(&where, where.empty() ? " WHERE " : " AND ", cond);
    for (auto& v : values) args.push_back(std::move(v));
  }
};

struct SortSpec {
  absl::string_view key;
  absl::string_view column;
  bool numeric;
};

absl::StatusOr<SortSpec> ResolveSort(const std::vector<SortSpec>& allowed, absl::string_view key) {
  if (key.empty()) return allowed.front();
  std::string keys;
  for (const SortSpec& s : allowed) {
    if (s.key == key) return s;
    absl::StrAppend(&keys, keys.empty() ? "" : ", ", s.key);
  }
  return WithField(absl::InvalidArgumentError(
                       absl::StrCat("cannot sort by \"", key, "\"; sort by one of ", keys)),
                   "sort");
}

std::string EncodeCursor(const Value& v, int64_t id) {
  std::string raw = std::holds_alternative<int64_t>(v)
                        ? absl::StrCat("i", std::get<int64_t>(v), "\x1f", id)
                        : absl::StrCat("s", std::get<std::string>(v), "\x1f", id);
  return absl::WebSafeBase64Escape(raw);
}

absl::Status DecodeCursor(absl::string_view cursor, bool numeric, Value& v, int64_t& id) {
  std::string raw;
  auto bad = [] {
    return WithField(absl::InvalidArgumentError("the cursor is not one this server gave out"),
                     "cursor");
  };
  if (!absl::WebSafeBase64Unescape(cursor, &raw) || raw.empty()) return bad();
  size_t sep = raw.rfind('\x1f');
  if (sep == std::string::npos || !absl::SimpleAtoi(raw.substr(sep + 1), &id)) return bad();
  std::string val = raw.substr(1, sep - 1);
  if (raw[0] == 'i' && numeric) {
    int64_t n;
    if (!absl::SimpleAtoi(val, &n)) return bad();
    v = n;
  } else if (raw[0] == 's' && !numeric) {
    v = val;
  } else {
    return bad();
  }
  return absl::OkStatus();
}

constexpr absl::string_view kHouseholdCols =
    "id, region_code, head_name, head_id_enc, poverty_type, monitor_type, status, phone_enc, "
    "address, helper_id, note, created_at, updated_at, deleted_at, delete_reason, version";
constexpr absl::string_view kPersonCols =
    "id, household_id, region_code, name, id_number_enc, gender, birth_date, phone_enc, relation, "
    "education, health, work_ability, skills, certificates, intention, intention_region, "
    "wanted_occupations, expected_wage, note, created_at, updated_at, deleted_at, delete_reason, "
    "version";
constexpr absl::string_view kEmployerCols =
    "id, credit_code, name, region_code, kinds, industry, contact_name, contact_phone_enc, "
    "address, note, created_at, updated_at, deleted_at, delete_reason, version";
constexpr absl::string_view kJobCols =
    "id, employer_id, title, occupation, skills, region_code, wage_min, wage_max, openings, "
    "min_age, max_age, min_education, board, lodging, transport, kind, status, start_date, "
    "end_date, description, hired, created_at, updated_at, deleted_at, delete_reason, version";
constexpr absl::string_view kEmploymentCols =
    "id, person_id, employer_id, job_id, kind, region_code, start_date, end_date, "
    "monthly_income, how_found, part_time, created_at, updated_at, deleted_at, delete_reason, "
    "version";
constexpr absl::string_view kApplicationCols =
    "id, person_id, job_id, employer_id, region_code, state, score, reasons, state_reason, "
    "employment_id, created_at, updated_at, version";
constexpr absl::string_view kUserCols =
    "id, username, display_name, role, region_code, scope_level, employer_id, person_id, "
    "password_hash, disabled, created_at, updated_at, version, failed_logins, locked_until";

void ReadMeta(const Stmt& st, int col, domain::RecordMeta& m, bool has_delete = true) {
  m.created_at = st.Int(col++);
  m.updated_at = st.Int(col++);
  if (has_delete) {
    m.deleted_at = st.Int(col++);
    m.delete_reason = st.Text(col++);
  }
  m.version = st.Int(col);
}

class SqlTx final : public Transaction {
 public:
  SqlTx(sql::Connection& c, Dialect dialect, const PiiCodec& codec, IdGenerator& ids,
        const Clock& clock, std::vector<Change>* changes)
      : c_(c), dialect_(dialect), codec_(codec), ids_(ids), clock_(clock), changes_(changes) {}

  void Notify(absl::string_view topic, absl::string_view payload) override {
    if (changes_) changes_->push_back({std::string(topic), std::string(payload)});
  }

  // ---- households ----
  absl::StatusOr<Household> GetHousehold(HouseholdId id) override {
    return GetById<Household>("household", kHouseholdCols, id.value(),
                              [this](const Stmt& st) { return ReadHousehold(st); });
  }

  absl::StatusOr<std::optional<Household>> FindHouseholdByHead(const std::string& id) override {
    return QueryOne<Household>(
        absl::StrCat("SELECT ", kHouseholdCols, " FROM household WHERE head_id_hash = ?"),
        [&](Stmt& st) { st.BindBlob(codec_.Hash(id)); },
        [this](const Stmt& st) { return ReadHousehold(st); });
  }

  using Transaction::InsertHousehold;
  using Transaction::InsertPerson;

  absl::Status InsertHousehold(Household& h, const SealedPii* ahead) override {
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

  absl::Status UpdateHousehold(Household& h) override {
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

  absl::StatusOr<Page<Household>> ListHouseholds(const HouseholdQuery& q) override {
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

  // ---- persons ----
  absl::StatusOr<Person> GetPerson(PersonId id) override {
    return GetById<Person>("person", kPersonCols, id.value(),
                           [this](const Stmt& st) { return ReadPerson(st); });
  }

  absl::StatusOr<std::optional<Person>> FindPersonByIdNumber(const std::string& id) override {
    return QueryOne<Person>(
        absl::StrCat("SELECT ", kPersonCols, " FROM person WHERE id_number_hash = ?"),
        [&](Stmt& st) { st.BindBlob(codec_.Hash(id)); },
        [this](const Stmt& st) { return ReadPerson(st); });
  }

  absl::Status InsertPerson(Person& p, const SealedPii* ahead) override {
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

  absl::Status UpdatePerson(Person& p) override {
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

  absl::StatusOr<Page<Person>> ListPersons(const PersonQuery& q) override {
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

  absl::StatusOr<std::vector<domain::HouseholdIncome>> ListHouseholdIncome(
      const Household& h) override {
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

  absl::StatusOr<std::vector<domain::Target>> ListTargets(RegionRange r, int year) override {
    JA_ASSIGN_OR_RETURN(
        Stmt * st, c_.Prepare("SELECT indicator, region_code, year, value, updated_at, version "
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

  absl::Status PutTarget(domain::Target& t) override {
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
          Stmt * up,
          c_.Prepare("UPDATE target SET value = ?, updated_at = ?, version = version + 1 "
                     "WHERE indicator = ? AND region_code = ? AND year = ? AND "
                     "version = ?"));
      up->BindDouble(t.value).Bind(now).Bind(t.indicator).Bind(t.region_code);
      up->Bind(int64_t{t.year}).Bind(t.version);
      JA_RETURN_IF_ERROR(up->Run());
      if (c_.Changes() == 0) {
        return absl::AbortedError(
            "the target was changed by someone else meanwhile; read it again");
      }
      ++t.version;
    }
    t.updated_at = now;
    return absl::OkStatus();
  }

  // Replaced, not upserted (a partitioned coordinator has no unique index to conflict on);
  // the year keeps its created_at and counts its versions.
  absl::Status PutHouseholdIncome(const Household& h, domain::HouseholdIncome& i) override {
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
    JA_ASSIGN_OR_RETURN(
        Stmt * ins, c_.Prepare("INSERT INTO household_income (household_id, year, province_code, "
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

  // Replaced, not upserted: a partitioned coordinator has no unique index to conflict on.
  absl::Status PutVerification(const Person& p, int64_t at, UserId by) override {
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

  absl::StatusOr<std::vector<Person>> ListMembers(HouseholdId id) override {
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

  // ---- employers ----
  absl::StatusOr<Employer> GetEmployer(EmployerId id) override {
    return GetById<Employer>("employer", kEmployerCols, id.value(),
                             [this](const Stmt& st) { return ReadEmployer(st); });
  }

  absl::StatusOr<std::optional<Employer>> FindEmployerByCreditCode(
      const std::string& code) override {
    return QueryOne<Employer>(
        absl::StrCat("SELECT ", kEmployerCols, " FROM employer WHERE credit_code = ?"),
        [&](Stmt& st) { st.Bind(code); }, [this](const Stmt& st) { return ReadEmployer(st); });
  }

  absl::Status InsertEmployer(Employer& e) override {
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

  absl::Status UpdateEmployer(Employer& e) override {
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

  absl::StatusOr<Page<Employer>> ListEmployers(const EmployerQuery& q) override {
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

  // ---- jobs ----
  absl::StatusOr<Job> GetJob(JobId id) override {
    return GetById<Job>("job", kJobCols, id.value(), ReadJob);
  }

  absl::StatusOr<std::optional<Job>> FindJobByTitle(EmployerId employer_id,
                                                    const std::string& title) override {
    return QueryOne<Job>(
        absl::StrCat("SELECT ", kJobCols,
                     " FROM job WHERE employer_id = ? AND title = ? AND "
                     "deleted_at = 0 ORDER BY id LIMIT 1"),
        [&](Stmt& st) { st.Bind(employer_id.value()).Bind(title); }, ReadJob);
  }

  absl::Status InsertJob(Job& j) override {
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

  absl::Status UpdateJob(Job& j) override {
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

  absl::StatusOr<Page<Job>> ListJobs(const JobQuery& q) override {
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

  // ---- spells of employment ----
  absl::StatusOr<domain::Employment> GetEmployment(EmploymentId id) override {
    return GetById<domain::Employment>("employment", kEmploymentCols, id.value(), ReadEmployment);
  }

  absl::Status InsertEmployment(domain::Employment& e) override {
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

  absl::Status UpdateEmployment(domain::Employment& e) override {
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

  absl::StatusOr<std::vector<domain::Employment>> ListEmploymentOf(PersonId id) override {
    JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare(absl::StrCat(
                                       "SELECT ", kEmploymentCols,
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

  absl::Status TouchPerson(PersonId id) override {
    JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("UPDATE person SET id = id WHERE id = ?"));
    return st->Bind(id.value()).Run();
  }

  // ---- applications ----
  absl::StatusOr<domain::Application> GetApplication(ApplicationId id) override {
    return GetById<domain::Application>("application", kApplicationCols, id.value(),
                                        ReadApplication);
  }

  absl::StatusOr<std::optional<domain::Application>> FindApplication(PersonId person,
                                                                     JobId job) override {
    return QueryOne<domain::Application>(
        absl::StrCat("SELECT ", kApplicationCols,
                     " FROM application WHERE person_id = ? AND job_id = ?"),
        [&](Stmt& st) { st.Bind(person.value()).Bind(job.value()); }, ReadApplication);
  }

  absl::Status InsertApplication(domain::Application& a) override {
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

  absl::Status UpdateApplication(domain::Application& a) override {
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

  absl::StatusOr<Page<domain::Application>> ListApplications(const ApplicationQuery& q) override {
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

  absl::Status InsertApplicationEvent(const domain::ApplicationEvent& e) override {
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

  absl::StatusOr<std::vector<domain::ApplicationEvent>> ListApplicationEvents(
      ApplicationId id) override {
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

  // ---- users and sessions ----
  absl::StatusOr<User> GetUser(UserId id) override {
    return GetById<User>("app_user", kUserCols, id.value(), ReadUser);
  }

  absl::StatusOr<std::optional<User>> FindUserByName(const std::string& name) override {
    return QueryOne<User>(
        absl::StrCat("SELECT ", kUserCols, " FROM app_user WHERE username = ?"),
        [&](Stmt& st) { st.Bind(name); }, ReadUser);
  }

  absl::Status InsertUser(User& u) override {
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

  absl::Status UpdateUser(User& u) override {
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

  absl::StatusOr<std::vector<User>> ListUsers() override {
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

  absl::Status InsertSession(const SessionRecord& s) override {
    JA_ASSIGN_OR_RETURN(Stmt * st,
                        c_.Prepare("INSERT INTO session (token_hash, user_id, created_at, "
                                   "expires_at, last_seen) VALUES (?,?,?,?,?)"));
    st->BindBlob(s.token_hash).Bind(s.user_id.value()).Bind(s.created_at).Bind(s.expires_at);
    st->Bind(s.last_seen ? s.last_seen : s.created_at);
    return st->Run();
  }

  absl::StatusOr<std::optional<SessionRecord>> FindSession(const std::string& token_hash) override {
    JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("SELECT user_id, created_at, expires_at, last_seen "
                                              "FROM session WHERE token_hash = ?"));
    st->BindBlob(token_hash);
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) return std::nullopt;
    return std::optional<SessionRecord>(
        SessionRecord{token_hash, UserId(st->Int(0)), st->Int(1), st->Int(2), st->Int(3)});
  }

  absl::Status TouchSession(const std::string& token_hash, int64_t at) override {
    JA_ASSIGN_OR_RETURN(Stmt * st,
                        c_.Prepare("UPDATE session SET last_seen = ? WHERE token_hash = ?"));
    st->Bind(at).BindBlob(token_hash);
    return st->Run();
  }

  absl::StatusOr<int64_t> DeleteSessionsOf(UserId user) override {
    JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("DELETE FROM session WHERE user_id = ?"));
    st->Bind(user.value());
    JA_RETURN_IF_ERROR(st->Run());
    return c_.Changes();
  }

  absl::Status SetLoginFailures(UserId user, int failures, int64_t locked_until) override {
    JA_ASSIGN_OR_RETURN(
        Stmt * st,
        c_.Prepare("UPDATE app_user SET failed_logins = ?, locked_until = ? WHERE id = ?"));
    st->Bind(int64_t{failures}).Bind(locked_until).Bind(user.value());
    return st->Run();
  }

  absl::Status DeleteSession(const std::string& token_hash) override {
    JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("DELETE FROM session WHERE token_hash = ? OR "
                                              "expires_at < ?"));
    st->BindBlob(token_hash).Bind(clock_.NowMs());
    return st->Run();
  }

  absl::Status InsertAudit(const AuditEntry& e) override {
    return audit_sql::Insert(c_, ids_.Next(), e.at ? e.at : clock_.NowMs(), e);
  }
  absl::Status InsertAudits(const std::vector<AuditEntry>& entries) override {
    std::vector<int64_t> ids(entries.size());
    for (int64_t& id : ids) id = ids_.Next();
    return audit_sql::InsertMany(c_, ids, clock_.NowMs(), entries);
  }
  absl::StatusOr<AuditLink> GetAuditHead(bool lock) override {
    return audit_sql::Head(c_, dialect_, lock);
  }
  absl::Status PutAuditHead(const AuditLink& head) override { return audit_sql::PutHead(c_, head); }
  absl::StatusOr<std::vector<AuditEntry>> ListUnchainedAudit(int limit) override {
    return audit_sql::ListUnchained(c_, limit);
  }
  absl::StatusOr<int64_t> CountUnchainedAudit() override { return audit_sql::CountUnchained(c_); }
  absl::Status ChainAudit(int64_t id, int64_t seq, const std::string& mac) override {
    return audit_sql::Chain(c_, id, seq, mac);
  }
  absl::Status ScanAudit(const AuditFilter& f,
                         absl::FunctionRef<bool(const AuditEntry&)> fn) override {
    return audit_sql::Scan(c_, f, fn);
  }

  absl::StatusOr<int64_t> SealClearContactPhones() override {
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

  // ---- region flags ----
  absl::StatusOr<domain::RegionFlags> GetRegionFlags(int64_t code) override {
    JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("SELECT key_county, poverty_village, "
                                              "relocation_site, created_at, updated_at, version "
                                              "FROM region_flag WHERE region_code = ?"));
    st->Bind(code);
    domain::RegionFlags f;
    f.region_code = code;
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (row) ReadFlags(*st, f);
    return f;
  }

  absl::Status PutRegionFlags(domain::RegionFlags& f) override {
    int64_t now = clock_.NowMs();
    if (f.meta.version == 0) {
      JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("INSERT INTO region_flag (region_code, "
                                                "key_county, poverty_village, relocation_site, "
                                                "created_at, updated_at, version) "
                                                "VALUES (?,?,?,?,?,?,1)"));
      st->Bind(f.region_code)
          .Bind(int64_t{f.key_county})
          .Bind(int64_t{f.poverty_village})
          .Bind(int64_t{f.relocation_site})
          .Bind(now)
          .Bind(now);
      absl::Status s = st->Run();
      if (absl::IsAlreadyExists(s)) {
        return absl::AbortedError("the region's flags were set by someone else meanwhile; reload");
      }
      JA_RETURN_IF_ERROR(s);
      f.meta.created_at = now;
    } else {
      JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("UPDATE region_flag SET key_county=?, "
                                                "poverty_village=?, relocation_site=?, "
                                                "updated_at=?, version=version+1 "
                                                "WHERE region_code=? AND version=?"));
      st->Bind(int64_t{f.key_county})
          .Bind(int64_t{f.poverty_village})
          .Bind(int64_t{f.relocation_site})
          .Bind(now)
          .Bind(f.region_code)
          .Bind(f.meta.version);
      JA_RETURN_IF_ERROR(st->Run());
      if (c_.Changes() == 0) {
        return absl::AbortedError("the region's flags were changed by someone else; reload");
      }
    }
    f.meta.updated_at = now;
    ++f.meta.version;
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<domain::RegionFlags>> ListRegionFlags(RegionRange range) override {
    JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare("SELECT key_county, poverty_village, "
                                              "relocation_site, created_at, updated_at, version, "
                                              "region_code FROM region_flag WHERE region_code >= ? "
                                              "AND region_code < ? AND (key_county <> 0 OR "
                                              "poverty_village <> 0 OR relocation_site <> 0) "
                                              "ORDER BY region_code"));
    st->Bind(range.lo).Bind(range.hi);
    std::vector<domain::RegionFlags> out;
    for (;;) {
      JA_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      domain::RegionFlags f;
      f.region_code = st->Int(6);
      ReadFlags(*st, f);
      out.push_back(f);
    }
    return out;
  }

  absl::Status BeginBulkLoad(const std::vector<std::string>& tables,
                             bool unique_checked_by_caller) override {
    if (!set_aside_.empty() || bulk_) {
      return absl::FailedPreconditionError("a bulk load is already running");
    }
    bulk_ = true;
    bulk_new_rows_ = unique_checked_by_caller;
    // Secondary indexes (unique ones only if the caller checks) and, on PostgreSQL, foreign
    // keys are set aside, to be made again in one pass each at the end. PostgreSQL locks a
    // table against readers while its indexes are set aside, so there only for loads into
    // empty tables (the caller checks uniqueness): a first import, or gen.
    const bool set_aside = dialect_ == Dialect::kSqlite || unique_checked_by_caller;
    const std::vector<std::string> none;
    for (const std::string& table : set_aside ? tables : none) {
      JA_ASSIGN_OR_RETURN(
          Stmt * st,
          c_.Prepare(
              dialect_ == Dialect::kSqlite
                  // Indexes made by CREATE INDEX (sql not null).
                  ? "SELECT name, 'DROP INDEX \"' || name || '\"', sql FROM sqlite_master "
                    "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL AND "
                    "(? OR sql NOT LIKE 'CREATE UNIQUE%')"
                  // Indexes not behind a constraint; then the foreign keys.
                  : "SELECT i.relname, 'DROP INDEX ' || x.indexrelid::regclass::text, "
                    "pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON "
                    "i.oid = x.indexrelid WHERE x.indrelid = to_regclass(?) AND NOT "
                    "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
                    "x.indexrelid) AND (? <> 0 OR NOT x.indisunique) "
                    "UNION ALL SELECT c.conname, 'ALTER TABLE ' || c.conrelid::regclass::text "
                    "|| ' DROP CONSTRAINT \"' || c.conname || '\"', 'ALTER TABLE ' || "
                    "c.conrelid::regclass::text || ' ADD CONSTRAINT \"' || c.conname || "
                    "'\" ' || pg_get_constraintdef(c.oid) FROM pg_constraint c WHERE "
                    "c.conrelid = to_regclass(?) AND c.contype = 'f'"));
      st->Bind(table).Bind(int64_t{unique_checked_by_caller});
      if (dialect_ != Dialect::kSqlite) st->Bind(table);
      for (;;) {
        JA_ASSIGN_OR_RETURN(bool row, st->Step());
        if (!row) break;
        set_aside_.push_back({st->Text(0), st->Text(1), st->Text(2)});
      }
    }
    // Indexes that cost next to nothing to keep during a load stay: keys made in increasing
    // order (ids come from the IdGenerator, so a load's new households are appended at the
    // end of person_household) or left empty by loads (helpers are assigned one by one).
    static constexpr absl::string_view kKeptLive[] = {"person_household", "household_helper"};
    std::erase_if(set_aside_,
                  [](const SetAside& a) { return absl::c_linear_search(kKeptLive, a.name); });
    // Foreign keys (last on the list) go before the indexes they might need.
    for (auto a = set_aside_.rbegin(); a != set_aside_.rend(); ++a) {
      JA_RETURN_IF_ERROR(c_.Exec(a->drop));
    }
    // PostgreSQL's driver sends the rows with COPY.
    return c_.BeginBulkInsert(tables);
  }

  absl::Status EndBulkLoad() override {
    bulk_ = bulk_new_rows_ = false;
    recent_persons_.clear();
    absl::Status s = c_.EndBulkInsert();
    for (const SetAside& a : set_aside_) {
      if (!s.ok()) break;
      s = c_.Exec(a.make);
      if (!s.ok()) {
        s = absl::Status(s.code(), absl::StrCat("making ", a.name, " again: ", s.message()));
      }
    }
    set_aside_.clear();
    return s;
  }

  absl::StatusOr<RegisterCounts> CountRegister(RegionRange r) override {
    RegisterCounts c;
    auto count = [&](const std::string& sql, int64_t& out) -> absl::Status {
      JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare(sql));
      st->Bind(r.lo).Bind(r.hi);
      JA_ASSIGN_OR_RETURN(bool row, st->Step());
      out = row ? st->Int(0) : 0;
      return st->Run();
    };
    JA_RETURN_IF_ERROR(
        count("SELECT COUNT(*) FROM household WHERE deleted_at = 0 AND "
              "region_code >= ? AND region_code < ?",
              c.households));
    JA_RETURN_IF_ERROR(
        count("SELECT COUNT(*) FROM person WHERE deleted_at = 0 AND "
              "region_code >= ? AND region_code < ?",
              c.persons));
    JA_RETURN_IF_ERROR(
        count("SELECT COUNT(*) FROM employer WHERE deleted_at = 0 AND "
              "region_code >= ? AND region_code < ?",
              c.employers));
    JA_RETURN_IF_ERROR(
        count("SELECT COUNT(*) FROM job WHERE deleted_at = 0 AND status = 'open' "
              "AND region_code >= ? AND region_code < ?",
              c.jobs_open));
    JA_RETURN_IF_ERROR(
        count("SELECT COALESCE(SUM(openings), 0) FROM job WHERE deleted_at = 0 "
              "AND status = 'open' AND region_code >= ? AND region_code < ?",
              c.openings));
    return c;
  }

  absl::StatusOr<std::vector<domain::IndicatorCounts>> CountIndicators(RegionRange r, int64_t unit,
                                                                       Date as_of) override {
    // The rules of domain/indicators.h, which analytics::Register follows too. Spells are read
    // once (e), then reduced per person to the farthest covering workplace (s) and to the
    // months worked of the last 12 (m). Joins rather than correlated sub-queries, so that
    // partitioned and foreign tables are read once each.
    domain::CountingDay day(as_of);
    std::string months;
    for (int k = 0; k < 12; ++k) {
      absl::StrAppend(&months, k == 0 ? "" : ", ", "(", k, ", ?, ?)");
    }
    constexpr absl::string_view kPlace =
        "CASE WHEN e.wc / 10000000000 <> e.rc / 10000000000 THEN 3 "
        "WHEN e.wc / 1000000 <> e.rc / 1000000 THEN 2 WHEN e.wc / 1000 <> e.rc / 1000 THEN 1 "
        "ELSE 0 END";
    JA_ASSIGN_OR_RETURN(
        Stmt * st,
        c_.Prepare(absl::StrCat(
            "WITH w(k, lo, hi) AS (VALUES ", months,
            "), "
            "p AS (SELECT p.id, p.household_id AS hh, p.region_code AS rc, "
            "p.region_code / ? * ? AS unit, "
            "CASE WHEN p.birth_date <= ? AND p.birth_date > ? AND p.work_ability IN "
            "('skilled', 'ordinary', 'weak') THEN 1 ELSE 0 END AS lab, "
            "CASE WHEN p.intention NOT IN ('none', '') THEN 1 ELSE 0 END AS wants, "
            "CASE WHEN h.poverty_type = 'relocated' THEN 1 ELSE 0 END AS reloc, "
            "CASE WHEN p.birth_date <= ? AND p.birth_date > ? AND p.work_ability IN "
            "('skilled', 'ordinary', 'weak') THEN 1 ELSE 0 END AS lab_ye "
            "FROM person p JOIN household h ON h.id = p.household_id "
            "WHERE p.deleted_at = 0 AND h.deleted_at = 0 AND "
            "p.region_code >= ? AND p.region_code < ?), "
            "e AS (SELECT e.person_id AS pid, e.region_code AS wc, p.rc, e.start_date AS sd, "
            "e.end_date AS ed, e.how_found AS hf FROM employment e JOIN p ON p.id = e.person_id "
            "WHERE e.deleted_at = 0), "
            "s AS (SELECT e.pid, MAX(",
            kPlace,
            ") AS place, "
            "MAX(CASE WHEN e.hf = 'transfer' AND e.wc / 1000 <> e.rc / 1000 THEN 1 ELSE 0 END) "
            "AS org FROM e WHERE e.sd <= ? AND (e.ed = '' OR e.ed >= ?) GROUP BY e.pid), "
            "y AS (SELECT e.pid, MAX(",
            kPlace,
            ") AS place FROM e WHERE e.sd <= ? AND "
            "(e.ed = '' OR e.ed >= ?) GROUP BY e.pid), "
            "m AS (SELECT e.pid, COUNT(DISTINCT w.k) AS months FROM e JOIN w ON e.sd <= w.hi "
            "AND (e.ed = '' OR e.ed >= w.lo) GROUP BY e.pid), "
            "x AS (SELECT p.unit, p.hh, p.lab, p.wants, p.reloc, "
            "CASE WHEN s.pid IS NULL THEN 0 ELSE 1 END AS emp, COALESCE(s.place, -1) AS place, "
            "COALESCE(s.org, 0) AS org, CASE WHEN m.months >= 6 THEN 1 ELSE 0 END AS stable, "
            "CASE WHEN p.lab_ye = 1 AND y.place >= 2 THEN 1 ELSE 0 END AS out_ye "
            "FROM p LEFT JOIN s ON s.pid = p.id LEFT JOIN m ON m.pid = p.id "
            "LEFT JOIN y ON y.pid = p.id), "
            "a AS (SELECT unit, COUNT(*) AS persons, SUM(lab) AS laborers, "
            "SUM(lab * wants) AS wanting, SUM(lab * emp) AS employed, "
            "SUM(lab * wants * emp) AS employed_wanting, "
            "SUM(CASE WHEN lab = 1 AND place IN (0, 1) THEN 1 ELSE 0 END) AS local, "
            "SUM(CASE WHEN lab = 1 AND place = 2 THEN 1 ELSE 0 END) AS out_county, "
            "SUM(CASE WHEN lab = 1 AND place = 3 THEN 1 ELSE 0 END) AS out_province, "
            "SUM(CASE WHEN lab = 1 AND place >= 1 THEN 1 ELSE 0 END) AS transferred, "
            "SUM(lab * org) AS organised, SUM(lab * emp * stable) AS stable, "
            "SUM(lab * reloc) AS reloc_lab, SUM(lab * reloc * emp) AS reloc_emp, "
            "SUM(out_ye) AS out_ye "
            "FROM x GROUP BY unit), "
            "h AS (SELECT unit, hh, MAX(reloc) AS reloc, MAX(lab) AS has_lab, "
            "MAX(lab * emp) AS has_emp FROM x GROUP BY unit, hh), "
            "b AS (SELECT h.unit, COUNT(*) AS households, SUM(h.has_lab) AS with_lab, "
            "SUM(h.has_lab * (1 - h.has_emp)) AS zero, SUM(h.reloc * h.has_lab) AS reloc_hh, "
            "SUM(h.reloc * h.has_emp) AS reloc_hh_emp, "
            "SUM(CASE WHEN h.has_lab = 1 AND i.household_id IS NOT NULL THEN 1 ELSE 0 END) "
            "AS inc_hh, "
            "COALESCE(SUM(CASE WHEN h.has_lab = 1 THEN i.wage + i.business END), 0) AS inc_work, "
            "COALESCE(SUM(CASE WHEN h.has_lab = 1 THEN i.wage + i.business + i.property + "
            "i.transfer END), 0) AS inc_total "
            "FROM h LEFT JOIN household_income i ON i.household_id = h.hh AND i.year = ? "
            "GROUP BY h.unit) "
            "SELECT a.unit, a.persons, b.households, a.laborers, a.wanting, a.employed, "
            "a.employed_wanting, a.local, a.out_county, a.out_province, a.transferred, "
            "a.organised, a.stable, b.with_lab, b.zero, a.reloc_lab, a.reloc_emp, b.reloc_hh, "
            "b.reloc_hh_emp, b.inc_hh, b.inc_work, b.inc_total, a.out_ye "
            "FROM a JOIN b ON a.unit = b.unit ORDER BY a.unit")));
    std::string day_text = as_of.ToString();
    for (int k = 0; k < 12; ++k) {
      Date last = k == 11 ? as_of : day.months[k + 1].AddDays(-1);
      st->Bind(day.months[k].ToString()).Bind(last.ToString());
    }
    st->Bind(unit).Bind(unit).Bind(day.born_by.ToString()).Bind(day.born_after.ToString());
    st->Bind(day.year_end_born_by.ToString()).Bind(day.year_end_born_after.ToString());
    st->Bind(r.lo).Bind(r.hi);
    st->Bind(day_text).Bind(day_text);
    std::string year_end = day.year_end.ToString();
    st->Bind(year_end).Bind(year_end);
    st->Bind(static_cast<int64_t>(day.income_year));
    std::vector<domain::IndicatorCounts> out;
    for (;;) {
      JA_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      domain::IndicatorCounts& c = out.emplace_back();
      int col = 0;
      for (int64_t* f : {&c.region,
                         &c.persons,
                         &c.households,
                         &c.laborers,
                         &c.with_intention,
                         &c.employed,
                         &c.employed_with_intention,
                         &c.employed_local,
                         &c.employed_out_of_county,
                         &c.employed_out_of_province,
                         &c.transferred,
                         &c.organised,
                         &c.stable,
                         &c.households_with_laborers,
                         &c.zero_employment_households,
                         &c.relocated_laborers,
                         &c.relocated_employed,
                         &c.relocated_households,
                         &c.relocated_households_employed,
                         &c.income_households,
                         &c.income_work,
                         &c.income_total,
                         &c.out_migrants_year_end}) {
        *f = st->Int(col++);
      }
    }
    return out;
  }

  absl::Status ScanFacts(const storage::FactFilter& f, storage::FactSink& sink) override {
    // Every query selects the columns of ReadFact.
    static constexpr absl::string_view kHousehold =
        "0, h.id, h.region_code, CASE WHEN h.poverty_type = 'relocated' THEN 1 ELSE 0 END, 0, 0, "
        "'', ''";
    static constexpr absl::string_view kPerson =
        "1, p.id, p.household_id, CASE WHEN p.work_ability IN ('skilled', 'ordinary', 'weak') "
        "THEN 1 ELSE 0 END, CASE WHEN p.intention NOT IN ('none', '') THEN 1 ELSE 0 END, 0, "
        "CAST(p.birth_date AS TEXT), ''";
    static constexpr absl::string_view kSpell =
        "2, e.person_id, e.region_code, CASE WHEN e.how_found = 'transfer' THEN 1 ELSE 0 END, 0, "
        "e.id, CAST(e.start_date AS TEXT), COALESCE(CAST(e.end_date AS TEXT), '')";
    static constexpr absl::string_view kIncome =
        "3, i.household_id, i.year, i.wage + i.business, i.wage + i.business + i.property + "
        "i.transfer, 0, '', ''";
    static constexpr absl::string_view kFromHousehold = " FROM household h WHERE h.deleted_at = 0";
    static constexpr absl::string_view kFromPerson =
        " FROM person p JOIN household h ON h.id = p.household_id WHERE p.deleted_at = 0 AND "
        "h.deleted_at = 0";
    static constexpr absl::string_view kFromSpell =
        " FROM employment e JOIN person p ON p.id = e.person_id JOIN household h ON h.id = "
        "p.household_id WHERE e.deleted_at = 0 AND p.deleted_at = 0 AND h.deleted_at = 0";
    static constexpr absl::string_view kFromIncome =
        " FROM household_income i JOIN household h ON h.id = i.household_id WHERE "
        "h.deleted_at = 0";
    auto read = [&](const Stmt& st) { return ReadFact(st, sink); };
    if (f.household_id != 0) {
      // One household in one query (one round trip to a server), its kinds told apart by the
      // first column and ordered as a range's.
      JA_ASSIGN_OR_RETURN(
          Stmt * st,
          c_.Prepare(absl::StrCat("SELECT ", kHousehold, kFromHousehold, " AND h.id = ? ",
                                  "UNION ALL SELECT ", kPerson, kFromPerson,
                                  " AND p.household_id = ? UNION ALL SELECT ", kSpell, kFromSpell,
                                  " AND p.household_id = ? UNION ALL SELECT ", kIncome, kFromIncome,
                                  " AND h.id = ? ORDER BY 1, 2, 7, 6, 3")));
      st->Bind(f.household_id).Bind(f.household_id).Bind(f.household_id).Bind(f.household_id);
      for (;;) {
        JA_ASSIGN_OR_RETURN(bool row, st->Step());
        if (!row) return absl::OkStatus();
        JA_RETURN_IF_ERROR(read(*st));
      }
    }
    // A range: persons, spells and incomes ordered by the person's region code, which is always
    // their household's.
    static constexpr absl::string_view kInH = " AND h.region_code >= ? AND h.region_code < ?";
    static constexpr absl::string_view kInP = " AND p.region_code >= ? AND p.region_code < ?";
    JA_RETURN_IF_ERROR(ForEachRangeRow(
        absl::StrCat("SELECT ", kHousehold, kFromHousehold, kInH, " ORDER BY h.region_code, h.id"),
        f.range, read));
    JA_RETURN_IF_ERROR(
        ForEachRangeRow(absl::StrCat("SELECT ", kPerson, kFromPerson, kInP,
                                     " ORDER BY p.region_code, p.household_id, p.id"),
                        f.range, read));
    JA_RETURN_IF_ERROR(ForEachRangeRow(
        absl::StrCat("SELECT ", kSpell, kFromSpell, kInP,
                     " ORDER BY p.region_code, p.household_id, p.id, e.start_date, e.id"),
        f.range, read));
    return ForEachRangeRow(absl::StrCat("SELECT ", kIncome, kFromIncome, kInH,
                                        " ORDER BY h.region_code, h.id, i.year"),
                           f.range, read);
  }

 private:
  // Hands the fact in the current row of a ScanFacts query to `sink`. Columns: the kind (0
  // household, 1 person, 2 spell, 3 income), then numbers a, b, c, d, x and texts s1, s2:
  // household id, region, relocated; person id, household, able, wants, birth date (s1);
  // spell's person, workplace, by transfer, its id (x), start (s1), end (s2, '' while open);
  // income's household, year, work, total.
  static absl::Status ReadFact(const Stmt& st, storage::FactSink& sink) {
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

  // Calls `row` for each row of `sql`, whose two `?`s are the low and high ends of `range`. On
  // PostgreSQL through a cursor fetched kBatch rows at a time, so that a range as large as the
  // nation is read in one query without its whole result held at once; elsewhere by stepping
  // the statement.
  absl::Status ForEachRangeRow(const std::string& sql, RegionRange range,
                               absl::FunctionRef<absl::Status(const Stmt&)> row) {
    if (dialect_ == Dialect::kSqlite) {
      JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare(sql));
      st->Bind(range.lo).Bind(range.hi);
      for (;;) {
        JA_ASSIGN_OR_RETURN(bool more, st->Step());
        if (!more) return absl::OkStatus();
        JA_RETURN_IF_ERROR(row(*st));
      }
    }
    // The ends are numbers, written into the cursor's query.
    std::string text = sql;
    for (int64_t end : {range.lo, range.hi}) {
      size_t q = text.find('?');
      if (q == std::string::npos) return absl::InternalError("a range query without its ends");
      text.replace(q, 1, absl::StrCat(end));
    }
    // Planned for the whole result, not for its first rows.
    JA_RETURN_IF_ERROR(c_.Exec("SET LOCAL cursor_tuple_fraction = 1"));
    JA_RETURN_IF_ERROR(c_.Exec(absl::StrCat("DECLARE jobaid_range NO SCROLL CURSOR FOR ", text)));
    constexpr int kBatch = 50000;
    static const std::string kFetch = absl::StrCat("FETCH ", kBatch, " FROM jobaid_range");
    for (int n = kBatch; n == kBatch;) {
      JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare(kFetch));
      for (n = 0;; ++n) {
        JA_ASSIGN_OR_RETURN(bool more, st->Step());
        if (!more) break;
        JA_RETURN_IF_ERROR(row(*st));
      }
    }
    return c_.Exec("CLOSE jobaid_range");
  }

  // The first row `sql` yields once `bind` has bound its parameters, read by `read` (which
  // returns T or StatusOr<T>); nullopt if there is none.
  template <typename T, typename Bind, typename Read>
  absl::StatusOr<std::optional<T>> QueryOne(const std::string& sql, Bind bind, Read read) {
    JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare(sql));
    bind(*st);
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) return std::optional<T>();
    absl::StatusOr<T> v = read(*st);
    if (!v.ok()) return v.status();
    return std::optional<T>(std::move(*v));
  }

  // The row of `table` with `id`; NotFound naming it if there is none.
  template <typename T, typename Read>
  absl::StatusOr<T> GetById(absl::string_view table, absl::string_view cols, int64_t id,
                            Read read) {
    JA_ASSIGN_OR_RETURN(std::optional<T> r,
                        QueryOne<T>(
                            absl::StrCat("SELECT ", cols, " FROM ", table, " WHERE id = ?"),
                            [id](Stmt& st) { st.Bind(id); }, read));
    if (!r) {
      return absl::NotFoundError(
          absl::StrCat(table == "app_user" ? "user" : table, " ", id, " does not exist"));
    }
    return std::move(*r);
  }

  void StampNew(domain::RecordMeta& m) {
    m.created_at = m.updated_at = clock_.NowMs();
    m.version = 1;
  }

  absl::Status CheckUpdated(absl::string_view table, int64_t id) {
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

  static void AddScope(ListBuilder& b, const RegionRange& r) {
    if (!r.IsNation()) b.Add("region_code >= ? AND region_code < ?", {r.lo, r.hi});
  }

  template <typename T, typename ReadFn>
  absl::StatusOr<Page<T>> RunList(ListBuilder& b, absl::string_view cols,
                                  const std::vector<SortSpec>& sorts, const PageRequest& page,
                                  ReadFn read) {
    JA_ASSIGN_OR_RETURN(SortSpec sort, ResolveSort(sorts, page.sort));
    int limit = std::clamp(page.limit, 1, 1000);
    Page<T> out;
    if (page.count) {
      JA_ASSIGN_OR_RETURN(Stmt * st,
                          c_.Prepare(absl::StrCat("SELECT COUNT(*) FROM ", b.table, b.where)));
      BindArgs(*st, b.args);
      JA_ASSIGN_OR_RETURN(bool row, st->Step());
      out.total = row ? st->Int(0) : 0;
      JA_RETURN_IF_ERROR(st->Run());
    }
    std::string where = b.where;
    std::vector<Value> args = b.args;
    const char* cmp = page.descending ? "<" : ">";
    if (!page.cursor.empty()) {
      Value v;
      int64_t id;
      JA_RETURN_IF_ERROR(DecodeCursor(page.cursor, sort.numeric, v, id));
      absl::StrAppend(&where, where.empty() ? " WHERE " : " AND ", "(", sort.column, ", id) ", cmp,
                      " (?, ?)");
      args.push_back(v);
      args.push_back(id);
    }
    const char* dir = page.descending ? " DESC" : "";
    std::string sql =
        absl::StrCat("SELECT ", cols, ", ", sort.column, " FROM ", b.table, where, " ORDER BY ",
                     sort.column, dir, ", id", dir, " LIMIT ", limit + 1);
    JA_ASSIGN_OR_RETURN(Stmt * st, c_.Prepare(sql));
    BindArgs(*st, args);
    int ncols = static_cast<int>(std::count(cols.begin(), cols.end(), ',')) + 1;
    Value last_sort;
    for (;;) {
      JA_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      if (static_cast<int>(out.items.size()) == limit) {
        out.next_cursor = EncodeCursor(last_sort, out.items.back().id.value());
        JA_RETURN_IF_ERROR(st->Run());
        break;
      }
      JA_ASSIGN_OR_RETURN(T item, read(*st));
      out.items.push_back(std::move(item));
      last_sort = sort.numeric ? Value(st->Int(ncols)) : Value(st->Text(ncols));
    }
    return out;
  }

  static void BindArgs(Stmt& st, const std::vector<Value>& args) {
    for (const Value& v : args) BindValue(st, v);
  }

  // Binds the sealed form of `clear` (and its hash if `hash_too`), taken from `sealed` and
  // `hash` when they were made ahead (they must be of the same value), or made here.
  void BindSealed(Stmt& st, const std::string& clear, bool hash_too, const std::string* sealed,
                  const std::string* hash) {
    if (clear.empty()) {
      st.BindNull();
      if (hash_too) st.BindNull();
      return;
    }
    // Forms made ahead must be of this value; missing ones are made here.
    assert(sealed == nullptr || sealed->empty() || codec_.Open(*sealed).value_or("") == clear);
    bool ahead = sealed != nullptr && !sealed->empty();
    st.BindBlobRef(ahead ? *sealed : Keep(codec_.Seal(clear)));
    if (hash_too) {
      st.BindBlobRef(hash != nullptr && !hash->empty() ? *hash : Keep(codec_.Hash(clear)));
    }
  }

  absl::StatusOr<std::string> OpenSealed(const Stmt& st, int col) {
    if (st.IsNull(col)) return std::string();
    return codec_.Open(st.Blob(col));
  }

  void BindHousehold(Stmt& st, const Household& h, const SealedPii* ahead = nullptr) {
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

  absl::StatusOr<Household> ReadHousehold(const Stmt& st) {
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

  // Binds by reference: `p` and `ahead` must outlive the statement's run.
  void BindPerson(Stmt& st, const Person& p, const SealedPii* ahead = nullptr) {
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

  absl::StatusOr<Person> ReadPerson(const Stmt& st) {
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

  void BindEmployer(Stmt& st, const Employer& e) {
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

  absl::StatusOr<Employer> ReadEmployer(const Stmt& st) {
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

  static void BindJob(Stmt& st, const Job& j) {
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

  static Job ReadJob(const Stmt& st) {
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

  // The province of person `id`'s village; NotFound naming person_id if there is no such
  // person.
  absl::StatusOr<int64_t> PersonProvince(PersonId id) {
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

  static void BindOptionalId(Stmt& st, int64_t id) {
    if (id > 0) {
      st.Bind(id);
    } else {
      st.BindNull();
    }
  }

  static void BindEmployment(Stmt& st, const domain::Employment& e) {
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

  static domain::Employment ReadEmployment(const Stmt& st) {
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

  static void BindApplication(Stmt& st, const domain::Application& a) {
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

  static domain::Application ReadApplication(const Stmt& st) {
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

  static void BindUser(Stmt& st, const User& u) {
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

  static User ReadUser(const Stmt& st) {
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

  static void ReadFlags(const Stmt& st, domain::RegionFlags& f) {
    f.key_county = st.Int(0) != 0;
    f.poverty_village = st.Int(1) != 0;
    f.relocation_site = st.Int(2) != 0;
    ReadMeta(st, 3, f.meta, /*has_delete=*/false);
  }

  // Holds values bound by reference until the statement has run; cleared per record.
  const std::string& Keep(std::string v) { return scratch_.emplace_back(std::move(v)); }

  sql::Connection& c_;
  const Dialect dialect_;
  const PiiCodec& codec_;
  IdGenerator& ids_;
  const Clock& clock_;
  std::vector<Change>* changes_;
  std::deque<std::string> scratch_;
  // What a bulk load set aside: its name, how it was dropped and how it is made again.
  struct SetAside {
    std::string name, drop, make;
  };
  std::vector<SetAside> set_aside_;
  // Between BeginBulkLoad and EndBulkLoad: whether the caller vouches that every row is new;
  // the provinces of the persons inserted last, for their spells.
  bool bulk_ = false, bulk_new_rows_ = false;
  std::vector<std::pair<int64_t, int64_t>> recent_persons_;  // (id, province)
};

}  // namespace

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
