#include "service/import_service.h"

#include "service/importer.h"
#include "spdlog/spdlog.h"

namespace jobaid::service {

namespace {

// One run of an import in `tx`: reads `bytes` from its first row (on a second thread, which is
// stopped and joined before this returns) and writes every row, counting into `report`. All its
// state is its own, so that Store::Write may run it again after a conflict.
absl::Status ImportOnce(const Context& ctx, const Actor& a, const std::string& bytes,
                        const ImportOptions& options, Transaction& tx, ImportReport& report,
                        bool& keep) {
  JA_ASSIGN_OR_RETURN(std::unique_ptr<io::RowSource> rows, io::OpenRows(std::string(bytes)));
  report.kind = std::string(io::EntityKindName(options.kind));
  report.format = rows->Description();
  std::vector<std::string> cells;
  int row = 0;
  JA_ASSIGN_OR_RETURN(bool has_header, rows->Next(cells, row));
  if (!has_header) return Invalid("the file has no header row", {"no_header_row", {}});
  Importer importer(ctx, a, options.kind, report);
  JA_RETURN_IF_ERROR(importer.SetHeader(cells));

  // A reading thread parses and checks rows in batches while this one writes them.
  struct Batch {
    std::vector<Prepared> rows;
    double progress = 0;
  };
  std::mutex mu;
  std::condition_variable changed;
  std::deque<Batch> queue;
  // Applied batches go back to the reading thread to be filled again (their memory came from
  // there; freeing another thread's allocations is slow).
  std::vector<Batch> spent;
  bool reader_done = false, stop = false;
  absl::Status read_status;
  constexpr size_t kBatch = 1024, kMaxQueued = 4;
  std::thread reader([&] {
    std::vector<std::string> row_cells;
    for (;;) {
      // An applied batch is filled again: its rows keep the memory of their containers.
      Batch b;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!spent.empty()) {
          b = std::move(spent.back());
          spent.pop_back();
        }
      }
      b.rows.reserve(kBatch);
      absl::Status st;
      size_t n = 0;
      for (; n < kBatch; ++n) {
        int r = 0;
        auto more = rows->Next(row_cells, r);
        if (!more.ok()) {
          st = more.status();
          break;
        }
        if (!*more) break;
        if (n == b.rows.size()) {
          b.rows.emplace_back();
        } else {
          b.rows[n].Clear();
        }
        importer.Prepare(row_cells, r, b.rows[n]);
      }
      b.rows.resize(n);
      b.progress = rows->Progress();
      bool last = !st.ok() || n < kBatch;
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] { return queue.size() < kMaxQueued || stop; });
      if (stop) return;
      queue.push_back(std::move(b));
      if (last) {
        read_status = st;
        reader_done = true;
      }
      changed.notify_all();
      if (last) return;
    }
  });

  // Large imports set secondary indexes aside and rebuild them sorted at the end, when the file
  // is big next to what the table holds.
  int64_t estimated_rows = static_cast<int64_t>(bytes.size() / 100);
  absl::Cleanup stop_reader = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      stop = true;
      changed.notify_all();
    }
    reader.join();
  };

  bool bulk = false;
  if (estimated_rows > 20000 && options.kind != EntityKind::kRegionFlags &&
      options.kind != EntityKind::kEmployment && options.kind != EntityKind::kHouseholdIncome &&
      options.kind != EntityKind::kTargets) {
    JA_ASSIGN_OR_RETURN(storage::RegisterCounts c, tx.CountRegister(domain::RegionRange::Nation()));
    LoadTarget target = TargetOf(options.kind, c);
    importer.SetEmptyTables(c.persons == 0, c.households == 0);
    bulk = estimated_rows > target.existing / 2;
    if (bulk) {
      // Into empty tables, this import's own checks (in-file duplicates) are all the
      // uniqueness there is to check, so unique indexes can wait for the end too.
      bool empty = options.kind == EntityKind::kPersons
                       ? importer.persons_empty() && importer.households_empty()
                       : options.kind == EntityKind::kHouseholds && importer.households_empty();
      JA_RETURN_IF_ERROR(tx.BeginBulkLoad(target.tables, empty));
    }
  }
  for (;;) {
    Batch b;
    {
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] { return !queue.empty() || reader_done; });
      if (queue.empty()) break;
      b = std::move(queue.front());
      queue.pop_front();
      changed.notify_all();
    }
    int64_t before = report.rows;
    for (Prepared& p : b.rows) {
      ++report.rows;
      JA_RETURN_IF_ERROR(importer.Apply(tx, p));
    }
    // A long import says how far it got (in the server's log at info level), so an operator
    // can tell it from a stuck one.
    if (report.rows / 10000 > before / 10000) {
      spdlog::info("import {}: {} rows applied, not yet committed", report.kind, report.rows);
    }
    double progress = b.progress;
    {
      std::lock_guard<std::mutex> lock(mu);
      spent.push_back(std::move(b));
    }
    if (options.progress) options.progress(progress, report.rows);
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    JA_RETURN_IF_ERROR(read_status);
  }
  if (bulk) JA_RETURN_IF_ERROR(tx.EndBulkLoad());
  keep = !options.dry_run && (report.errors.empty() || options.skip_invalid);
  if (!keep) return absl::CancelledError("import rolled back");
  // Many records changed, all in the importer's region: caches read it again (the whole
  // register for a nation's officer, a province at a time).
  tx.Notify(storage::Change::Register(a.scope));
  return tx.InsertAudit(Audit(
      a, "import", report.kind, 0,
      absl::StrCat(report.format, ": ", report.inserted, " inserted, ", report.updated,
                   " updated, ", report.unchanged, " unchanged, ", report.invalid, " invalid")));
}

}  // namespace

