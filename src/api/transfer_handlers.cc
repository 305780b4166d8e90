// Imports, templates and exports of spreadsheets.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "api/api.h"
#include "api/body.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "api/static_files.h"
#include "auth/passwords.h"
#include "common/money.h"
#include "common/status.h"
#include "domain/vocabulary.h"
#include "io/poster.h"
#include "io/table.h"

namespace jobaid::api {

void AddTransferRoutes(Router& router, Services& s) {
  // ---- import and export ----
  router.Add({"GET", "/api/v1/import/{kind}/template", "The import template (?format=csv|xlsx)",
              "import", true, 1 << 16, [&s](Request& req) {
                auto kind = KindParam(req);
                if (!kind.ok()) return ErrorResponse(kind.status());
                auto format = FormatParam(req);
                if (!format.ok()) return ErrorResponse(format.status());
                auto bytes = s.imports.Template(*kind, *format);
                if (!bytes.ok()) return ErrorResponse(bytes.status());
                return Download(std::move(*bytes), *format,
                                absl::StrCat(io::EntityKindZh(*kind), "导入模板"));
              }});
  router.Add({"POST", "/api/v1/import/{kind}",
              "Import a CSV or XLSX file sent as the body (?skip_invalid=true, ?dry_run=true)",
              "import", true, size_t{512} << 20, [&s](Request& req) {
                auto kind = KindParam(req);
                if (!kind.ok()) return ErrorResponse(kind.status());
                service::ImportOptions opt;
                opt.kind = *kind;
                opt.skip_invalid = req.Query("skip_invalid") == "true";
                opt.dry_run = req.Query("dry_run") == "true";
                auto report = s.imports.Import(ActorOf(req), std::move(req.body), opt);
                if (!report.ok()) return ErrorResponse(report.status());
                int status = report->errors.empty() || report->written ? 200 : 422;
                if (opt.dry_run) status = 200;
                return Json(ImportReportJson(*report), status);
              }});
  router.Add({"GET", "/api/v1/export/{kind}",
              "Every record of a list as CSV or XLSX (?format=, and the list's filters)", "import",
              true, 1 << 16, [&s](Request& req) {
                auto kind = KindParam(req);
                if (!kind.ok()) return ErrorResponse(kind.status());
                auto format = FormatParam(req);
                if (!format.ok()) return ErrorResponse(format.status());
                auto f = FilterFrom(req);
                if (!f.ok()) return ErrorResponse(f.status());
                // ID numbers and phones go out in full only with a reason, which is audited.
                std::string reason = req.Query("reason");
                if (reason.size() > 500) {
                  return ErrorResponse(FieldError("reason", "a reason has at most 500 bytes"));
                }
                auto table = s.imports.Export(ActorOf(req), *kind, *f, reason);
                if (!table.ok()) return ErrorResponse(table.status());
                storage::AuditEntry e;
                e.user_id = ActorOf(req).user_id;
                e.action = "export";
                e.entity = std::string(io::EntityKindName(*kind));
                e.detail = absl::StrCat(table->rows.size(), " rows; ", table->note);
                if (absl::Status st = s.audit.Record(std::move(e)); !st.ok())
                  return ErrorResponse(st);
                // The file's name says who made it and when (an XLSX also in its properties).
                return TableDownload(*table, *format, io::EntityKindZh(*kind));
              }});
}

}  // namespace jobaid::api
