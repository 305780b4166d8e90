#include "service/match_service.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "service/spells_change.h"

namespace jobaid::service {

using auth::Actor;
using storage::Transaction;

namespace {

constexpr int kLoadPage = 1000;

const matching::SkillVocabulary& Vocabulary() { return matching::SkillVocabulary::Default(); }

bool Open(const domain::Job& j) { return !j.meta.deleted() && j.status == "open"; }

matching::Opening OpeningFor(const domain::Job& j) {
  return matching::OpeningOf(j, std::max(0, j.openings - j.hired), Vocabulary());
}

}  // namespace

MatchService::MatchService(const Context& ctx, RegisterService& reg, AuditLog& audit,
                           const matching::Weights& weights)
    : ctx_(ctx), reg_(reg), audit_(audit), weights_(weights), engine_(Vocabulary(), weights) {
  ctx_.store.Subscribe([mu = pending_mu_, pending = pending_](const storage::Change& c) {
    absl::MutexLock lock(mu.get());
    switch (c.topic) {
      case storage::Topic::kSpells:  // the person's and their household's
        pending->persons.insert(c.spells.person_id);
        pending->households.insert(c.spells.household_id);
        break;
      case storage::Topic::kRegister:
        pending->everything = true;
        break;
      case storage::Topic::kJob:
        pending->jobs.insert(c.id);
        break;
      case storage::Topic::kPerson:
        pending->persons.insert(c.id);
        break;
      case storage::Topic::kHousehold:
        pending->households.insert(c.id);
        break;
      default:
        break;
    }
  });
}

absl::StatusOr<std::optional<matching::Seeker>> MatchService::SeekerFor(Transaction& tx,
                                                                        const domain::Person& p) {
  Date today = ctx_.clock.Today();
  if (p.meta.deleted() || p.intention.empty() || p.intention == "none" ||
      !domain::IsLaborer(p, today)) {
    return std::nullopt;
  }
  JA_ASSIGN_OR_RETURN(domain::Household h, tx.GetHousehold(p.household_id));
  if (h.meta.deleted()) return std::nullopt;
  // Zero-employment household (docs/INDICATORS.md): laborers (this one) and none employed today.
  storage::PersonQuery employed;
  employed.household_id = p.household_id;
  employed.employment = "employed";
  employed.as_of = today.ToString();
  employed.page.limit = 50;
  employed.page.count = false;
  JA_ASSIGN_OR_RETURN(auto working, tx.ListPersons(employed));
  for (const domain::Person& m : working.items) {
    if (m.id == p.id) return std::nullopt;  // employed: not looking for work
  }
  bool zero = std::none_of(working.items.begin(), working.items.end(),
                           [&](const domain::Person& m) { return domain::IsLaborer(m, today); });
  return matching::SeekerOf(p, h, today, zero, Vocabulary());
}

void MatchService::DropPerson(int64_t id) {
  engine_.RemoveSeeker(id);
  auto it = persons_.find(id);
  if (it == persons_.end()) return;
  auto m = members_.find(it->second.household_id.value());
  if (m != members_.end()) {
    m->second.erase(id);
    if (m->second.empty()) members_.erase(m);
  }
  persons_.erase(it);
}

absl::Status MatchService::LoadPerson(Transaction& tx, const domain::Person& p) {
  DropPerson(p.id.value());
  JA_ASSIGN_OR_RETURN(std::optional<matching::Seeker> s, SeekerFor(tx, p));
  if (!s) return absl::OkStatus();
  engine_.PutSeeker(std::move(*s));
  persons_[p.id.value()] = p;
  members_[p.household_id.value()].insert(p.id.value());
  return absl::OkStatus();
}

absl::Status MatchService::LoadJob(Transaction& tx, JobId id) {
  auto j = tx.GetJob(id);
  if (absl::IsNotFound(j.status()) || (j.ok() && !Open(*j))) {
    engine_.RemoveOpening(id.value());
    jobs_.erase(id.value());
    return absl::OkStatus();
  }
  JA_RETURN_IF_ERROR(j.status());
  engine_.PutOpening(OpeningFor(*j));
  jobs_[id.value()] = *j;
  return absl::OkStatus();
}

absl::Status MatchService::LoadAll(Transaction& tx) {
  jobs_.clear();
  persons_.clear();
  members_.clear();
  std::vector<matching::Opening> openings;
  storage::JobQuery jq;
  jq.status = "open";
  jq.page.limit = kLoadPage;
  jq.page.count = false;
  for (;;) {
    JA_ASSIGN_OR_RETURN(auto page, tx.ListJobs(jq));
    for (const domain::Job& j : page.items) {
      openings.push_back(OpeningFor(j));
      jobs_[j.id.value()] = j;
    }
    if (page.next_cursor.empty()) break;
    jq.page.cursor = page.next_cursor;
  }

  Date today = ctx_.clock.Today();
  // Households with a laborer employed today are not zero-employment households.
  absl::flat_hash_set<int64_t> working, employed;
  storage::PersonQuery eq;
  eq.employment = "employed";
  eq.as_of = today.ToString();
  eq.page.limit = kLoadPage;
  eq.page.count = false;
  for (;;) {
    JA_ASSIGN_OR_RETURN(auto page, tx.ListPersons(eq));
    for (const domain::Person& p : page.items) {
      employed.insert(p.id.value());
      if (domain::IsLaborer(p, today)) working.insert(p.household_id.value());
    }
    if (page.next_cursor.empty()) break;
    eq.page.cursor = page.next_cursor;
  }

  std::vector<matching::Seeker> seekers;
  absl::flat_hash_map<int64_t, domain::Household> households;
  storage::PersonQuery pq;
  pq.page.limit = kLoadPage;
  pq.page.count = false;
  for (;;) {
    JA_ASSIGN_OR_RETURN(auto page, tx.ListPersons(pq));
    for (const domain::Person& p : page.items) {
      if (p.intention.empty() || p.intention == "none" || !domain::IsLaborer(p, today) ||
          employed.contains(p.id.value())) {
        continue;
      }
      int64_t hid = p.household_id.value();
      auto h = households.find(hid);
      if (h == households.end()) {
        JA_ASSIGN_OR_RETURN(domain::Household got, tx.GetHousehold(p.household_id));
        h = households.emplace(hid, std::move(got)).first;
      }
      if (h->second.meta.deleted()) continue;
      seekers.push_back(
          matching::SeekerOf(p, h->second, today, !working.contains(hid), Vocabulary()));
      persons_[p.id.value()] = p;
      members_[hid].insert(p.id.value());
    }
    if (page.next_cursor.empty()) break;
    pq.page.cursor = page.next_cursor;
  }
  engine_.Load(std::move(openings), std::move(seekers));
  loaded_on_ = today;
  return absl::OkStatus();
}

absl::Status MatchService::Refresh() {
  Pending todo;
  {
    absl::MutexLock lock(pending_mu_.get());
    std::swap(todo, *pending_);
    pending_->everything = false;
  }
  // Ages (and so who is a laborer) change with the date.
  if (loaded_on_ != ctx_.clock.Today()) todo.everything = true;
  absl::Status s = ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    if (todo.everything) return LoadAll(tx);
    for (int64_t id : todo.jobs) JA_RETURN_IF_ERROR(LoadJob(tx, JobId(id)));
    for (int64_t id : todo.households) {
      // Members who left (deleted with their household, moved out) leave the engine; the
      // household's live members are read again.
      if (auto m = members_.find(id); m != members_.end()) {
        for (int64_t pid : std::vector<int64_t>(m->second.begin(), m->second.end())) {
          todo.persons.insert(pid);
        }
      }
      JA_ASSIGN_OR_RETURN(auto members, tx.ListMembers(HouseholdId(id)));
      for (const domain::Person& p : members) todo.persons.insert(p.id.value());
    }
    for (int64_t id : todo.persons) {
      auto p = tx.GetPerson(PersonId(id));
      if (absl::IsNotFound(p.status())) {
        DropPerson(id);
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

absl::StatusOr<matching::Match> MatchService::Fit(Transaction& tx, const domain::Person& p,
                                                  const domain::Job& j, absl::string_view field) {
  JA_ASSIGN_OR_RETURN(std::optional<matching::Seeker> seeker, SeekerFor(tx, p));
  if (!seeker) {
    return WithField(absl::FailedPreconditionError(absl::StrCat(
                         p.name,
                         " is not a laborer looking for work (aged 16-64, able to work, "
                         "wishing to work and not employed today)")),
                     field);
  }
  if (!Open(j)) {
    return WithField(absl::FailedPreconditionError(
                         absl::StrCat("job ", j.id.value(), " (", j.title, ") is not open")),
                     field);
  }
  matching::Opening o = OpeningFor(j);
  std::string why = matching::Rejection(*seeker, o);
  if (!why.empty()) {
    return WithField(absl::FailedPreconditionError(absl::StrCat(
                         p.name, " cannot take job ", j.id.value(), " (", j.title, "): ", why)),
                     field);
  }
  return matching::Score(*seeker, o, weights_, Vocabulary());
}

absl::StatusOr<std::vector<MatchService::RankedJob>> MatchService::JobsFor(const Actor& a,
                                                                           PersonId id, int limit) {
  JA_ASSIGN_OR_RETURN(domain::Person p, reg_.GetPerson(a, id));  // the actor's scope; audited
  absl::MutexLock lock(&mu_);
  JA_RETURN_IF_ERROR(Refresh());
  std::optional<matching::Seeker> seeker;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    JA_ASSIGN_OR_RETURN(seeker, SeekerFor(tx, p));
    return absl::OkStatus();
  }));
  std::vector<RankedJob> out;
  if (!seeker) return out;  // not a laborer who wishes to work
  for (auto& r : engine_.JobsFor(*seeker, static_cast<size_t>(std::clamp(limit, 1, 100)))) {
    auto it = jobs_.find(r.id);
    if (it != jobs_.end()) out.push_back({it->second, std::move(r.match)});
  }
  return out;
}

absl::StatusOr<MatchService::Proposal> MatchService::Propose(const Actor& a,
                                                             const std::string& region) {
  if (a.role != auth::Role::kAdmin && a.role != auth::Role::kOfficer) {
    return absl::PermissionDeniedError("bulk assignments are made by officers");
  }
  JA_ASSIGN_OR_RETURN(domain::RegionRange scope, NarrowScope(a, region, ctx_));
  // People already put forward and not yet turned down are being followed up: left out.
  absl::flat_hash_set<int64_t> pending;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    for (const char* state : {"recommended", "applied", "interview", "offered"}) {
      storage::ApplicationQuery q;
      q.scope = scope;
      q.state = state;
      q.page.sort = "id";
      q.page.limit = kLoadPage;
      q.page.count = false;
      for (;;) {
        JA_ASSIGN_OR_RETURN(auto page, tx.ListApplications(q));
        for (const domain::Application& app : page.items) pending.insert(app.person_id.value());
        if (page.next_cursor.empty()) break;
        q.page.cursor = page.next_cursor;
      }
    }
    return absl::OkStatus();
  }));
  Proposal out;
  {
    absl::MutexLock lock(&mu_);
    JA_RETURN_IF_ERROR(Refresh());
    std::vector<matching::Seeker> seekers = engine_.SeekersIn(scope);
    out.following = 0;
    std::erase_if(seekers, [&](const matching::Seeker& s) {
      bool followed = pending.contains(s.person_id);
      out.following += followed;
      return followed;
    });
    out.laborers = static_cast<int>(seekers.size());
    constexpr size_t kCandidates = 20;  // each laborer's best jobs the flow chooses among
    out.summary = matching::Assign(engine_, seekers, kCandidates);
    absl::flat_hash_map<int64_t, const matching::Seeker*> by_id;
    for (const auto& s : seekers) by_id[s.person_id] = &s;
    for (const matching::Pair& p : out.summary.pairs) {
      auto person = persons_.find(p.person_id);
      auto job = jobs_.find(p.job_id);
      if (person == persons_.end() || job == jobs_.end()) continue;
      matching::Opening opening = OpeningFor(job->second);
      out.people.push_back({person->second, matching::Score(*by_id.at(p.person_id), opening,
                                                            weights_, Vocabulary())});
      out.jobs.push_back(job->second);
    }
  }
  JA_RETURN_IF_ERROR(
      audit_.Record(Audit(a, "list", "person", 0,
                          absl::StrCat(out.people.size(), " in a bulk assignment proposal for ",
                                       domain::FormatRegionCode(scope.lo)))));
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
  std::vector<RankedPerson> out;
  {
    absl::MutexLock lock(&mu_);
    JA_RETURN_IF_ERROR(Refresh());
    matching::Opening opening = OpeningFor(j);
    for (auto& r :
         engine_.SeekersFor(opening, static_cast<size_t>(std::clamp(limit, 1, 100)), scope)) {
      auto it = persons_.find(r.id);
      if (it != persons_.end()) out.push_back({it->second, std::move(r.match)});
    }
  }
  JA_RETURN_IF_ERROR(
      audit_.Record(Audit(a, "list", "person", 0,  // a list of people's records was read
                          absl::StrCat(out.size(), " recommended for job ", id.value(), " in ",
                                       domain::FormatRegionCode(scope.lo)))));
  return out;
}

}  // namespace jobaid::service