absl::StatusOr<ImportReport> ImportService::Import(const Actor& a, std::string bytes,
                                                   const ImportOptions& options) {
  auth::Resource res = ResourceOf(options.kind);
  if (!a.MayWrite(auth::Resource::kImport) || !a.MayWrite(res)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the role ", auth::RoleCode(a.role), " cannot import ", io::EntityKindName(options.kind)));
  }
  if (bytes.empty()) return Invalid("the file is empty", {"file_empty", {}});
  spdlog::info("import {}: started by {}, {} bytes{}",
               std::string(io::EntityKindName(options.kind)), a.username, bytes.size(),
               options.dry_run ? " (a check only)" : "");
  ImportReport report;
  bool keep = false;
  // Store::Write runs the function again after a conflict with another writer (PostgreSQL):
  // each run reads the file from its first row with a fresh importer and report, so a retry
  // writes and counts every row once.
  int runs = 0;
  absl::Status s = ctx_.store.Write([&](Transaction& tx) -> absl::Status {
    ++runs;
    report = ImportReport{};
    keep = false;
    return ImportOnce(ctx_, a, bytes, options, tx, report, keep);
  });
  if (options.progress) options.progress(1.0, report.rows);
  if (!keep && absl::IsCancelled(s)) s = absl::OkStatus();
  if (storage::IsRetryableConflict(s)) {
    return absl::AbortedError(
        absl::StrCat("the import met changes that others made to the same records meanwhile, ",
                     runs, " times; nothing of it was written: import the file again"));
  }
  JA_RETURN_IF_ERROR(s);
  if (report.rows == 0) report.warnings.push_back("the file has a header but no rows");
  report.written = keep && (report.inserted + report.updated > 0);
  return report;
}

absl::StatusOr<std::string> ImportService::Template(io::EntityKind kind, io::Format format) {
  io::Table t;
  t.sheet_name = std::string(io::EntityKindZh(kind));
  for (const Column& c : io::ColumnsFor(kind)) {
    if (!c.export_only) t.header.push_back(absl::StrCat(c.required ? "*" : "", c.zh));
  }
  if (format == io::Format::kCsv) return io::WriteCsv(t);
  return io::WriteXlsx(t);
}

