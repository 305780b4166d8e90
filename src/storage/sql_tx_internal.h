// Internal to storage/: the one Transaction of the SQL backends (SqlTx) and the helpers its
// parts share. Its methods are defined by concern in sql_tx.cc (construction, row binding and
// reading), sql_register_tx.cc (households, persons, employers, jobs), sql_people_tx.cc (spells,
// applications, users, sessions, audit) and sql_region_tx.cc (region flags, targets, bulk
// loads, counts and the facts of the indicators).
#pragma once

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
#include "storage/sql_tx.h"

namespace jobaid::storage::internal {

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
inline int64_t ProvinceOf(int64_t region_code) { return region_code / kProvinceUnit; }

inline std::string DateText(Date d) { return d.valid() ? d.ToString() : std::string(); }
inline Date DateFrom(const std::string& s) {
  if (s.empty()) return Date();
  auto d = Date::Parse(s);
  return d.ok() ? *d : Date();
}
inline std::vector<std::string> ListFrom(const std::string& s) {
  if (s.empty()) return {};
  return absl::StrSplit(s, ',');
}

inline void BindValue(Stmt& st, const Value& v) {
  if (std::holds_alternative<int64_t>(v)) {
    st.Bind(std::get<int64_t>(v));
  } else if (std::holds_alternative<Blob>(v)) {
    st.BindBlob(std::get<Blob>(v).bytes);
  } else {
    st.Bind(std::get<std::string>(v));
  }
}

inline std::string LikePattern(absl::string_view needle) {
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

inline absl::StatusOr<SortSpec> ResolveSort(const std::vector<SortSpec>& allowed,
                                            absl::string_view key) {
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

inline std::string EncodeCursor(const Value& v, int64_t id) {
  std::string raw = std::holds_alternative<int64_t>(v)
                        ? absl::StrCat("i", std::get<int64_t>(v), "\x1f", id)
                        : absl::StrCat("s", std::get<std::string>(v), "\x1f", id);
  return absl::WebSafeBase64Escape(raw);
}

inline absl::Status DecodeCursor(absl::string_view cursor, bool numeric, Value& v, int64_t& id) {
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

inline void ReadMeta(const Stmt& st, int col, domain::RecordMeta& m, bool has_delete = true) {
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

  void Notify(Change c) override {
    if (changes_) changes_->push_back(std::move(c));
  }

  // ---- households ----
  absl::StatusOr<Household> GetHousehold(HouseholdId id) override {
    return GetById<Household>("household", kHouseholdCols, id.value(),
                              [this](const Stmt& st) { return ReadHousehold(st); });
  }

  absl::StatusOr<std::optional<Household>> FindHouseholdByHead(const std::string& id) override;

  using Transaction::InsertHousehold;
  using Transaction::InsertPerson;

  absl::Status InsertHousehold(Household& h, const SealedPii* ahead) override;

  absl::Status UpdateHousehold(Household& h) override;

  absl::StatusOr<Page<Household>> ListHouseholds(const HouseholdQuery& q) override;

  // ---- persons ----
  absl::StatusOr<Person> GetPerson(PersonId id) override {
    return GetById<Person>("person", kPersonCols, id.value(),
                           [this](const Stmt& st) { return ReadPerson(st); });
  }

  absl::StatusOr<std::optional<Person>> FindPersonByIdNumber(const std::string& id) override;

  absl::Status InsertPerson(Person& p, const SealedPii* ahead) override;

  absl::Status UpdatePerson(Person& p) override;

  absl::StatusOr<Page<Person>> ListPersons(const PersonQuery& q) override;

  absl::StatusOr<std::vector<domain::HouseholdIncome>> ListHouseholdIncome(
      const Household& h) override;

  absl::StatusOr<std::vector<domain::Target>> ListTargets(RegionRange r, int year) override;

  absl::Status PutTarget(domain::Target& t) override;

  // Replaced, not upserted (a partitioned coordinator has no unique index to conflict on);
  // the year keeps its created_at and counts its versions.
  absl::Status PutHouseholdIncome(const Household& h, domain::HouseholdIncome& i) override;

  // Replaced, not upserted: a partitioned coordinator has no unique index to conflict on.
  absl::Status PutVerification(const Person& p, int64_t at, UserId by) override;

  absl::StatusOr<std::vector<Person>> ListMembers(HouseholdId id) override;

  // ---- employers ----
  absl::StatusOr<Employer> GetEmployer(EmployerId id) override {
    return GetById<Employer>("employer", kEmployerCols, id.value(),
                             [this](const Stmt& st) { return ReadEmployer(st); });
  }

  absl::StatusOr<std::optional<Employer>> FindEmployerByCreditCode(
      const std::string& code) override;

  absl::Status InsertEmployer(Employer& e) override;

  absl::Status UpdateEmployer(Employer& e) override;

  absl::StatusOr<Page<Employer>> ListEmployers(const EmployerQuery& q) override;

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

  absl::Status InsertJob(Job& j) override;

  absl::Status UpdateJob(Job& j) override;

  absl::StatusOr<Page<Job>> ListJobs(const JobQuery& q) override;

  // ---- spells of employment ----
  absl::StatusOr<domain::Employment> GetEmployment(EmploymentId id) override {
    return GetById<domain::Employment>("employment", kEmploymentCols, id.value(), ReadEmployment);
  }

  absl::Status InsertEmployment(domain::Employment& e) override;

  absl::Status UpdateEmployment(domain::Employment& e) override;

  absl::StatusOr<std::vector<domain::Employment>> ListEmploymentOf(PersonId id) override;

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

  absl::Status InsertApplication(domain::Application& a) override;

  absl::Status UpdateApplication(domain::Application& a) override;

  absl::StatusOr<Page<domain::Application>> ListApplications(const ApplicationQuery& q) override;

  absl::Status InsertApplicationEvent(const domain::ApplicationEvent& e) override;

  absl::StatusOr<std::vector<domain::ApplicationEvent>> ListApplicationEvents(
      ApplicationId id) override;

  // ---- users and sessions ----
  absl::StatusOr<User> GetUser(UserId id) override {
    return GetById<User>("app_user", kUserCols, id.value(), ReadUser);
  }

  absl::StatusOr<std::optional<User>> FindUserByName(const std::string& name) override;

  absl::Status InsertUser(User& u) override;

  absl::Status UpdateUser(User& u) override;

  absl::StatusOr<std::vector<User>> ListUsers() override;

  absl::Status InsertSession(const SessionRecord& s) override;

  absl::StatusOr<std::optional<SessionRecord>> FindSession(const std::string& token_hash) override;

  absl::Status TouchSession(const std::string& token_hash, int64_t at) override;

  absl::StatusOr<int64_t> DeleteSessionsOf(UserId user) override;

  absl::Status SetLoginFailures(UserId user, int failures, int64_t locked_until) override;

  absl::Status DeleteSession(const std::string& token_hash) override;

  absl::Status InsertAudit(const AuditEntry& e) override {
    return audit_sql::Insert(c_, ids_.Next(), e.at ? e.at : clock_.NowMs(), e);
  }
  absl::Status InsertAudits(const std::vector<AuditEntry>& entries) override;
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

  absl::StatusOr<int64_t> SealClearContactPhones() override;

  // ---- region flags ----
  absl::StatusOr<domain::RegionFlags> GetRegionFlags(int64_t code) override;

  absl::Status PutRegionFlags(domain::RegionFlags& f) override;

  absl::StatusOr<std::vector<domain::RegionFlags>> ListRegionFlags(RegionRange range) override;

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

  absl::Status EndBulkLoad() override;

  absl::StatusOr<RegisterCounts> CountRegister(RegionRange r) override;

  absl::StatusOr<std::vector<domain::IndicatorCounts>> CountIndicators(RegionRange r, int64_t unit,
                                                                       Date as_of) override;

  absl::Status ScanFacts(const storage::FactFilter& f, storage::FactSink& sink) override;

 private:
  // Hands the fact in the current row of a ScanFacts query to `sink`. Columns: the kind (0
  // household, 1 person, 2 spell, 3 income), then numbers a, b, c, d, x and texts s1, s2:
  // household id, region, relocated; person id, household, able, wants, birth date (s1);
  // spell's person, workplace, by transfer, its id (x), start (s1), end (s2, '' while open);
  // income's household, year, work, total.
  static absl::Status ReadFact(const Stmt& st, storage::FactSink& sink);

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

  absl::Status CheckUpdated(absl::string_view table, int64_t id);

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

  void BindHousehold(Stmt& st, const Household& h, const SealedPii* ahead = nullptr);

  absl::StatusOr<Household> ReadHousehold(const Stmt& st);

  // Binds by reference: `p` and `ahead` must outlive the statement's run.
  void BindPerson(Stmt& st, const Person& p, const SealedPii* ahead = nullptr);

  absl::StatusOr<Person> ReadPerson(const Stmt& st);

  void BindEmployer(Stmt& st, const Employer& e);

  absl::StatusOr<Employer> ReadEmployer(const Stmt& st);

  static void BindJob(Stmt& st, const Job& j);

  static Job ReadJob(const Stmt& st);

  // The province of person `id`'s village; NotFound naming person_id if there is no such
  // person.
  absl::StatusOr<int64_t> PersonProvince(PersonId id);

  static void BindOptionalId(Stmt& st, int64_t id);

  static void BindEmployment(Stmt& st, const domain::Employment& e);

  static domain::Employment ReadEmployment(const Stmt& st);

  static void BindApplication(Stmt& st, const domain::Application& a);

  static domain::Application ReadApplication(const Stmt& st);

  static void BindUser(Stmt& st, const User& u);

  static User ReadUser(const Stmt& st);

  static void ReadFlags(const Stmt& st, domain::RegionFlags& f);

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

}  // namespace jobaid::storage::internal
