#include "service/audit_log.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace jobaid::service {
namespace {

using storage::AuditEntry;
using storage::AuditLink;
using storage::Transaction;

// Unchained entries one transaction of the sequencer takes on at most (after a long stop, the
// rest follow in the next ones).
constexpr int kChainPerTransaction = 20000;
constexpr size_t kMaxProblems = 20;

void AppendInt(std::string* out, int64_t v) {
  for (int i = 0; i < 8; ++i)
    out->push_back(static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff));
}

void AppendText(std::string* out, absl::string_view s) {
  AppendInt(out, static_cast<int64_t>(s.size()));
  out->append(s.data(), s.size());
}

std::string Describe(const AuditEntry& e) {
  return absl::StrCat("entry ", e.seq, " (", e.action, " ", e.entity, " ", e.entity_id, " at ",
                      e.at, ")");
}

}  // namespace

AuditEntry Audit(const auth::Actor& a, absl::string_view action, absl::string_view entity,
                 int64_t id, std::string detail) {
  AuditEntry e;
  e.user_id = a.user_id;
  e.action = std::string(action);
  e.entity = std::string(entity);
  e.entity_id = id;
  e.detail = std::move(detail);
  return e;
}

std::string CanonicalAuditBytes(const AuditEntry& e) {
  std::string out;
  out.reserve(64 + e.action.size() + e.entity.size() + e.detail.size());
  AppendInt(&out, e.seq);
  AppendInt(&out, e.at);
  AppendInt(&out, e.user_id.valid() ? e.user_id.value() : 0);
  AppendText(&out, e.action);
  AppendText(&out, e.entity);
  AppendInt(&out, e.entity_id);
  AppendText(&out, e.detail);
  return out;
}

AuditLog::AuditLog(const Context& ctx, const storage::PiiCodec& codec)
    : ctx_(ctx), codec_(codec), thread_([this] { Loop(); }) {}

AuditLog::~AuditLog() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
    cv_.SignalAll();
  }
  thread_.join();
  (void)Flush();
}

absl::Status AuditLog::Record(AuditEntry e) {
  if (e.at == 0) e.at = ctx_.clock.NowMs();
  absl::MutexLock lock(&mu_);
  if (!open_) open_ = std::make_shared<Batch>();
  std::shared_ptr<Batch> mine = open_;
  mine->entries.push_back(std::move(e));
  // Whoever finds no batch being written writes the open one, with everything that gathered
  // meanwhile; the others wait for it.
  while (!mine->done) {
    if (writing_) {
      cv_.Wait(&mu_);
    } else {
      Lead();
    }
  }
  return mine->status;
}

absl::Status AuditLog::Flush() {
  absl::MutexLock lock(&mu_);
  while (writing_) cv_.Wait(&mu_);
  writing_ = true;
  std::shared_ptr<Batch> batch = std::move(open_);
  mu_.Unlock();
  absl::Status s = WriteBatch(batch ? batch->entries : std::vector<AuditEntry>{}, /*backlog=*/true);
  mu_.Lock();
  if (batch) {
    batch->status = s;
    batch->done = true;
  }
  writing_ = false;
  cv_.SignalAll();
  return s;
}

void AuditLog::Lead() {
  writing_ = true;
  std::shared_ptr<Batch> batch = std::move(open_);
  mu_.Unlock();
  absl::Status s = WriteBatch(batch->entries, /*backlog=*/false);
  mu_.Lock();
  batch->status = s;
  batch->done = true;
  writing_ = false;
  cv_.SignalAll();
}

absl::Status AuditLog::WriteBatch(const std::vector<AuditEntry>& entries, bool backlog) {
  absl::Status s;
  // Servers sharing a PostgreSQL database take turns at the chain's head; the loser of a turn
  // fails to serialize and tries again, a little later each time.
  for (int attempt = 0; attempt < 40; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(
          std::chrono::microseconds(500 * std::min(attempt, 20) + absl::Uniform(bitgen_, 0, 2000)));
    }
    s = WriteChain(entries, backlog);
    if (!storage::IsRetryableConflict(s)) break;
  }
  if (!s.ok()) {
    std::fprintf(stderr, "audit: could not commit %zu entries and extend the chain: %s\n",
                 entries.size(), std::string(s.message()).c_str());
  }
  return s;
}

