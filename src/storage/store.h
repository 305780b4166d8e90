// The only path to persistent data. Implementations: SqliteStore (embedded default) and, later,
// PostgresStore (production); both must pass tests/storage_contract.
//
// All access happens inside a transaction: Write() runs a function in one read-write
// transaction and commits only if it returns OK; Read() runs it on a consistent snapshot. The
// function may be run again if the backend reports a retryable conflict, so it must not have
// side effects outside the transaction.
//
// Records are returned whatever their region: region scope is the service layer's business.
// Backends translate their errors at this edge: unique violations become AlreadyExists, a stale
// version Aborted, a busy database Unavailable.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/ids.h"
#include "domain/entities.h"
#include "domain/facts.h"
#include "domain/indicators.h"
#include "domain/region.h"
#include "storage/change.h"
#include "storage/pii_codec.h"

namespace jobaid::storage {

// The payload a backend sets on the status of a conflict with a concurrent transaction (a
// serialization failure, a deadlock): the transaction may succeed if run again. Store::Write
// retries a few times itself; a caller that expects heavy contention may go on.
inline constexpr char kRetryPayload[] = "jobaid/retry";
inline bool IsRetryableConflict(const absl::Status& s) {
  return s.GetPayload(kRetryPayload).has_value();
}

// Keyset pagination: `cursor` is the opaque next_cursor of the previous page.
struct PageRequest {
  std::string sort;  // a sort key the list accepts; "" = default
  bool descending = false;
  std::string cursor;
  int limit = 50;
  bool count = true;  // fill Page::total (a count of every matching row); false for bulk reads
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  // "" on the last page
  int64_t total = 0;        // rows matching the filters
};

struct HouseholdQuery {
  domain::RegionRange scope;
  std::string poverty_type;
  std::string status;
  std::string name;  // substring of the householder's name
  std::optional<std::string> head_id_number;
  UserId helper_id;
  bool deleted = false;  // list deleted records instead of live ones
  PageRequest page;      // sorts: region_code (default), id, head_name, created_at, updated_at
};

struct PersonQuery {
  domain::RegionRange scope;
  std::string poverty_type;
  std::string intention;
  std::string employment;  // "employed" / "unemployed" on `as_of`, "" = any
  std::string as_of;       // ISO date for `employment`
  std::string name;
  std::optional<std::string> id_number;
  HouseholdId household_id;
  int64_t unverified_since = 0;  // ms: only persons not confirmed since then (0: any)
  bool deleted = false;
  PageRequest page;  // sorts: region_code (default), id, name, birth_date, created_at, updated_at
};

struct EmployerQuery {
  domain::RegionRange scope;
  std::string kind;
  std::string name;
  bool deleted = false;
  PageRequest page;  // sorts: region_code (default), id, name, created_at, updated_at
};

struct JobQuery {
  domain::RegionRange scope;
  EmployerId employer_id;
  std::string kind;
  std::string status;
  std::string title;  // substring of title or occupation
  bool deleted = false;
  PageRequest page;  // sorts: region_code (default), id, title, wage_max, created_at, updated_at
};

struct ApplicationQuery {
  domain::RegionRange scope;  // of the person's village
  EmployerId employer_id;
  PersonId person_id;
  JobId job_id;
  std::string state;
  PageRequest page;  // sorts: updated_at (default), id, score, created_at
};

struct SessionRecord {
  std::string token_hash;
  UserId user_id;
  int64_t created_at = 0;
  int64_t expires_at = 0;  // the absolute end
  int64_t last_seen = 0;   // the last request it authenticated (kept to about a minute)
};

struct AuditEntry {
  int64_t at = 0;
  UserId user_id;
  std::string action;
  std::string entity;
  int64_t entity_id = 0;
  std::string detail;
  int64_t id = 0;   // set by the store
  int64_t seq = 0;  // the entry's place in the audit chain, from 1; 0 while not yet chained
  std::string mac;  // the chain's MAC up to and including this entry; empty while not chained
};

// The MAC the audit chain starts from: the "previous MAC" of its first entry.
inline const std::string& AuditGenesisMac() {
  static const std::string* const kGenesis = new std::string(32, '\0');
  return *kGenesis;
}

// The last link of the audit chain: {0, AuditGenesisMac()} before the first entry is chained.
struct AuditLink {
  int64_t seq = 0;
  std::string mac = AuditGenesisMac();
};

// Which audit entries Transaction::ScanAudit yields. Unset members do not filter.
struct AuditFilter {
  UserId user_id;
  std::string action;
  std::string entity;
  int64_t entity_id = -1;  // -1: any
  int64_t from_ms = 0;     // at >= from_ms
  int64_t to_ms = 0;       // at < to_ms (0: no end)
  int64_t before_id = 0;   // newest first, ids below this (0: from the newest)
  // Chained entries only, by `seq` ascending (for verifying); otherwise newest first by id.
  bool chain_order = false;
};

// The facts the indicators read, streamed by Transaction::ScanFacts (domain/facts.h).
using domain::FactFilter;
using domain::FactSink;
using domain::HouseholdFact;
using domain::IncomeFact;
using domain::PersonFact;
using domain::SpellFact;

struct RegisterCounts {
  int64_t households = 0;
  int64_t persons = 0;
  int64_t employers = 0;
  int64_t jobs_open = 0;
  int64_t openings = 0;
};

// A transaction's methods by concern (Transaction, below, has them all). In each:
// Get* return NotFound when no row has the id (deleted rows are returned; check meta).
// Insert* set meta (version 1, times) and return AlreadyExists on a duplicate natural key.
// Update* write the record if its meta.version is still the stored one, bump the version and
// set updated_at; Aborted if someone else changed it first, NotFound if it does not exist.

// The register: households and their members, employers and their jobs, the verification
// round, and bulk loads of them.
class RegisterTx {
 public:
  virtual ~RegisterTx() = default;

