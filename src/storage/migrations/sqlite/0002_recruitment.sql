-- The recruitment flow (issue 5). An application knows its job's employer and its person's
-- village, so an employer's or a region's list is read from one table; a hire links the spell
-- it made; a job counts its hires (openings left = openings - hired).
-- A spell or an application may cross provinces (a Hunan laborer hired in Shenzhen), so their
-- links to employer and job are plain ids, not foreign keys: no foreign key crosses provinces
-- (DESIGN.md §2). SQLite cannot drop a constraint, so both tables are rebuilt; no version before
-- this one wrote rows into them (dropping `application` with foreign keys on would otherwise
-- trip over application_event).
CREATE TABLE employment_v2 (
  id              INTEGER PRIMARY KEY,
  province_code   INTEGER NOT NULL,  -- the person's
  person_id       INTEGER NOT NULL REFERENCES person(id),
  employer_id     INTEGER,
  job_id          INTEGER,
  kind            TEXT NOT NULL,   -- local, out_of_county, out_of_province, workshop, public_welfare_post, self_employed
  region_code     INTEGER NOT NULL,  -- the workplace
  start_date      TEXT NOT NULL,
  end_date        TEXT NOT NULL DEFAULT '',  -- '' = still working
  monthly_income  INTEGER NOT NULL DEFAULT 0,
  how_found       TEXT NOT NULL DEFAULT '',  -- match, fair, transfer, self
  part_time       INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  deleted_at      INTEGER NOT NULL DEFAULT 0,
  delete_reason   TEXT NOT NULL DEFAULT '',
  version         INTEGER NOT NULL DEFAULT 1
);
INSERT INTO employment_v2 SELECT * FROM employment;
DROP TABLE employment;
ALTER TABLE employment_v2 RENAME TO employment;
CREATE INDEX employment_person ON employment(person_id, start_date);

CREATE TABLE application_v2 (
  id             INTEGER PRIMARY KEY,
  province_code  INTEGER NOT NULL,  -- the person's
  person_id      INTEGER NOT NULL REFERENCES person(id),
  job_id         INTEGER NOT NULL,
  state          TEXT NOT NULL,  -- recommended, applied, interview, offered, hired, rejected, withdrawn
  score          REAL NOT NULL DEFAULT 0,
  reasons        TEXT NOT NULL DEFAULT '',
  state_reason   TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1,
  employer_id    INTEGER NOT NULL DEFAULT 0,  -- the job's
  region_code    INTEGER NOT NULL DEFAULT 0,  -- the person's village
  employment_id  INTEGER NOT NULL DEFAULT 0,  -- the spell a hire made
  UNIQUE (person_id, job_id)
);
INSERT INTO application_v2 (id, province_code, person_id, job_id, state, score, reasons,
                            state_reason, created_at, updated_at, version)
  SELECT id, province_code, person_id, job_id, state, score, reasons, state_reason, created_at,
         updated_at, version FROM application;
DROP TABLE application;
ALTER TABLE application_v2 RENAME TO application;
CREATE INDEX application_job ON application(job_id);
CREATE INDEX application_region ON application(region_code, updated_at);
CREATE INDEX application_employer ON application(employer_id, updated_at);

ALTER TABLE job ADD COLUMN hired INTEGER NOT NULL DEFAULT 0;
