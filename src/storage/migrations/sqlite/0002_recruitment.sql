-- The recruitment flow (issue 5): an application knows its job's employer and its person's
-- village, so an employer's or a region's list is read from one table; a hire links the
-- spell it made; a job counts its hires (openings left = openings - hired).
ALTER TABLE application ADD COLUMN employer_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE application ADD COLUMN region_code INTEGER NOT NULL DEFAULT 0;
ALTER TABLE application ADD COLUMN employment_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX application_region ON application(region_code, updated_at);
CREATE INDEX application_employer ON application(employer_id, updated_at);
ALTER TABLE job ADD COLUMN hired INTEGER NOT NULL DEFAULT 0;
