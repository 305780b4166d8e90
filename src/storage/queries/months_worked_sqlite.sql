-- The months worked, per person: the windows their spells touch, by a band join (SQLite has
-- neither bit_or nor a bit count; PostgreSQL's form is months_worked_postgres.sql).
m AS (
  SELECT e.pid, COUNT(DISTINCT w.k) AS months
  FROM e JOIN w ON e.sd <= w.hi AND (e.ed = '' OR e.ed >= w.lo) GROUP BY e.pid),
