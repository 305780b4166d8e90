// bench/stats in DuckDB: the tallies of every county on one day (the rules of
// src/domain/indicators.h, as Transaction::CountIndicators writes them in SQL) over the register
// that engine_benchmark wrote as CSV, on one thread and on all, and the nation's totals to
// compare with the engine's.
//
//   node duckdb.mjs CSV_DIR [DAY] [REPEATS]      (bench/stats/run-duckdb.sh does it all)
import { DuckDBInstance } from '@duckdb/node-api'

const [dir, day = '2026-11-26', repeats = '3'] = process.argv.slice(2)
if (!dir) {
  console.error('usage: node duckdb.mjs CSV_DIR [DAY] [REPEATS]')
  process.exit(2)
}

// The bounds of the day, as domain::CountingDay has them.
function civil(y, m, d) {
  const t = new Date(Date.UTC(y, m - 1, d))
  if (t.getUTCMonth() !== m - 1) return new Date(Date.UTC(y, m - 1, 28))  // 29 February
  return t
}
const iso = (t) => t.toISOString().slice(0, 10)
const [Y, M, D] = day.split('-').map(Number)
const yearsBefore = (y, m, d, n) => civil(y - n, m, d)
const bornBy = iso(yearsBefore(Y, M, D, 16))
const bornAfter = iso(yearsBefore(Y, M, D, 65))
const yearEnd = `${Y - 1}-12-31`
const yeBornBy = iso(yearsBefore(Y - 1, 12, 31, 16))
const yeBornAfter = iso(yearsBefore(Y - 1, 12, 31, 65))
const months = []
{
  let y = Y
  let m = M
  for (let i = 11; i >= 0; --i) {
    months[i] = [y, m]
    if (--m === 0) { m = 12; --y }
  }
}

// The months worked of the last 12 as a bit mask per spell (bit k: month k of the windows),
// ORed per person and counted: one pass over the spells, where a band join against the twelve
// windows makes twelve rows of each.
const firstMonth = iso(civil(months[0][0], months[0][1], 1))
const monthOf = (x) => `((year(${x}) - ${months[0][0]}) * 12 + month(${x}) - ${months[0][1]})`

const maskMonths = `m AS (SELECT e.pid, bit_count(bit_or(
    (1::BIGINT << (LEAST(11, ${monthOf(`LEAST(COALESCE(e.ed, DATE '${day}'), DATE '${day}')`)}) + 1))
    - (1::BIGINT << GREATEST(0, ${monthOf('e.sd')})))) AS months
  FROM e WHERE e.sd <= DATE '${day}' AND (e.ed IS NULL OR e.ed >= DATE '${firstMonth}') GROUP BY e.pid),`
// The same as a band join against the twelve windows (as SQLite must), for comparison.
const windows = months.map(([y, m], k) => {
  const lo = iso(civil(y, m, 1))
  const hi = k === 11 ? day : iso(new Date(Date.UTC(y, m, 0)))
  return `(${k}, DATE '${lo}', DATE '${hi}')`
}).join(', ')
const bandMonths = `m AS (SELECT e.pid, COUNT(DISTINCT w.k) AS months FROM e JOIN w ON e.sd <= w.hi AND (e.ed IS NULL OR e.ed >= w.lo) GROUP BY e.pid),`

const place = `CASE WHEN e.wc // 10000000000 <> e.rc // 10000000000 THEN 3
  WHEN e.wc // 1000000 <> e.rc // 1000000 THEN 2 WHEN e.wc // 1000 <> e.rc // 1000 THEN 1 ELSE 0 END`
