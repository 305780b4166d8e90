// The importer's reading and checking of rows, and where a row's writing goes.
#include "service/importer.h"

namespace jobaid::service {

absl::Status Importer::SetHeader(const std::vector<std::string>& header) {
  header_ = header;
  JA_ASSIGN_OR_RETURN(mapping_, io::MatchHeader(kind_, header));
  for (size_t i = 0; i < header.size(); ++i) {
    if (!mapping_[i] && !absl::StripAsciiWhitespace(header[i]).empty()) {
      report_.warnings.push_back(absl::StrCat("column ", i + 1, " \"", header[i],
                                              "\" is not one JobAid knows; it was ignored"));
    }
  }
  return absl::OkStatus();
}

void Importer::Prepare(const std::vector<std::string>& cells, int row, Prepared& out) {
  Check(cells, row, out);
  if (!out.errors.empty() || !FirstInFile(out)) return;
  if (const Person* x = std::get_if<Person>(&out.entity)) {
    ctx_.store.SealAhead(x->id_number, x->phone, &out.sealed);
  } else if (const Household* x = std::get_if<Household>(&out.entity)) {
    ctx_.store.SealAhead(x->head_id_number, x->phone, &out.sealed);
  }
}

void Importer::Check(const std::vector<std::string>& cells, int row, Prepared& out) {
  out.row = row;
  out.f.reserve(mapping_.size());
  for (size_t i = 0; i < cells.size() && i < mapping_.size(); ++i) {
    if (!mapping_[i]) continue;
    const Column& col = cols_[*mapping_[i]];
    std::string value(absl::StripAsciiWhitespace(cells[i]));
    if (value.empty() || col.kind == CellKind::kInfo) continue;
    if (col.kind == CellKind::kYuan) {
      auto fen = ParseYuan(value);
      if (!fen.ok()) {
        AddError(out.errors, row, col.key, value, std::string(fen.status().message()));
        continue;
      }
      value = absl::StrCat(*fen);
    } else if (col.kind == CellKind::kRegion) {
      auto code = ResolveRegion(value, col.key);
      if (!code.ok()) {
        AddError(out.errors, row, col.key, value, std::string(code.status().message()));
        continue;
      }
      value = *code;
    }
    out.f[col.key] = std::move(value);
  }
  FieldReader r(out.f, vc_);
  switch (kind_) {
    case EntityKind::kHouseholds:
      domain::ReadHousehold(r, out.entity.emplace<Household>());
      break;
    case EntityKind::kPersons: {
      out.warnings = domain::ReadPerson(r, out.entity.emplace<Person>());
      ReadIdNumber(r, "head_id_number", out);
      out.village = r.Region("region_code", false, RegionLevel::kVillage);
      out.poverty = r.Code("poverty_type", domain::PovertyTypes(), false);
      break;
    }
    case EntityKind::kEmployers:
      domain::ReadEmployer(r, out.entity.emplace<Employer>());
      break;
    case EntityKind::kRegionFlags: {
      FlagsRow& fr = out.entity.emplace<FlagsRow>();
      int64_t code = r.Region("region_code", true, RegionLevel::kProvince);
      if (code != 0) {
        auto region = ctx_.regions.Lookup(out.f.at("region_code"));
        if (region.ok()) fr.region = *region;
      }
      for (auto [key, slot] : {std::pair{"key_county", &fr.key_county},
                               {"poverty_village", &fr.poverty_village},
                               {"relocation_site", &fr.relocation_site}}) {
        if (r.Has(key)) *slot = r.Bool(key, false);
      }
      break;
    }
    case EntityKind::kEmployment: {
      domain::ReadEmployment(r, out.entity.emplace<domain::Employment>());
      ReadIdNumber(r, "id_number", out);
      if (auto it = out.f.find("employer_credit_code"); it != out.f.end()) {
        auto parsed = domain::ParseCreditCode(it->second);
        if (!parsed.ok()) {
          r.Add("employer_credit_code", it->second, std::string(parsed.status().message()));
        } else {
          out.credit_code = *parsed;
        }
      }
      break;
    }
    case EntityKind::kTargets: {
      domain::Target& t = out.entity.emplace<domain::Target>();
      std::string key = At(out.f, "indicator");
      const analytics::IndicatorDef* def = analytics::FindIndicator(key);
      for (const analytics::IndicatorDef& d : analytics::Indicators()) {
        if (def == nullptr && (d.zh == key || d.en == key)) def = &d;
      }
      if (def == nullptr) {
        r.Add("indicator", key,
              "not an indicator; use a key of /indicators/definitions or "
              "its Chinese heading, as 务工就业规模");
      } else {
        t.indicator = std::string(def->key);
      }
      std::string code = At(out.f, "region_code");
      if (code != "0") {
        auto region = vc_.regions->Lookup(code);
        if (!region.ok()) {
          r.Add("region_code", code, std::string(region.status().message()));
        } else {
          t.region_code = region->code;
        }
      }
      t.year = static_cast<int>(r.Int("year", true, 2000, vc_.today.year() + 5, 0));
      std::string text = At(out.f, "value");
      double v = 0;
      if (!absl::SimpleAtod(text, &v) || !std::isfinite(v) || v < 0 ||
          (def != nullptr && def->kind == analytics::FigureKind::kCount && v != std::floor(v)) ||
          (def != nullptr && def->kind == analytics::FigureKind::kRate && v > 1000)) {
        r.Add("value", text,
              "give the target as a whole number of people or households, or a rate in "
              "percent (80 for 80 %)");
      } else {
        t.value = def != nullptr && def->kind == analytics::FigureKind::kRate ? v / 100 : v;
      }
      break;
    }
    case EntityKind::kHouseholdIncome: {
      domain::HouseholdIncome& i = out.entity.emplace<domain::HouseholdIncome>();
      ReadIdNumber(r, "head_id_number", out);
      i.year = static_cast<int>(r.Int("year", true, 2000, vc_.today.year(), 0));
      i.wage = r.Fen("wage", false);
      i.business = r.Fen("business", false);
      i.property = r.Fen("property", false);
      i.transfer = r.Fen("transfer", false);
      break;
    }
    case EntityKind::kJobs: {
      std::string code;
      if (auto it = out.f.find("employer_credit_code"); it != out.f.end()) {
        code = it->second;
        out.f.erase(it);
      }
      FieldReader jr(out.f, vc_);
      domain::ReadJob(jr, out.entity.emplace<Job>());
      auto parsed = domain::ParseCreditCode(code);
      if (!parsed.ok()) {
        jr.Add("employer_credit_code", code, std::string(parsed.status().message()));
      } else {
        out.credit_code = *parsed;
      }
      for (const auto& i : jr.issues())
        AddError(out.errors, row, i.field, i.value, i.message, i.reason);
      return;
    }
  }
  for (const auto& i : r.issues()) AddError(out.errors, row, i.field, i.value, i.message, i.reason);
}

void Importer::ReadIdNumber(FieldReader& r, absl::string_view key, Prepared& out) {
  out.head_raw = r.Text(key, true, 18);
  if (out.head_raw.empty()) return;
  auto info = domain::ParseIdNumber(out.head_raw, ctx_.regions, vc_.today);
  if (!info.ok()) {
    r.Add(key, out.head_raw, std::string(info.status().message()));
  } else {
    out.head_id = info->normalized;
  }
}

bool Importer::FirstInFile(Prepared& out) {
  std::string key;
  absl::string_view field, value;
  if (const Person* x = std::get_if<Person>(&out.entity)) {
    key = x->id_number, field = "id_number", value = x->id_number;
  } else if (const Household* x = std::get_if<Household>(&out.entity)) {
    key = x->head_id_number, field = "head_id_number", value = x->head_id_number;
  } else if (const Employer* x = std::get_if<Employer>(&out.entity)) {
    key = x->credit_code, field = "credit_code", value = x->credit_code;
  } else if (const Job* x = std::get_if<Job>(&out.entity)) {
    key = absl::StrCat(out.credit_code, "/", x->title), field = "title", value = x->title;
  } else if (const auto* x = std::get_if<domain::Employment>(&out.entity)) {
    // A person's spell is known by its start.
    key = absl::StrCat(out.head_id, "/", x->start_date.ToString());
    field = "start_date", value = At(out.f, "start_date");
  } else if (const auto* x = std::get_if<domain::HouseholdIncome>(&out.entity)) {
    key = absl::StrCat(out.head_id, "/", x->year);
    field = "year", value = At(out.f, "year");
  } else if (const auto* x = std::get_if<domain::Target>(&out.entity)) {
    key = absl::StrCat(x->indicator, "/", x->region_code, "/", x->year);
    field = "indicator", value = At(out.f, "indicator");
  } else if (const FlagsRow* x = std::get_if<FlagsRow>(&out.entity)) {
    key = absl::StrCat(x->region.code, "/", static_cast<int>(x->region.level));
    field = "region_code", value = At(out.f, "region_code");
  }
  auto [it, inserted] = seen_.emplace(std::move(key), out.row);
  if (!inserted) {
    AddError(out.errors, out.row, field, value,
             absl::StrCat("the same value is on row ", it->second, " of this file"),
             {"duplicate_in_file", {{"row", absl::StrCat(it->second)}}});
  }
  return inserted;
}

absl::Status Importer::Apply(Transaction& tx, Prepared& in) {
  row_ = in.row;
  size_t errors_before = report_.errors.size();
  for (auto& e : in.errors) report_.errors.push_back(std::move(e));
  absl::Status s;
  if (in.errors.empty()) {
    switch (kind_) {
      case EntityKind::kPersons:
        s = PersonRow(tx, in);
        break;
      case EntityKind::kHouseholds:
        s = HouseholdRow(tx, in);
        break;
      case EntityKind::kEmployers:
        s = EmployerRow(tx, in);
        break;
      case EntityKind::kJobs:
        s = JobRow(tx, in);
        break;
      case EntityKind::kRegionFlags:
        s = FlagsRowApply(tx, in);
        break;
      case EntityKind::kEmployment:
        s = SpellRow(tx, in);
        break;
      case EntityKind::kHouseholdIncome:
        s = IncomeRow(tx, in);
        break;
      case EntityKind::kTargets:
        s = TargetRow(tx, in);
        break;
    }
  }
  if (report_.errors.size() > errors_before) ++report_.invalid;
  return s;
}

std::string Importer::ColumnName(absl::string_view field) const {
  for (size_t i = 0; i < mapping_.size(); ++i) {
    if (mapping_[i] && cols_[*mapping_[i]].key == field) return header_[i];
  }
  for (const Column& c : cols_) {
    if (c.key == field) return std::string(c.zh);
  }
  return std::string(field);
}

const std::string& Importer::At(const Fields& f, const char* key) {
  static const std::string kEmpty;
  auto it = f.find(key);
  return it == f.end() ? kEmpty : it->second;
}

absl::StatusOr<std::string> Importer::ResolveRegion(const std::string& value,
                                                    absl::string_view key) {
  if (value.find_first_not_of("0123456789") == std::string::npos) return value;
  auto it = region_names_.find(value);
  if (it != region_names_.end()) return it->second;
  bool village =
      key == "region_code" && (kind_ == EntityKind::kPersons || kind_ == EntityKind::kHouseholds);
  std::vector<domain::Region> found;
  if (village) {
    found = ctx_.regions.FindByName(value, a_.scope, RegionLevel::kVillage);
  } else {
    for (RegionLevel l : {RegionLevel::kCounty, RegionLevel::kTownship, RegionLevel::kVillage,
                          RegionLevel::kPrefecture, RegionLevel::kProvince}) {
      found = ctx_.regions.FindByName(value,
                                      key == "intention_region" || kind_ == EntityKind::kEmployment
                                          ? domain::RegionRange{}
                                          : a_.scope,
                                      l);
      if (!found.empty()) break;
    }
  }
  if (found.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no ", village ? "village" : "region", " named \"", value,
                     "\" in your region; write its 12-digit code instead"));
  }
  if (found.size() > 1) {
    std::vector<std::string> options;
    for (size_t i = 0; i < found.size() && i < 5; ++i) {
      options.push_back(absl::StrCat(domain::FormatRegionCode(found[i].code), " ",
                                     ctx_.regions.PathName(found[i].code)));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(found.size(), " regions are named \"", value,
                     "\"; write the code of the one you mean: ", absl::StrJoin(options, "; ")));
  }
  std::string code = domain::FormatRegionCode(found.front().code);
  region_names_[value] = code;
  return code;
}

bool Importer::InScope(int64_t region, absl::string_view field, absl::string_view value) {
  if (a_.InScope(region)) return true;
  Error(field, value, absl::StrCat(ctx_.regions.PathName(region), " lies outside your region"),
        {"outside_region", {{"region", ctx_.regions.PathName(region)}}});
  return false;
}

absl::Status Importer::Count(absl::Status s, int64_t& counter, absl::string_view field) {
  if (s.ok()) {
    ++counter;
    return s;
  }
  // A conflict with another transaction is the whole import's, to run again, not this row's.
  if (storage::IsRetryableConflict(s)) return s;
  if (absl::IsAlreadyExists(s) || absl::IsFailedPrecondition(s) || absl::IsAborted(s)) {
    Error(field, "", std::string(s.message()));
    return absl::OkStatus();
  }
  return s;
}

}  // namespace jobaid::service
