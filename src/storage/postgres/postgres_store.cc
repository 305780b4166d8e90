#include "storage/postgres/postgres_store.h"

#include <chrono>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "storage/migrations.h"
#include "storage/sql_tx.h"

namespace jobaid::storage::postgres {

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                                   const PiiCodec& codec,
                                                                   IdGenerator& ids,
                                                                   const Clock& clock, int pool) {
  std::unique_ptr<PostgresStore> s(new PostgresStore(codec, ids, clock));
  s->url_ = url;
  std::random_device random;
  s->origin_ =
      absl::StrCat(absl::Hex(random(), absl::kZeroPad8), absl::Hex(random(), absl::kZeroPad8));
  s->size_ = std::max(1, pool);
  absl::MutexLock lock(&s->mu_);
  for (int i = 0; i < s->size_; ++i) {
    JA_ASSIGN_OR_RETURN(auto c, PgConnection::Open(url));
    s->pool_.push_back(std::move(c));
  }
  return s;
}

PostgresStore::~PostgresStore() {
  stop_ = true;
  if (listener_.joinable()) listener_.join();
}

void PostgresStore::Subscribe(std::function<void(const Change&)> fn) {
  hub_.Subscribe(std::move(fn));
  if (listener_.joinable()) return;
  listener_ = std::thread([this] {
    std::unique_ptr<PgConnection> c;
    while (!stop_) {
      if (c == nullptr || c->Broken()) {
        auto fresh = PgConnection::Open(url_);
        if (!fresh.ok() || !(*fresh)->Exec("LISTEN jobaid").ok()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(500));
          continue;
        }
        c = std::move(*fresh);
      }
      auto got = c->WaitForNotifications(200);
      if (!got.ok()) {
        c.reset();
        continue;
      }
      for (const std::string& msg : *got) {
        std::pair<absl::string_view, absl::string_view> from_rest =
            absl::StrSplit(msg, absl::MaxSplits(' ', 1));
        if (from_rest.first == origin_) continue;
        // A message this build cannot read (another version's) makes everything be read again.
        absl::StatusOr<Change> change = Change::Decode(from_rest.second);
        hub_.Deliver(change.ok() ? *change : Change::Register(domain::RegionRange::Nation()));
      }
    }
  });
}

absl::StatusOr<std::unique_ptr<PgConnection>> PostgresStore::Acquire() {
  std::unique_ptr<PgConnection> c;
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](std::vector<std::unique_ptr<PgConnection>>* v) { return !v->empty(); }, &pool_));
    c = std::move(pool_.back());
    pool_.pop_back();
  }
  if (c->Broken()) {
    auto fresh = PgConnection::Open(url_);
    if (!fresh.ok()) {
      Release(std::move(c));
      return fresh.status();
    }
    c = std::move(*fresh);
  }
  return c;
}

void PostgresStore::Release(std::unique_ptr<PgConnection> c) {
  absl::MutexLock lock(&mu_);
  pool_.push_back(std::move(c));
}

absl::Status PostgresStore::Run(bool write, absl::FunctionRef<absl::Status(Transaction&)> fn) {
  absl::Status s;
  for (int attempt = 0; attempt < 5; ++attempt) {
    JA_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> c, Acquire());
    s = c->Exec(write ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
                      : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (s.ok()) {
      std::vector<Change> changes;
      auto tx = NewSqlTx(*c, Dialect::kPostgres, codec_, ids_, clock_, &changes);
      s = fn(*tx);
      c->ResetAll();
      // A statement failed and the function went on: the transaction is aborted, and COMMIT
      // would only roll it back. Its first error is the answer.
      if (s.ok() && !c->first_error().ok()) s = c->first_error();
      // NOTIFY is transactional: the messages go out with the commit, or not at all.
      for (const Change& ch : changes) {
        if (!s.ok()) break;
        auto st = c->Prepare("SELECT pg_notify('jobaid', ?)");
        s = st.ok() ? (*st)->Bind(absl::StrCat(origin_, " ", ch.Encode())).Run() : st.status();
        c->ResetAll();
      }
      if (s.ok()) {
        s = c->Exec("COMMIT");
        // This server's caches learn at once; the others through the listener.
        if (s.ok()) {
          for (const Change& ch : changes) hub_.Deliver(ch);
        }
      } else {
        (void)c->Exec("ROLLBACK");
      }
    }
    Release(std::move(c));
    if (!s.GetPayload(kRetryPayload).has_value()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2 << attempt));
  }
  return s;
}