const queryWith = (monthsWorked) => `
WITH ${monthsWorked === bandMonths ? `w(k, lo, hi) AS (VALUES ${windows}),` : ''}
p AS (SELECT p.id, p.household_id AS hh, h.region_code AS rc, h.region_code // 1000000 AS unit,
  CASE WHEN p.able = 1 AND p.birth_date <= DATE '${bornBy}' AND p.birth_date > DATE '${bornAfter}' THEN 1 ELSE 0 END AS lab,
  CASE WHEN p.able = 1 AND p.birth_date <= DATE '${yeBornBy}' AND p.birth_date > DATE '${yeBornAfter}' THEN 1 ELSE 0 END AS lab_ye,
  p.wants AS wants, h.relocated AS reloc
  FROM persons p JOIN households h ON h.id = p.household_id),
e AS (SELECT e.person_id AS pid, e.region_code AS wc, p.rc, e.start_date AS sd, e.end_date AS ed, e.by_transfer AS bt
  FROM employment e JOIN p ON p.id = e.person_id),
s AS (SELECT e.pid, MAX(${place}) AS place, MAX(CASE WHEN e.bt = 1 AND e.wc // 1000 <> e.rc // 1000 THEN 1 ELSE 0 END) AS org
  FROM e WHERE e.sd <= DATE '${day}' AND (e.ed IS NULL OR e.ed >= DATE '${day}') GROUP BY e.pid),
y AS (SELECT e.pid, MAX(${place}) AS place FROM e
  WHERE e.sd <= DATE '${yearEnd}' AND (e.ed IS NULL OR e.ed >= DATE '${yearEnd}') GROUP BY e.pid),
${monthsWorked}
x AS (SELECT p.unit, p.hh, p.lab, p.wants, p.reloc, CASE WHEN s.pid IS NULL THEN 0 ELSE 1 END AS emp,
  COALESCE(s.place, -1) AS place, COALESCE(s.org, 0) AS org, CASE WHEN m.months >= 6 THEN 1 ELSE 0 END AS stable,
  CASE WHEN p.lab_ye = 1 AND y.place >= 2 THEN 1 ELSE 0 END AS out_ye
  FROM p LEFT JOIN s ON s.pid = p.id LEFT JOIN m ON m.pid = p.id LEFT JOIN y ON y.pid = p.id),
a AS (SELECT unit, COUNT(*) AS persons, SUM(lab) AS laborers, SUM(lab * wants) AS wanting, SUM(lab * emp) AS employed,
  SUM(lab * wants * emp) AS employed_wanting,
  SUM(CASE WHEN lab = 1 AND place IN (0, 1) THEN 1 ELSE 0 END) AS local,
  SUM(CASE WHEN lab = 1 AND place = 2 THEN 1 ELSE 0 END) AS out_county,
  SUM(CASE WHEN lab = 1 AND place = 3 THEN 1 ELSE 0 END) AS out_province,
  SUM(CASE WHEN lab = 1 AND place >= 1 THEN 1 ELSE 0 END) AS transferred,
  SUM(lab * org) AS organised, SUM(lab * emp * stable) AS stable,
  SUM(lab * reloc) AS reloc_lab, SUM(lab * reloc * emp) AS reloc_emp, SUM(out_ye) AS out_ye
  FROM x GROUP BY unit),
h AS (SELECT unit, hh, MAX(reloc) AS reloc, MAX(lab) AS has_lab, MAX(lab * emp) AS has_emp FROM x GROUP BY unit, hh),
b AS (SELECT h.unit, COUNT(*) AS households, SUM(h.has_lab) AS with_lab, SUM(h.has_lab * (1 - h.has_emp)) AS zero,
  SUM(h.reloc * h.has_lab) AS reloc_hh, SUM(h.reloc * h.has_emp) AS reloc_hh_emp,
  SUM(CASE WHEN h.has_lab = 1 AND i.household_id IS NOT NULL THEN 1 ELSE 0 END) AS inc_hh,
  COALESCE(SUM(CASE WHEN h.has_lab = 1 THEN i.work END), 0) AS inc_work,
  COALESCE(SUM(CASE WHEN h.has_lab = 1 THEN i.total END), 0) AS inc_total
  FROM h LEFT JOIN income i ON i.household_id = h.hh AND i.year = ${Y - 1} GROUP BY h.unit)
SELECT a.unit, a.persons, b.households, a.laborers, a.wanting, a.employed, a.employed_wanting, a.local,
  a.out_county, a.out_province, a.transferred, a.organised, a.stable, b.with_lab, b.zero, a.reloc_lab,
  a.reloc_emp, b.reloc_hh, b.reloc_hh_emp, b.inc_hh, b.inc_work, b.inc_total, a.out_ye
FROM a JOIN b ON a.unit = b.unit ORDER BY a.unit`

const instance = await DuckDBInstance.create(':memory:')
const con = await instance.connect()
let t = performance.now()
await con.run(`CREATE TABLE households AS SELECT * FROM read_csv('${dir}/households.csv', header = true,
  columns = {'id': 'BIGINT', 'region_code': 'BIGINT', 'relocated': 'INTEGER'})`)
await con.run(`CREATE TABLE persons AS SELECT * FROM read_csv('${dir}/persons.csv', header = true,
  columns = {'id': 'BIGINT', 'household_id': 'BIGINT', 'birth_date': 'DATE', 'able': 'INTEGER', 'wants': 'INTEGER'})`)
await con.run(`CREATE TABLE employment AS SELECT * FROM read_csv('${dir}/employment.csv', header = true,
  columns = {'person_id': 'BIGINT', 'region_code': 'BIGINT', 'start_date': 'DATE', 'end_date': 'DATE', 'by_transfer': 'INTEGER'})`)
await con.run(`CREATE TABLE income AS SELECT * FROM read_csv('${dir}/income.csv', header = true,
  columns = {'household_id': 'BIGINT', 'year': 'INTEGER', 'work': 'BIGINT', 'total': 'BIGINT'})`)
console.log(`duckdb: loaded the CSV files in ${((performance.now() - t) / 1000).toFixed(1)} s`)

// The months worked by bit masks (the baseline), and by the band join (as before) for the ratio;
// both must give the same rows.
let rows = []
for (const threads of [1, (await import('node:os')).availableParallelism()]) {
  await con.run(`SET threads = ${threads}`)
  const medians = {}
  for (const [name, months] of [['bit masks', maskMonths], ['band join', bandMonths]]) {
    const times = []
    let got = []
    for (let i = 0; i < Number(repeats); ++i) {
      t = performance.now()
      const reader = await con.runAndReadAll(queryWith(months))
      times.push((performance.now() - t) / 1000)
      got = reader.getRows()
    }
    if (name === 'bit masks') rows = got
    else if (JSON.stringify(got, (k, v) => (typeof v === 'bigint' ? String(v) : v)) !==
             JSON.stringify(rows, (k, v) => (typeof v === 'bigint' ? String(v) : v))) {
      console.error('the band join and the bit masks disagree')
      process.exit(1)
    }
    times.sort((a, b) => a - b)
    medians[name] = times[times.length >> 1]
    console.log(`duckdb, ${threads} thread${threads > 1 ? 's' : ''}, months by ${name}: ${rows.length} counties, ` +
      `every tally, one day: ${medians[name].toFixed(3)} s median, ${times[0].toFixed(3)} min`)
  }
  console.log(`  the bit masks take ${(medians['bit masks'] / medians['band join']).toFixed(2)} of the band join's time`)
}
const sum = (col) => rows.reduce((n, r) => n + BigInt(r[col]), 0n)
console.log(`nation: persons ${sum(1)} laborers ${sum(3)} employed ${sum(5)} stable ${sum(12)} ` +
  `out_migrants ${sum(8) + sum(9)} out_migrants_year_end ${sum(22)} zero_employment_households ${sum(14)} ` +
  `income_work ${sum(20)}`)
