// The acting user of every service call, and the rules of who may see and change what.
// The service layer asks these questions below the HTTP layer, so every entry point (API, CLI,
// import) obeys the same region scope.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "common/ids.h"
#include "domain/entities.h"
#include "domain/region.h"

namespace jobaid::auth {

enum class Role { kAdmin, kOfficer, kHelper, kEmployer, kLaborer };
absl::string_view RoleCode(Role r);
std::optional<Role> ParseRole(absl::string_view code);

// What an entity is, for permission checks.
enum class Resource { kHousehold, kPerson, kEmployer, kJob, kUser, kRegionFlags, kImport };

struct Actor {
  UserId user_id;
  std::string username;
  std::string display_name;
  Role role = Role::kLaborer;
  domain::RegionRange scope;  // the subtree the user may see
  int64_t scope_code = 0;     // the scope's root region (0 = nation)
  EmployerId employer_id;     // employer accounts
  PersonId person_id;         // laborer accounts
  bool system = false;        // the CLI acting with full rights

  static Actor System();
  static Actor FromUser(const domain::User& u);

  bool InScope(int64_t region_code) const { return scope.Contains(region_code); }
  // May the actor list or read records of `r` at all (before looking at any one record)?
  bool MayRead(Resource r) const;
  // May the actor create, change or delete records of `r` in its scope?
  bool MayWrite(Resource r) const;
  bool MayDelete(Resource r) const;
  // Whether phone numbers of the people in scope show in clear: helpers must call the
  // households of their villages. Everyone else sees them masked (a laborer their own, an
  // employer its own contact phone, in clear).
  bool SeesPhones() const;
  // Whether the actor may ask for a record's full ID and phone numbers, with a reason that is
  // audited (RegisterService::Reveal), and export them (with a reason).
  bool MayReveal() const;
};

}  // namespace jobaid::auth
