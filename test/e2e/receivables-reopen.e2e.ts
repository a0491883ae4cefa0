import type { BrowserContext, FrameLocator, Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import type { EmulatorStats } from '../support/emulator-control.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appFrame, startAppUnderTest } from './support/app-under-test.ts'
import { expectedFigures, portalToday, rawInvoices } from './support/receivables-oracle.ts'

const DOCS = new URL('../../docs/', import.meta.url).pathname

/**
 * The dashboard re-opened in the same browser: the invoices kept in IndexedDB per portal and user,
 * refreshed with what changed on the portal meanwhile — and never shown to another user of that browser.
 */
describe('receivables dashboard re-opened in the same browser (IndexedDB copy)', () => {
  let t: AppUnderTest
  let context: BrowserContext

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    // The demo's invoices moved «now»: ten minutes on, they are out of the refresh window's overlap.
    const clock = await t.control.get<{ now: string }>('/emulator/clock')
    await t.control.post('/emulator/clock', { now: new Date(Date.parse(clock.now) + 600_000).toISOString() })
    context = await t.browser.newContext({ viewport: { width: 1280, height: 1100 } })
  })
  afterAll(async () => {
    await context?.close()
    await t?.close()
  })

  async function open(user: number, lang: 'ru' | 'en'): Promise<{ page: Page, frame: FrameLocator }> {
    const page = await context.newPage()
    await page.goto(new URL(`/crm/analytics/?tab=app&user=${user}&lang=${lang}`, t.emulatorUrl).toString())
    const frame = appFrame(page)
    await frame.locator('[data-testid="dashboard-headline"]').waitFor({ timeout: 60_000 })
    return { page, frame }
  }

  const outstanding = async (frame: FrameLocator) => Number(await frame.locator('[data-testid="figure-outstanding"] [data-testid="figure-value"]').first().getAttribute('data-value'))
  const expectedOutstanding = async () => expectedFigures(rawInvoices(t.emulator.state), 'RUB', portalToday((await t.control.get<{ now: string }>('/emulator/clock')).now)).outstanding

  it('re-opens from the kept copy and shows an invoice paid on the portal meanwhile, in at most 3 requests', async () => {
    const first = await open(4, 'ru')
    const firstOutstanding = await outstanding(first.frame)
    expect(firstOutstanding).toBe(await expectedOutstanding())
    await expect.poll(() => first.frame.locator('[data-testid="dashboard-freshness"]').innerText()).toContain('Прочитано с портала')
    await first.page.waitForTimeout(500) // the copy is written after the figures show
    await first.page.close()

    // Someone marks the largest open RUB invoice paid in the portal.
    const invoices = t.emulator.state.entities[31].items
    const target = invoices.filter(item => String(item.stageId) === 'DT31_5:S' && item.currencyId === 'RUB').sort((a, b) => Number(b.opportunity) - Number(a.opportunity))[0]!
    t.emulator.engine.execute('crm.item.update', { entityTypeId: 31, id: target.id, fields: { stageId: 'DT31_5:P' } }, { authType: 'webhook', userId: 1 })
    const before = await expectedOutstanding()
    expect(before).toBeLessThan(firstOutstanding)

    await t.control.post('/emulator/stats/reset')
    const again = await open(4, 'ru')
    await expect.poll(() => again.frame.locator('[data-testid="dashboard-freshness"]').innerText()).toContain('Из кэша этого браузера · обновлено')
    expect(await outstanding(again.frame)).toBe(before)
    await again.page.waitForTimeout(1000) // the debtors' last reminders may follow
    const stats = await t.control.get<EmulatorStats>('/emulator/stats')
    expect(Object.keys(stats.restRequests)).toEqual(['batch'])
    expect(stats.httpRequests).toBeLessThanOrEqual(3)
    const header = again.frame.locator('[data-testid="dashboard"] header')
    await header.screenshot({ path: `${DOCS}/dashboard-freshness-ru.png` })
    await again.page.close()
  })

  it('says in English where the figures come from', async () => {
    const { page, frame } = await open(4, 'en')
    await expect.poll(() => frame.locator('[data-testid="dashboard-freshness"]').innerText()).toContain('From this browser\'s cache · updated')
    await frame.locator('[data-testid="dashboard"] header').screenshot({ path: `${DOCS}/dashboard-freshness-en.png` })
    await page.close()
  })

  it('another user of the same browser never sees the first user\'s copy: a manager reads their own invoices from the portal', async () => {
    const { page, frame } = await open(2, 'ru')
    await expect.poll(() => frame.locator('[data-testid="dashboard-freshness"]').innerText()).toContain('Прочитано с портала')
    const own = t.emulator.state.entities[31].items.filter(item => Number(item.assignedById) === 2)
    expect(await frame.locator('[data-testid="dashboard-summary"]').innerText()).toContain(String(own.length))
    const all = t.emulator.state.entities[31].items.length
    expect(own.length).toBeLessThan(all)
    await page.close()
  })
})