  virtual absl::StatusOr<domain::Household> GetHousehold(HouseholdId id) = 0;
  virtual absl::StatusOr<std::optional<domain::Household>> FindHouseholdByHead(
      const std::string& head_id_number) = 0;
  // `ahead`, if given, holds the head's ID and phone numbers sealed by Store::SealAhead.
  virtual absl::Status InsertHousehold(domain::Household& h, const SealedPii* ahead) = 0;
  absl::Status InsertHousehold(domain::Household& h) { return InsertHousehold(h, nullptr); }
  virtual absl::Status UpdateHousehold(domain::Household& h) = 0;
  virtual absl::StatusOr<Page<domain::Household>> ListHouseholds(const HouseholdQuery& q) = 0;

  virtual absl::StatusOr<domain::Person> GetPerson(PersonId id) = 0;
  virtual absl::StatusOr<std::optional<domain::Person>> FindPersonByIdNumber(
      const std::string& id_number) = 0;
  // `ahead`, if given, holds the person's ID and phone numbers sealed by Store::SealAhead.
  virtual absl::Status InsertPerson(domain::Person& p, const SealedPii* ahead) = 0;
  absl::Status InsertPerson(domain::Person& p) { return InsertPerson(p, nullptr); }
  virtual absl::Status UpdatePerson(domain::Person& p) = 0;
  virtual absl::StatusOr<Page<domain::Person>> ListPersons(const PersonQuery& q) = 0;

  // Stamps `p`'s record as confirmed still true at `at` (ms) by `by` (the verification round).
  virtual absl::Status PutVerification(const domain::Person& p, int64_t at, UserId by) = 0;
  // Live members of a household, oldest first.
  virtual absl::StatusOr<std::vector<domain::Person>> ListMembers(HouseholdId id) = 0;

  virtual absl::StatusOr<domain::Employer> GetEmployer(EmployerId id) = 0;
  virtual absl::StatusOr<std::optional<domain::Employer>> FindEmployerByCreditCode(
      const std::string& credit_code) = 0;
  virtual absl::Status InsertEmployer(domain::Employer& e) = 0;
  virtual absl::Status UpdateEmployer(domain::Employer& e) = 0;
  virtual absl::StatusOr<Page<domain::Employer>> ListEmployers(const EmployerQuery& q) = 0;

  virtual absl::StatusOr<domain::Job> GetJob(JobId id) = 0;
  virtual absl::Status InsertJob(domain::Job& j) = 0;
  virtual absl::Status UpdateJob(domain::Job& j) = 0;
  virtual absl::StatusOr<Page<domain::Job>> ListJobs(const JobQuery& q) = 0;
  // The live job of `employer_id` with exactly this title, if any (the import's natural key).
  virtual absl::StatusOr<std::optional<domain::Job>> FindJobByTitle(EmployerId employer_id,
                                                                    const std::string& title) = 0;

  // A hint that many rows of `tables` are about to be written in this transaction. A backend
  // may set secondary indexes aside and rebuild them (sorted) in EndBulkLoad, which must be
  // called before the transaction commits. Unique indexes stay in force unless
  // `unique_checked_by_caller`: then the caller guarantees no duplicates among the rows it
  // writes and no look-ups by those keys until EndBulkLoad, which verifies uniqueness when it
  // rebuilds them (AlreadyExists if the guarantee was broken).
  virtual absl::Status BeginBulkLoad(const std::vector<std::string>& tables,
                                     bool unique_checked_by_caller) = 0;
  virtual absl::Status EndBulkLoad() = 0;

