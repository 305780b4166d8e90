// The importer's writing of a checked row, one method a kind of record.
#include "service/importer.h"

namespace jobaid::service {

absl::Status Importer::HouseholdRow(Transaction& tx, Prepared& in) {
  const Fields& f = in.f;
  Household& h = in.h();
  if (!InScope(h.region_code, "region_code", At(f, "region_code"))) return absl::OkStatus();
  std::optional<Household> existing;
  if (!no_households_before_) {
    JA_ASSIGN_OR_RETURN(existing, tx.FindHouseholdByHead(h.head_id_number));
  }
  if (!existing)
    return Count(tx.InsertHousehold(h, &in.sealed), report_.inserted, "head_id_number");
  if (!NotDeleted(*existing, "head_id_number", h.head_id_number)) return absl::OkStatus();
  if (!InScope(existing->region_code, "head_id_number", h.head_id_number)) return absl::OkStatus();
  return MergeInto(tx, *existing, f, "head_id_number", [](Household&) {}).status();
}

absl::Status Importer::PersonRow(Transaction& tx, Prepared& in) {
  const Fields& f = in.f;
  Person& p = in.p();
  const std::string& head = in.head_raw;
  const std::string& head_id = in.head_id;
  int64_t village = in.village;
  const std::string& poverty = in.poverty;
  for (auto& w : in.warnings) report_.warnings.push_back(absl::StrCat("row ", row_, ": ", w));

  JA_ASSIGN_OR_RETURN(auto household, HouseholdByHead(tx, head_id));
  if (!household) {
    if (head_id != p.id_number) {
      Error("head_id_number", head,
            "no household has this householder; import the households first, or put the "
            "householder's own row before the members' rows",
            {"no_household_for_head", {}});
      return absl::OkStatus();
    }
    if (village == 0 || poverty.empty()) {
      Error(village == 0 ? "region_code" : "poverty_type", "",
            "a new household needs 所在村 and 户类型 on the householder's row",
            {"new_household_needs", {}});
      return absl::OkStatus();
    }
    if (!InScope(village, "region_code", At(f, "region_code"))) return absl::OkStatus();
    Household h;
    h.region_code = village;
    h.head_name = p.name;
    h.head_id_number = head_id;
    h.poverty_type = poverty;
    h.status = "lifted";
    h.phone = p.phone;
    JA_RETURN_IF_ERROR(tx.InsertHousehold(h, &in.sealed));
    Remember(h);
    household = households_[head_id];
  } else if (village != 0 && village != household->region_code) {
    Error("region_code", At(f, "region_code"),
          absl::StrCat("the household of this householder lives in ",
                       ctx_.regions.PathName(household->region_code),
                       "; move the household itself to change its village"));
    return absl::OkStatus();
  }
  if (household->deleted) {
    Error("head_id_number", head, "the household was deleted; restore it first");
    return absl::OkStatus();
  }
  if (!InScope(household->region_code, "head_id_number", head)) return absl::OkStatus();
  p.household_id = household->id;
  p.region_code = household->region_code;
  if (p.id_number == head_id) p.relation = "head";

  std::optional<Person> existing;
  if (!no_persons_before_) {
    JA_ASSIGN_OR_RETURN(existing, tx.FindPersonByIdNumber(p.id_number));
  }
  if (!existing) return Count(tx.InsertPerson(p, &in.sealed), report_.inserted, "id_number");
  if (!NotDeleted(*existing, "id_number", p.id_number)) return absl::OkStatus();
  if (!InScope(existing->region_code, "id_number", p.id_number)) return absl::OkStatus();
  return MergeInto(tx, *existing, f, "id_number",
                   [&p](Person& next) {
                     next.household_id = p.household_id;
                     next.region_code = p.region_code;
                     if (p.relation == "head") next.relation = "head";
                   })
      .status();
}

absl::Status Importer::FlagsRowApply(Transaction& tx, Prepared& in) {
  FlagsRow& fr = std::get<FlagsRow>(in.entity);
  const std::string& raw = At(in.f, "region_code");
  if (!InScope(fr.region.code, "region_code", raw)) return absl::OkStatus();
  JA_ASSIGN_OR_RETURN(domain::RegionFlags stored, tx.GetRegionFlags(fr.region.code));
  domain::RegionFlags next = stored;
  next.key_county = fr.key_county.value_or(stored.key_county);
  next.poverty_village = fr.poverty_village.value_or(stored.poverty_village);
  next.relocation_site = fr.relocation_site.value_or(stored.relocation_site);
  absl::Status fits = domain::CheckRegionFlags(fr.region, next.key_county, next.poverty_village,
                                               next.relocation_site);
  if (!fits.ok()) {
    Error(FieldOf(fits), raw, std::string(fits.message()));
    return absl::OkStatus();
  }
  if (next.key_county == stored.key_county && next.poverty_village == stored.poverty_village &&
      next.relocation_site == stored.relocation_site) {
    ++report_.unchanged;
    return absl::OkStatus();
  }
  return Count(tx.PutRegionFlags(next),
               stored.meta.version == 0 ? report_.inserted : report_.updated, "region_code");
}

absl::StatusOr<std::optional<Employer>> Importer::EmployerByCode(Transaction& tx,
                                                                 const std::string& code) {
  auto it = employers_.find(code);
  if (it != employers_.end()) return it->second;
  JA_ASSIGN_OR_RETURN(auto e, tx.FindEmployerByCreditCode(code));
  if (e) employers_[code] = *e;
  return e;
}

absl::Status Importer::EmployerRow(Transaction& tx, Prepared& in) {
  const Fields& f = in.f;
  Employer& e = in.e();
  if (!InScope(e.region_code, "region_code", At(f, "region_code"))) return absl::OkStatus();
  JA_ASSIGN_OR_RETURN(auto existing, EmployerByCode(tx, e.credit_code));
  if (!existing) {
    absl::Status s = tx.InsertEmployer(e);
    if (s.ok()) employers_[e.credit_code] = e;
    return Count(s, report_.inserted, "credit_code");
  }
  if (!NotDeleted(*existing, "credit_code", e.credit_code)) return absl::OkStatus();
  if (!InScope(existing->region_code, "credit_code", e.credit_code)) return absl::OkStatus();
  JA_ASSIGN_OR_RETURN(auto next, MergeInto(tx, *existing, f, "credit_code", [](Employer&) {}));
  if (next) employers_[e.credit_code] = *next;
  return absl::OkStatus();
}

absl::Status Importer::JobRow(Transaction& tx, Prepared& in) {
  const Fields& f = in.f;
  Job& j = in.j();
  JA_ASSIGN_OR_RETURN(auto employer, EmployerByCode(tx, in.credit_code));
  if (!employer || employer->meta.deleted()) {
    Error("employer_credit_code", in.credit_code,
          "no employer has this credit code; import the employers first");
    return absl::OkStatus();
  }
  if (!InScope(j.region_code, "region_code", At(f, "region_code"))) return absl::OkStatus();
  j.employer_id = employer->id;
  JA_ASSIGN_OR_RETURN(auto existing, tx.FindJobByTitle(employer->id, j.title));
  if (!existing) return Count(tx.InsertJob(j), report_.inserted, "title");
  if (!InScope(existing->region_code, "title", j.title)) return absl::OkStatus();
  return MergeInto(tx, *existing, f, "title", [](Job&) {}).status();
}

absl::Status Importer::TargetRow(Transaction& tx, Prepared& in) {
  domain::Target& t = std::get<domain::Target>(in.entity);
  if (t.region_code == 0 ? !a_.scope.IsNation()
                         : !InScope(t.region_code, "region_code", At(in.f, "region_code"))) {
    if (t.region_code == 0) {
      Error("region_code", "0", "only a national account sets the nation's targets");
    }
    return absl::OkStatus();
  }
  domain::RegionRange one{t.region_code, t.region_code + 1};
  JA_ASSIGN_OR_RETURN(std::vector<domain::Target> stored, tx.ListTargets(one, t.year));
  auto same = std::find_if(stored.begin(), stored.end(), [&](const domain::Target& s) {
    return s.indicator == t.indicator && s.region_code == t.region_code;
  });
  if (same != stored.end() && same->value == t.value) {
    ++report_.unchanged;
    return absl::OkStatus();
  }
  t.version = same == stored.end() ? 0 : same->version;
  return Count(tx.PutTarget(t), same == stored.end() ? report_.inserted : report_.updated, "value");
}

absl::Status Importer::IncomeRow(Transaction& tx, Prepared& in) {
  domain::HouseholdIncome& i = std::get<domain::HouseholdIncome>(in.entity);
  JA_ASSIGN_OR_RETURN(auto household, tx.FindHouseholdByHead(in.head_id));
  if (!household || household->meta.deleted()) {
    Error("head_id_number", in.head_raw,
          "no household has this householder; import the households first",
          {"no_household_for_head", {}});
    return absl::OkStatus();
  }
  if (!InScope(household->region_code, "head_id_number", in.head_raw)) return absl::OkStatus();
  i.household_id = household->id;
  JA_ASSIGN_OR_RETURN(std::vector<domain::HouseholdIncome> years,
                      tx.ListHouseholdIncome(*household));
  auto same = std::find_if(years.begin(), years.end(),
                           [&](const domain::HouseholdIncome& y) { return y.year == i.year; });
  if (same != years.end()) {  // a source the file lacks keeps its stored figure
    for (auto [key, field, stored] : {std::tuple{"wage", &i.wage, same->wage},
                                      {"business", &i.business, same->business},
                                      {"property", &i.property, same->property},
                                      {"transfer", &i.transfer, same->transfer}}) {
      if (!in.f.contains(key)) *field = stored;
    }
  }
  if (same != years.end() && same->wage == i.wage && same->business == i.business &&
      same->property == i.property && same->transfer == i.transfer) {
    ++report_.unchanged;
    return absl::OkStatus();
  }
  return Count(tx.PutHouseholdIncome(*household, i),
               same == years.end() ? report_.inserted : report_.updated, "year");
}

absl::Status Importer::SpellRow(Transaction& tx, Prepared& in) {
  domain::Employment& e = in.spell();
  const std::string& id_raw = At(in.f, "id_number");
  JA_ASSIGN_OR_RETURN(auto person, tx.FindPersonByIdNumber(in.head_id));
  if (!person || person->meta.deleted()) {
    Error("id_number", id_raw,
          "no person in the register has this ID number; import the "
          "persons first");
    return absl::OkStatus();
  }
  if (!InScope(person->region_code, "id_number", id_raw)) return absl::OkStatus();
  if (!in.credit_code.empty()) {
    JA_ASSIGN_OR_RETURN(auto employer, EmployerByCode(tx, in.credit_code));
    if (!employer || employer->meta.deleted()) {
      Error("employer_credit_code", in.credit_code,
            "no employer has this credit code; import the employers first");
      return absl::OkStatus();
    }
    e.employer_id = employer->id;
  }
  e.person_id = person->id;
  JA_ASSIGN_OR_RETURN(std::vector<domain::Employment> spells, tx.ListEmploymentOf(person->id));
  auto same = std::find_if(spells.begin(), spells.end(), [&](const domain::Employment& s) {
    return s.start_date == e.start_date;
  });
  if (same != spells.end()) {
    // The file's columns over the stored spell: a column the file lacks keeps its value.
    Fields merged = domain::EmploymentFields(*same);
    for (const auto& [k, v] : in.f) {
      if (merged.contains(k)) merged[k] = v;
    }
    FieldReader r(merged, vc_);
    EmployerId employer = e.employer_id.valid() ? e.employer_id : same->employer_id;
    e = *same;
    domain::ReadEmployment(r, e);
    if (!Collect(r)) return absl::OkStatus();
    if (employer != same->employer_id) e.job_id = JobId();  // the job was the other's
    e.employer_id = employer;
    if (domain::EmploymentFields(e) == domain::EmploymentFields(*same) &&
        e.employer_id == same->employer_id) {
      ++report_.unchanged;
      return absl::OkStatus();
    }
  }
  // A new spell's rules, or those of what the row changes.
  const domain::Employment* stored = same == spells.end() ? nullptr : &*same;
  if (absl::Status rules = CheckSpell(*person, e, stored); !rules.ok()) {
    Error("kind", At(in.f, "kind"), std::string(rules.message()));
    return absl::OkStatus();
  }
  absl::Status fit = FitSpell(tx, *person, e, false);
  if (absl::IsInvalidArgument(fit)) {
    Error(FieldOf(fit), At(in.f, std::string(FieldOf(fit)).c_str()), std::string(fit.message()));
    return absl::OkStatus();
  }
  JA_RETURN_IF_ERROR(fit);
  if (e.id.valid()) return Count(tx.UpdateEmployment(e), report_.updated, "start_date");
  return Count(tx.InsertEmployment(e), report_.inserted, "start_date");
}

}  // namespace jobaid::service
