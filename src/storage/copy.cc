#include "storage/copy.h"

#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"
#include "storage/open_store.h"
#include "storage/postgres/pg_db.h"
#include "storage/sqlite/sqlite_db.h"

namespace jobaid::storage {
namespace {

// Every table, parents before children, with the key rows are compared in.
struct TableSpec {
  const char* name;
  const char* key;
};
constexpr TableSpec kTables[] = {{"app_user", "id"},
                                 {"session", "token_hash"},
                                 {"region_flag", "region_code"},
                                 {"household", "id"},
                                 {"household_income", "household_id, year"},
                                 {"person", "id"},
                                 {"verification", "person_id"},
                                 {"employer", "id"},
                                 {"job", "id"},
                                 {"employment", "id"},
                                 {"application", "id"},
                                 {"application_event", "id"},
                                 {"training_program", "id"},
                                 {"enrollment", "id"},
                                 {"job_fair", "id"},
                                 {"transfer", "id"},
                                 {"transfer_person", "transfer_id, person_id"},
                                 {"pairing", "id"},
                                 {"station", "id"},
                                 {"target", "indicator, region_code, year"},
                                 {"alert", "id"},
                                 {"rights_case", "id"},
                                 {"product", "id"},
                                 {"sale", "id"},
                                 {"audit", "id"},
                                 {"audit_head", "one"}};

absl::StatusOr<std::unique_ptr<sql::Connection>> Connect(const std::string& url) {
  if (absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://")) {
    JA_ASSIGN_OR_RETURN(auto c, postgres::PgConnection::Open(url));
    return std::unique_ptr<sql::Connection>(std::move(c));
  }
  std::string path = SqlitePath(url);
  if (path.empty()) return absl::InvalidArgumentError(absl::StrCat("unsupported store ", url));
  JA_ASSIGN_OR_RETURN(auto c, sqlite::Connection::Open(path));
  return std::unique_ptr<sql::Connection>(std::move(c));
}

bool IsPostgres(const std::string& url) { return absl::StartsWith(url, "postgres"); }

// A value as text for comparison; numbers by value so that 0 and 0.0 agree.
std::string Canonical(const sql::Stmt& st, int col) {
  switch (st.ColumnKind(col)) {
    case sql::Stmt::Kind::kNull:
      return "\x01NULL";
    case sql::Stmt::Kind::kInt:
      return absl::StrCat(st.Int(col));
    case sql::Stmt::Kind::kDouble:
      return absl::StrCat(st.Double(col));
    case sql::Stmt::Kind::kBlob:
      return absl::StrCat("\x02", st.Blob(col));
    case sql::Stmt::Kind::kText:
      return st.Text(col);
  }
  return "";
}

}  // namespace

absl::StatusOr<CopyReport> CopyStore(
    const std::string& from_url, const std::string& to_url, const Clock& clock,
    const std::function<void(const std::string&, int64_t)>& progress) {
  // The target gets the newest schema the usual way.
  {
    IdGenerator ids;
    PiiCodec codec = PiiCodec::FromSeed("migrate-only");  // no personal data is written here
    JA_RETURN_IF_ERROR(OpenStore(to_url, codec, ids, clock, /*migrate=*/true, 1).status());
  }
  JA_ASSIGN_OR_RETURN(auto from, Connect(from_url));
  JA_ASSIGN_OR_RETURN(auto to, Connect(to_url));
  JA_RETURN_IF_ERROR(from->Exec(
      IsPostgres(from_url) ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN"));
  JA_RETURN_IF_ERROR(to->Exec("BEGIN"));
  CopyReport report;
  absl::Status s = [&]() -> absl::Status {
    for (const char* t : {"app_user", "household", "person", "employer"}) {
      JA_ASSIGN_OR_RETURN(sql::Stmt * st, to->Prepare(absl::StrCat("SELECT COUNT(*) FROM ", t)));
      JA_ASSIGN_OR_RETURN(bool row, st->Step());
      if (row && st->Int(0) > 0) {
        return absl::FailedPreconditionError(absl::StrCat("the target store already holds ", t,
                                                          " rows; copy only into an empty store"));
      }
    }
    for (const TableSpec& t : kTables) {
      JA_ASSIGN_OR_RETURN(sql::Stmt * src, from->Prepare(absl::StrCat("SELECT * FROM ", t.name,
                                                                      " ORDER BY ", t.key)));
      int64_t n = 0;
      sql::Stmt* ins = nullptr;
      for (;;) {
        JA_ASSIGN_OR_RETURN(bool row, src->Step());
        if (!row) break;
        int cols = src->ColumnCount();
        if (ins == nullptr) {
          std::vector<std::string> names, marks;
          for (int c = 0; c < cols; ++c) {
            names.push_back(src->ColumnName(c));
            marks.push_back("?");
          }
          JA_ASSIGN_OR_RETURN(ins, to->Prepare(absl::StrCat(
                                       "INSERT INTO ", t.name, " (", absl::StrJoin(names, ", "),
                                       ") VALUES (", absl::StrJoin(marks, ","), ")")));
        }
        ins->Reset();
        for (int c = 0; c < cols; ++c) {
          switch (src->ColumnKind(c)) {
            case sql::Stmt::Kind::kNull:
              ins->BindNull();
              break;
            case sql::Stmt::Kind::kInt:
              ins->BindInt(src->Int(c));
              break;
            case sql::Stmt::Kind::kDouble:
              ins->BindDouble(src->Double(c));
              break;
            case sql::Stmt::Kind::kBlob:
              ins->BindBlob(src->Blob(c));
              break;
            case sql::Stmt::Kind::kText:
              ins->BindText(src->Text(c));
              break;
          }
        }
        absl::Status w = ins->Run();
        if (!w.ok()) return absl::Status(w.code(), absl::StrCat(t.name, ": ", w.message()));
        ++n;
      }
      report.rows += n;
      ++report.tables;
      if (progress) progress(t.name, n);
    }
    // Row by row, the target must now read back as the source.
    for (const TableSpec& t : kTables) {
      std::string sql = absl::StrCat("SELECT * FROM ", t.name, " ORDER BY ", t.key);
      JA_ASSIGN_OR_RETURN(sql::Stmt * a, from->Prepare(sql));
      JA_ASSIGN_OR_RETURN(sql::Stmt * b, to->Prepare(sql));
      for (int64_t row = 1;; ++row) {
        JA_ASSIGN_OR_RETURN(bool ra, a->Step());
        JA_ASSIGN_OR_RETURN(bool rb, b->Step());
        if (ra != rb) {
          return absl::DataLossError(absl::StrCat(t.name, ": the copy has ", ra ? "fewer" : "more",
                                                  " rows than the source"));
        }
        if (!ra) break;
        for (int c = 0; c < a->ColumnCount(); ++c) {
          if (Canonical(*a, c) != Canonical(*b, c)) {
            return absl::DataLossError(absl::StrCat(t.name, " row ", row, ", column ",
                                                    a->ColumnName(c), " differs after the copy"));
          }
        }
      }
    }
    return absl::OkStatus();
  }();
  from->ResetAll();
  to->ResetAll();
  (void)from->Exec("COMMIT");
  if (!s.ok()) {
    (void)to->Exec("ROLLBACK");
    return s;
  }
  JA_RETURN_IF_ERROR(to->Exec("COMMIT"));
  return report;
}

}  // namespace jobaid::storage
