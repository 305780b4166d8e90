// Starts `jobaid serve` with demo data on a free loopback port for the browser tests, and the
// browser (Debian's Chromium, headless) to drive it.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'

const here = resolve(import.meta.dirname)

export async function startServer() {
  const bin = process.env.JOBAID_BIN ?? resolve(here, '../../build/debug/src/jobaid')
  const dir = mkdtempSync(join(tmpdir(), 'jobaid-e2e-'))
  const proc = spawn(bin, ['serve', '--data', dir, '--port', '0', '--demo-if-empty', '--web', resolve(here, '../dist')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`jobaid did not start:\n${output}`)), 120000)
    const read = (chunk) => {
      output += chunk
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)
      if (m) {
        clearTimeout(timer)
        ok(`http://127.0.0.1:${m[1]}`)
      }
    }
    proc.stdout.on('data', read)
    proc.stderr.on('data', read)
    proc.on('exit', (code) => fail(new Error(`jobaid exited with ${code}:\n${output}`)))
  })
  return {
    url,
    async stop() {
      proc.kill('SIGTERM')
      await new Promise((ok) => proc.once('exit', ok))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function startBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  })
}

export const screenshotsDir = process.env.JOBAID_SCREENSHOTS ?? resolve(here, '../../build/screenshots')