namespace {

std::string Cell(const Column& c, const std::string& v) {
  if (v.empty()) return v;
  switch (c.kind) {
    case CellKind::kCode:
      return std::string(c.vocab->Zh(v));
    case CellKind::kList:
      if (c.vocab != nullptr) {
        std::vector<std::string> out;
        for (const std::string& item : domain::SplitList(v)) out.emplace_back(c.vocab->Zh(item));
        return absl::StrJoin(out, "、");
      }
      return absl::StrJoin(domain::SplitList(v), "、");
    case CellKind::kYuan: {
      int64_t fen = 0;
      (void)absl::SimpleAtoi(v, &fen);
      return fen == 0 ? "" : FormatYuan(fen);
    }
    case CellKind::kBool:
      return v == "true" ? "是" : "否";
    default:
      return v;
  }
}

template <typename T, typename ListFn, typename RowFn>
absl::Status ExportAll(const ListFilter& filter, ListFn list, RowFn add) {
  ListFilter f = filter;
  f.page.limit = 1000;
  f.page.count = false;  // pages are read to the end; no total needed
  for (;;) {
    JA_ASSIGN_OR_RETURN(storage::Page<T> page, list(f));
    for (const T& item : page.items) JA_RETURN_IF_ERROR(add(item));
    if (page.next_cursor.empty()) return absl::OkStatus();
    f.page.cursor = page.next_cursor;
  }
}

}  // namespace

// The register's records: households, persons, employers, jobs.
absl::Status ImportService::ExportRegister(const Actor& a, io::EntityKind kind,
                                           const ListFilter& filter, AddRow add_row) {
  switch (kind) {
    case io::EntityKind::kHouseholds:
      JA_RETURN_IF_ERROR(ExportAll<Household>(
          filter, [&](const ListFilter& f) { return reg_.ListHouseholds(a, f); },
          [&](const Household& h) {
            add_row(domain::HouseholdFields(h), h.region_code);
            return absl::OkStatus();
          }));
      break;
    case io::EntityKind::kPersons: {
      absl::flat_hash_map<int64_t, Household> heads;
      JA_RETURN_IF_ERROR(ExportAll<Person>(
          filter, [&](const ListFilter& f) { return reg_.ListPersons(a, f); },
          [&](const Person& p) -> absl::Status {
            auto it = heads.find(p.household_id.value());
            if (it == heads.end()) {
              Household h;
              JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
                JA_ASSIGN_OR_RETURN(h, tx.GetHousehold(p.household_id));
                return absl::OkStatus();
              }));
              it = heads.emplace(p.household_id.value(), std::move(h)).first;
            }
            Fields f = domain::PersonFields(p);
            f["gender"] = p.gender;
            f["birth_date"] = p.birth_date.ToString();
            f["head_id_number"] = it->second.head_id_number;
            f["region_code"] = domain::FormatRegionCode(p.region_code);
            f["poverty_type"] = it->second.poverty_type;
            add_row(std::move(f), p.region_code);
            return absl::OkStatus();
          }));
      break;
    }
    case io::EntityKind::kEmployers:
      JA_RETURN_IF_ERROR(ExportAll<Employer>(
          filter, [&](const ListFilter& f) { return reg_.ListEmployers(a, f); },
          [&](const Employer& e) {
            add_row(domain::EmployerFields(e), e.region_code);
            return absl::OkStatus();
          }));
      break;
    case io::EntityKind::kJobs: {
      absl::flat_hash_map<int64_t, std::string> codes;
      JA_RETURN_IF_ERROR(ExportAll<Job>(
          filter, [&](const ListFilter& f) { return reg_.ListJobs(a, f); },
          [&](const Job& j) -> absl::Status {
            auto it = codes.find(j.employer_id.value());
            if (it == codes.end()) {
              std::string code;
              JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
                JA_ASSIGN_OR_RETURN(Employer e, tx.GetEmployer(j.employer_id));
                code = e.credit_code;
                return absl::OkStatus();
              }));
              it = codes.emplace(j.employer_id.value(), code).first;
            }
            Fields f = domain::JobFields(j);
            f["employer_credit_code"] = it->second;
            add_row(std::move(f), j.region_code);
            return absl::OkStatus();
          }));
      break;
    }
    default:
      break;
  }
  return absl::OkStatus();
}

