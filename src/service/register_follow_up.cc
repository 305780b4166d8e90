// RegisterService: what is kept about a person beyond the record: who read or changed it (the
// right to know), and the verification round that confirms it is still true.
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "service/entity_traits.h"
#include "service/register_service.h"  // IWYU pragma: associated

namespace jobaid::service {

absl::StatusOr<std::vector<RegisterService::AccessEntry>> RegisterService::PersonAccessLog(
    const Actor& a, PersonId id) {
  JA_RETURN_IF_ERROR(RequireRead(a, auth::Resource::kPerson, "persons"));
  std::vector<AccessEntry> out;
  JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
    out.clear();
    JA_ASSIGN_OR_RETURN(Person p, tx.GetPerson(id));
    JA_ASSIGN_OR_RETURN(bool visible, EntityTraits<Person>::Visible(a, p, tx));
    if (!visible)
      return absl::NotFoundError(absl::StrCat("person ", id.value(), " does not exist"));
    storage::AuditFilter f;
    f.entity = "person";
    f.entity_id = id.value();
    absl::flat_hash_map<int64_t, domain::User> users;
    return tx.ScanAudit(f, [&](const storage::AuditEntry& entry) {
      AccessEntry e;
      e.at = entry.at;
      e.action = entry.action;
      e.detail = entry.detail;
      if (entry.user_id.valid()) {
        auto u = users.find(entry.user_id.value());
        if (u == users.end()) {
          auto got = tx.GetUser(entry.user_id);
          if (got.ok()) u = users.emplace(entry.user_id.value(), std::move(*got)).first;
        }
        if (u != users.end()) {
          e.username = u->second.username;
          e.display_name = u->second.display_name;
          e.role = u->second.role;
        }
      }
      out.push_back(std::move(e));
      return out.size() < 500;
    });
  }));
  return out;
}

absl::StatusOr<int64_t> RegisterService::VerifyPersons(const Actor& a,
                                                       const std::vector<PersonId>& ids) {
  JA_RETURN_IF_ERROR(RequireWrite(a, Resource::kPerson, "persons"));
  if (ids.empty()) return FieldError("person_ids", "name at least one person (person_ids)");
  if (ids.size() > 1000) return FieldError("person_ids", "at most 1000 persons at a time");
  const int64_t at = ctx_.clock.NowMs();
  absl::flat_hash_set<int64_t> seen;
  JA_RETURN_IF_ERROR(ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    for (size_t i = 0; i < ids.size(); ++i) {
      if (!seen.insert(ids[i].value()).second) continue;  // named twice: stamped once
      const std::string field = absl::StrCat("person_ids[", i, "]");
      auto p = tx.GetPerson(ids[i]);
      if (absl::IsNotFound(p.status()) || (p.ok() && !a.InScope(p->region_code))) {
        return WithField(
            absl::NotFoundError(absl::StrCat("person ", ids[i].value(), " does not exist")), field);
      }
      JA_RETURN_IF_ERROR(p.status());
      if (p->meta.deleted()) {
        return FieldError(field, absl::StrCat(p->name, " was deleted from the register (",
                                              p->meta.delete_reason, ")"));
      }
      JA_RETURN_IF_ERROR(tx.PutVerification(*p, at, a.user_id));
      JA_RETURN_IF_ERROR(
          tx.InsertAudit(Audit(a, "verify", "person", p->id.value(), "still as recorded")));
    }
    return absl::OkStatus();
  }));
  return at;
}

}  // namespace jobaid::service
