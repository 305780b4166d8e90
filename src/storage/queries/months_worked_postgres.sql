-- The months worked per person, PostgreSQL's form (spliced into count_indicators.sql).
-- The months worked as a bit mask per spell (bit k: window k), ORed per person and counted:
-- one pass over the spells, where a band join against the windows makes twelve rows of each.
-- A month is numbered year * 12 + month; d is the day (the last window ends on it).
w0 AS (
  SELECT w.lo, w11.hi AS d, substr(w.lo, 1, 4)::int * 12 + substr(w.lo, 6, 2)::int AS m0
  FROM w JOIN w AS w11 ON w11.k = 11 WHERE w.k = 0),
m AS (
  SELECT e.pid,
         bit_count(bit_or(
           (1::bigint << (LEAST(11, substr(LEAST(CASE WHEN e.ed = '' THEN w0.d ELSE e.ed END, w0.d),
                                           1, 4)::int * 12 +
                                    substr(LEAST(CASE WHEN e.ed = '' THEN w0.d ELSE e.ed END, w0.d),
                                           6, 2)::int - w0.m0) + 1)) -
           (1::bigint << GREATEST(0, substr(e.sd, 1, 4)::int * 12 + substr(e.sd, 6, 2)::int - w0.m0))
         )::bit(64)) AS months
  FROM e CROSS JOIN w0
  WHERE e.sd <= w0.d AND (e.ed = '' OR e.ed >= w0.lo)
  GROUP BY e.pid),
