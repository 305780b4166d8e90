#include "auth/actor.h"

namespace jobaid::auth {

absl::string_view RoleCode(Role r) {
  switch (r) {
    case Role::kAdmin:
      return "admin";
    case Role::kOfficer:
      return "officer";
    case Role::kHelper:
      return "helper";
    case Role::kEmployer:
      return "employer";
    case Role::kLaborer:
      return "laborer";
  }
  return "";
}

std::optional<Role> ParseRole(absl::string_view code) {
  for (Role r : {Role::kAdmin, Role::kOfficer, Role::kHelper, Role::kEmployer, Role::kLaborer}) {
    if (RoleCode(r) == code) return r;
  }
  return std::nullopt;
}

Actor Actor::System() {
  Actor a;
  a.role = Role::kAdmin;
  a.username = "system";
  a.display_name = "jobaid (command line)";
  a.system = true;
  return a;
}

Actor Actor::FromUser(const domain::User& u) {
  Actor a;
  a.user_id = u.id;
  a.username = u.username;
  a.display_name = u.display_name;
  a.role = ParseRole(u.role).value_or(Role::kLaborer);
  a.scope_code = u.region_code;
  if (u.scope_level > 0) {
    domain::Region r{u.region_code, static_cast<domain::RegionLevel>(u.scope_level), {}};
    a.scope = r.range();
  }
  a.employer_id = u.employer_id;
  a.person_id = u.person_id;
  return a;
}

bool Actor::MayRead(Resource r) const {
  switch (role) {
    case Role::kAdmin:
    case Role::kOfficer:
      return true;
    case Role::kHelper:
      return r != Resource::kUser && r != Resource::kImport;
    case Role::kEmployer:
      return r == Resource::kEmployer || r == Resource::kJob;
    case Role::kLaborer:
      return r == Resource::kPerson || r == Resource::kJob || r == Resource::kHousehold;
  }
  return false;
}

bool Actor::MayWrite(Resource r) const {
  switch (role) {
    case Role::kAdmin:
      return true;
    case Role::kOfficer:
      return r != Resource::kUser;
    case Role::kHelper:
      return r == Resource::kHousehold || r == Resource::kPerson;
    case Role::kEmployer:
      return r == Resource::kEmployer || r == Resource::kJob;
    case Role::kLaborer:
      return false;
  }
  return false;
}

bool Actor::MayDelete(Resource r) const {
  if (role == Role::kEmployer) return r == Resource::kJob;
  return (role == Role::kAdmin || role == Role::kOfficer) && MayWrite(r);
}

bool Actor::SeesPhones() const { return role == Role::kHelper; }
bool Actor::MayReveal() const {
  return role == Role::kAdmin || role == Role::kOfficer || role == Role::kHelper;
}

}  // namespace jobaid::auth
