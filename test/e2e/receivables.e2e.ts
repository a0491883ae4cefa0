import type { FrameLocator, Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import type { EmulatorStats } from '../support/emulator-control.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'
import { expectedFigures, portalToday, rawInvoices } from './support/receivables-oracle.ts'

const DOCS = new URL('../../docs/', import.meta.url).pathname
/** Tall enough for the whole dashboard in its frame (the host gives the frame the window's height − 160 px). */
const TALL = { width: 1280, height: 3600 }

/** Opens the analytics page as the accountant (user 4) and waits for the dashboard's figures. */
async function openDashboard(t: AppUnderTest, lang: 'ru' | 'en', viewport = { width: 1280, height: 900 }): Promise<{ page: Page, frame: FrameLocator }> {
  const page = await t.open(`/crm/analytics/?tab=app&user=4&lang=${lang}`, viewport)
  const frame = appFrame(page)
  await frame.locator('[data-testid="dashboard-headline"]').waitFor({ timeout: 60_000 })
  return { page, frame }
}

const value = async (frame: FrameLocator, selector: string) => frame.locator(selector).first().getAttribute('data-value')
const figure = (frame: FrameLocator, name: string) => value(frame, `[data-testid="figure-${name}"] [data-testid="figure-value"]`)
const close = (actual: string | null, expected: number | null) => (expected === null ? expect(actual).toBe('') : expect(Number(actual)).toBeCloseTo(expected, 6))

async function today(t: AppUnderTest): Promise<string> {
  return portalToday((await t.control.get<{ now: string }>('/emulator/clock')).now)
}

async function expectFigures(t: AppUnderTest, frame: FrameLocator, currency: string): Promise<ReturnType<typeof expectedFigures>> {
  const expected = expectedFigures(rawInvoices(t.emulator.state), currency, await today(t))
  expect(Number(await figure(frame, 'outstanding'))).toBe(expected.outstanding)
  expect(Number(await figure(frame, 'overdue'))).toBe(expected.overdue)
  expect(Number(await figure(frame, 'issued'))).toBe(expected.issuedSum)
  close(await figure(frame, 'paidByCount'), expected.paidByCount)
  close(await figure(frame, 'paidBySum'), expected.paidBySum)
  close(await figure(frame, 'daysToPay'), expected.daysToPay)
  close(await figure(frame, 'dso'), expected.dso)
  close(await figure(frame, 'cei'), expected.cei)
  for (const [bucket, { count, sum }] of Object.entries(expected.aging)) {
    expect(Number(await value(frame, `[data-testid="aging-sum"][data-bucket="${bucket}"]`)), bucket).toBe(sum)
    expect(await frame.locator(`[data-testid="aging-count"][data-bucket="${bucket}"]`).innerText(), bucket).toBe(String(count))
  }
  if (expected.topDebtor) {
    const first = frame.locator('[data-testid="debtor-drill"]').first()
    expect(await first.getAttribute('data-client')).toBe(expected.topDebtor.client)
    expect(Number(await first.getAttribute('data-value'))).toBe(expected.topDebtor.overdue)
  }
  return expected
}

/** Invoices the dashboard counts as open (sent, not paid, not cancelled): their timelines are read for part payments. */
function openInvoices(t: AppUnderTest): number {
  return t.emulator.state.entities[31].items.filter(item => !['DT31_5:N', 'DT31_5:P', 'DT31_5:D'].includes(String(item.stageId))).length
}

describe('receivables dashboard (CRM_ANALYTICS_MENU) on the demo portal', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
  })
  afterAll(async () => t?.close())

  it('shows figures equal to an independent computation over the portal, in Russian, from ⌈N/2500⌉ + 2 HTTP requests', async () => {
    await t.closePages() // an earlier test's page may still be loading
    await t.control.post('/emulator/stats/reset')
    const { page, frame } = await openDashboard(t, 'ru', TALL)
    expect(await frame.locator('h1').innerText()).toBe('Дебиторская задолженность')
    await expectFigures(t, frame, 'RUB')
    const stats = await t.control.get<EmulatorStats>('/emulator/stats')
    const n = t.emulator.state.entities[31].items.length
    // The figures take ⌈N/2500⌉ + 2, plus one per 50 open invoices for the payments recorded on them (part
    // payments); one more batch may follow for the top debtors' last reminders.
    const parts = Math.ceil(openInvoices(t) / 50)
    expect(Object.keys(stats.restRequests)).toEqual(['batch'])
    expect(stats.restRequests.batch).toBeGreaterThanOrEqual(2 + parts + Math.ceil(Math.max(0, n - 50) / 2500))
    expect(stats.restRequests.batch).toBeLessThanOrEqual(3 + parts + Math.ceil(Math.max(0, n - 50) / 2500))
    await frame.locator('[data-testid="dashboard-trends"] canvas').waitFor()
    await page.waitForTimeout(300)
    await page.screenshot({ path: `${DOCS}/dashboard-ru.png`, clip: { x: 0, y: 0, width: 1280, height: 2300 } })
    await page.locator('[data-testid="app-frame"]').screenshot({ path: `${ARTIFACTS}/dashboard-full-ru.png` })
  })

  it('drills from an aging bucket to its invoices and opens an invoice card in the portal', async () => {
    const { page, frame } = await openDashboard(t, 'ru')
    const expected = expectedFigures(rawInvoices(t.emulator.state), 'RUB', await today(t))
    const bucket = (['d1to30', 'd31to60', 'd90plus'] as const).find(b => expected.bucketIds(b).length > 0)!
    await frame.locator(`[data-testid="aging-drill"][data-bucket="${bucket}"]`).click()
    const drill = frame.locator('[data-testid="drill-down"]')
    await drill.waitFor()
    const ids = await drill.locator('[data-testid="drill-invoice"]').evaluateAll(nodes => nodes.map(node => Number(node.getAttribute('data-invoice-id'))))
    expect([...ids].sort((a, b) => a - b)).toEqual(expected.bucketIds(bucket).sort((a, b) => a - b))
    await drill.locator('[data-testid="drill-invoice"]').first().click()
    const pathFrame = page.locator('[data-testid="path-slider"] [data-testid="path-frame"]')
    await pathFrame.waitFor({ timeout: 10_000 })
    expect(await pathFrame.getAttribute('src')).toContain(`/crm/type/31/details/${ids[0]}/`)
  })

  it('drills into a debtor and a month, and opens the debtor\'s card', async () => {
    const { page, frame } = await openDashboard(t, 'ru')
    const debtor = frame.locator('[data-testid="debtor-drill"]').first()
    const overdueSum = Number(await debtor.getAttribute('data-value'))
    await debtor.click()
    const balances = await frame.locator('[data-testid="drill-down"] [data-testid="drill-balance"]').evaluateAll(nodes => nodes.map(node => Number(node.getAttribute('data-value'))))
    expect(balances.reduce((a, b) => a + b, 0)).toBe(overdueSum)
    const month = frame.locator('[data-testid="trend-drill"]').last()
    await month.click()
    expect(Number(await frame.locator('[data-testid="drill-count"]').getAttribute('data-count'))).toBeGreaterThanOrEqual(0)
    expect(await frame.locator('[data-testid="drill-down"]').count()).toBe(1)
    await frame.locator('[data-testid="debtor-link"]').first().click()
    const pathFrame = page.locator('[data-testid="path-slider"] [data-testid="path-frame"]')
    await pathFrame.waitFor({ timeout: 10_000 })
    expect(await pathFrame.getAttribute('src')).toMatch(/\/crm\/(company|contact)\/details\/\d+\//)
  })

  it('exports a table as CSV for Russian Excel: UTF-8 BOM, «;», the rows on screen', async () => {
    const { page, frame } = await openDashboard(t, 'ru')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      frame.locator('[data-testid="dashboard-aging"] [data-testid="csv-button"]').click(),
    ])
    const text = await readFile(await download.path(), 'utf8')
    expect(text.charCodeAt(0)).toBe(0xFEFF)
    const lines = text.slice(1).trimEnd().split('\r\n')
    expect(lines[0]).toBe('Просрочка;Счетов;Остаток, RUB;Доля, %')
    expect(lines).toHaveLength(6)
    const expected = expectedFigures(rawInvoices(t.emulator.state), 'RUB', await today(t))
    expect(lines[1]).toMatch(new RegExp(`^Не просрочено;${expected.aging.current!.count};${(expected.aging.current!.sum / 100).toFixed(2).replace('.', ',')};`))
  })

  it('switches to one other currency without mixing amounts, and formulas are one click away', async () => {
    const { frame } = await openDashboard(t, 'ru')
    await frame.locator('[data-testid="filter-currency"]').click()
    await frame.getByRole('option', { name: 'USD' }).click()
    const usd = expectedFigures(rawInvoices(t.emulator.state), 'USD', await today(t))
    await expect.poll(async () => Number(await figure(frame, 'outstanding'))).toBe(usd.outstanding)
    await expectFigures(t, frame, 'USD')
    await frame.locator('[data-testid="formula-dso"]').click()
    expect(await frame.locator('[data-testid="formula-text-dso"]').innerText()).toContain('Дебиторка на конец ÷ выставлено за период')
  })

  it('speaks English and fits a 400 px frame', async () => {
    const { page, frame } = await openDashboard(t, 'en', TALL)
    expect(await frame.locator('h1').innerText()).toBe('Accounts receivable')
    await frame.locator('[data-testid="dashboard-trends"] canvas').waitFor()
    await page.waitForTimeout(300)
    await page.screenshot({ path: `${DOCS}/dashboard-en.png`, clip: { x: 0, y: 0, width: 1280, height: 2300 } })
    // A narrow frame (a phone, a side panel): the frame itself 400 px wide.
    const narrow = await openDashboard(t, 'ru', TALL)
    await narrow.page.locator('[data-testid="app-frame"]').evaluate((node) => {
      (node as HTMLElement).style.width = '400px'
    })
    await narrow.page.waitForTimeout(300)
    const width = await narrow.frame.locator('body').evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
    expect(width.client).toBe(400)
    expect(width.scroll).toBeLessThanOrEqual(width.client)
    await narrow.page.locator('[data-testid="app-frame"]').screenshot({ path: `${ARTIFACTS}/dashboard-narrow.png` })
  })
})