  // Seals the contact phones that an older schema kept in clear; returns how many.
  virtual absl::StatusOr<int64_t> SealClearContactPhones() = 0;
};

// What happens to people: spells of employment and households' income by year.
class EmploymentTx {
 public:
  virtual ~EmploymentTx() = default;

  // Spells of employment. An insert reads the person's province (NotFound naming person_id if
  // there is no such person) to place the row beside the person's.
  virtual absl::StatusOr<domain::Employment> GetEmployment(EmploymentId id) = 0;
  virtual absl::Status InsertEmployment(domain::Employment& e) = 0;
  virtual absl::Status UpdateEmployment(domain::Employment& e) = 0;
  // A person's live spells, by start date.
  virtual absl::StatusOr<std::vector<domain::Employment>> ListEmploymentOf(PersonId id) = 0;
  // Writes person `id`'s row again unchanged, so that two transactions changing what belongs
  // to the person conflict (on PostgreSQL the later one fails and is retried) instead of each
  // missing the other's rows.
  virtual absl::Status TouchPerson(PersonId id) = 0;

  // A household's income by year, oldest first; Put replaces the household's row for the year
  // (setting its updated_at and version).
  virtual absl::StatusOr<std::vector<domain::HouseholdIncome>> ListHouseholdIncome(
      const domain::Household& h) = 0;
  virtual absl::Status PutHouseholdIncome(const domain::Household& h,
                                          domain::HouseholdIncome& income) = 0;
};

// Recruitment: applications of persons to jobs and their events.
class RecruitmentTx {
 public:
  virtual ~RecruitmentTx() = default;

  // Applications; one per person and job (AlreadyExists naming job_id for a second).
  virtual absl::StatusOr<domain::Application> GetApplication(ApplicationId id) = 0;
  virtual absl::StatusOr<std::optional<domain::Application>> FindApplication(PersonId person,
                                                                             JobId job) = 0;
  virtual absl::Status InsertApplication(domain::Application& a) = 0;
  virtual absl::Status UpdateApplication(domain::Application& a) = 0;
  virtual absl::StatusOr<Page<domain::Application>> ListApplications(const ApplicationQuery& q) = 0;
  virtual absl::Status InsertApplicationEvent(const domain::ApplicationEvent& e) = 0;
  // An application's events, oldest first.
  virtual absl::StatusOr<std::vector<domain::ApplicationEvent>> ListApplicationEvents(
      ApplicationId id) = 0;
};

// What the figures read and are held to: region flags, targets, counts and the facts of the
// indicators.
class FiguresTx {
 public:
  virtual ~FiguresTx() = default;

  // Flags of `code`; all false (and version 0) when none were ever set.
  virtual absl::StatusOr<domain::RegionFlags> GetRegionFlags(int64_t code) = 0;
  // Inserts or updates; an update must name the version read (0 for a region without flags).
  virtual absl::Status PutRegionFlags(domain::RegionFlags& f) = 0;
  virtual absl::StatusOr<std::vector<domain::RegionFlags>> ListRegionFlags(
      domain::RegionRange range) = 0;

  // Targets of `year` (0: every year) for the regions in `range`, by region code, year and
  // indicator.
  virtual absl::StatusOr<std::vector<domain::Target>> ListTargets(domain::RegionRange range,
                                                                  int year) = 0;
  // Sets a target. `t.version` must be the stored one (0 for a new target): Aborted if someone
  // else changed it first. Sets version and updated_at.
  virtual absl::Status PutTarget(domain::Target& t) = 0;

  virtual absl::StatusOr<RegisterCounts> CountRegister(domain::RegionRange range) = 0;
  // The tallies of domain/indicators.h for live persons in the range on `as_of`, per block of
  // `unit` region codes (a child region's range size; the range's own size for one total), in
  // code order, computed by one SQL query. Blocks without persons are left out.
  virtual absl::StatusOr<std::vector<domain::IndicatorCounts>> CountIndicators(
      domain::RegionRange range, int64_t unit, Date as_of) = 0;
  // Streams the facts of the filter's households to `sink`: every household (by region code
  // and id), then every person, then every spell, then every year's income, each in the
  // households' order (persons by id within a household, spells by start, incomes by year).
  // Stops at the first error `sink` returns.
  virtual absl::Status ScanFacts(const FactFilter& filter, FactSink& sink) = 0;
};

// Accounts: users, sessions and the log-in's bookkeeping.
class AccountsTx {
 public:
  virtual ~AccountsTx() = default;

