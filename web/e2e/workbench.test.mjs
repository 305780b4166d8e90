// The workbench in a real browser against a real server with demo data: what a county
// officer does in a day, in Chinese, then the same pages in English and at phone width.
/* global document -- read inside page.evaluate, in the browser */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import JSZip from 'jszip'
import { screenshotsDir, startBrowser, startServer } from './server.mjs'

let server, browser, context, page

// A valid resident ID number of Yongxing county (431023) born on `born` (YYYYMMDD).
function idNumber(born, seq, county = '431023') {
  const first17 = `${county}${born}${String(seq).padStart(3, '0')}`
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i], 0)
  return first17 + '10X98765432'[sum % 11]
}
function wrongCheck(id) {
  return id.slice(0, 17) + (id[17] === '1' ? '2' : '1')
}

async function login(p, username) {
  await p.goto(`${server.url}/login`)
  await p.fill('#username', username)
  await p.fill('#password', 'jobaid-demo')
  await p.click('button[type=submit]')
  await p.waitForSelector('[data-test=figures]')
}

async function api(p, method, path, body) {
  return p.evaluate(async ([m, u, b]) => {
    const csrf = decodeURIComponent((document.cookie.match(/(?:^|;\s*)jobaid_csrf=([^;]*)/) ?? [])[1] ?? '')
    const r = await fetch(`/api/v1${u}`, { method: m, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: b ? JSON.stringify(b) : undefined })
    return { status: r.status, json: await r.json().catch(() => null) }
  }, [method, path, body])
}

// Picks a region in the cascader whose trigger is `trigger`, level by level: a level on the
// way is opened by its name, the last is picked by its radio (a cascader that may stop at any
// level) or its name (one that stops at villages). A panel opened while its dialog is still
// moving into place may close again: it is then opened again and the levels clicked anew.
async function pickRegion(p, trigger, names) {
  const panel = p.locator('.el-cascader-panel:visible')
  await p.click(trigger)
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await panel.count())) await p.click(trigger)
      for (const [i, name] of names.entries()) {
        const node = panel.locator('.el-cascader-node', { hasText: name }).first()
        await node.waitFor({ timeout: 5000 })
        const radio = node.locator('.el-radio')
        if (i + 1 === names.length && (await radio.count())) {
          await radio.click({ timeout: 5000 })
        } else {
          await node.locator('.el-cascader-node__label').click({ timeout: 5000 })
        }
      }
      return
    } catch (e) {
      if (attempt === 3) throw e
    }
  }
}

// Chooses the option named `text` of the select whose trigger is `select`, and waits until its
// dropdown has closed, so that the dropdown cannot cover the next field clicked. A click that
// lands while the dropdown is still moving into place may not choose: it is then made again.
async function choose(p, select, text) {
  await (typeof select === 'string' ? p.locator(select) : select).click()
  const item = p.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  const closed = () =>
    [...globalThis.document.querySelectorAll('.el-select-dropdown')].every((d) => d.getClientRects().length === 0)
  for (let attempt = 1; ; attempt++) {
    await item.click()
    try {
      await p.waitForFunction(closed, null, { timeout: 3000 })
      return
    } catch (e) {
      if (attempt === 3) throw e
    }
  }
}

// Every chart in view has finished drawing, animations included (DashboardView marks each).
async function chartsDrawn(p) {
  await p.waitForFunction(() => [...document.querySelectorAll('.ja-chart')]
    .every((e) => e.offsetParent === null || e.dataset.drawn === 'yes'))
}

async function shot(name) {
  mkdirSync(screenshotsDir, { recursive: true })
  await chartsDrawn(page)
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true })
}

