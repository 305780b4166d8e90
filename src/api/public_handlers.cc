// A job's public page, QR code and poster (no log-in, no personal data).
#include <boost/json.hpp>

#include "absl/strings/numbers.h"
#include "api/api.h"
#include "api/error_mapping.h"
#include "api/handler_support.h"
#include "api/json_codec.h"
#include "common/status.h"
#include "io/poster.h"

namespace jobaid::api {

void AddPublicRoutes(Router& router, Services& s) {
  const domain::RegionTable& regions = s.ctx.regions;
  service::RegisterService& reg = s.reg;
  // ---- sharing: a job's public page, QR code and poster (no login, no personal data) ----
  auto get_public_jobs_one = [&reg, &regions](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    return Reply(reg.GetPublicJob(JobId(id)), [&](const auto& p) {
      return json::value(PublicJobJson(p, regions, PublicJobUrl(req, id)));
    });
  };
  auto get_public_jobs_qr_png = [&reg](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    int scale = 8;
    std::string s = req.Query("scale");
    if (!s.empty() && (!absl::SimpleAtoi(s, &scale) || scale < 2 || scale > 20)) {
      return FieldError("scale", "scale must be between 2 and 20");
    }
    JA_ASSIGN_OR_RETURN(auto job, reg.GetPublicJob(JobId(id)));
    JA_ASSIGN_OR_RETURN(auto qr, io::EncodeQr(PublicJobUrl(req, id)));
    Response r;
    r.content_type = "image/png";
    r.body = io::QrPng(qr, scale);
    r.headers.emplace_back("Cache-Control", "public, max-age=300");
    return r;
  };
  auto get_public_jobs_poster_svg = [&reg, &regions](Request& req) -> HandlerResult {
    JA_ASSIGN_OR_RETURN(auto id, IdParam(req));
    JA_ASSIGN_OR_RETURN(auto job, reg.GetPublicJob(JobId(id)));
    JA_ASSIGN_OR_RETURN(auto svg, io::JobPosterSvg(PosterOf(job, regions, PublicJobUrl(req, id))));
    Response r;
    r.content_type = "image/svg+xml; charset=utf-8";
    r.body = std::move(svg);
    r.headers.emplace_back("Cache-Control", "public, max-age=300");
    return r;
  };

  router.AddAll({
      {.method = "GET",
       .pattern = "/api/v1/public/jobs/{id}",
       .authenticated = false,
       .body_limit = 1 << 16,
       .handler = get_public_jobs_one},
      {.method = "GET",
       .pattern = "/api/v1/public/jobs/{id}/qr.png",
       .authenticated = false,
       .body_limit = 1 << 16,
       .handler = get_public_jobs_qr_png},
      {.method = "GET",
       .pattern = "/api/v1/public/jobs/{id}/poster.svg",
       .authenticated = false,
       .body_limit = 1 << 16,
       .handler = get_public_jobs_poster_svg},
  });
}

}  // namespace jobaid::api