  virtual absl::StatusOr<domain::User> GetUser(UserId id) = 0;
  virtual absl::StatusOr<std::optional<domain::User>> FindUserByName(
      const std::string& username) = 0;
  virtual absl::Status InsertUser(domain::User& u) = 0;
  virtual absl::Status UpdateUser(domain::User& u) = 0;
  virtual absl::StatusOr<std::vector<domain::User>> ListUsers() = 0;

  virtual absl::Status InsertSession(const SessionRecord& s) = 0;
  virtual absl::StatusOr<std::optional<SessionRecord>> FindSession(
      const std::string& token_hash) = 0;
  virtual absl::Status DeleteSession(const std::string& token_hash) = 0;
  // Records that the session was used at `at`.
  virtual absl::Status TouchSession(const std::string& token_hash, int64_t at) = 0;
  // Ends every session of `user`; returns how many there were.
  virtual absl::StatusOr<int64_t> DeleteSessionsOf(UserId user) = 0;
  // Sets the account's count of wrong passwords in a row and its lock (no version change:
  // this is the log-in's bookkeeping, not an edit of the account).
  virtual absl::Status SetLoginFailures(UserId user, int failures, int64_t locked_until) = 0;
};

// The audit log and its chain.
class AuditTx {
 public:
  virtual ~AuditTx() = default;

  // Inserts `e` (`e.at` 0: now) into the chain if `e.seq` is set, else unchained for the
  // sequencer (service::AuditLog) to chain later.
  virtual absl::Status InsertAudit(const AuditEntry& e) = 0;
  // The same for many, in few statements.
  virtual absl::Status InsertAudits(const std::vector<AuditEntry>& entries) = 0;
  // The chain's last link; with `lock`, held until this transaction ends against every other
  // sequencer (write transactions only).
  virtual absl::StatusOr<AuditLink> GetAuditHead(bool lock) = 0;
  virtual absl::Status PutAuditHead(const AuditLink& head) = 0;
  // Entries not yet chained, oldest first, at most `limit`.
  virtual absl::StatusOr<std::vector<AuditEntry>> ListUnchainedAudit(int limit) = 0;
  virtual absl::StatusOr<int64_t> CountUnchainedAudit() = 0;
  // Puts unchained entry `id` at `seq` with `mac`.
  virtual absl::Status ChainAudit(int64_t id, int64_t seq, const std::string& mac) = 0;
  // Streams the entries `f` selects to `fn` until it returns false.
  virtual absl::Status ScanAudit(const AuditFilter& f,
                                 absl::FunctionRef<bool(const AuditEntry&)> fn) = 0;
};

// One transaction: every concern's interface, and the change feed. Not thread-safe; valid only
// inside the function given to Store::Read/Write. Code that needs one concern takes its
// interface (a RegisterTx&, an AuditTx&, …), so that what it may touch is in its signature.
class Transaction : public RegisterTx,
                    public EmploymentTx,
                    public RecruitmentTx,
                    public FiguresTx,
                    public AccountsTx,
                    public AuditTx {
 public:
  // Tells every server on this store, this one included, that something changed, once the
  // transaction commits (nothing if it rolls back). Subscribers (Store::Subscribe) get it within
  // about a second; in-memory caches and indexes use it to catch up with other servers' writes.
  virtual void Notify(Change c) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Calls `fn` (on a thread of the store's) for every change committed from now on, by any
  // server on this store. Call before serving; `fn` must be thread-safe and quick.
  virtual void Subscribe(std::function<void(const Change&)> fn) = 0;
  virtual absl::Status Write(absl::FunctionRef<absl::Status(Transaction&)> fn) = 0;
  virtual absl::Status Read(absl::FunctionRef<absl::Status(Transaction&)> fn) = 0;
  // The stored forms of a record's ID and phone numbers, for Transaction::Insert*: lets a bulk
  // writer seal on another thread than the one that writes. Safe to call during a Write().
  // Overwrites `out` (reusing its strings' memory).
  virtual void SealAhead(absl::string_view id_number, absl::string_view phone,
                         SealedPii* out) const = 0;
  // Applies pending migrations; returns the schema version reached.
  virtual absl::StatusOr<int> Migrate() = 0;
  virtual absl::StatusOr<int> SchemaVersion() = 0;
  // A full consistency check of the backend's files or tables.
  virtual absl::Status CheckIntegrity() = 0;
};

}  // namespace jobaid::storage
