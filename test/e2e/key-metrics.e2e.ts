import type { FrameLocator, Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import type { EmulatorStats } from '../support/emulator-control.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JournalEntry } from '../../src/domain/journal/journal-entry.ts'
import { journalTag, journalTitle } from '../../src/domain/journal/journal-entry.ts'
import { createDemoJournal, DEMO_JOURNAL_TYPE_ID } from '../support/demo-journal.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'
import { narrowTo, shootElement } from './support/frame-shots.ts'

const DOCS = new URL('../../docs/', import.meta.url).pathname

/**
 * Opens the dashboard as the admin in a `width` px window (at 480: narrowed until the frame is 480 px wide), opens its
 * key metrics and waits for their table. The frame is never widened beyond the host's column: a frame wider than its
 * container made the host page scroll sideways, and element shots landed over the host's menu.
 */
async function openMetrics(t: AppUnderTest, lang: 'ru' | 'en', width: number): Promise<{ page: Page, frame: FrameLocator }> {
  const page = await t.open(`/crm/analytics/?tab=app&user=1&lang=${lang}`, { width: 1280, height: 2400 })
  if (width < 1280)
    await narrowTo(page, '[data-testid="app-frame"]', width)
  const frame = appFrame(page)
  await frame.locator('[data-testid="metrics-open"]').click({ timeout: 60_000 })
  await frame.locator('[data-testid="metrics-table"]').waitFor({ timeout: 30_000 })
  return { page, frame }
}

describe('key metrics on the receivables dashboard (Chromium)', () => {
  let t: AppUnderTest
  let failed: number[]

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    await createDemoJournal(t.emulatorUrl, t.emulator.webhookUrl)
    // What the app's flows would have journalled: two invoices issued (one by the runner, one by a person) and two failures.
    const invoices = t.emulator.state.entities[31].items.filter(item => item.stageId !== 'DT31_5:N' && item.stageId !== 'DT31_5:D').slice(0, 2).map(item => Number(item.id))
    failed = invoices
    const entries: JournalEntry[] = [
      { action: 'invoice', result: 'ok', by: 'runner', dealId: null, invoiceId: invoices[0]!, summary: 'Счёт создан', error: null },
      { action: 'invoice', result: 'ok', by: 'user', dealId: null, invoiceId: invoices[1]!, summary: 'Счёт создан', error: null },
      ...invoices.map(invoiceId => ({ action: 'email' as const, result: 'failed' as const, by: 'user' as const, dealId: null, invoiceId, summary: `Счёт #${invoiceId}: письмо не ушло`, error: { code: 'PORTAL_ERROR', message: 'crm.activity.add: Email send error. "From" is not found' } })),
    ]
    // Written as the app writes them (`writeJournal`), through the plain-http webhook of the test portal.
    for (const entry of entries) {
      const body = JSON.stringify({ entityTypeId: DEMO_JOURNAL_TYPE_ID, fields: { title: journalTitle(entry), xmlId: journalTag(entry) } })
      const answer = await fetch(`${t.emulator.webhookUrl}crm.item.add`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      expect(answer.ok).toBe(true)
    }
  })
  afterAll(async () => t?.close())

  it('reads nothing until opened, then one batched round trip: four figures, the month table, the errors with their entries; ru and en at 1280 and 480 px', async () => {
    const page = await t.open('/crm/analytics/?tab=app&user=1&lang=ru', { width: 1280, height: 2400 })
    const frame = appFrame(page)
    await frame.locator('[data-testid="dashboard-headline"]').waitFor({ timeout: 60_000 })
    await page.waitForTimeout(1500) // the debtors' last reminders follow the figures
    await t.control.post('/emulator/stats/reset')
    await frame.locator('[data-testid="metrics-open"]').click()
    await frame.locator('[data-testid="metrics-table"]').waitFor({ timeout: 30_000 })
    const stats = await t.control.get<EmulatorStats>('/emulator/stats')
    expect(stats.restRequests).toEqual({ batch: 1 })

    const errors = frame.locator('[data-testid="figure-metrics-errors"] [data-testid="figure-value"]')
    expect(await errors.getAttribute('data-value')).toBe(String(failed.length))
    expect(Number(await frame.locator('[data-testid="figure-metrics-automatic"] [data-testid="figure-value"]').getAttribute('data-value'))).toBeCloseTo(50, 6)
    await frame.locator('[data-testid="formula-metrics-firstInvoice"]').click()
    expect(await frame.locator('[data-testid="formula-text-metrics-firstInvoice"]').innerText()).toContain('дата создания сделки')
    await page.keyboard.press('Escape')
    await frame.locator('[data-testid="metrics-errors-drill"]').first().click()
    await frame.locator('[data-testid="metrics-errors-table"]').waitFor()
    expect(await frame.locator('[data-testid="metrics-error-summary"]').count()).toBe(failed.length)
    await shootElement(page, '[data-testid="app-frame"]', frame.locator('[data-testid="dashboard-metrics"]'), `${DOCS}/key-metrics-ru.png`)
    await shootElement(page, '[data-testid="app-frame"]', frame.locator('[data-testid="metrics-errors"]'), `${ARTIFACTS}/key-metrics-errors-ru.png`)

    await t.closePages()
    for (const [lang, width] of [['en', 1280], ['ru', 480], ['en', 480]] as const) {
      const opened = await openMetrics(t, lang, width)
      await opened.frame.locator('[data-testid="metrics-errors-drill"]').first().click()
      await opened.frame.locator('[data-testid="metrics-errors-table"]').waitFor()
      const [scroll, client] = await opened.frame.locator('html').evaluate(html => [html.scrollWidth, html.clientWidth])
      expect(scroll, `${lang} ${width}: ${scroll} > ${client}`).toBeLessThanOrEqual(client!)
      await shootElement(opened.page, '[data-testid="app-frame"]', opened.frame.locator('[data-testid="dashboard-metrics"]'), `${width === 480 ? ARTIFACTS : DOCS}/key-metrics-${lang}${width === 480 ? '-480' : ''}.png`)
      await shootElement(opened.page, '[data-testid="app-frame"]', opened.frame.locator('[data-testid="metrics-errors"]'), `${ARTIFACTS}/key-metrics-errors-${lang}-${width}.png`)
      await opened.page.close()
    }
  }, 300_000)
})
