// Imports, templates and exports of spreadsheets.
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "api/api.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "common/status.h"

namespace jobaid::api {

void AddTransferRoutes(Router& router, Services& s) {
  // ---- import and export ----
  auto get_import_template = [&s](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto kind, KindParam(req));
    JA_ASSIGN_OR_RETURN(auto format, FormatParam(req));
    JA_ASSIGN_OR_RETURN(auto bytes, s.imports.Template(kind, format));
    return Download(std::move(bytes), format, absl::StrCat(io::EntityKindZh(kind), "导入模板"));
  };
  auto post_import_one = [&s](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto kind, KindParam(req));
    service::ImportOptions opt;
    opt.kind = kind;
    opt.skip_invalid = req.Query("skip_invalid") == "true";
    opt.dry_run = req.Query("dry_run") == "true";
    JA_ASSIGN_OR_RETURN(auto report, s.imports.Import(ActorOf(req), std::move(req.body), opt));
    int status = report.errors.empty() || report.written ? 200 : 422;
    if (opt.dry_run) status = 200;
    return Json(ImportReportJson(report), status);
  };
  auto get_export_one = [&s](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto kind, KindParam(req));
    JA_ASSIGN_OR_RETURN(auto format, FormatParam(req));
    JA_ASSIGN_OR_RETURN(auto f, FilterFrom(req));
    // ID numbers and phones go out in full only with a reason, which is audited.
    std::string reason = req.Query("reason");
    if (reason.size() > 500) {
      return FieldError("reason", "a reason has at most 500 bytes");
    }
    JA_ASSIGN_OR_RETURN(auto table, s.imports.Export(ActorOf(req), kind, f, reason));
    storage::AuditEntry e;
    e.user_id = ActorOf(req).user_id;
    e.action = "export";
    e.entity = std::string(io::EntityKindName(kind));
    e.detail = absl::StrCat(table.rows.size(), " rows; ", table.note);
    JA_RETURN_IF_ERROR(s.audit.Record(std::move(e)));
    // The file's name says who made it and when (an XLSX also in its properties).
    return TableDownload(table, format, io::EntityKindZh(kind));
  };

  router.AddAll({
      {.method = "GET",
       .pattern = "/api/v1/import/{kind}/template",
       .body_limit = 1 << 16,
       .handler = get_import_template},
      {.method = "POST",
       .pattern = "/api/v1/import/{kind}",
       .body_limit = size_t{512} << 20,
       .handler = post_import_one},
      {.method = "GET",
       .pattern = "/api/v1/export/{kind}",
       .body_limit = 1 << 16,
       .handler = get_export_one},
  });
}

}  // namespace jobaid::api