absl::Status AuditLog::WriteChain(const std::vector<AuditEntry>& entries, bool backlog) {
  return ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(AuditLink head, tx.GetAuditHead(/*lock=*/true));
    // Changes' entries (oldest first) when flushing; a batch of reads waits for nothing else.
    std::vector<AuditEntry> unchained;
    if (backlog) {
      JA_ASSIGN_OR_RETURN(unchained, tx.ListUnchainedAudit(kChainPerTransaction));
    }
    for (AuditEntry& e : unchained) {
      e.seq = ++head.seq;
      head.mac = codec_.ChainMac(head.mac, CanonicalAuditBytes(e));
      JA_RETURN_IF_ERROR(tx.ChainAudit(e.id, e.seq, head.mac));
    }
    std::vector<AuditEntry> chained = entries;
    for (AuditEntry& e : chained) {
      e.seq = ++head.seq;
      e.mac = codec_.ChainMac(head.mac, CanonicalAuditBytes(e));
      head.mac = e.mac;
    }
    JA_RETURN_IF_ERROR(tx.InsertAudits(chained));
    if (unchained.empty() && entries.empty()) return absl::OkStatus();
    return tx.PutAuditHead(head);
  });
}

void AuditLog::Loop() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      cv_.WaitWithTimeout(&mu_, absl::Seconds(1));
      if (stop_) return;
    }
    // A look on a snapshot first, so that an idle server takes no write lock every second.
    bool waiting = false;
    absl::Status s = ctx_.store.Read([&](Transaction& tx) -> absl::Status {
      JA_ASSIGN_OR_RETURN(std::vector<AuditEntry> first, tx.ListUnchainedAudit(1));
      waiting = !first.empty();
      return absl::OkStatus();
    });
    if (!s.ok() || waiting) (void)Flush();
  }
}

absl::StatusOr<AuditVerification> AuditLog::Verify() {
  AuditVerification v;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    v = AuditVerification{};
    JA_ASSIGN_OR_RETURN(v.head, tx.GetAuditHead(/*lock=*/false));
    JA_ASSIGN_OR_RETURN(v.unchained, tx.CountUnchainedAudit());
    AuditLink prev;
    auto problem = [&](std::string what) {
      if (v.problems.size() < kMaxProblems) v.problems.push_back(std::move(what));
    };
    storage::AuditFilter f;
    f.chain_order = true;
    JA_RETURN_IF_ERROR(tx.ScanAudit(f, [&](const AuditEntry& e) {
      ++v.entries;
      if (e.seq != prev.seq + 1) {
        problem(e.seq == prev.seq + 2
                    ? absl::StrCat("entry ", prev.seq + 1, " is missing")
                    : absl::StrCat("entries ", prev.seq + 1, " to ", e.seq - 1, " are missing"));
      }
      if (codec_.ChainMac(prev.mac, CanonicalAuditBytes(e)) != e.mac) {
        problem(absl::StrCat(Describe(e),
                             " does not match its MAC: it was changed, or the entry before it was "
                             "removed or moved"));
      }
      // Go on from what is stored, so that one changed entry is reported once.
      prev = {e.seq, e.mac};
      return true;
    }));
    if (prev.seq != v.head.seq) {
      problem(prev.seq < v.head.seq
                  ? absl::StrCat("the chain ends at entry ", prev.seq, " but its head is entry ",
                                 v.head.seq, ": entries at the end were removed")
                  : absl::StrCat("the chain goes on to entry ", prev.seq, " past its head, entry ",
                                 v.head.seq));
    } else if (prev.mac != v.head.mac) {
      problem(absl::StrCat("the last entry, ", prev.seq, ", does not match the chain's head"));
    }
    return absl::OkStatus();
  }));
  return v;
}

