#include "storage/postgres/pg_db.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "absl/strings/cord.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status.h"

namespace jobaid::storage::postgres {

absl::Status PgError(pg_result* res, pg_conn* conn, absl::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  std::string text = absl::StrCat(what, ": ", msg);
  if (code == "23505") return absl::AlreadyExistsError(text);
  if (absl::StartsWith(code, "23")) return absl::FailedPreconditionError(text);
  if (code == "40001" || code == "40P01") {
    absl::Status s = absl::AbortedError(text);
    s.SetPayload(kRetryPayload, absl::Cord("1"));
    return s;
  }
  if (absl::StartsWith(code, "08") || absl::StartsWith(code, "57") || code.empty()) {
    return absl::UnavailableError(text);
  }
  if (absl::StartsWith(code, "53")) return absl::ResourceExhaustedError(text);
  return absl::InternalError(text);
}

std::string NumberPlaceholders(absl::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool quoted = false, comment = false;  // inside '…', or a -- comment to the end of the line
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (comment) {
      comment = c != '\n';
    } else if (c == '\'') {
      quoted = !quoted;
    } else if (!quoted && c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      comment = true;
    }
    if (c == '?' && !quoted && !comment) {
      absl::StrAppend(&out, "$", ++n);
    } else {
      out.push_back(c);
    }
  }
  *count = n;
  return out;
}

bool PlainInsertOf(absl::string_view sql, std::string* table, std::string* columns) {
  constexpr absl::string_view kInsert = "INSERT INTO ";
  if (!absl::StartsWith(sql, kInsert)) return false;
  sql.remove_prefix(kInsert.size());
  size_t open = sql.find(" (");
  size_t close = sql.find(") VALUES (");
  if (open == absl::string_view::npos || close == absl::string_view::npos || close < open) {
    return false;
  }
  absl::string_view values = sql.substr(close + 10);
  if (!absl::ConsumeSuffix(&values, ")")) return false;
  for (char c : values) {
    if (c != '?' && c != ',' && c != ' ') return false;  // every value a placeholder
  }
  *table = std::string(sql.substr(0, open));
  *columns = std::string(sql.substr(open + 2, close - open - 2));
  return table->find_first_of(" (") == std::string::npos;
}

PgStmt::~PgStmt() { PQclear(res_); }

PgStmt& PgStmt::Reset() {
  PQclear(res_);
  res_ = nullptr;
  row_ = -1;
  rows_ = 0;
  next_ = 0;
  gathered_ = false;
  for (Param& p : values_) p = Param();
  return *this;
}

PgStmt& PgStmt::Set(const char* data, size_t length, bool binary, bool copy) {
  if (next_ >= values_.size()) values_.resize(next_ + 1);
  Param& p = values_[next_++];
  p = Param();
  if (data == nullptr) return *this;
  p.null = false;
  p.is_owned = copy;
  if (copy) {
    p.owned.assign(data, length);
  } else {
    p.ref = data;
  }
  p.length = static_cast<int>(length);
  p.binary = binary;
  return *this;
}

PgStmt& PgStmt::BindInt(int64_t v) {
  std::string s = absl::StrCat(v);
  return Set(s.data(), s.size(), false, true);
}
PgStmt& PgStmt::BindText(absl::string_view t) { return Set(t.data(), t.size(), false, true); }
PgStmt& PgStmt::BindBlob(absl::string_view b) { return Set(b.data(), b.size(), true, true); }
PgStmt& PgStmt::BindTextRef(const std::string& t) { return Set(t.data(), t.size(), false, false); }
PgStmt& PgStmt::BindBlobRef(const std::string& b) { return Set(b.data(), b.size(), true, false); }
PgStmt& PgStmt::BindNull() { return Set(nullptr, 0, false, false); }
PgStmt& PgStmt::BindDouble(double v) {
  std::string s = absl::StrCat(v);
  return Set(s.data(), s.size(), false, true);
}

void PgStmt::AppendCopyLine(std::string& out) const {
  for (size_t i = 0; i < values_.size(); ++i) {
    if (i > 0) out.push_back('\t');
    const Param& p = values_[i];
    const char* data = p.data();
    if (data == nullptr) {
      out.append("\\N");
    } else if (p.binary) {  // bytea in hex, its backslash escaped for COPY
      out.append("\\\\x");
      out.append(absl::BytesToHexString(absl::string_view(data, static_cast<size_t>(p.length))));
    } else {
      for (int k = 0; k < p.length; ++k) {
        const char c = data[k];
        const char* escaped = c == '\\'   ? "\\\\"
                              : c == '\t' ? "\\t"
                              : c == '\n' ? "\\n"
                              : c == '\r' ? "\\r"
                                          : nullptr;
        if (escaped != nullptr) {
          out.append(escaped);
        } else {
          out.push_back(c);
        }
      }
    }
  }
  out.push_back('\n');
}