absl::Status PostgresStore::Write(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  return Run(true, fn);
}

absl::Status PostgresStore::Read(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  return Run(false, fn);
}

void PostgresStore::SealAhead(absl::string_view id_number, absl::string_view phone,
                              SealedPii* out) const {
  codec_.SealRecord(id_number, phone, out);
}

absl::StatusOr<int> PostgresStore::SchemaVersion() {
  JA_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> c, Acquire());
  absl::Status s = c->Exec(
      "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at BIGINT NOT NULL)");
  absl::StatusOr<int64_t> v =
      s.ok() ? sql::QueryInt(*c, "SELECT COALESCE(MAX(version), 0) FROM schema_migration")
             : absl::StatusOr<int64_t>(s);
  Release(std::move(c));
  if (!v.ok()) return v.status();
  return static_cast<int>(*v);
}

absl::StatusOr<int> PostgresStore::Migrate() {
  const auto& all = PostgresMigrations();
  JA_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> c, Acquire());
  int current = 0;
  absl::Status s = [&]() -> absl::Status {
    JA_RETURN_IF_ERROR(c->Exec("BEGIN"));
    // One migrator at a time, whatever the number of servers starting.
    JA_RETURN_IF_ERROR(c->Exec("SELECT pg_advisory_xact_lock(4242)"));
    JA_RETURN_IF_ERROR(c->Exec(
        "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT "
        "NULL, applied_at BIGINT NOT NULL)"));
    JA_ASSIGN_OR_RETURN(sql::Stmt * st,
                        c->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migration"));
    JA_ASSIGN_OR_RETURN(bool row, st->Step());
    current = row ? static_cast<int>(st->Int(0)) : 0;
    if (!all.empty() && current > all.back().version) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the database is at schema version ", current, ", newer than this jobaid knows (",
          all.back().version, "); use a newer jobaid"));
    }
    for (const Migration& m : all) {
      if (m.version <= current) continue;
      absl::Status ms = c->Exec(std::string(m.sql));
      if (!ms.ok()) {
        return absl::Status(ms.code(),
                            absl::StrCat("migration ", m.name, " failed: ", ms.message()));
      }
      JA_ASSIGN_OR_RETURN(sql::Stmt * ins, c->Prepare("INSERT INTO schema_migration (version, "
                                                      "name, applied_at) VALUES (?,?,?)"));
      JA_RETURN_IF_ERROR(ins->Bind(int64_t{m.version}).Bind(m.name).Bind(clock_.NowMs()).Run());
      current = m.version;
    }
    c->ResetAll();
    return c->Exec("COMMIT");
  }();
  if (!s.ok()) {
    c->ResetAll();
    (void)c->Exec("ROLLBACK");
  }
  Release(std::move(c));
  if (!s.ok()) return s;
  return current;
}

absl::Status PostgresStore::CheckIntegrity() {
  // PostgreSQL enforces the constraints itself; check that every foreign key is validated.
  JA_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> c, Acquire());
  absl::StatusOr<int64_t> unvalidated =
      sql::QueryInt(*c, "SELECT COUNT(*) FROM pg_constraint WHERE NOT convalidated");
  Release(std::move(c));
  if (!unvalidated.ok()) return unvalidated.status();
  if (*unvalidated != 0) return absl::DataLossError("some constraints are not validated");
  return absl::OkStatus();
}

}  // namespace jobaid::storage::postgres