describe('receivables dashboard on a portal with 20,000 invoices', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startAppUnderTest('large:20000')
  })
  afterAll(async () => t?.close())

  it('loads them in ⌈N/2500⌉ + 2 HTTP requests and shows the same figures as an independent computation', async () => {
    await t.closePages() // an earlier test's page may still be loading
    await t.control.post('/emulator/stats/reset')
    const started = Date.now()
    const { frame } = await openDashboard(t, 'ru')
    const seconds = (Date.now() - started) / 1000
    await expectFigures(t, frame, 'RUB')
    const stats = await t.control.get<EmulatorStats>('/emulator/stats')
    // 1 + ⌈19,950 / 2,500⌉ + 1 for the figures, maybe 1 more for the debtors' last reminders: ≤ ⌈20,000 / 2,500⌉ + 3.
    // Part payments are not read with more than 1,000 open invoices, and the dashboard says so.
    expect(Object.keys(stats.restRequests)).toEqual(['batch'])
    expect(stats.restRequests.batch).toBeGreaterThanOrEqual(10)
    expect(stats.restRequests.batch).toBeLessThanOrEqual(11)
    const notice = frame.locator('[data-testid="dashboard-part-payments-unread"]')
    expect(await notice.innerText()).toContain(new Intl.NumberFormat('ru').format(openInvoices(t)))
    await notice.screenshot({ path: `${ARTIFACTS}/dashboard-part-payments-unread-ru.png` })
    expect(seconds).toBeLessThan(30)
  })
})