// What is kept about them: region flags, targets, household income, spells of employment.
absl::Status ImportService::ExportFollowUp(const Actor& a, io::EntityKind kind,
                                           const ListFilter& filter, AddRow add_row) {
  switch (kind) {
    case io::EntityKind::kRegionFlags: {
      if (!a.MayRead(auth::Resource::kRegionFlags)) {
        return absl::PermissionDeniedError("this role cannot see region flags");
      }
      JA_ASSIGN_OR_RETURN(domain::RegionRange range, NarrowScope(a, filter.region, ctx_));
      std::vector<domain::RegionFlags> flags;
      JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
        JA_ASSIGN_OR_RETURN(flags, tx.ListRegionFlags(range));
        return absl::OkStatus();
      }));
      for (const auto& f : flags) {
        auto r = ctx_.regions.Find(f.region_code);
        add_row({{"region_code", r.ok() ? r->ShortCode() : domain::FormatRegionCode(f.region_code)},
                 {"key_county", f.key_county ? "true" : "false"},
                 {"poverty_village", f.poverty_village ? "true" : "false"},
                 {"relocation_site", f.relocation_site ? "true" : "false"}},
                f.region_code);
      }
      break;
    }
    case io::EntityKind::kTargets: {
      if (!a.MayRead(auth::Resource::kRegionFlags)) {
        return absl::PermissionDeniedError("this role cannot see targets");
      }
      JA_ASSIGN_OR_RETURN(domain::RegionRange range, NarrowScope(a, filter.region, ctx_));
      std::vector<domain::Target> targets;
      JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
        JA_ASSIGN_OR_RETURN(targets, tx.ListTargets(range, 0));
        return absl::OkStatus();
      }));
      for (const domain::Target& t : targets) {
        const analytics::IndicatorDef* def = analytics::FindIndicator(t.indicator);
        auto r = ctx_.regions.Find(t.region_code);
        bool rate = def != nullptr && def->kind == analytics::FigureKind::kRate;
        add_row({{"indicator", def != nullptr ? std::string(def->zh) : t.indicator},
                 {"region_code", t.region_code == 0 ? "0"
                                 : r.ok()           ? r->ShortCode()
                                                    : ""},
                 {"region_name", t.region_code == 0 ? "全国"
                                 : r.ok()           ? std::string(r->name)
                                                    : ""},
                 {"year", absl::StrCat(t.year)},
                 {"value", rate ? absl::StrCat(t.value * 100) : absl::StrCat(t.value)}},
                t.region_code);
      }
      break;
    }
    case io::EntityKind::kHouseholdIncome:
      // Each household of the list, then its years.
      JA_RETURN_IF_ERROR(ExportAll<Household>(
          filter, [&](const ListFilter& f) { return reg_.ListHouseholds(a, f); },
          [&](const Household& h) -> absl::Status {
            std::vector<domain::HouseholdIncome> years;
            JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
              JA_ASSIGN_OR_RETURN(years, tx.ListHouseholdIncome(h));
              return absl::OkStatus();
            }));
            for (const domain::HouseholdIncome& i : years) {
              add_row({{"head_id_number", h.head_id_number},
                       {"head_name", h.head_name},
                       {"year", absl::StrCat(i.year)},
                       {"wage", absl::StrCat(i.wage)},
                       {"business", absl::StrCat(i.business)},
                       {"property", absl::StrCat(i.property)},
                       {"transfer", absl::StrCat(i.transfer)}},
                      h.region_code);
            }
            return absl::OkStatus();
          }));
      break;
    case io::EntityKind::kEmployment: {
      // Each person of the list, then their spells.
      absl::flat_hash_map<int64_t, std::string> codes;
      JA_RETURN_IF_ERROR(ExportAll<Person>(
          filter, [&](const ListFilter& f) { return reg_.ListPersons(a, f); },
          [&](const Person& p) -> absl::Status {
            std::vector<domain::Employment> spells;
            JA_RETURN_IF_ERROR(ctx_.store.Read([&](Transaction& tx) -> absl::Status {
              JA_ASSIGN_OR_RETURN(spells, tx.ListEmploymentOf(p.id));
              for (const domain::Employment& e : spells) {
                if (e.employer_id.valid() && !codes.contains(e.employer_id.value())) {
                  JA_ASSIGN_OR_RETURN(Employer employer, tx.GetEmployer(e.employer_id));
                  codes[e.employer_id.value()] = employer.credit_code;
                }
              }
              return absl::OkStatus();
            }));
            for (const domain::Employment& e : spells) {
              Fields f = domain::EmploymentFields(e);
              f["name"] = p.name;
              f["id_number"] = p.id_number;
              if (e.employer_id.valid()) f["employer_credit_code"] = codes[e.employer_id.value()];
              add_row(std::move(f), e.region_code);
            }
            return absl::OkStatus();
          }));
      break;
    }
    default:
      break;
  }
  return absl::OkStatus();
}