absl::StatusOr<bool> PgStmt::Step() {
  if (gathered_) return false;
  if (res_ == nullptr && !conn_.bulk_tables_.empty()) {
    if (PgConnection::Gathered* g =
            insert_table_.empty() ? nullptr : conn_.GatherFor(insert_table_, insert_columns_)) {
      const size_t before = g->lines.size();
      AppendCopyLine(g->lines);
      conn_.gathered_bytes_ += g->lines.size() - before;
      conn_.changes_ = 1;
      gathered_ = true;
      if (conn_.gathered_bytes_ >= (16 << 20)) {
        if (absl::Status s = conn_.SendGathered(); !s.ok()) return s;
      }
      return false;
    }
    if (absl::Status s = conn_.SendGathered(); !s.ok()) return s;
  }
  if (res_ == nullptr) {
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (const Param& p : values_) {
      values.push_back(p.data());
      lengths.push_back(p.length);
      formats.push_back(p.binary ? 1 : 0);
    }
    res_ = PQexecPrepared(conn_.c_, name_.c_str(), static_cast<int>(values.size()), values.data(),
                          lengths.data(), formats.data(), 0);
    ExecStatusType st = PQresultStatus(res_);
    if (st == PGRES_COMMAND_OK) {
      conn_.changes_ = std::atoll(PQcmdTuples(res_));
      return false;
    }
    if (st != PGRES_TUPLES_OK) return conn_.Error(res_, "query failed");
    rows_ = PQntuples(res_);
    conn_.changes_ = rows_;
    row_ = -1;
  }
  return ++row_ < rows_;
}

int PgStmt::ColumnCount() const { return res_ ? PQnfields(res_) : 0; }
std::string PgStmt::ColumnName(int col) const { return PQfname(res_, col); }
PgStmt::Kind PgStmt::ColumnKind(int col) const {
  if (PQgetisnull(res_, row_, col)) return Kind::kNull;
  switch (PQftype(res_, col)) {  // type OIDs of pg_type.h
    case 20:
    case 21:
    case 23:
      return Kind::kInt;  // int8, int2, int4
    case 700:
    case 701:
    case 1700:
      return Kind::kDouble;  // float4, float8, numeric
    case 17:
      return Kind::kBlob;  // bytea
    default:
      return Kind::kText;
  }
}

int64_t PgStmt::Int(int col) const { return std::atoll(PQgetvalue(res_, row_, col)); }
double PgStmt::Double(int col) const { return std::atof(PQgetvalue(res_, row_, col)); }
std::string PgStmt::Text(int col) const {
  return std::string(PQgetvalue(res_, row_, col),
                     static_cast<size_t>(PQgetlength(res_, row_, col)));
}
std::string PgStmt::Blob(int col) const {
  size_t n = 0;
  unsigned char* raw =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(res_, row_, col)), &n);
  std::string out(reinterpret_cast<char*>(raw), n);
  PQfreemem(raw);
  return out;
}
bool PgStmt::IsNull(int col) const { return PQgetisnull(res_, row_, col) != 0; }

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url) {
  pg_conn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    absl::Status s =
        absl::UnavailableError(absl::StrCat("cannot connect to PostgreSQL: ", PQerrorMessage(c)));
    PQfinish(c);
    return s;
  }
  std::unique_ptr<PgConnection> conn(new PgConnection(c));
  absl::Status s = conn->Exec("SET client_min_messages = warning");
  if (!s.ok()) return s;
  return conn;
}

PgConnection::~PgConnection() {
  cache_.clear();
  PQfinish(c_);
}

bool PgConnection::Broken() const { return PQstatus(c_) != CONNECTION_OK; }

