-- PostgreSQL's form of ../sqlite/0002_recruitment.sql: the same columns and indexes; the
-- cross-province foreign keys are dropped in place instead of rebuilding the tables.
ALTER TABLE employment DROP CONSTRAINT employment_employer_id_fkey;
ALTER TABLE employment DROP CONSTRAINT employment_job_id_fkey;
ALTER TABLE application DROP CONSTRAINT application_job_id_fkey;
ALTER TABLE application ADD COLUMN employer_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE application ADD COLUMN region_code BIGINT NOT NULL DEFAULT 0;
ALTER TABLE application ADD COLUMN employment_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX application_region ON application(region_code, updated_at);
CREATE INDEX application_employer ON application(employer_id, updated_at);
ALTER TABLE job ADD COLUMN hired BIGINT NOT NULL DEFAULT 0;
