// The register's entities (docs/DATA_MODEL.md) as plain values. Enumerated fields hold vocabulary
// codes (domain/vocabulary.h); money is fen; region codes are 12-digit integers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/dates.h"
#include "common/ids.h"

namespace jobaid::domain {

// Bookkeeping every table carries.
struct RecordMeta {
  int64_t version = 0;     // optimistic concurrency: an update names the version it read
  int64_t created_at = 0;  // ms since the epoch
  int64_t updated_at = 0;
  int64_t deleted_at = 0;  // 0 while the record is live
  std::string delete_reason;
  bool deleted() const { return deleted_at != 0; }
};

struct Household {
  HouseholdId id;
  int64_t region_code = 0;  // the village
  std::string head_name;
  std::string head_id_number;  // the householder's ID number: the household's natural key
  std::string poverty_type;    // PovertyTypes()
  std::string monitor_type;    // MonitorTypes(), only for monitored households
  std::string status;          // HouseholdStatuses()
  std::string phone;
  std::string address;
  UserId helper_id;  // the assigned helper's account, if any
  std::string note;
  RecordMeta meta;
};

struct Person {
  PersonId id;
  HouseholdId household_id;
  int64_t region_code = 0;  // the household's village, kept equal by the service
  std::string name;
  std::string id_number;
  std::string gender;  // derived from id_number
  Date birth_date;     // derived from id_number
  std::string phone;
  std::string relation;      // Relations()
  std::string education;     // Educations()
  std::string health;        // Healths()
  std::string work_ability;  // WorkAbilities()
  std::vector<std::string> skills;
  std::vector<std::string> certificates;
  std::string intention;         // Intentions()
  int64_t intention_region = 0;  // for intention == named_region
  std::vector<std::string> wanted_occupations;
  int64_t expected_wage = 0;  // fen per month, 0 = not stated
  std::string note;
  RecordMeta meta;
};

struct Employer {
  EmployerId id;
  std::string credit_code;
  std::string name;
  int64_t region_code = 0;
  std::vector<std::string> kinds;  // EmployerKinds()
  std::string industry;
  std::string contact_name;
  std::string contact_phone;
  std::string address;
  std::string note;
  RecordMeta meta;
};

struct Job {
  JobId id;
  EmployerId employer_id;
  std::string title;
  std::string occupation;
  std::vector<std::string> skills;
  int64_t region_code = 0;  // the workplace
  int64_t wage_min = 0;     // fen per month
  int64_t wage_max = 0;
  int32_t openings = 1;
  int32_t min_age = 16;
  int32_t max_age = 60;
  std::string min_education;  // Educations(), "" = none required
  bool board = false;
  bool lodging = false;
  bool transport = false;
  std::string kind;    // JobKinds()
  std::string status;  // JobStatuses()
  Date start_date;
  Date end_date;  // invalid = open-ended
  std::string description;
  int32_t hired = 0;  // hires recorded through applications; openings left = openings - hired
  RecordMeta meta;
};

// One spell of employment (就业一段). `end_date` invalid = still working.
struct Employment {
  EmploymentId id;
  PersonId person_id;
  EmployerId employer_id;   // invalid for self-employment
  JobId job_id;             // the post, when the spell came from one
  std::string kind;         // EmploymentKinds()
  int64_t region_code = 0;  // the workplace
  Date start_date;
  Date end_date;
  int64_t monthly_income = 0;  // fen
  std::string how_found;       // HowFound()
  bool part_time = false;
  RecordMeta meta;
  bool CoversDate(Date d) const { return start_date <= d && (!end_date.valid() || d <= end_date); }
};

// The yearly goal of an indicator (analytics/indicators.h key) for a region (docs/DATA_MODEL.md
// `target`): a count, or a rate as a fraction (0.8 for 80 %).
struct Target {
  std::string indicator;
  int64_t region_code = 0;
  int year = 0;
  double value = 0;
  int64_t updated_at = 0;
  int64_t version = 0;
};

// A household's income in one year by source, in fen (docs/DATA_MODEL.md `household`).
struct HouseholdIncome {
  HouseholdId household_id;
  int year = 0;
  int64_t wage = 0;      // 工资性收入
  int64_t business = 0;  // 生产经营性收入
  int64_t property = 0;  // 财产性收入
  int64_t transfer = 0;  // 转移性收入
  int64_t updated_at = 0;
  int64_t version = 0;  // counts the changes of the year
  int64_t total() const { return wage + business + property + transfer; }
  // Income from work (wages and business) as a share of all (docs/INDICATORS.md); 0 without income.
  double work_share() const {
    return total() > 0 ? static_cast<double>(wage + business) / static_cast<double>(total()) : 0;
  }
};

// A person put forward for or applying to a job, followed to a hire (docs/DATA_MODEL.md).
struct Application {
  ApplicationId id;
  PersonId person_id;
  JobId job_id;
  EmployerId employer_id;      // the job's, kept so an employer's list needs no join
  int64_t region_code = 0;     // the person's village, for region scope
  std::string state;           // ApplicationStates()
  double score = 0;            // the match score when recommended
  std::string reasons;         // the match's reasons: EncodeReasons (older rows: words, "；")
  std::string state_reason;    // why rejected or withdrawn
  EmploymentId employment_id;  // the spell a hire created
  RecordMeta meta;             // no soft delete: withdrawn instead
};

// One change of an application's state: who, when, from and to, and why.
struct ApplicationEvent {
  ApplicationId application_id;
  std::string from_state;  // "" when the application was made
  std::string to_state;
  std::string reason;
  UserId user_id;
  int64_t at = 0;  // ms since the epoch
};

// A laborer (docs/INDICATORS.md) is a person aged 16-64 on `on` who is able to work.
bool IsLaborer(const Person& p, Date on);

}  // namespace jobaid::domain

namespace jobaid::domain {

// An account. `role` is a Roles() code; the scope is the region subtree it may see.
struct User {
  UserId id;
  std::string username;
  std::string display_name;
  std::string role;
  int64_t region_code = 0;  // scope root; 0 with scope_level 0 = the whole country
  int scope_level = 0;      // 0 nation, 1..5 province..village
  EmployerId employer_id;   // for role employer
  PersonId person_id;       // for role laborer
  std::string password_hash;
  bool disabled = false;
  int failed_logins = 0;     // wrong passwords in a row since the last good one
  int64_t locked_until = 0;  // ms since the epoch; every password is refused until then
  RecordMeta meta;
};

// Flags we keep on regions of the national division list.
struct RegionFlags {
  int64_t region_code = 0;
  bool key_county = false;       // 国家乡村振兴重点帮扶县
  bool poverty_village = false;  // 脱贫村
  bool relocation_site = false;  // 易地扶贫搬迁安置点
  RecordMeta meta;
};

}  // namespace jobaid::domain