absl::StatusOr<io::Table> ImportService::Export(const Actor& a, io::EntityKind kind,
                                                const ListFilter& filter,
                                                const std::string& reveal_reason) {
  const auto& cols = io::ColumnsFor(kind);
  io::Table t;
  t.sheet_name = std::string(io::EntityKindZh(kind));
  for (const Column& c : cols) {
    t.header.emplace_back(c.zh);
    t.numeric.push_back(false);
  }
  std::string why(absl::StripAsciiWhitespace(reveal_reason));
  bool ids = a.MayReveal() && !why.empty();
  bool phones = a.SeesPhones() || ids;
  t.made_by = a.username;
  t.made_at_ms = ctx_.clock.NowMs();
  t.note = absl::StrCat("JobAid ", io::EntityKindZh(kind), " 导出 · ", a.username, " · ",
                        FormatIsoMs(t.made_at_ms), " · ",
                        ids      ? absl::StrCat("完整个人信息，事由：", why)
                        : phones ? std::string("证件号已遮盖，电话为所辖农户的")
                                 : std::string("证件号与电话已遮盖"));
  auto add_row = [&](Fields f, int64_t region) {
    f["region_name"] = ctx_.regions.PathName(region);
    if (!ids) {
      for (const char* k : {"id_number", "head_id_number"}) {
        if (f.contains(k)) f[k] = domain::MaskIdNumber(f[k]);
      }
    }
    if (!phones) {
      for (const char* k : {"phone", "contact_phone"}) {
        if (f.contains(k) && !f[k].empty()) f[k] = domain::MaskPhone(f[k]);
      }
    }
    std::vector<std::string> row;
    for (const Column& c : cols) row.push_back(Cell(c, f[c.key]));
    t.rows.push_back(std::move(row));
  };
  JA_RETURN_IF_ERROR(ExportRegister(a, kind, filter, add_row));
  JA_RETURN_IF_ERROR(ExportFollowUp(a, kind, filter, add_row));
  for (size_t i = 0; i < cols.size(); ++i) {
    t.numeric[i] = cols[i].kind == CellKind::kInt;
  }
  return t;
}

std::string ReportCsv(const ImportReport& report) {
  io::Table t;
  t.header = {"行号 row", "列 column", "字段 field", "值 value", "原因 reason"};
  for (const RowError& e : report.errors) {
    t.rows.push_back({absl::StrCat(e.row), e.column, e.field, e.value, e.message});
  }
  return io::WriteCsv(t);
}

}  // namespace jobaid::service
