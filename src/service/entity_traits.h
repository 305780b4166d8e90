// Internal to service/: what the generic register and import code needs to know of each
// entity — its fields as text, how to read them back, how the store gets and updates it, where
// it lives, and who may see it.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "auth/actor.h"
#include "domain/entities.h"
#include "domain/fields.h"
#include "storage/store.h"

namespace jobaid::service {

using auth::Actor;
using auth::Resource;
using auth::Role;
using domain::Employer;
using domain::FieldReader;
using domain::Fields;
using domain::Household;
using domain::Job;
using domain::Person;
using storage::Transaction;

template <typename T>
struct EntityTraits;

template <>
struct EntityTraits<Household> {
  using IdT = HouseholdId;
  static constexpr Resource kResource = Resource::kHousehold;
  static constexpr absl::string_view kName = "household";
  static constexpr storage::Topic kTopic = storage::Topic::kHousehold;
  static Fields ToFields(const Household& h) { return domain::HouseholdFields(h); }
  static std::vector<std::string> Read(FieldReader& r, Household& h) {
    domain::ReadHousehold(r, h);
    return {};
  }
  static absl::StatusOr<Household> Get(Transaction& tx, IdT id) { return tx.GetHousehold(id); }
  static absl::Status Update(Transaction& tx, Household& h) { return tx.UpdateHousehold(h); }
  static int64_t Region(const Household& h) { return h.region_code; }
  static bool SameLinks(const Household&, const Household&) { return true; }
  static absl::StatusOr<bool> Visible(const Actor& a, const Household& h, Transaction& tx) {
    if (a.role == Role::kLaborer) {
      if (!a.person_id.valid()) return false;
      auto p = tx.GetPerson(a.person_id);
      return p.ok() && p->household_id == h.id;
    }
    return a.InScope(h.region_code);
  }
};

template <>
struct EntityTraits<Person> {
  using IdT = PersonId;
  static constexpr Resource kResource = Resource::kPerson;
  static constexpr absl::string_view kName = "person";
  static constexpr storage::Topic kTopic = storage::Topic::kPerson;
  static Fields ToFields(const Person& p) { return domain::PersonFields(p); }
  static std::vector<std::string> Read(FieldReader& r, Person& p) {
    return domain::ReadPerson(r, p);
  }
  static absl::StatusOr<Person> Get(Transaction& tx, IdT id) { return tx.GetPerson(id); }
  static absl::Status Update(Transaction& tx, Person& p) { return tx.UpdatePerson(p); }
  static int64_t Region(const Person& p) { return p.region_code; }
  static bool SameLinks(const Person& a, const Person& b) {
    return a.household_id == b.household_id;
  }
  static absl::StatusOr<bool> Visible(const Actor& a, const Person& p, Transaction&) {
    if (a.role == Role::kLaborer) return a.person_id == p.id;
    return a.InScope(p.region_code);
  }
};

template <>
struct EntityTraits<Employer> {
  using IdT = EmployerId;
  static constexpr Resource kResource = Resource::kEmployer;
  static constexpr absl::string_view kName = "employer";
  static constexpr storage::Topic kTopic = storage::Topic::kEmployer;
  static Fields ToFields(const Employer& e) { return domain::EmployerFields(e); }
  static std::vector<std::string> Read(FieldReader& r, Employer& e) {
    domain::ReadEmployer(r, e);
    return {};
  }
  static absl::StatusOr<Employer> Get(Transaction& tx, IdT id) { return tx.GetEmployer(id); }
  static absl::Status Update(Transaction& tx, Employer& e) { return tx.UpdateEmployer(e); }
  static int64_t Region(const Employer& e) { return e.region_code; }
  static bool SameLinks(const Employer&, const Employer&) { return true; }
  static absl::StatusOr<bool> Visible(const Actor& a, const Employer& e, Transaction&) {
    if (a.role == Role::kEmployer) return a.employer_id == e.id;
    return a.InScope(e.region_code);
  }
};

template <>
struct EntityTraits<Job> {
  using IdT = JobId;
  static constexpr Resource kResource = Resource::kJob;
  static constexpr absl::string_view kName = "job";
  static constexpr storage::Topic kTopic = storage::Topic::kJob;
  static Fields ToFields(const Job& j) { return domain::JobFields(j); }
  static std::vector<std::string> Read(FieldReader& r, Job& j) {
    domain::ReadJob(r, j);
    return {};
  }
  static absl::StatusOr<Job> Get(Transaction& tx, IdT id) { return tx.GetJob(id); }
  static absl::Status Update(Transaction& tx, Job& j) { return tx.UpdateJob(j); }
  static int64_t Region(const Job& j) { return j.region_code; }
  static bool SameLinks(const Job& a, const Job& b) { return a.employer_id == b.employer_id; }
  static absl::StatusOr<bool> Visible(const Actor& a, const Job& j, Transaction&) {
    if (a.role == Role::kEmployer) return a.employer_id == j.employer_id;
    if (a.role == Role::kLaborer) return j.meta.deleted_at == 0;  // postings are public
    return a.InScope(j.region_code);
  }
};

}  // namespace jobaid::service
