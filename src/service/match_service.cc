#include "service/match_service.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "common/status.h"

namespace jobaid::service {

using auth::Actor;
using storage::Transaction;

namespace {

constexpr int kLoadPage = 1000;

bool Wishes(const domain::Person& p) {
  return !p.meta.deleted() && !p.intention.empty() && p.intention != "none";
}

}  // namespace

MatchService::MatchService(const Context& ctx, RegisterService& reg)
    : ctx_(ctx), reg_(reg), engine_(matching::SkillVocabulary::Default(),
                                    matching::Weights::Default()) {
  ctx_.store.Subscribe([mu = pending_mu_, pending = pending_](const storage::Change& c) {
    int64_t id = 0;
    absl::MutexLock lock(mu.get());
    if (c.topic == "register" || !absl::SimpleAtoi(c.payload, &id)) {
      pending->everything = true;
    } else if (c.topic == "job") {
      pending->jobs.insert(id);
    } else if (c.topic == "person") {
      pending->persons.insert(id);
    } else if (c.topic == "household") {
      pending->households.insert(id);
    }
  });
}

absl::Status MatchService::LoadPerson(Transaction& tx, const domain::Person& p) {
  if (!Wishes(p)) {
    engine_.RemoveSeeker(p.id.value());
    persons_.erase(p.id.value());
    return absl::OkStatus();
  }
  JA_ASSIGN_OR_RETURN(domain::Household h, tx.GetHousehold(p.household_id));
  // Until employment spells are recorded, every household with laborers counts as having
  // none employed.
  Date today = ctx_.clock.Today();
  engine_.PutSeeker(matching::SeekerOf(p, h, today, /*zero_employment_household=*/true,
                                       matching::SkillVocabulary::Default()));
  persons_[p.id.value()] = p;
  return absl::OkStatus();
}

absl::Status MatchService::LoadJob(Transaction& tx, JobId id) {
  auto j = tx.GetJob(id);
  if (absl::IsNotFound(j.status()) || (j.ok() && (j->meta.deleted() || j->status != "open"))) {
    engine_.RemoveOpening(id.value());
    jobs_.erase(id.value());
    return absl::OkStatus();
  }
  JA_RETURN_IF_ERROR(j.status());
  engine_.PutOpening(
      matching::OpeningOf(*j, j->openings, matching::SkillVocabulary::Default()));
  jobs_[id.value()] = *j;
  return absl::OkStatus();
}

absl::Status MatchService::LoadAll(Transaction& tx) {
  engine_.Clear();
  jobs_.clear();
  persons_.clear();
  storage::JobQuery jq;
  jq.status = "open";
  jq.page.limit = kLoadPage;
  for (;;) {
    JA_ASSIGN_OR_RETURN(auto page, tx.ListJobs(jq));
    for (const domain::Job& j : page.items) {
      engine_.PutOpening(
          matching::OpeningOf(j, j.openings, matching::SkillVocabulary::Default()));
      jobs_[j.id.value()] = j;
    }
    if (page.next_cursor.empty()) break;
    jq.page.cursor = page.next_cursor;
  }
  storage::PersonQuery pq;
  pq.page.limit = kLoadPage;
  for (;;) {
    JA_ASSIGN_OR_RETURN(auto page, tx.ListPersons(pq));
    for (const domain::Person& p : page.items) {
      if (Wishes(p)) JA_RETURN_IF_ERROR(LoadPerson(tx, p));
    }
    if (page.next_cursor.empty()) break;
    pq.page.cursor = page.next_cursor;
  }
  return absl::OkStatus();
}

absl::Status MatchService::Refresh() {
  Pending todo;
  {
    absl::MutexLock lock(pending_mu_.get());
    std::swap(todo, *pending_);
    pending_->everything = false;
  }
  absl::Status s = ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    if (todo.everything) return LoadAll(tx);
    for (int64_t id : todo.jobs) JA_RETURN_IF_ERROR(LoadJob(tx, JobId(id)));
    for (int64_t id : todo.households) {
      JA_ASSIGN_OR_RETURN(auto members, tx.ListMembers(HouseholdId(id)));
      for (const domain::Person& p : members) todo.persons.insert(p.id.value());
    }
    for (int64_t id : todo.persons) {
      auto p = tx.GetPerson(PersonId(id));
      if (absl::IsNotFound(p.status())) {
        engine_.RemoveSeeker(id);
        persons_.erase(id);
        continue;
      }
      JA_RETURN_IF_ERROR(p.status());
      JA_RETURN_IF_ERROR(LoadPerson(tx, *p));
    }
    return absl::OkStatus();
  });
  if (!s.ok()) {
    absl::MutexLock lock(pending_mu_.get());
    pending_->everything = true;  // try again from scratch next time
  }
  return s;
}

absl::StatusOr<std::vector<MatchService::RankedJob>> MatchService::JobsFor(const Actor& a,
                                                                           PersonId id,
                                                                           int limit) {
  JA_ASSIGN_OR_RETURN(domain::Person p, reg_.GetPerson(a, id));  // the actor's scope
  absl::MutexLock lock(&mu_);
  JA_RETURN_IF_ERROR(Refresh());
  matching::Seeker seeker;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(domain::Household h, tx.GetHousehold(p.household_id));
    seeker = matching::SeekerOf(p, h, ctx_.clock.Today(), true,
                                matching::SkillVocabulary::Default());
    return absl::OkStatus();
  }));
  std::vector<RankedJob> out;
  for (auto& r : engine_.JobsFor(seeker, static_cast<size_t>(std::clamp(limit, 1, 100)))) {
    auto it = jobs_.find(r.id);
    if (it != jobs_.end()) out.push_back({it->second, std::move(r.match)});
  }
  return out;
}

absl::StatusOr<std::vector<MatchService::RankedPerson>> MatchService::PeopleFor(
    const Actor& a, JobId id, const std::string& region, int limit) {
  if (a.role == auth::Role::kEmployer || a.role == auth::Role::kLaborer) {
    return absl::PermissionDeniedError(
        "recommended laborers are shown to officers and helpers; an employer sees the people "
        "recommended to its jobs once an officer recommends them");
  }
  JA_ASSIGN_OR_RETURN(domain::Job j, reg_.GetJob(a, id));
  JA_ASSIGN_OR_RETURN(domain::RegionRange scope, NarrowScope(a, region, ctx_));
  absl::MutexLock lock(&mu_);
  JA_RETURN_IF_ERROR(Refresh());
  matching::Opening opening =
      matching::OpeningOf(j, j.openings, matching::SkillVocabulary::Default());
  std::vector<RankedPerson> out;
  for (auto& r : engine_.SeekersFor(opening, static_cast<size_t>(std::clamp(limit, 1, 100)),
                                    scope)) {
    auto it = persons_.find(r.id);
    if (it != persons_.end()) out.push_back({it->second, std::move(r.match)});
  }
  return out;
}

}  // namespace jobaid::service