describe('the workbench', () => {
  before(async () => {
    server = await startServer()
    browser = await startBrowser()
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', acceptDownloads: true })
    page = await context.newPage()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('an officer logs in and sees the figures of their county', async () => {
    await page.goto(server.url)
    await page.waitForURL(/\/login/)
    await page.fill('#username', 'yongxing')
    await page.fill('#password', 'wrong-password')
    await page.click('button[type=submit]')
    await page.getByText('用户名或密码不正确').waitFor()
    // Wrong passwords in a row lock a name (one that does not exist here, so that no demo
    // account is locked): the page says how long to wait.
    await page.fill('#username', 'nobody-here')
    for (let i = 0; i < 5; i++) {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'))
      await page.click('button[type=submit]')
      assert.equal((await answered).status(), 401)
    }
    await page.click('button[type=submit]')
    await page.getByText('密码错误次数过多，请 1 分钟后再试').waitFor()
    await login(page, 'yongxing')
    await page.getByRole('heading', { name: '永兴县概览' }).waitFor()
    const laborers = page.locator('[data-test=figure-laborers] .v')
    await assert.doesNotReject(laborers.filter({ hasText: /^[\d,]+$/ }).waitFor())
    // The cards show the API's figures: counts as numbers, rates in percent.
    const figures = (await api(page, 'GET', '/indicators?region=431023')).json
    const figure = (key) => figures.figures.find((f) => f.key === key)
    assert.equal(await laborers.textContent(), figure('laborers').value.toLocaleString('zh-CN'))
    assert.ok(figure('laborers').value > 0)
    assert.equal(await page.locator('[data-test=figure-employed] .v').textContent(), figure('employed').value.toLocaleString('zh-CN'))
    const rate = figure('intention_employment_rate')
    assert.equal(await page.locator('[data-test=figure-intention_employment_rate] .v').textContent(),
      `${(100 * rate.numerator / rate.denominator).toFixed(1)}%`)
    assert.equal(await page.locator('[data-test=figure-work_income_share] .v').textContent(),
      `${(100 * figure('work_income_share').value).toFixed(1)}%`)
    await page.locator('[data-test=trend] canvas').waitFor()
    await page.locator('[data-test=split] canvas').waitFor()
    await page.locator('[data-test=ranking] canvas').waitFor()
    // The county's 16 townships as tiles (no public boundaries below prefecture level).
    await page.locator('[data-test=map][data-map=grid][data-areas="16"] canvas').waitFor()
    // The monthly report downloads as a workbook.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=report-xlsx]')])
    assert.match(download.suggestedFilename(), /^jobaid-report-431023-\d{4}-\d{2}-\d{2}\.xlsx$/)
    await shot('dashboard-desk')
  })

  test('an officer sets a target on the dashboard, sees its completion and splits it to the townships', async () => {
    const year = new Date().getFullYear()
    await page.goto(server.url)
    const card = page.locator('[data-test=figure-employed]')
    await card.locator('.v').filter({ hasText: /^[\d,]+$/ }).waitFor()
    await card.click()
    const before = (await api(page, 'GET', '/indicators?region=431023')).json.figures.find((f) => f.key === 'employed')
    const target = Math.round(before.value * 1.25)
    await page.fill('#target-value', String(target))
    await page.press('#target-value', 'Tab')
    await page.click('[data-test=target-save]')
    await card.locator('[data-test=completion]').waitFor()
    assert.equal(await card.locator('[data-test=completion]').textContent(),
      `完成目标 ${(100 * before.value / target).toFixed(1)}%`)
    await page.locator('[data-test=gauge] canvas').waitFor()
    // Split among the 16 townships: whole people adding up to the county's target.
    await page.click('[data-test=target-split]')
    await page.getByText('已分解到 16 个下级区域').waitFor()
    const parts = (await api(page, 'GET', `/targets?region=431023&year=${year}`)).json.items
      .filter((x) => x.indicator === 'employed' && x.region !== '431023')
    assert.equal(parts.length, 16)
    assert.equal(parts.reduce((n, x) => n + x.value, 0), target)
    // And down to the villages in one go: theirs add up to the county's target as well.
    await choose(page, '[data-test=target-split-level]', '村级')
    await page.click('[data-test=target-split]')
    await page.getByText(/已分解到 \d{3,} 个下级区域/).waitFor()
    const villages = (await api(page, 'GET', `/targets?region=431023&year=${year}`)).json.items
      .filter((x) => x.indicator === 'employed' && x.region.length === 12)
    assert.ok(villages.length > 100, `${villages.length} villages`)
    assert.equal(villages.reduce((n, x) => n + x.value, 0), target)
    // A rate without a target says so.
    await page.locator('[data-test=figure-work_stability]').click()
    await page.locator('[data-test=no-target]').waitFor()
    await shot('dashboard-target-desk')
  })

  test('the first load of the dashboard is under 1 MB, sent compressed', async () => {
    const fresh = await browser.newContext()
    const p = await fresh.newPage()
    const sizes = []
    let gzipped = 0
    p.on('requestfinished', (req) => {
      if (req.url().includes('/api/')) return
      sizes.push(req.sizes().then((s) => s.responseBodySize))
      sizes.push(req.response().then((r) => { if (r?.headers()['content-encoding'] === 'gzip') gzipped++; return 0 }))
    })
    await login(p, 'yongxing')
    await p.waitForLoadState('networkidle')
    const bytes = (await Promise.all(sizes)).reduce((n, b) => n + b, 0)
    console.log(`first load of the dashboard, login page included: ${(bytes / 1024).toFixed(0)} KiB transferred`)
    assert.ok(bytes < 1000 * 1000, `${bytes} bytes`)
    assert.ok(gzipped >= 3, `${gzipped} responses were gzip-compressed`)
    await fresh.close()
  })

  test('switching the region narrows the pages and is remembered', async () => {
    await pickRegion(page, '[data-test=region-switch] .el-cascader', ['马田镇'])
    await page.keyboard.press('Escape')
    await page.getByRole('heading', { name: '马田镇概览' }).waitFor()
    await page.reload()
    await page.getByRole('heading', { name: '马田镇概览' }).waitFor()
    await page.goto(`${server.url}/persons`)
    const township = await api(page, 'GET', '/persons?region=431023101&limit=1')
    await page.locator('[data-test=total]').filter({ hasText: String(township.json.total) }).waitFor()
    // Back to the whole county for the rest.
    await page.click('[data-test=own-region]')
    // The choice is stored once the region is read; only then reload.
    await page.locator('[data-test=own-region]').waitFor({ state: 'detached' })
    await page.goto(server.url)
    await page.getByRole('heading', { name: '永兴县概览' }).waitFor()
  })

  test('a person is found by name', async () => {
    const any = await api(page, 'GET', '/persons?limit=1&sort=-name')
    const name = any.json.items[0].name
    await page.goto(`${server.url}/persons`)
    await page.fill('[data-test=search-input]', name)
    await page.click('[data-test=search]')
    await page.locator('.el-table__body a', { hasText: name }).first().waitFor()
    const shown = await page.locator('.el-table__body tr').count()
    const expected = await api(page, 'GET', `/persons?q=${encodeURIComponent(name)}&limit=20`)
    assert.equal(shown, Math.min(20, expected.json.total))
    await shot('list-desk')
  })

  test("a person's page recommends jobs with reasons", async () => {
    const people = await api(page, 'GET', '/persons?intention=local&employment=unemployed&limit=200')
    const welder = people.json.items.find((p) => p.skills.includes('电焊') && p.laborer)
    assert.ok(welder, 'the demo county has a welder who wants local work')
    await page.goto(`${server.url}/persons/${welder.id}`)
    const card = page.locator('[data-test=recommendations]')
    await card.getByText('推荐岗位').waitFor()
    await card.locator('.el-table__body tr').first().waitFor()
    const expected = await api(page, 'GET', `/match/persons/${welder.id}/jobs?limit=10`)
    assert.ok(expected.json.items.length > 0)
    assert.equal(await card.locator('.el-table__body tr').count(), expected.json.items.length)
    await card.getByText(expected.json.items[0].reasons[0]).first().waitFor()
    // The page says who looked at the record: this very read, by the county's officer.
    const log = page.locator('[data-test=access-log]')
    await log.getByText('查阅记录').waitFor()
    await log.locator('.el-table__body tr', { hasText: '（yongxing）' }).filter({ hasText: '查看' }).first().waitFor()
    const entries = (await api(page, 'GET', `/persons/${welder.id}/access-log`)).json.items
    assert.equal(entries[0].username, 'yongxing')
    assert.equal(entries[0].action, 'read')
    await shot('person-recommendations-desk')
  })

  test('an officer runs a bulk assignment for a township, confirms it and follows one application to a hire', async () => {
    await page.goto(`${server.url}/match/assign`)
    await pickRegion(page, '[data-test=assign-region] .el-cascader', ['马田镇'])
    await page.keyboard.press('Escape')
    await page.click('[data-test=assign-run]')
    const proposal = page.locator('[data-test=assign-proposal]')
    await proposal.locator('.el-table__body tr').first().waitFor()
    const rows = await proposal.locator('.el-table__body tr').count()
    const expected = await api(page, 'POST', '/match/assign?region=431023101')
    assert.equal(rows, expected.json.placed)
    assert.ok(rows >= 2, `${rows} pairs proposed for 马田镇`)
    await page.getByText(`匹配 ${expected.json.placed} 人`).waitFor()
    // How a score is made: the weights the server scored with, and their sum.
    const w = expected.json.weights
    const total = w.skills + w.occupation + w.distance + w.wage + w.lodging + w.priority
    const weights = await proposal.locator('[data-test=assign-weights]').innerText()
    assert.ok(weights.includes(`满分 ${total}`) && weights.includes(`技能 ${w.skills}`), weights)
    // The officer drops the first pair and confirms the rest.
    await proposal.locator('.el-table__body tr').first().locator('.el-checkbox').click()
    await page.getByRole('button', { name: `确认推荐（${rows - 1} 对）` }).click()
    await page.waitForURL(/\/applications$/)
    const recommended = page.locator('[data-test=column-recommended] article')
    await recommended.first().waitFor()
    const made = await api(page, 'GET', '/applications?region=431023101&state=recommended&limit=1000')
    assert.equal(made.json.total, rows - 1)
    assert.equal(await recommended.count(), rows - 1)
    await shot('applications-board-desk')

    // One application, followed to a hire.
    const app = made.json.items[0]
    for (const to of ['applied', 'interview', 'offered']) {
      await page.click(`[data-test=move-${app.id}-${to}]`)
      await page.locator(`[data-test=column-${to}] [data-test=app-${app.id}]`).waitFor()
    }
    await page.click(`[data-test=move-${app.id}-hired]`)
    await page.locator('[data-test=hire-income] input').fill('4800')
    await page.click('[data-test=hire-confirm]')
    await page.locator(`[data-test=column-hired] [data-test=app-${app.id}]`).waitFor()
    const hired = await api(page, 'GET', `/applications/${app.id}`)
    assert.equal(hired.json.state, 'hired')
    assert.equal(hired.json.employment.monthly_income, 480000)
    assert.deepEqual(hired.json.events.map((e) => e.to), ['recommended', 'applied', 'interview', 'offered', 'hired'])
    // The spell shows on the person's page, the job has one opening fewer.
    await page.goto(`${server.url}/persons/${app.person.id}`)
    await page.locator('[data-test=spells] .el-table__body tr').first().waitFor()
    await page.locator('[data-test=spells]').getByText('4,800').waitFor()
    const job = await api(page, 'GET', `/jobs/${app.job.id}`)
    assert.equal(job.json.hired, 1)
  })

  test("a spell found at a job fair is recorded, refused where it overlaps, and ended from the person's page", async () => {
    const people = await api(page, 'GET', '/persons?region=431023&employment=unemployed&limit=1')
    const person = people.json.items[0]
    await page.goto(`${server.url}/persons/${person.id}`)
    await page.click('[data-test=spell-add]')
    const dialog = page.locator('[data-test=spell-dialog]')
    await dialog.waitFor()
    await choose(page, dialog.locator('[data-test=spell-kind]'), '帮扶车间就业')
    await pickRegion(page, '[data-test=spell-region] .el-cascader', ['湖南省', '郴州市', '永兴县'])
    await page.keyboard.press('Escape')
    await dialog.locator('[data-test=spell-income] input').fill('3000')
    await choose(page, dialog.locator('.el-form-item', { hasText: '就业渠道' }).locator('.el-select'), '招聘会')
    await page.click('[data-test=spell-save]')
    await page.locator('[data-test=spells]').getByText('3,000').waitFor()
    let spells = await api(page, 'GET', `/persons/${person.id}/employment`)
    assert.equal(spells.json.items.length, 1)
    const spell = spells.json.items[0]
    assert.equal(spell.kind, 'workshop')
    assert.equal(spell.how_found, 'fair')
    assert.equal(spell.monthly_income, 300000)
    assert.equal(spell.end_date, '')

    // A second full-time spell from the same day overlaps: the error shows under its field.
    await page.click('[data-test=spell-add]')
    await choose(page, dialog.locator('[data-test=spell-kind]'), '县内就业')
    await pickRegion(page, '[data-test=spell-region] .el-cascader', ['湖南省', '郴州市', '永兴县'])
    await page.keyboard.press('Escape')
    await page.click('[data-test=spell-save]')
    await dialog.locator('.el-form-item', { hasText: '入职日期' }).locator('.el-form-item__error').waitFor()
    await dialog.getByRole('button', { name: '取消' }).click()

    // Ended: the end date is set in the same dialog.
    await page.click(`[data-test=spell-edit-${spell.id}]`)
    // A contract ending in a month (the spell began today).
    const ends = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10)
    const end = dialog.locator('.el-form-item', { hasText: '结束日期' }).locator('input')
    await end.fill(ends)
    await end.press('Enter')
    await page.click('[data-test=spell-save]')
    await page.locator('[data-test=spells]').getByText(ends).waitFor()
    spells = await api(page, 'GET', `/persons/${person.id}/employment`)
    assert.equal(spells.json.items[0].end_date, ends)
    assert.equal(spells.json.items[0].version, 2)
  })

  test('the verification round lists who is left in a township and stamps one as still recorded', async () => {
    await page.goto(`${server.url}/verify`)
    await pickRegion(page, '[data-test=verify-region] .el-cascader', ['马田镇'])
    await page.keyboard.press('Escape')
    const left = await api(page, 'GET', '/persons?region=431023101&unverified=current&limit=1')
    const total = left.json.total
    assert.ok(total >= 1, `${total} left in 马田镇`)
    await page.locator('[data-test=verify-left]', { hasText: `${total} 人` }).waitFor()
    const first = left.json.items[0]
    await page.click(`[data-test=verify-${first.id}]`)
    await page.locator('[data-test=verify-left]', { hasText: `${total - 1} 人` }).waitFor()
    const after = await api(page, 'GET', '/persons?region=431023101&unverified=current&limit=1000')
    assert.equal(after.json.total, total - 1)
    assert.ok(!after.json.items.some((p) => p.id === first.id))
  })

  test("a household's income of a year is recorded and its work share shown", async () => {
    const households = await api(page, 'GET', '/households?limit=1')
    const household = households.json.items[0]
    await page.goto(`${server.url}/households/${household.id}`)
    await page.click('[data-test=income-add]')
    const dialog = page.locator('[data-test=income-dialog]')
    const year = String(new Date().getFullYear() - 1)
    await choose(page, dialog.locator('[data-test=income-year]'), year)
    for (const [k, v] of [['wage', '36000'], ['business', '12000'], ['transfer', '12000']]) {
      await dialog.locator(`[data-test=income-${k}] input`).fill(v)
    }
    await page.click('[data-test=income-save]')
    await page.locator(`[data-test=work-share-${year}]`, { hasText: '80.0%' }).waitFor()
    const income = await api(page, 'GET', `/households/${household.id}/income`)
    const saved = income.json.items.find((y) => String(y.year) === year)
    assert.equal(saved.wage, 3600000)
    assert.equal(saved.total, 6000000)
  })

  test("a job's poster downloads as an image and its QR code's page opens without login", async () => {
    const jobs = await api(page, 'GET', '/jobs?status=open&limit=1')
    const job = jobs.json.items[0]
    await page.goto(`${server.url}/jobs/${job.id}`)
    await page.click('[data-test=share]')
    const poster = page.locator('[data-test=poster]')
    await poster.waitFor()
    await page.waitForFunction(() => globalThis.document.querySelector('[data-test=poster]')?.naturalWidth === 1080)
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=poster-png]')])
    const png = readFileSync(await download.path())
    assert.equal(png.subarray(1, 4).toString(), 'PNG')
    assert.ok(png.length > 20000, `the poster PNG is ${png.length} bytes`)
    mkdirSync(screenshotsDir, { recursive: true })
    writeFileSync(join(screenshotsDir, 'job-poster.png'), png)
    const link = await page.locator('[data-test=public-link]').textContent()
    assert.ok(link.endsWith(`/p/jobs/${job.id}`), link)
    // Someone in the village chat group opens it on a phone, without an account.
    const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, locale: 'zh-CN' })
    const visitor = await phone.newPage()
    await visitor.goto(link)
    await visitor.getByRole('heading', { name: job.title }).waitFor()
    assert.match(visitor.url(), /\/p\/jobs\//)
    const width = await visitor.evaluate(() => globalThis.document.documentElement.scrollWidth)
    assert.ok(width <= 375, `the public page is ${width} px wide`)
    await visitor.screenshot({ path: join(screenshotsDir, 'public-job-phone.png'), fullPage: true })
    await phone.close()
    await page.keyboard.press('Escape')
  })

  test('a household with two members: a bad ID number is shown beside its field, then fixed and saved', async () => {
    const head = idNumber('19850707', 801)
    const spouse = idNumber('19870808', 802)
    await page.goto(`${server.url}/households/new`)
    await pickRegion(page, '[data-test=item-region_code] .el-cascader', ['马田镇', '村'])
    await page.fill('#f-head_name', '测试户主')
    await page.fill('#f-head_id_number', head)
    await choose(page, '#f-poverty_type', '建档立卡贫困户')
    await page.fill('#m0-name', '测试户主')
    await page.fill('#m0-id_number', head)
    await page.click('[data-test=add-member]')
    await page.fill('#m1-name', '测试配偶')
    await page.fill('#m1-id_number', wrongCheck(spouse))
    await choose(page, '#m1-relation', '配偶')
    await shot('form-desk')
    await page.click('[data-test=save]')
    const error = page.locator('[data-test=member-1] .el-form-item__error')
    await error.filter({ hasText: '校验位' }).waitFor()
    // Nothing was written.
    assert.equal((await api(page, 'GET', `/households?id_number=${head}`)).json.total, 0)
    await page.fill('#m1-id_number', spouse)
    await page.click('[data-test=save]')
    await page.waitForURL(/\/households\/\d+$/)
    await page.getByText('家庭成员（2）').waitFor()
    await page.getByText('测试配偶').waitFor()
  })

  test('an import with a bad row reports that row and writes nothing', async () => {
    const good = idNumber('19900101', 811)
    const bad = wrongCheck(idNumber('19910202', 812))
    const csv = '姓名,公民身份号码,户主公民身份号码,所在村,户类型,就业意愿\r\n'
      + `导入甲,${good},${good},431023101201,脱贫户,县内\r\n`
      + `导入乙,${bad},${good},,,县内\r\n`
    const file = join(screenshotsDir, 'import-with-a-bad-row.csv')
    mkdirSync(screenshotsDir, { recursive: true })
    writeFileSync(file, csv)
    await page.goto(`${server.url}/import`)
    await page.setInputFiles('[data-test=upload] input[type=file]', file)
    await page.locator('.el-table', { hasText: '导入甲' }).waitFor()
    await page.click('[data-test=check]')
    const table = page.locator('[data-test=error-table]')
    await table.waitFor()
    const badRow = table.locator('.el-table__body tr', { hasText: bad })
    await badRow.waitFor()
    assert.equal((await badRow.locator('td').first().textContent()).trim(), '3')
    assert.equal(await table.locator('.el-table__body tr').count(), 1)
    await table.getByText('校验位').waitFor()
    assert.ok(await page.locator('[data-test=confirm]').isDisabled())
    assert.equal((await api(page, 'GET', `/persons?id_number=${good}`)).json.total, 0)
  })

  test('a list exports to an XLSX file that opens', async () => {
    await page.goto(`${server.url}/households`)
    await page.fill('[data-test=search-input]', '测试户主')
    await page.click('[data-test=search]')
    await page.locator('.el-table__body a', { hasText: '测试户主' }).waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export]')])
    const path = join(screenshotsDir, 'export.xlsx')
    await download.saveAs(path)
    const zip = await JSZip.loadAsync(readFileSync(path))
    const sheet = await zip.file('xl/worksheets/sheet1.xml').async('string')
    const shared = await zip.file('xl/sharedStrings.xml')?.async('string')
    assert.match(`${sheet}${shared ?? ''}`, /测试户主/)
    assert.equal((sheet.match(/<row /g) ?? []).length, 2) // header and the one household
    // ID numbers go out masked; in full only with a reason, which the server audits.
    assert.match(`${sheet}${shared ?? ''}`, /\d{6}\*{8}\d{3}[\dX]/)
    await page.click('[data-test=export-full]')
    await page.fill('.el-message-box input', '年度核对')
    const [full] = await Promise.all([page.waitForEvent('download'),
      page.click('.el-message-box .el-button--primary')])
    assert.match(full.suggestedFilename(), /-yongxing-\d{8}T\d{6}\.xlsx$/)
    const fullPath = join(screenshotsDir, 'export-full.xlsx')
    await full.saveAs(fullPath)
    const fullZip = await JSZip.loadAsync(readFileSync(fullPath))
    const fullText = `${await fullZip.file('xl/worksheets/sheet1.xml').async('string')}${await fullZip.file('xl/sharedStrings.xml')?.async('string') ?? ''}`
    assert.match(fullText, /测试户主/)
    assert.doesNotMatch(fullText, /\*{8}/)
    assert.match(await fullZip.file('docProps/core.xml').async('string'), /<dc:creator>yongxing<\/dc:creator>/)
  })

  test("an officer cannot open another county's person", async () => {
    const admin = await browser.newContext()
    const adminPage = await admin.newPage()
    await login(adminPage, 'admin')
    const outside = idNumber('19800303', 821, '431021')
    const township = (await api(adminPage, 'GET', '/regions?parent=431021')).json.items[0].code
    const village = (await api(adminPage, 'GET', `/regions?parent=${township}`)).json.items[0].code12
    const made = await api(adminPage, 'POST', '/households', {
      region_code: village, head_name: '外县户主', head_id_number: outside, poverty_type: 'registered_poor',
      members: [{ name: '外县户主', id_number: outside, relation: 'head', health: 'healthy', work_ability: 'ordinary', intention: 'local' }],
    })
    assert.equal(made.status, 201, JSON.stringify(made.json))
    const members = await api(adminPage, 'GET', `/persons?household_id=${made.json.id}`)
    // The administrator's dashboard of a province draws its prefectures on a map.
    await adminPage.evaluate(() => globalThis.localStorage.setItem('jobaid.region.admin', '43'))
    await adminPage.reload()
    await adminPage.getByRole('heading', { name: '湖南省概览' }).waitFor()
    // Its 14 prefectures by their boundaries.
    await adminPage.locator('[data-test=map][data-map=boundaries][data-areas="14"] canvas').waitFor()
    await chartsDrawn(adminPage)
    await adminPage.screenshot({ path: join(screenshotsDir, 'dashboard-province-map-desk.png') })
    await admin.close()
    await page.goto(`${server.url}/persons/${members.json.items[0].id}`)
    await page.getByText('没有找到这条记录，或它不在您的区域内').waitFor()
    await page.goto(`${server.url}/persons`)
    await page.locator('.el-table__body tr').first().waitFor()
    await page.fill('[data-test=search-input]', '外县户主')
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/persons?') && r.url().includes('q=')),
      page.click('[data-test=search]'),
    ])
    assert.equal((await answer.json()).total, 0)
    await page.locator('[data-test=total]').filter({ hasText: '共 0 条' }).waitFor()
  })

  test("an officer sees a person's full ID number only with a reason, and the admin finds it in the audit", async () => {
    const person = (await api(page, 'GET', '/persons?limit=1')).json.items[0]
    await page.goto(`${server.url}/persons/${person.id}`)
    const idCell = page.locator('[data-test=field-id_number]')
    await idCell.filter({ hasText: '********' }).waitFor()
    await page.click('[data-test=reveal]')
    await page.fill('.el-message-box input', '核对社保参保')
    await page.click('.el-message-box .el-button--primary')
    await page.locator('[data-test=revealed]').waitFor()
    assert.match(await idCell.innerText(), /^\d{17}[\dX]$/)
    assert.doesNotMatch(await page.locator('[data-test=field-phone]').innerText(), /\*/)

    const admin = await browser.newContext()
    const adminPage = await admin.newPage()
    await login(adminPage, 'admin')
    await adminPage.click('text=审计日志')
    await adminPage.locator('[data-test=audit-table] .el-table__body tr').first().waitFor()
    await adminPage.fill('[data-test=audit-user]', 'yongxing')
    await adminPage.fill('[data-test=audit-person]', String(person.id))
    await adminPage.click('[data-test=audit-search]')
    await adminPage.locator('[data-test=audit-table] .el-table__body tr', { hasText: '核对社保参保' }).waitFor()
    await adminPage.click('[data-test=audit-verify]')
    await adminPage.locator('[data-test=audit-check]', { hasText: '审计链完整' }).waitFor()
    await adminPage.screenshot({ path: join(screenshotsDir, 'audit-desk.png') })
    await admin.close()
  })

  test('the pages switch to English', async () => {
    await page.goto(server.url)
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: 'Yongxing' }).or(page.getByRole('heading', { name: /at a glance/ })).first().waitFor()
    await page.getByRole('menuitem', { name: 'Households' }).waitFor()
    // The matcher's reasons in English too.
    const people = await api(page, 'GET', '/persons?intention=local&employment=unemployed&limit=200')
    const welder = people.json.items.find((p) => p.skills.includes('电焊') && p.laborer)
    await page.goto(`${server.url}/persons/${welder.id}`)
    await page.locator('[data-test=recommendations]').getByText(/^(About \d+ km away|In the home village)$/).first().waitFor()
    assert.equal(await page.locator('[data-test=recommendations]').getByText('距离约').count(), 0)
    await page.goto(`${server.url}/households/new`)
    await page.getByText('Household type').first().waitFor()
    await page.getByRole('button', { name: '中文' }).click()
    await page.getByText('户类型').first().waitFor()
  })

  test('at 375 px the pages fit the screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    page = await phone.newPage()
    await login(page, 'yongxing')
    for (const [path, name] of [['/', 'dashboard'], ['/persons', 'list'], ['/households/new', 'form'], ['/import', null], ['/applications', 'applications'], ['/match/assign', null]]) {
      await page.goto(`${server.url}${path}`)
      await page.waitForLoadState('networkidle')
      const width = await page.evaluate(() => globalThis.document.documentElement.scrollWidth)
      assert.ok(width <= 375, `${path} is ${width} px wide at 375 px`)
      if (name) await shot(`${name}-phone`)
    }
    await page.click('.menu-button')
    await page.getByRole('menuitem', { name: '劳动力' }).click()
    await page.waitForURL(/\/persons$/)
    await phone.close()
  })
})