absl::Status AuditLog::Query(const auth::Actor& a, const AuditQuery& q,
                             absl::FunctionRef<void(const AuditRow&)> fn) {
  if (a.role != auth::Role::kAdmin && !a.system) {
    return absl::PermissionDeniedError("only an administrator may read the audit");
  }
  if (q.limit < 0 || q.limit > 1000) {
    return FieldError("limit", "a page holds 1 to 1000 entries");
  }
  return ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    storage::AuditFilter f;
    if (!q.username.empty()) {
      JA_ASSIGN_OR_RETURN(std::optional<domain::User> u, tx.FindUserByName(q.username));
      if (!u) return FieldError("user", absl::StrCat("there is no user ", q.username));
      f.user_id = u->id;
    }
    f.action = q.action;
    f.entity = q.entity;
    f.entity_id = q.entity_id;
    f.from_ms = q.from_ms;
    f.to_ms = q.to_ms;
    f.before_id = q.before_id;
    // Users looked up once each: their names, or nullopt for one outside the admin's scope. A
    // user no longer in the store shows as its number, to admins of the whole nation.
    struct Who {
      std::string username, display_name;
    };
    absl::flat_hash_map<int64_t, std::optional<Who>> users;
    const bool everyone = a.system || a.scope.IsNation();
    absl::Status lookup;
    int n = 0;
    JA_RETURN_IF_ERROR(tx.ScanAudit(f, [&](const AuditEntry& e) {
      AuditRow row{e, "", ""};
      if (e.user_id.valid()) {
        auto it = users.find(e.user_id.value());
        if (it == users.end()) {
          std::optional<Who> who;
          if (auto got = tx.GetUser(e.user_id); got.ok()) {
            if (everyone || a.scope.Contains(auth::Actor::FromUser(*got).scope)) {
              who = Who{got->username, got->display_name};
            }
          } else if (!absl::IsNotFound(got.status())) {
            lookup = got.status();
            return false;
          } else if (everyone) {
            who = Who{absl::StrCat("#", e.user_id.value()), ""};
          }
          it = users.emplace(e.user_id.value(), std::move(who)).first;
        }
        if (!it->second) return true;
        row.username = it->second->username;
        row.display_name = it->second->display_name;
      } else if (!everyone) {
        return true;
      }
      fn(row);
      return q.limit == 0 || ++n < q.limit;
    }));
    return lookup;
  });
}

absl::StatusOr<io::Table> AuditLog::Export(const auth::Actor& a, AuditQuery q,
                                           const std::string& described) {
  q.limit = 0;
  io::Table t;
  t.sheet_name = "审计日志";
  t.header = {"序号", "编号", "时间", "用户", "姓名", "操作", "对象", "对象编号", "说明"};
  t.numeric = {true, false, false, false, false, false, false, false, false};
  JA_RETURN_IF_ERROR(Query(a, q, [&](const AuditRow& r) {
    const AuditEntry& e = r.entry;
    t.rows.push_back({e.seq > 0 ? absl::StrCat(e.seq) : "", absl::StrCat(e.id), FormatIsoMs(e.at),
                      r.username, r.display_name, e.action, e.entity, absl::StrCat(e.entity_id),
                      e.detail});
  }));
  t.made_by = a.username.empty() ? "jobaid" : a.username;
  t.made_at_ms = ctx_.clock.NowMs();
  t.note = absl::StrCat("JobAid 审计日志导出 · ", t.made_by, " · ", FormatIsoMs(t.made_at_ms),
                        " · ", described);
  JA_RETURN_IF_ERROR(
      Record(Audit(a, "export", "audit", 0, absl::StrCat(t.rows.size(), " entries; ", described))));
  return t;
}

}  // namespace jobaid::service
