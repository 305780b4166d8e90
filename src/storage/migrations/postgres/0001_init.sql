-- JobAid schema, PostgreSQL dialect: the SQLite one with PostgreSQL types. Every entity of
-- DESIGN.md §3. Ids are 53-bit values made by
-- the application (common/ids.h), never per-database sequences. Large tables carry
-- province_code so they can be distributed by province. Times are ms since the epoch, dates
-- are ISO text, money is integer fen, region codes are 12-digit integers.

CREATE TABLE app_user (
  id            BIGINT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin','officer','helper','employer','laborer')),
  region_code   BIGINT NOT NULL,           -- scope: 0 = the whole country
  scope_level   BIGINT NOT NULL DEFAULT 0, -- 0 = nation, 1..5 = province..village
  employer_id   BIGINT,
  person_id     BIGINT,
  password_hash TEXT NOT NULL,
  disabled      BIGINT NOT NULL DEFAULT 0,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  version       BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE session (
  token_hash  BYTEA PRIMARY KEY,
  user_id     BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX session_by_user ON session(user_id);

CREATE TABLE region_flag (
  region_code      BIGINT PRIMARY KEY,
  key_county       BIGINT NOT NULL DEFAULT 0,  -- 国家乡村振兴重点帮扶县
  poverty_village  BIGINT NOT NULL DEFAULT 0,  -- 脱贫村
  relocation_site  BIGINT NOT NULL DEFAULT 0,  -- 易地扶贫搬迁安置点
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL,
  version          BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE household (
  id              BIGINT PRIMARY KEY,
  province_code   BIGINT NOT NULL,
  region_code     BIGINT NOT NULL,
  head_name       TEXT NOT NULL,
  head_id_enc     BYTEA NOT NULL,
  head_id_hash    BYTEA NOT NULL,
  poverty_type    TEXT NOT NULL,
  monitor_type    TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL,
  phone_enc       BYTEA,
  address         TEXT NOT NULL DEFAULT '',
  helper_id       BIGINT,
  note            TEXT NOT NULL DEFAULT '',
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  deleted_at      BIGINT NOT NULL DEFAULT 0,
  delete_reason   TEXT NOT NULL DEFAULT '',
  version         BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX household_head ON household(head_id_hash);
-- Lists show live records in region order: these partial indexes serve them, and their counts,
-- without touching the rows.
CREATE INDEX household_region ON household(region_code, id) WHERE deleted_at = 0;
CREATE INDEX household_name ON household(head_name, id) WHERE deleted_at = 0;
CREATE INDEX household_helper ON household(helper_id) WHERE helper_id IS NOT NULL;

-- Yearly household income by source (fen).
CREATE TABLE household_income (
  household_id  BIGINT NOT NULL REFERENCES household(id),
  year          BIGINT NOT NULL,
  province_code BIGINT NOT NULL,
  wage          BIGINT NOT NULL DEFAULT 0,
  business      BIGINT NOT NULL DEFAULT 0,
  property      BIGINT NOT NULL DEFAULT 0,
  transfer      BIGINT NOT NULL DEFAULT 0,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  version       BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (household_id, year)
);

CREATE TABLE person (
  id                 BIGINT PRIMARY KEY,
  province_code      BIGINT NOT NULL,
  household_id       BIGINT NOT NULL REFERENCES household(id),
  region_code        BIGINT NOT NULL,
  name               TEXT NOT NULL,
  id_number_enc      BYTEA NOT NULL,
  id_number_hash     BYTEA NOT NULL,
  gender             TEXT NOT NULL,
  birth_date         TEXT NOT NULL,
  phone_enc          BYTEA,
  relation           TEXT NOT NULL,
  education          TEXT NOT NULL DEFAULT '',
  health             TEXT NOT NULL,
  work_ability       TEXT NOT NULL,
  skills             TEXT NOT NULL DEFAULT '',
  certificates       TEXT NOT NULL DEFAULT '',
  intention          TEXT NOT NULL,
  intention_region   BIGINT NOT NULL DEFAULT 0,
  wanted_occupations TEXT NOT NULL DEFAULT '',
  expected_wage      BIGINT NOT NULL DEFAULT 0,
  note               TEXT NOT NULL DEFAULT '',
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  deleted_at         BIGINT NOT NULL DEFAULT 0,
  delete_reason      TEXT NOT NULL DEFAULT '',
  version            BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX person_id_number ON person(id_number_hash);
CREATE INDEX person_region ON person(region_code, id) WHERE deleted_at = 0;
CREATE INDEX person_household ON person(household_id);
CREATE INDEX person_name ON person(name, id) WHERE deleted_at = 0;

CREATE TABLE employer (
  id             BIGINT PRIMARY KEY,
  province_code  BIGINT NOT NULL,
  credit_code    TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  region_code    BIGINT NOT NULL,
  kinds          TEXT NOT NULL,
  industry       TEXT NOT NULL DEFAULT '',
  contact_name   TEXT NOT NULL DEFAULT '',
  contact_phone  TEXT NOT NULL DEFAULT '',
  address        TEXT NOT NULL DEFAULT '',
  note           TEXT NOT NULL DEFAULT '',
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  deleted_at     BIGINT NOT NULL DEFAULT 0,
  delete_reason  TEXT NOT NULL DEFAULT '',
  version        BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX employer_region ON employer(region_code, id) WHERE deleted_at = 0;
CREATE INDEX employer_name ON employer(name, id) WHERE deleted_at = 0;

CREATE TABLE job (
  id             BIGINT PRIMARY KEY,
  province_code  BIGINT NOT NULL,
  employer_id    BIGINT NOT NULL REFERENCES employer(id),
  title          TEXT NOT NULL,
  occupation     TEXT NOT NULL DEFAULT '',
  skills         TEXT NOT NULL DEFAULT '',
  region_code    BIGINT NOT NULL,
  wage_min       BIGINT NOT NULL DEFAULT 0,
  wage_max       BIGINT NOT NULL DEFAULT 0,
  openings       BIGINT NOT NULL DEFAULT 1,
  min_age        BIGINT NOT NULL DEFAULT 16,
  max_age        BIGINT NOT NULL DEFAULT 60,
  min_education  TEXT NOT NULL DEFAULT '',
  board          BIGINT NOT NULL DEFAULT 0,
  lodging        BIGINT NOT NULL DEFAULT 0,
  transport      BIGINT NOT NULL DEFAULT 0,
  kind           TEXT NOT NULL,
  status         TEXT NOT NULL,
  start_date     TEXT NOT NULL DEFAULT '',
  end_date       TEXT NOT NULL DEFAULT '',
  description    TEXT NOT NULL DEFAULT '',
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  deleted_at     BIGINT NOT NULL DEFAULT 0,
  delete_reason  TEXT NOT NULL DEFAULT '',
  version        BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX job_region ON job(region_code, id) WHERE deleted_at = 0;
CREATE INDEX job_employer ON job(employer_id);
CREATE INDEX job_title ON job(title, id) WHERE deleted_at = 0;

-- One spell of work.
CREATE TABLE employment (
  id              BIGINT PRIMARY KEY,
  province_code   BIGINT NOT NULL,
  person_id       BIGINT NOT NULL REFERENCES person(id),
  employer_id     BIGINT REFERENCES employer(id),
  job_id          BIGINT REFERENCES job(id),
  kind            TEXT NOT NULL,   -- local, out_of_county, out_of_province, workshop, public_welfare_post, self_employed
  region_code     BIGINT NOT NULL,  -- the workplace
  start_date      TEXT NOT NULL,
  end_date        TEXT NOT NULL DEFAULT '',  -- '' = still working
  monthly_income  BIGINT NOT NULL DEFAULT 0,
  how_found       TEXT NOT NULL DEFAULT '',  -- match, fair, transfer, self
  part_time       BIGINT NOT NULL DEFAULT 0,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  deleted_at      BIGINT NOT NULL DEFAULT 0,
  delete_reason   TEXT NOT NULL DEFAULT '',
  version         BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX employment_person ON employment(person_id, start_date);

CREATE TABLE application (
  id             BIGINT PRIMARY KEY,
  province_code  BIGINT NOT NULL,
  person_id      BIGINT NOT NULL REFERENCES person(id),
  job_id         BIGINT NOT NULL REFERENCES job(id),
  state          TEXT NOT NULL,  -- recommended, applied, interview, offered, hired, rejected, withdrawn
  score          DOUBLE PRECISION NOT NULL DEFAULT 0,
  reasons        TEXT NOT NULL DEFAULT '',
  state_reason   TEXT NOT NULL DEFAULT '',
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  version        BIGINT NOT NULL DEFAULT 1,
  UNIQUE (person_id, job_id)
);
CREATE INDEX application_job ON application(job_id);

CREATE TABLE application_event (
  id              BIGINT PRIMARY KEY,
  application_id  BIGINT NOT NULL REFERENCES application(id),
  from_state      TEXT NOT NULL,
  to_state        TEXT NOT NULL,
  reason          TEXT NOT NULL DEFAULT '',
  user_id         BIGINT,
  at              BIGINT NOT NULL
);
CREATE INDEX application_event_app ON application_event(application_id);

CREATE TABLE training_program (
  id             BIGINT PRIMARY KEY,
  province_code  BIGINT NOT NULL,
  region_code    BIGINT NOT NULL,
  name           TEXT NOT NULL,
  kind           TEXT NOT NULL,  -- vocational, entrepreneurship, pre_employment, order_based
  employer_id    BIGINT REFERENCES employer(id),
  skills         TEXT NOT NULL DEFAULT '',
  start_date     TEXT NOT NULL DEFAULT '',
  end_date       TEXT NOT NULL DEFAULT '',
  capacity       BIGINT NOT NULL DEFAULT 0,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  deleted_at     BIGINT NOT NULL DEFAULT 0,
  delete_reason  TEXT NOT NULL DEFAULT '',
  version        BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE enrollment (
  id             BIGINT PRIMARY KEY,
  province_code  BIGINT NOT NULL,
  program_id     BIGINT NOT NULL REFERENCES training_program(id),
  person_id      BIGINT NOT NULL REFERENCES person(id),
  state          TEXT NOT NULL,  -- enrolled, completed, certified, dropped
  certificate    TEXT NOT NULL DEFAULT '',
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  version        BIGINT NOT NULL DEFAULT 1,
  UNIQUE (program_id, person_id)
);

CREATE TABLE job_fair (
  id                 BIGINT PRIMARY KEY,
  province_code      BIGINT NOT NULL,
  region_code        BIGINT NOT NULL,
  name               TEXT NOT NULL,
  mode               TEXT NOT NULL,  -- on_site, online
  date               TEXT NOT NULL,
  counterpart_region BIGINT NOT NULL DEFAULT 0,
  enterprises        BIGINT NOT NULL DEFAULT 0,
  jobs_offered       BIGINT NOT NULL DEFAULT 0,
  visitors           BIGINT NOT NULL DEFAULT 0,
  consultations      BIGINT NOT NULL DEFAULT 0,
  hires              BIGINT NOT NULL DEFAULT 0,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  deleted_at         BIGINT NOT NULL DEFAULT 0,
  delete_reason      TEXT NOT NULL DEFAULT '',
  version            BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE transfer (
  id                  BIGINT PRIMARY KEY,
  province_code       BIGINT NOT NULL,
  origin_region       BIGINT NOT NULL,
  destination_region  BIGINT NOT NULL,
  employer_id         BIGINT REFERENCES employer(id),
  date                TEXT NOT NULL,
  people              BIGINT NOT NULL DEFAULT 0,
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL,
  deleted_at          BIGINT NOT NULL DEFAULT 0,
  delete_reason       TEXT NOT NULL DEFAULT '',
  version             BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE transfer_person (
  transfer_id  BIGINT NOT NULL REFERENCES transfer(id),
  person_id    BIGINT NOT NULL REFERENCES person(id),
  PRIMARY KEY (transfer_id, person_id)
);

CREATE TABLE pairing (
  id                   BIGINT PRIMARY KEY,
  western_region       BIGINT NOT NULL,
  eastern_region       BIGINT NOT NULL,
  since_year           BIGINT NOT NULL DEFAULT 0,
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL,
  version              BIGINT NOT NULL DEFAULT 1,
  UNIQUE (western_region, eastern_region)
);

CREATE TABLE station (
  id             BIGINT PRIMARY KEY,
  province_code  BIGINT NOT NULL,
  kind           TEXT NOT NULL,  -- cooperation_station, placement_station
  name           TEXT NOT NULL,
  home_region    BIGINT NOT NULL,  -- the western region it serves
  region_code    BIGINT NOT NULL,  -- where it is
  contact_name   TEXT NOT NULL DEFAULT '',
  contact_phone  TEXT NOT NULL DEFAULT '',
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  deleted_at     BIGINT NOT NULL DEFAULT 0,
  delete_reason  TEXT NOT NULL DEFAULT '',
  version        BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE target (
  indicator     TEXT NOT NULL,
  region_code   BIGINT NOT NULL,
  year          BIGINT NOT NULL,
  value         DOUBLE PRECISION NOT NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  version       BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (indicator, region_code, year)
);

CREATE TABLE alert (
  id             BIGINT PRIMARY KEY,
  province_code  BIGINT NOT NULL,
  region_code    BIGINT NOT NULL,
  household_id   BIGINT REFERENCES household(id),
  person_id      BIGINT REFERENCES person(id),
  rule           TEXT NOT NULL,
  state          TEXT NOT NULL,  -- open, acknowledged, resolved, dismissed
  detail         TEXT NOT NULL DEFAULT '',
  raised_at      BIGINT NOT NULL,
  closed_at      BIGINT NOT NULL DEFAULT 0,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  version        BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX alert_region ON alert(region_code, state);

CREATE TABLE rights_case (
  id             BIGINT PRIMARY KEY,
  province_code  BIGINT NOT NULL,
  region_code    BIGINT NOT NULL,
  person_id      BIGINT REFERENCES person(id),
  employer_id    BIGINT REFERENCES employer(id),
  kind           TEXT NOT NULL,  -- wage_arrears, injury, contract, other
  amount         BIGINT NOT NULL DEFAULT 0,
  state          TEXT NOT NULL,
  opened_on      TEXT NOT NULL,
  closed_on      TEXT NOT NULL DEFAULT '',
  detail         TEXT NOT NULL DEFAULT '',
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  version        BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE product (
  id             BIGINT PRIMARY KEY,
  province_code  BIGINT NOT NULL,
  region_code    BIGINT NOT NULL,
  name           TEXT NOT NULL,
  category       TEXT NOT NULL DEFAULT '',
  unit           TEXT NOT NULL DEFAULT '',
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  deleted_at     BIGINT NOT NULL DEFAULT 0,
  delete_reason  TEXT NOT NULL DEFAULT '',
  version        BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE sale (
  id             BIGINT PRIMARY KEY,
  province_code  BIGINT NOT NULL,
  product_id     BIGINT NOT NULL REFERENCES product(id),
  channel        TEXT NOT NULL,  -- online, e_commerce_platform, consumption_assistance, other
  date           TEXT NOT NULL,
  quantity       DOUBLE PRECISION NOT NULL DEFAULT 0,
  amount         BIGINT NOT NULL DEFAULT 0,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  version        BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE audit (
  id         BIGINT PRIMARY KEY,
  at         BIGINT NOT NULL,
  user_id    BIGINT,
  action     TEXT NOT NULL,  -- create, update, delete, restore, read, import, export, login
  entity     TEXT NOT NULL,
  entity_id  BIGINT NOT NULL DEFAULT 0,
  detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit(entity, entity_id);