absl::StatusOr<sql::Stmt*> PgConnection::Prepare(absl::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    used_.insert(it->second.get());
    return &it->second->Reset();
  }
  int params = 0;
  std::string text = NumberPlaceholders(sql, &params);
  std::string name = absl::StrCat("s", cache_.size());
  pg_result* res = PQprepare(c_, name.c_str(), text.c_str(), 0, nullptr);
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    absl::Status s = Error(res, absl::StrCat("cannot prepare ", sql));
    PQclear(res);
    return s;
  }
  PQclear(res);
  std::string table, columns;
  if (!PlainInsertOf(sql, &table, &columns)) table.clear();
  auto [ins, _] = cache_.emplace(
      sql, std::make_unique<PgStmt>(*this, name, params, std::move(table), std::move(columns)));
  used_.insert(ins->second.get());
  return ins->second.get();
}

absl::Status PgConnection::Exec(const std::string& sql) {
  if (absl::StartsWith(sql, "ROLLBACK")) {
    bulk_tables_.clear();
    gathered_.clear();
    gathered_bytes_ = 0;
  } else {
    JA_RETURN_IF_ERROR(SendGathered());
  }
  // A transaction starts or ends: no error yet.
  if (absl::StartsWith(sql, "BEGIN") || absl::StartsWith(sql, "ROLLBACK")) {
    first_error_ = absl::OkStatus();
  }
  pg_result* res = PQexec(c_, sql.c_str());
  ExecStatusType st = PQresultStatus(res);
  absl::Status s;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) s = Error(res, "statement failed");
  PQclear(res);
  return s;
}

absl::StatusOr<std::vector<std::string>> PgConnection::WaitForNotifications(int timeout_ms) {
  std::vector<std::string> out;
  pollfd p{PQsocket(c_), POLLIN, 0};
  if (p.fd < 0) return absl::UnavailableError("the listening connection is closed");
  if (poll(&p, 1, timeout_ms) < 0) return out;
  if (PQconsumeInput(c_) == 0) {
    return absl::UnavailableError(absl::StrCat("listening connection: ", PQerrorMessage(c_)));
  }
  while (PGnotify* n = PQnotifies(c_)) {
    out.emplace_back(n->extra);
    PQfreemem(n);
  }
  return out;
}

absl::Status PgConnection::BeginBulkInsert(const std::vector<std::string>& tables) {
  JA_RETURN_IF_ERROR(SendGathered());
  bulk_tables_ = tables;
  return absl::OkStatus();
}

absl::Status PgConnection::EndBulkInsert() {
  absl::Status s = SendGathered();
  bulk_tables_.clear();
  gathered_.clear();
  return s;
}

PgConnection::Gathered* PgConnection::GatherFor(const std::string& table,
                                                const std::string& columns) {
  auto t = std::find(bulk_tables_.begin(), bulk_tables_.end(), table);
  if (t == bulk_tables_.end()) return nullptr;
  for (Gathered& g : gathered_) {
    if (g.table == table && g.columns == columns) return &g;
  }
  return &gathered_.emplace_back(
      Gathered{static_cast<size_t>(t - bulk_tables_.begin()), table, columns, ""});
}

absl::Status PgConnection::SendGathered() {
  if (gathered_bytes_ == 0) return absl::OkStatus();
  gathered_bytes_ = 0;
  // Parents before children: in the order of BeginBulkInsert's tables.
  std::stable_sort(gathered_.begin(), gathered_.end(),
                   [](const Gathered& a, const Gathered& b) { return a.order < b.order; });
  for (Gathered& g : gathered_) {
    if (g.lines.empty()) continue;
    const std::string what = absl::StrCat("inserting into ", g.table);
    pg_result* res =
        PQexec(c_, absl::StrCat("COPY ", g.table, " (", g.columns, ") FROM STDIN").c_str());
    const bool copying = PQresultStatus(res) == PGRES_COPY_IN;
    absl::Status s = copying ? absl::OkStatus() : Error(res, what);
    PQclear(res);
    if (!s.ok()) return s;
    if (PQputCopyData(c_, g.lines.data(), static_cast<int>(g.lines.size())) != 1 ||
        PQputCopyEnd(c_, nullptr) != 1) {
      return Error(nullptr, what);
    }
    g.lines.clear();
    while (pg_result* r = PQgetResult(c_)) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK && s.ok()) s = Error(r, what);
      PQclear(r);
    }
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status PgConnection::Error(pg_result* res, absl::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  if (state != nullptr && absl::string_view(state) == "25P02" && !first_error_.ok()) {
    return first_error_;
  }
  absl::Status s = PgError(res, c_, what);
  if (first_error_.ok()) first_error_ = s;
  return s;
}

void PgConnection::ResetAll() {
  for (PgStmt* s : used_) s->Reset();
  used_.clear();
}

}  // namespace jobaid::storage::postgres
