-- The tallies of domain/indicators.h for live persons of a region range on one day, per block
-- of region codes (Transaction::CountIndicators). The same rules as analytics::Register, which
-- the storage contract tests hold the two to.
--
-- Spells are read once (e), then reduced per person to the farthest covering workplace (s),
-- the farthest at the end of last year (y) and the months worked of the last 12 (m). Joins rather
-- than correlated sub-queries, so that partitioned and foreign tables are read once each.
-- A place: 0 the home township, 1 another township of the county, 2 another county of the
-- province, 3 another province.
--
-- Parameters, in order (bound in sql_region_tx.cc, CountIndicators):
--   1-24   the 12 months of the year before the day: first and last day of each
--   25-26  the block size (unit), twice
--   27-28  laborer age bounds on the day: born by, born after
--   29-30  the same at last year end
--   31-32  the region range: lo, hi
--   33-34  the day, twice (a spell covers it)
--   35-36  last year end, twice
--   37     the income year
WITH w(k, lo, hi) AS (VALUES (0, ?, ?), (1, ?, ?), (2, ?, ?), (3, ?, ?), (4, ?, ?), (5, ?, ?),
                             (6, ?, ?), (7, ?, ?), (8, ?, ?), (9, ?, ?), (10, ?, ?), (11, ?, ?)),
p AS (
  SELECT p.id, p.household_id AS hh, p.region_code AS rc, p.region_code / ? * ? AS unit,
         CASE WHEN p.birth_date <= ? AND p.birth_date > ?
                   AND p.work_ability IN ('skilled', 'ordinary', 'weak') THEN 1 ELSE 0 END AS lab,
         CASE WHEN p.intention NOT IN ('none', '') THEN 1 ELSE 0 END AS wants,
         CASE WHEN h.poverty_type = 'relocated' THEN 1 ELSE 0 END AS reloc,
         CASE WHEN p.birth_date <= ? AND p.birth_date > ?
                   AND p.work_ability IN ('skilled', 'ordinary', 'weak') THEN 1 ELSE 0 END AS lab_ye
  FROM person p JOIN household h ON h.id = p.household_id
  WHERE p.deleted_at = 0 AND h.deleted_at = 0 AND p.region_code >= ? AND p.region_code < ?),
e AS (
  SELECT e.person_id AS pid, e.region_code AS wc, p.rc, e.start_date AS sd, e.end_date AS ed,
         e.how_found AS hf
  FROM employment e JOIN p ON p.id = e.person_id
  WHERE e.deleted_at = 0),
s AS (
  SELECT e.pid,
         MAX(CASE WHEN e.wc / 10000000000 <> e.rc / 10000000000 THEN 3
                  WHEN e.wc / 1000000 <> e.rc / 1000000 THEN 2
                  WHEN e.wc / 1000 <> e.rc / 1000 THEN 1 ELSE 0 END) AS place,
         MAX(CASE WHEN e.hf = 'transfer' AND e.wc / 1000 <> e.rc / 1000 THEN 1 ELSE 0 END) AS org
  FROM e WHERE e.sd <= ? AND (e.ed = '' OR e.ed >= ?) GROUP BY e.pid),
y AS (
  SELECT e.pid,
         MAX(CASE WHEN e.wc / 10000000000 <> e.rc / 10000000000 THEN 3
                  WHEN e.wc / 1000000 <> e.rc / 1000000 THEN 2
                  WHEN e.wc / 1000 <> e.rc / 1000 THEN 1 ELSE 0 END) AS place
  FROM e WHERE e.sd <= ? AND (e.ed = '' OR e.ed >= ?) GROUP BY e.pid),
-- m: the months worked per person, by dialect (months_worked_sqlite.sql or
-- months_worked_postgres.sql), spliced in where this line follows.
{months_worked}
x AS (
  SELECT p.unit, p.hh, p.lab, p.wants, p.reloc,
         CASE WHEN s.pid IS NULL THEN 0 ELSE 1 END AS emp, COALESCE(s.place, -1) AS place,
         COALESCE(s.org, 0) AS org, CASE WHEN m.months >= 6 THEN 1 ELSE 0 END AS stable,
         CASE WHEN p.lab_ye = 1 AND y.place >= 2 THEN 1 ELSE 0 END AS out_ye
  FROM p LEFT JOIN s ON s.pid = p.id LEFT JOIN m ON m.pid = p.id LEFT JOIN y ON y.pid = p.id),
a AS (
  SELECT unit, COUNT(*) AS persons, SUM(lab) AS laborers, SUM(lab * wants) AS wanting,
         SUM(lab * emp) AS employed, SUM(lab * wants * emp) AS employed_wanting,
         SUM(CASE WHEN lab = 1 AND place IN (0, 1) THEN 1 ELSE 0 END) AS local,
         SUM(CASE WHEN lab = 1 AND place = 2 THEN 1 ELSE 0 END) AS out_county,
         SUM(CASE WHEN lab = 1 AND place = 3 THEN 1 ELSE 0 END) AS out_province,
         SUM(CASE WHEN lab = 1 AND place >= 1 THEN 1 ELSE 0 END) AS transferred,
         SUM(lab * org) AS organised, SUM(lab * emp * stable) AS stable,
         SUM(lab * reloc) AS reloc_lab, SUM(lab * reloc * emp) AS reloc_emp,
         SUM(out_ye) AS out_ye
  FROM x GROUP BY unit),
h AS (
  SELECT unit, hh, MAX(reloc) AS reloc, MAX(lab) AS has_lab, MAX(lab * emp) AS has_emp
  FROM x GROUP BY unit, hh),
b AS (
  SELECT h.unit, COUNT(*) AS households, SUM(h.has_lab) AS with_lab,
         SUM(h.has_lab * (1 - h.has_emp)) AS zero, SUM(h.reloc * h.has_lab) AS reloc_hh,
         SUM(h.reloc * h.has_emp) AS reloc_hh_emp,
         SUM(CASE WHEN h.has_lab = 1 AND i.household_id IS NOT NULL THEN 1 ELSE 0 END) AS inc_hh,
         COALESCE(SUM(CASE WHEN h.has_lab = 1 THEN i.wage + i.business END), 0) AS inc_work,
         COALESCE(SUM(CASE WHEN h.has_lab = 1
                           THEN i.wage + i.business + i.property + i.transfer END), 0) AS inc_total
  FROM h LEFT JOIN household_income i ON i.household_id = h.hh AND i.year = ?
  GROUP BY h.unit)
SELECT a.unit, a.persons, b.households, a.laborers, a.wanting, a.employed, a.employed_wanting,
       a.local, a.out_county, a.out_province, a.transferred, a.organised, a.stable, b.with_lab,
       b.zero, a.reloc_lab, a.reloc_emp, b.reloc_hh, b.reloc_hh_emp, b.inc_hh, b.inc_work,
       b.inc_total, a.out_ye
FROM a JOIN b ON a.unit = b.unit
ORDER BY a.unit
