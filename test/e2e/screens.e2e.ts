// Every screen of the app, in Russian and English, at 1280 px and in a 480 px frame (the width of a narrow Bitrix24
// slider), shot to `.e2e-artifacts/screens/<screen>-<lang>-<width>.png`. Each shot first checks that the frame's
// document does not scroll sideways while the frame has its own (vertical) scrollbar, and that no text is cut by an
// element that hides its overflow. Shots are of the app's frame only (never the host page around it).
import type { FrameLocator, Page } from 'playwright-core'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { AppUnderTest } from './support/app-under-test.ts'
import type { StatementLine } from '../fixtures/bank/statement-builder.ts'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JournalEntry } from '../../src/domain/journal/journal-entry.ts'
import { journalTag, journalTitle } from '../../src/domain/journal/journal-entry.ts'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import { buildStatement1C } from '../fixtures/bank/statement-builder.ts'
import { encodeWindows1251 } from '../fixtures/bank/windows-1251.ts'
import { createDemoJournal, DEMO_JOURNAL_TYPE_ID } from '../support/demo-journal.ts'
import { ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'
import { issuableDeal } from './support/issuable-deal.ts'
import { frameFits, narrowTo, openFrame, shootElement, shootFrame, shootFrameAsSeen } from './support/frame-shots.ts'

const SCREENS = resolve(ARTIFACTS, 'screens')
const LANGS = ['ru', 'en'] as const
const WIDTHS = [1280, 480] as const
type Lang = typeof LANGS[number]
type Width = typeof WIDTHS[number]
const CASES = LANGS.flatMap(lang => WIDTHS.map(width => [lang, width] as const))

const APP_FRAME = '[data-testid="app-frame"]'
const SLIDER_FRAME = '[data-testid="app-slider"] [data-testid="app-frame"]'
const tabName = { ru: { settings: 'Настройки', bank: 'Выписка', journal: 'Журнал' }, en: { settings: 'Settings', bank: 'Bank statement', journal: 'Journal' } }

describe('every screen in ru and en at 1280 and 480 px (Chromium, demo portal)', () => {
  let t: AppUnderTest
  const used = new Set<number>()
  /** The deal with the most invoices, the deal whose invoice waits for approval, and a deal to preview an issue on. */
  let busyDeal: number
  let waitingDeal: number
  let previewDeal: number
  let statement: { name: string, mimeType: string, buffer: Buffer }

  const state = () => t.emulator.state
  const shot = (screen: string, lang: Lang, width: Width) => resolve(SCREENS, `${screen}-${lang}-${width}.png`)

  /** Checks the frame (sideways scroll, cut texts) and shoots it; returns the frame for more shots. */
  async function check(page: Page, selector: string, screen: string, lang: Lang, width: Width): Promise<void> {
    const fits = await frameFits(page, selector)
    expect(fits.overflow, `${screen} ${lang} ${width}: the document is ${fits.overflow} px wider than the frame`).toBeLessThanOrEqual(0)
    expect(fits.cut, `${screen} ${lang} ${width}: texts cut by overflow`).toEqual([])
    await shootFrame(page, selector, shot(screen, lang, width))
  }

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true })
    t = await startAppUnderTest('demo')
    await t.control.post('/emulator/docgen', { pdfDelayMs: 200 })
    const now = new Date((await t.control.get<{ now: string }>('/emulator/clock')).now)

    // Settings as an admin who has set things up: the journal, a company sender, approval from 1 000 ₽, auto-issue.
    const journalled = await createDemoJournal(t.emulatorUrl, t.emulator.webhookUrl)
    const settings: InvoiceDeskSettings = {
      ...journalled,
      email: { ...journalled.email, sender: { source: 'company', name: 'Бухгалтерия', address: 'billing@invoice-desk.example', copyToSender: false } },
      deal: { ...journalled.deal, readyStageIds: ['FINAL_INVOICE', 'EXECUTING'], autoIssue: { ...journalled.deal.autoIssue, enabled: true, minAmount: { amountMinor: 10_000_000, currency: 'RUB' }, paymentMethodField: 'UF_CRM_PAYMENT_METHOD', paymentMethods: ['101'], regionField: 'UF_CRM_REGION', regions: [] } },
      processes: { ...journalled.processes, approval: { enabled: true, minAmount: { amountMinor: 100_000, currency: 'RUB' }, templateId: 1, document: 'deal', name: 'Согласование счёта' } },
    }
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings(settings) } })

    const details = await Promise.all((await t.control.get<Array<{ id: number }>>('/emulator/deals?userId=1')).map(d => t.control.get<{ id: number, invoices: unknown[] }>(`/emulator/deals/${d.id}`)))
    busyDeal = details.sort((a, b) => b.invoices.length - a.invoices.length)[0]!.id
    used.add(busyDeal)
    waitingDeal = issuableDeal(state(), used, 1_000)
    previewDeal = issuableDeal(state(), used, 1_000)

    // Journal entries as the app's flows write them: issued by the runner and by a person, two e-mails refused.
    const invoices = state().entities[31].items.filter(item => item.stageId !== 'DT31_5:N' && item.stageId !== 'DT31_5:D').slice(0, 2).map(item => Number(item.id))
    const entries: JournalEntry[] = [
      { action: 'invoice', result: 'ok', by: 'runner', dealId: null, invoiceId: invoices[0]!, summary: 'Счёт создан', error: null },
      { action: 'invoice', result: 'ok', by: 'user', dealId: null, invoiceId: invoices[1]!, summary: 'Счёт создан', error: null },
      ...invoices.map(invoiceId => ({ action: 'email' as const, result: 'failed' as const, by: 'user' as const, dealId: null, invoiceId, summary: `Счёт #${invoiceId}: письмо не ушло`, error: { code: 'PORTAL_ERROR', message: 'crm.activity.add: Email send error. "From" is not found' } })),
    ]
    for (const entry of entries) {
      const body = JSON.stringify({ entityTypeId: DEMO_JOURNAL_TYPE_ID, fields: { title: journalTitle(entry), xmlId: journalTag(entry) } })
      const answer = await fetch(`${t.emulator.webhookUrl}crm.item.add`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      expect(answer.ok).toBe(true)
    }

    // A statement of real invoices: one paid in full, one in part, one already paid, one unknown payer.
    const inn = new Map((state().requisites ?? []).filter(r => r.ENTITY_TYPE_ID === '4').map(r => [Number(r.ENTITY_ID), r.RQ_INN]))
    const items = state().entities[31].items.filter(i => i.currencyId === 'RUB' && inn.has(Number(i.companyId)))
    const open = items.filter(i => i.stageId === 'DT31_5:S')
    const paid = items.find(i => i.stageId === 'DT31_5:P')
    const minor = (item: Record<string, unknown>) => Math.round(Number(item.opportunity) * 100)
    const today = new Date(now.getTime() + 3 * 3_600_000).toISOString().slice(0, 10)
    const lines: StatementLine[] = [
      { number: '501', date: today, amountMinor: minor(open[0]!), payerInn: inn.get(Number(open[0]!.companyId))!, payerName: 'ООО «Клиент»', purpose: `Оплата по счету № ${String(open[0]!.accountNumber)}. В т.ч. НДС 20%` },
      { number: '502', date: today, amountMinor: Math.floor(minor(open[1]!) / 3), payerInn: inn.get(Number(open[1]!.companyId))!, payerName: 'ООО «Клиент 2»', purpose: `Частичная оплата сч. ${String(open[1]!.accountNumber)}` },
      ...(paid ? [{ number: '503', date: today, amountMinor: minor(paid), payerInn: inn.get(Number(paid.companyId))!, payerName: 'ООО «Клиент 3»', purpose: `Оплата по счету № ${String(paid.accountNumber)}` }] : []),
      { number: '504', date: today, amountMinor: 777_700, payerInn: '7799999990', payerName: 'ООО «Неизвестный плательщик с очень длинным названием организации»', purpose: 'Оплата за консультации по договору 8 от 01.11.2026, без НДС' },
    ]
    statement = { name: 'kl_to_1c.txt', mimeType: 'text/plain', buffer: Buffer.from(encodeWindows1251(buildStatement1C(lines))) }

    // One invoice issued above the approval sum: it waits for approval.
    const page = await t.open(`/crm/deal/details/${waitingDeal}/?tab=app&user=1&lang=ru`)
    const frame = page.frameLocator(APP_FRAME)
    await frame.locator('[data-testid="issue-button"]').click({ timeout: 60_000 })
    await frame.locator('[data-testid="issue-confirm"]').click()
    await frame.locator('[data-testid="issue-outcome"]').waitFor({ timeout: 60_000 })
    expect(await frame.locator('[data-testid="issue-outcome"]').getAttribute('data-status')).toBe('awaiting-approval')
    expect(state().entities[31].items.filter(item => item.xmlId === invoiceKey(waitingDeal))).toHaveLength(1)
    await t.closePages()
  }, 240_000)
  afterAll(async () => t?.close())

  /** Opens a page and waits for `ready` in its app frame, then narrows the window so that the frame is `width` px. */
  async function open(path: string, ready: string, width: Width, selector = APP_FRAME): Promise<{ page: Page, frame: FrameLocator }> {
    const { page, frame } = await openFrame(t, path, selector)
    await frame.locator(ready).first().waitFor({ timeout: 60_000 })
    if (width === 480)
      await narrowTo(page, selector, 480)
    return { page, frame }
  }

  it.each(CASES)('deal tab: invoices, a waiting approval, the issue preview (%s, %i px)', async (lang, width) => {
    let { page } = await open(`/crm/deal/details/${busyDeal}/?tab=app&user=1&lang=${lang}`, '[data-testid="invoice-table"]', width)
    await check(page, APP_FRAME, 'deal-tab', lang, width)
    await page.close()

    ;({ page } = await open(`/crm/deal/details/${waitingDeal}/?tab=app&user=1&lang=${lang}`, '[data-testid="invoice-table"]', width))
    await page.waitForTimeout(1500) // the deal's business processes follow the invoices
    await check(page, APP_FRAME, 'deal-tab-approval', lang, width)
    await page.close()

    const preview = await open(`/crm/deal/details/${previewDeal}/?tab=app&user=1&lang=${lang}`, '[data-testid="issue-button"]', width)
    page = preview.page
    const frame = preview.frame
    await frame.locator('[data-testid="issue-button"]').click()
    await frame.locator('[data-testid="issue-preview"]').waitFor()
    await check(page, APP_FRAME, 'deal-tab-issue-preview', lang, width)
    await page.close()
  })

  it.each(CASES)('deal list menu slider (%s, %i px)', async (lang, width) => {
    const page = await t.open(`/crm/deal/list/?user=1&lang=${lang}`)
    await page.locator(`[data-testid="deal-row"][data-deal-id="${previewDeal}"] [data-testid="row-menu"]`).click({ timeout: 60_000 })
    await page.locator('[data-testid="row-menu-app"]').first().click()
    await page.frameLocator(SLIDER_FRAME).locator('[data-testid="issue-preview"]').waitFor({ timeout: 60_000 })
    if (width === 480)
      await narrowTo(page, SLIDER_FRAME, 480)
    await check(page, SLIDER_FRAME, 'deal-list-menu', lang, width)
    await page.close()
  })

  it.each(CASES)('receivables dashboard, key metrics and drill-downs (%s, %i px)', async (lang, width) => {
    const { page, frame } = await open(`/crm/analytics/?tab=app&user=1&lang=${lang}`, '[data-testid="dashboard-headline"]', width)
    await page.waitForTimeout(1500) // the debtors' last reminders follow the figures
    await check(page, APP_FRAME, 'dashboard', lang, width)
    await frame.locator('[data-testid="metrics-open"]').click()
    await frame.locator('[data-testid="metrics-table"]').waitFor({ timeout: 30_000 })
    await shootElement(page, APP_FRAME, frame.locator('[data-testid="dashboard-metrics"]'), shot('key-metrics-closed', lang, width))
    const drill = frame.locator('[data-testid="metrics-errors-drill"]')
    expect(await drill.count(), 'a month with errors opens its journal entries').toBeGreaterThan(0)
    await drill.first().click()
    await frame.locator('[data-testid="metrics-errors-table"]').waitFor()
    await check(page, APP_FRAME, 'dashboard-metrics', lang, width)
    await shootElement(page, APP_FRAME, frame.locator('[data-testid="dashboard-metrics"]'), shot('key-metrics', lang, width))
    await frame.locator('[data-testid="debtor-drill"]').first().click()
    await frame.locator('[data-testid="drill-down"]').waitFor()
    await check(page, APP_FRAME, 'dashboard-drill', lang, width)
    await shootElement(page, APP_FRAME, frame.locator('[data-testid="drill-down"]'), shot('drill-down', lang, width))
    await page.close()
  })

  it.each(CASES)('reminder queue (%s, %i px)', async (lang, width) => {
    // Reminders are due on business days from the send hour: the portal's clock goes to Monday 10:00 in Moscow (the
    // demo portal's zone) for this screen only (the deal tab and the dashboard count their days on the browser's clock).
    const clock = await t.control.get<{ now: string }>('/emulator/clock')
    const now = new Date(clock.now)
    const monday = new Date(now.getTime() + ((8 - now.getUTCDay()) % 7 || 7) * 86_400_000)
    await t.control.post('/emulator/clock', { now: `${monday.toISOString().slice(0, 10)}T10:00:00+03:00` })
    try {
      const { page, frame } = await open(`/marketplace/app/?user=4&lang=${lang}`, '[data-testid="reminder-queue-summary"]', width)
      const escalation = frame.locator('[data-testid="reminder-preview"]:not([data-channel="email"])').first()
      if (await escalation.count() > 0)
        await escalation.locator('[data-testid="reminder-toggle-body"]').click()
      await check(page, APP_FRAME, 'reminder-queue', lang, width)
      await shootFrameAsSeen(page, APP_FRAME, shot('reminder-queue-first-screen', lang, width))
      await page.close()
    }
    finally {
      await t.control.post('/emulator/clock', { now: clock.now })
    }
  })

  it.each(CASES)('bank import with a statement loaded (%s, %i px)', async (lang, width) => {
    const { page, frame } = await open(`/marketplace/app/?user=1&lang=${lang}`, '[data-testid="app-page-tabs"]', width)
    await frame.getByRole('tab', { name: tabName[lang].bank }).click()
    await frame.locator('[data-testid="bank-file-input"]').setInputFiles(statement)
    await frame.locator('[data-testid="bank-summary"]').waitFor({ timeout: 60_000 })
    await check(page, APP_FRAME, 'bank-import', lang, width)
    await page.close()
  })

  it.each(CASES)('journal (%s, %i px)', async (lang, width) => {
    const { page, frame } = await open(`/marketplace/app/?user=1&lang=${lang}`, '[data-testid="app-page-tabs"]', width)
    await frame.getByRole('tab', { name: tabName[lang].journal }).click()
    await frame.locator('[data-testid="journal-list"], [data-testid="journal-empty"]').first().waitFor({ timeout: 30_000 })
    await check(page, APP_FRAME, 'journal', lang, width)
    await page.close()
  })

  it.each(CASES)('settings, every section and the auto-issue preview (%s, %i px)', async (lang, width) => {
    const { page, frame } = await open(`/marketplace/app/?user=1&lang=${lang}`, '[data-testid="settings-invoice"]', width)
    await frame.locator('[data-testid="auto-issue-preview-load"]').click()
    await frame.locator('[data-testid="auto-issue-preview-count"]').waitFor({ timeout: 30_000 })
    // Open whatever the sections fold away, and one row of each list that starts empty (the page's draft only).
    for (const toggle of await frame.locator('[data-testid="settings"] details:not([open]) > summary').all())
      await toggle.click()
    for (const add of ['add-company-term', 'add-override'])
      await frame.locator(`[data-testid="${add}"]`).click()
    await check(page, APP_FRAME, 'settings', lang, width)
    for (const section of ['invoice', 'deal', 'email', 'notifications', 'reminders', 'processes', 'journal']) {
      const element = frame.locator(`[data-testid="settings-${section}"]`)
      if (await element.count() > 0)
        await shootElement(page, APP_FRAME, element, shot(`settings-${section}`, lang, width))
    }
    await shootElement(page, APP_FRAME, frame.locator('[data-testid="auto-issue-preview"]'), shot('auto-issue-preview', lang, width))
    await page.close()
  })

  it.each(CASES)('settings as a manager: read only, with what they cannot see named (%s, %i px)', async (lang, width) => {
    const { page, frame } = await open(`/marketplace/app/?user=2&lang=${lang}`, '[data-testid="app-page-tabs"]', width)
    await frame.getByRole('tab', { name: tabName[lang].settings }).click()
    await frame.locator('[data-testid="settings-read-only"]').waitFor({ timeout: 30_000 })
    await frame.locator('[data-testid="settings-invoice"]').waitFor({ timeout: 30_000 })
    await check(page, APP_FRAME, 'settings-read-only', lang, width)
    await page.close()
  })

  it.each(CASES)('install, stopped at a failed step (%s, %i px)', async (lang, width) => {
    // A reinstall writes only what is missing: with one trigger gone, its step runs and the fault stops it.
    state().app.installed = false
    state().app.triggers = state().app.triggers.filter(trigger => trigger.CODE !== 'invoice_overdue')
    await t.control.post('/emulator/faults', { method: 'crm.automation.trigger.add', times: 1, kind: 'error', status: 400, code: 'ACCESS_DENIED', description: 'Access denied! Admin permissions required' })
    const { page, frame } = await open(`/marketplace/app/?user=1&lang=${lang}`, '[data-testid="install-retry"]', width)
    await check(page, APP_FRAME, 'install', lang, width)
    await frame.locator('[data-testid="install-retry"]').click()
    await page.waitForURL(/install_finished=Y/, { timeout: 30_000 })
    await page.close()
  })
})
