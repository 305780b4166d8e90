// Every code the server says a message with (src/: Reason{"code", {…}}) has its words in both
// locale files (reason.* for errors and import rows, matchReason.* for the matcher's reasons),
// and no locale file keeps words for a code the server no longer sends. Run by `make test`.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('../..', import.meta.url).pathname
const sources = []
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p)
    else if (p.endsWith('.cc') && !p.endsWith('_test.cc')) sources.push(p)
  }
}
walk(join(root, 'src'))

// {"code", {{"param", …}}} or {"code", {}}: a Reason literal; the matcher's codes are the ones
// its ReasonText names.
const errorCodes = new Set()
let matchCodes = new Set()
for (const p of sources) {
  const text = readFileSync(p, 'utf8')
  if (p.endsWith('matching/score.cc')) {
    matchCodes = new Set([...text.matchAll(/c == "([a-z_]+)"/g)].map((m) => m[1]))
    continue
  }
  for (const m of text.matchAll(/\{\s*"([a-z][a-z0-9]*(?:_[a-z0-9]+)*)"\s*,\s*\{\s*[{}]/g)) errorCodes.add(m[1])
}

function keysOf(file, block) {
  const text = readFileSync(join(root, 'web/src/i18n', file), 'utf8')
  const start = text.indexOf(`\n  ${block}: {`)
  if (start < 0) return new Set()
  const end = text.indexOf('\n  },', start)
  return new Set([...text.slice(start, end).matchAll(/(?:^|[\s,{])([a-z0-9_]+): '/g)].map((m) => m[1]))
}

let bad = 0
for (const file of ['zh-CN.ts', 'en.ts']) {
  for (const [block, codes] of [['reason', errorCodes], ['matchReason', matchCodes]]) {
    const keys = keysOf(file, block)
    for (const c of codes) if (!keys.has(c)) { console.log(`${file}: ${block}.${c} is missing`); bad++ }
    for (const k of keys) if (!codes.has(k)) { console.log(`${file}: ${block}.${k} is not a code the server sends`); bad++ }
  }
}
if (errorCodes.size < 40 || matchCodes.size < 10) {
  console.log(`found only ${errorCodes.size} error and ${matchCodes.size} match codes in src/`)
  bad++
}
if (bad) process.exit(1)
console.log(`${errorCodes.size} error codes and ${matchCodes.size} match codes have words in zh-CN and en`)
