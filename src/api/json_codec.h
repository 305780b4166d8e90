// JSON shapes of the API: entities out (with personal data masked for roles not entitled to
// it), flat field maps in.
#pragma once

#include <boost/json.hpp>

#include "absl/status/statusor.h"
#include "auth/actor.h"
#include "domain/entities.h"
#include "domain/fields.h"
#include "domain/region.h"
#include "matching/score.h"
#include "service/import_service.h"
#include "service/recruit_service.h"
#include "service/region_service.h"
#include "service/register_service.h"

namespace jobaid::api {

namespace json = boost::json;

json::string_view Sv(absl::string_view s);
// A message's parameters (common/status.h Reason) as {"name": "value", …}.
json::object ReasonParams(const Reason& r);
// [{"code": "…", "params": {…}}, …]
json::array ReasonsJson(const std::vector<Reason>& rs);

// A JSON object body as flat fields: strings as they are, numbers as decimal text, booleans as
// true/false, arrays of strings joined with commas, null as "". InvalidArgument naming the
// field for nested objects, or for a body that is not a JSON object.
absl::StatusOr<domain::Fields> FieldsFromJson(absl::string_view body);
// The same, but an array of objects under "members" goes to `members`, one Fields each.
absl::StatusOr<domain::Fields> FieldsFromJson(absl::string_view body,
                                              std::vector<domain::Fields>* members);

json::object HouseholdJson(const domain::Household& h, const auth::Actor& a,
                           const domain::RegionTable& regions);
json::object PersonJson(const domain::Person& p, const auth::Actor& a,
                        const domain::RegionTable& regions, Date today);
json::object EmployerJson(const domain::Employer& e, const auth::Actor& a,
                          const domain::RegionTable& regions);
json::object JobJson(const domain::Job& j, const domain::RegionTable& regions);
json::object UserJson(const domain::User& u, const domain::RegionTable& regions);
json::object ActorJson(const auth::Actor& a, const domain::RegionTable& regions);
json::object RegionJson(const service::RegionInfo& r);
// The tallies of `c` (persons, laborers, employed, ...) as members of `o`.
void AddLaborCounts(json::object& o, const domain::IndicatorCounts& c);
// The score of a match: {score, parts: [{name, value, weight}], reasons, missing_skills}.
json::object MatchJson(const matching::Match& m);
// The weights scores are made with: {skills, occupation, distance, wage, lodging, priority,
// distance_scale_km}.
json::object WeightsJson(const matching::Weights& w);
// A job as its public page shows it: the posting, the employer's name, openings left, `url`.
json::object PublicJobJson(const service::RegisterService::PublicJob& p,
                           const domain::RegionTable& regions, const std::string& url);
json::object EmploymentJson(const domain::Employment& e, const domain::RegionTable& regions);
// An application with the person's summary (no ID or phone numbers), the job and employer,
// and, on a single read, its events and the spell of a hire.
json::object ApplicationJson(const service::ApplicationView& v, const domain::RegionTable& regions);
json::object ImportReportJson(const service::ImportReport& r);
json::array StringArray(const std::vector<std::string>& v);

template <typename T, typename Fn>
json::object PageJson(const storage::Page<T>& page, Fn item) {
  json::array items;
  for (const T& t : page.items) items.push_back(item(t));
  json::object o;
  o["items"] = std::move(items);
  o["total"] = page.total;
  o["next_cursor"] =
      page.next_cursor.empty() ? json::value(nullptr) : json::value(Sv(page.next_cursor));
  return o;
}

}  // namespace jobaid::api
