#include "api/handler_support.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/dates.h"
#include "common/money.h"
#include "common/status.h"
#include "domain/vocabulary.h"

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

HandlerResult Download(std::string bytes, io::Format format, const std::string& name) {
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

HandlerResult TableDownload(const io::Table& t, io::Format format, absl::string_view what) {
  std::string name = absl::StrCat(
      what, "-", t.made_by, "-",
      absl::StrReplaceAll(FormatIsoMs(t.made_at_ms).substr(0, 19), {{"-", ""}, {":", ""}}));
  if (format == io::Format::kCsv) return Download(io::WriteCsv(t), format, name);
  JA_ASSIGN_OR_RETURN(std::string bytes, io::WriteXlsx(t));
  return Download(std::move(bytes), format, name);
}

using service::ListFilter;

absl::StatusOr<Date> DayParam(const Request& req, const Clock& clock) {
  std::string text = req.Query("date");
  if (text.empty()) return clock.Today();
  auto d = Date::Parse(text);
  if (!d.ok()) return WithField(d.status(), "date");
  return *d;
}

// ?sort= ("-" first for descending), ?cursor= and ?limit= (1-1000, default 50).
absl::Status PageFrom(const Request& req, storage::PageRequest& page) {
  std::string sort = req.Query("sort");
  if (absl::StartsWith(sort, "-")) {
    page.descending = true;
    sort = sort.substr(1);
  }
  page.sort = sort;
  page.cursor = req.Query("cursor");
  JA_ASSIGN_OR_RETURN(page.limit, LimitParam(req, 50, 1000));
  return absl::OkStatus();
}

absl::StatusOr<ListFilter> FilterFrom(const Request& req) {
  ListFilter f;
  f.region = req.Query("region");
  f.poverty_type = req.Query("poverty_type");
  f.status = req.Query("status");
  f.intention = req.Query("intention");
  f.employment = req.Query("employment");
  f.kind = req.Query("kind");
  f.q = req.Query("q");
  f.id_number = req.Query("id_number");
  f.unverified = req.Query("unverified");
  f.deleted = req.Query("deleted") == "true";
  JA_RETURN_IF_ERROR(IdFields({{"household_id", &f.household_id}, {"employer_id", &f.employer_id}},
                              [&](const char* key) { return req.Query(key); }));
  JA_RETURN_IF_ERROR(PageFrom(req, f.page));
  return f;
}

// {"pairs": [{"person_id": 1, "job_id": 2}, ...]}; errors name pairs[i].field.
absl::StatusOr<std::vector<service::RecruitService::PersonJob>> PairsFromJson(
    absl::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(json::string_view(body.data(), body.size()), ec);
  if (ec || !v.is_object()) return FieldError("body", "the body must be a JSON object");
  const json::value* pairs = v.as_object().if_contains("pairs");
  if (pairs == nullptr || !pairs->is_array()) {
    return FieldError("pairs", "pairs must be an array of {person_id, job_id}");
  }
  std::vector<service::RecruitService::PersonJob> out;
  const json::array& arr = pairs->as_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    int64_t ids[2] = {0, 0};
    const char* keys[2] = {"person_id", "job_id"};
    for (int k = 0; k < 2; ++k) {
      const json::value* x = arr[i].is_object() ? arr[i].as_object().if_contains(keys[k]) : nullptr;
      bool ok =
          x != nullptr && ((x->is_int64() && (ids[k] = x->as_int64()) > 0) ||
                           (x->is_string() &&
                            absl::SimpleAtoi(std::string(x->as_string()), &ids[k]) && ids[k] > 0));
      if (!ok) {
        return FieldError(absl::StrCat("pairs[", i, "].", keys[k]),
                          absl::StrCat(keys[k], " must be a record id"));
      }
    }
    out.push_back({PersonId(ids[0]), JobId(ids[1])});
  }
  return out;
}

// The address of job `id`'s public page as the client reached this server (behind a proxy, as
// it says it was reached). A host with characters no host has falls back to 127.0.0.1.
std::string PublicJobUrl(const Request& req, int64_t id) {
  std::string host = req.Header("x-forwarded-host");
  if (host.empty()) host = req.Header("host");
  bool sane =
      !host.empty() && host.size() < 256 && std::all_of(host.begin(), host.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
               c == ':' || c == '[' || c == ']';
      });
  if (!sane) host = "127.0.0.1";
  std::string proto = req.Header("x-forwarded-proto") == "https" ? "https" : "http";
  return absl::StrCat(proto, "://", host, "/p/jobs/", id);
}

// Whole yuan without decimals: "4500", "4500.50".
std::string YuanText(int64_t fen) {
  return fen % 100 == 0 ? absl::StrCat(fen / 100) : FormatYuan(fen);
}

io::PosterJob PosterOf(const service::RegisterService::PublicJob& p,
                       const domain::RegionTable& regions, std::string url) {
  const domain::Job& j = p.job;
  io::PosterJob out;
  out.title = j.title;
  out.employer = p.employer_name;
  out.place = regions.PathName(j.region_code);
  if (j.wage_max <= 0) {
    out.wage = "工资面议";
  } else if (j.wage_min == j.wage_max || j.wage_min <= 0) {
    out.wage = absl::StrCat(YuanText(j.wage_max), " 元/月");
  } else {
    out.wage = absl::StrCat(YuanText(j.wage_min), "–", YuanText(j.wage_max), " 元/月");
  }
  if (j.board) out.perks.push_back("包吃");
  if (j.lodging) out.perks.push_back("包住");
  if (j.transport) out.perks.push_back("交通接送");
  int left = std::max(0, j.openings - j.hired);
  out.openings = j.status == "open" && left > 0 ? absl::StrCat("招 ", left, " 人")
                                                : std::string(domain::JobStatuses().Zh(j.status));
  out.description = j.description;
  out.url = std::move(url);
  return out;
}

// The body of a transition: to, version, reason, and the terms of a hire.
absl::StatusOr<service::RecruitService::Move> MoveFromJson(absl::string_view body,
                                                           const domain::RegionTable& regions,
                                                           const Clock& clock) {
  JA_ASSIGN_OR_RETURN(domain::Fields f, FieldsFromJson(body));
  JA_RETURN_IF_ERROR(
      service::RejectUnknownFields(f, {"to", "version", "reason", "start_date", "monthly_income",
                                       "kind", "part_time", "end_current_spell"}));
  service::RecruitService::Move m;
  JA_ASSIGN_OR_RETURN(m.version, service::VersionOf(f));
  domain::ValidationContext vc{&regions, clock.Today()};
  domain::FieldReader r(f, vc);
  m.to = std::string(r.Raw("to"));
  m.reason = std::string(r.Raw("reason"));
  m.hire.start_date = r.DateField("start_date", false);
  if (!r.Raw("monthly_income").empty()) m.hire.monthly_income = r.Fen("monthly_income", false);
  m.hire.kind = std::string(r.Raw("kind"));
  m.hire.part_time = r.Bool("part_time", false);
  m.hire.end_current_spell = r.Bool("end_current_spell", false);
  JA_RETURN_IF_ERROR(r.status());
  return m;
}

// The {kind} of an import or export path; an unknown kind is an unknown path (404).
absl::StatusOr<io::EntityKind> KindParam(const Request& req) {
  auto kind = io::ParseEntityKind(req.params[0]);
  if (!kind.ok()) return absl::NotFoundError(kind.status().message());
  return kind;
}

}  // namespace jobaid::api
