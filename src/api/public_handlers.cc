// A job's public page, QR code and poster (no log-in, no personal data).
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

void AddPublicRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
  service::RegisterService& reg = s.reg;
  // ---- sharing: a job's public page, QR code and poster (no login, no personal data) ----
  router.Add({"GET", "/api/v1/public/jobs/{id}", "A job as its public page shows it", "public",
              false, 1 << 16, [&reg, &regions](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                return Reply(reg.GetPublicJob(JobId(*id)), [&](const auto& p) {
                  return json::value(PublicJobJson(p, regions, PublicJobUrl(req, *id)));
                });
              }});
  router.Add({"GET", "/api/v1/public/jobs/{id}/qr.png",
              "A QR code (PNG, ?scale=2-20 pixels a module) that opens the job's public page",
              "public", false, 1 << 16, [&reg](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                int scale = 8;
                std::string s = req.Query("scale");
                if (!s.empty() && (!absl::SimpleAtoi(s, &scale) || scale < 2 || scale > 20)) {
                  return ErrorResponse(FieldError("scale", "scale must be between 2 and 20"));
                }
                auto job = reg.GetPublicJob(JobId(*id));
                if (!job.ok()) return ErrorResponse(job.status());
                auto qr = io::EncodeQr(PublicJobUrl(req, *id));
                if (!qr.ok()) return ErrorResponse(qr.status());
                Response r;
                r.content_type = "image/png";
                r.body = io::QrPng(*qr, scale);
                r.headers.emplace_back("Cache-Control", "public, max-age=300");
                return r;
              }});
  router.Add({"GET", "/api/v1/public/jobs/{id}/poster.svg",
              "A poster of the job (SVG, 1080 x 1440) with the QR code of its public page",
              "public", false, 1 << 16, [&reg, &regions](Request& req) {
                auto id = IdParam(req);
                if (!id.ok()) return ErrorResponse(id.status());
                auto job = reg.GetPublicJob(JobId(*id));
                if (!job.ok()) return ErrorResponse(job.status());
                auto svg = io::JobPosterSvg(PosterOf(*job, regions, PublicJobUrl(req, *id)));
                if (!svg.ok()) return ErrorResponse(svg.status());
                Response r;
                r.content_type = "image/svg+xml; charset=utf-8";
                r.body = std::move(*svg);
                r.headers.emplace_back("Cache-Control", "public, max-age=300");
                return r;
              }});
}

}  // namespace jobaid::api
