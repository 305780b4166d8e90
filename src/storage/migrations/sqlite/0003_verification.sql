-- The quarterly verification round (issue 6): when a person's record was last confirmed as
-- still true, and by whom. One row per person, replaced at each confirmation; a person with no
-- row was never confirmed. Beside the person (province_code) like every large table.
CREATE TABLE verification (
  person_id      INTEGER PRIMARY KEY REFERENCES person(id),
  province_code  INTEGER NOT NULL,
  verified_at    INTEGER NOT NULL,  -- ms since the epoch
  verified_by    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX verification_at ON verification(verified_at);
