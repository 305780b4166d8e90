#include "api/handler_support.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/dates.h"
#include "common/status.h"

namespace jobaid::api {

Response Json(const json::value& v, int status) {
  Response r;
  r.status = status;
  r.body = json::serialize(v);
  return r;
}

absl::StatusOr<int64_t> IdParam(const Request& req, size_t i) {
  int64_t id;
  if (i >= req.params.size() || !absl::SimpleAtoi(req.params[i], &id) || id <= 0) {
    return absl::NotFoundError(
        absl::StrCat("\"", i < req.params.size() ? req.params[i] : "", "\" is not a record id"));
  }
  return id;
}

absl::StatusOr<int> LimitParam(const Request& req, int fallback, int max) {
  int limit = fallback;
  std::string text = req.Query("limit");
  if (!text.empty() && (!absl::SimpleAtoi(text, &limit) || limit < 1 || limit > max)) {
    return FieldError("limit", absl::StrCat("limit must be between 1 and ", max));
  }
  return limit;
}

absl::StatusOr<io::Format> FormatParam(const Request& req) {
  std::string f = req.Query("format", "xlsx");
  if (f == "csv") return io::Format::kCsv;
  if (f == "xlsx") return io::Format::kXlsx;
  return FieldError("format", "format must be csv or xlsx");
}

Response Download(std::string bytes, io::Format format, const std::string& name) {
  Response r;
  r.content_type = format == io::Format::kCsv
                       ? "text/csv; charset=utf-8"
                       : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.body = std::move(bytes);
  std::string file = absl::StrCat(name, format == io::Format::kCsv ? ".csv" : ".xlsx");
  r.headers.emplace_back("Content-Disposition", absl::StrCat("attachment; filename=\"", file,
                                                             "\"; filename*=UTF-8''", file));
  return r;
}

Response TableDownload(const io::Table& t, io::Format format, absl::string_view what) {
  std::string name = absl::StrCat(
      what, "-", t.made_by, "-",
      absl::StrReplaceAll(FormatIsoMs(t.made_at_ms).substr(0, 19), {{"-", ""}, {":", ""}}));
  if (format == io::Format::kCsv) return Download(io::WriteCsv(t), format, name);
  auto bytes = io::WriteXlsx(t);
  if (!bytes.ok()) return ErrorResponse(bytes.status());
  return Download(std::move(*bytes), format, name);
}

}  // namespace jobaid::api
