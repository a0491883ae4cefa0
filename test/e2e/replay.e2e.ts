import type { FrameLocator, Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { parseRecord } from '../../src/domain/collection/collection-record.ts'
import { buildStatement1C } from '../fixtures/bank/statement-builder.ts'
import { encodeWindows1251 } from '../fixtures/bank/windows-1251.ts'
import { ru as messagesRu } from '../../src/i18n/messages-ru.ts'
import { appFrame, startAppUnderTest } from './support/app-under-test.ts'
import { issuableDeal } from './support/issuable-deal.ts'

/**
 * README "Never twice": the emulator's `drop-after` does the work, then closes the keep-alive
 * connection without an answer; Chromium re-sends such a POST by itself, so the portal runs every
 * such batch twice. Each write the browser makes must still happen once, and the UI tell the truth.
 */
describe('never twice: Chromium replays a POST whose answer was lost', () => {
  let t: AppUnderTest
  const used = new Set<number>()

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    await t.control.post('/emulator/docgen', { pdfDelayMs: 500 })
  })
  afterAll(async () => t?.close())
  // Fresh demo data for each case: the demo has only a handful of deals a manager with a CRM mailbox can issue.
  beforeEach(async () => {
    await t.closePages()
    await t.control.post('/emulator/reset', { data: 'demo' })
    used.clear()
  })

  const state = () => t.emulator.state
  const journal = (kind: string) => state().journal.filter(e => e.kind === kind)
  const invoicesOf = (dealId: number) => state().entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
  const outbox = (invoiceId: number) => journal('outbox').filter(e => Number((e.details as { owner?: { id?: number } }).owner?.id) === invoiceId)
  const batches = async () => (await t.control.get<{ restRequests: Record<string, number> }>('/emulator/stats')).restRequests.batch ?? 0
  const dropAfter = (method: string) => t.control.post('/emulator/faults', { method, times: 1, kind: 'drop-after' })
  const payments = (id: number) => journal('timeline')
    .filter(e => JSON.stringify((e.details as { owner?: unknown }).owner) === JSON.stringify({ typeId: 31, id }))
    .map(e => parseRecord(String(e.details.text)))
    .filter(record => record?.kind === 'payment')

  async function openDealTab(dealId: number): Promise<{ page: Page, frame: FrameLocator }> {
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=ru`)
    const frame = appFrame(page)
    await frame.locator('[data-testid="issue-button"]').waitFor({ timeout: 30_000 })
    return { page, frame }
  }

  it.each([
    ['the send batch\'s e-mail', 'crm.activity.add'],
    ['the send batch\'s marker', 'crm.timeline.logmessage.add'],
    ['the send batch\'s stage update', 'crm.item.update'],
    ['the follow-up batch', 'tasks.task.add'],
  ])('issue, drop-after on %s: one invoice, one e-mail, one notification, one task; the UI says sent', async (_, method) => {
    const dealId = issuableDeal(state(), used)
    const { frame } = await openDealTab(dealId)
    await frame.locator('[data-testid="issue-button"]').click()
    await frame.locator('[data-testid="issue-preview"]').waitFor()
    await t.control.post('/emulator/stats/reset')
    await dropAfter(method)
    await frame.locator('[data-testid="issue-confirm"]').click()
    await frame.locator('[data-testid="issue-outcome"]').waitFor({ timeout: 30_000 })
    const invoices = invoicesOf(dealId)
    expect(invoices).toHaveLength(1)
    const invoice = invoices[0]!
    expect(outbox(Number(invoice.id))).toHaveLength(1)
    expect(journal('notifications').filter(e => JSON.stringify(e.details).includes(String(invoice.accountNumber)))).toHaveLength(1)
    expect(journal('tasks').filter(e => JSON.stringify(e.details).includes(`D_${dealId}"`)).length).toBeLessThanOrEqual(1)
    expect(invoice.stageId).toBe('DT31_5:S')
    expect(await frame.locator('[data-testid="issue-progress"] [data-status="failed"]').count()).toBe(0)
  })

  it('re-send, drop-after on the e-mail: one more e-mail, and the UI says it went', async () => {
    const dealId = issuableDeal(state(), used)
    const { frame } = await openDealTab(dealId)
    await frame.locator('[data-testid="issue-button"]').click()
    await frame.locator('[data-testid="issue-confirm"]').click()
    await frame.locator('[data-testid="issue-outcome"]').waitFor({ timeout: 30_000 })
    const invoiceId = Number(invoicesOf(dealId)[0]!.id)
    await dropAfter('crm.activity.add')
    const before = await batches()
    await frame.locator('[data-testid="issue-resend"]').click()
    await frame.locator('[data-testid="issue-resent"]').waitFor({ timeout: 15_000 })
    expect(await batches()).toBeGreaterThan(before)
    expect(outbox(invoiceId)).toHaveLength(2)
  })

  it('a row action (mark paid), drop-after: one payment, one notification, and the row says paid', async () => {
    const item = state().entities[31]!.items.find(i => i.stageId === 'DT31_5:S' && i.parentId2 && !used.has(Number(i.parentId2)) && i.currencyId === 'RUB')!
    used.add(Number(item.parentId2))
    const page = await t.open(`/crm/deal/details/${Number(item.parentId2)}/?tab=app&user=1&lang=ru`, { width: 1280, height: 1100 })
    const frame = appFrame(page)
    await frame.locator('[data-testid="invoice-table"]').waitFor({ timeout: 30_000 })
    const row = frame.locator('[data-testid="invoice-table"] tbody tr', { has: frame.locator(`[data-testid="invoice-number"]:text-is("${String(item.accountNumber)}")`) })
    await row.locator('[data-testid="invoice-mark-paid"]').click()
    await row.locator('[data-testid="invoice-pay-amount"]').waitFor()
    await dropAfter('crm.item.update')
    await row.locator('[data-testid="invoice-confirm-paid"]').click()
    const outcome = frame.locator('[data-testid="invoice-action-outcome"]')
    await outcome.waitFor({ timeout: 30_000 })
    expect(await outcome.getAttribute('data-status')).toBe('done')
    expect(state().entities[31]!.byId.get(Number(item.id))!.stageId).toBe('DT31_5:P')
    expect(payments(Number(item.id))).toHaveLength(1)
    expect(journal('notifications').filter(e => JSON.stringify(e.details).includes(String(item.accountNumber)))).toHaveLength(1)
  })

  it('bank import, drop-after on recording: one payment, and the result says recorded', async () => {
    const inn = new Map((state().requisites ?? []).filter(r => r.ENTITY_TYPE_ID === '4').map(r => [Number(r.ENTITY_ID), r.RQ_INN]))
    const item = state().entities[31]!.items.find(i => i.stageId === 'DT31_5:S' && i.currencyId === 'RUB' && i.parentId2 && !used.has(Number(i.parentId2)) && inn.has(Number(i.companyId)))!
    used.add(Number(item.parentId2))
    const now = (await t.control.get<{ now: string }>('/emulator/clock')).now
    const yesterday = new Date(Date.parse(now) + 3 * 3_600_000 - 86_400_000).toISOString().slice(0, 10)
    const amountMinor = Math.round(Number(item.opportunity) * 100)
    const statement = buildStatement1C([{ number: '701', date: yesterday, amountMinor, payerInn: inn.get(Number(item.companyId))!, payerName: 'ООО «Клиент»', purpose: `Оплата по счету № ${String(item.accountNumber)}` }])
    const page = await t.open('/marketplace/app/?user=1&lang=ru', { width: 1280, height: 1600 })
    const frame = appFrame(page)
    await frame.locator('[data-testid="app-page-tabs"]').waitFor({ timeout: 60_000 })
    await frame.getByRole('tab', { name: 'Выписка' }).click()
    await frame.locator('[data-testid="bank-file-input"]').setInputFiles({ name: 'kl_to_1c.txt', mimeType: 'text/plain', buffer: Buffer.from(encodeWindows1251(statement)) })
    await frame.locator('[data-testid="bank-summary"]').waitFor({ timeout: 60_000 })
    await dropAfter('crm.item.update')
    await frame.locator('[data-testid="bank-record"]').click()
    await frame.locator('[data-testid="bank-result"]').waitFor({ timeout: 60_000 })
    expect(await frame.locator('[data-testid="bank-outcome"]').allInnerTexts()).toEqual(['Оплачен'])
    expect(payments(Number(item.id))).toHaveLength(1)
    expect(state().entities[31]!.byId.get(Number(item.id))!.stageId).toBe('DT31_5:P')
  })

  it('the reminder queue, drop-after on the e-mails: each reminder e-mailed once, and the queue says sent', async () => {
    // Reminders go out on business days from the send hour: the next Monday, 10:00 in Moscow.
    const now = new Date((await t.control.get<{ now: string }>('/emulator/clock')).now)
    const monday = new Date(now.getTime() + ((8 - now.getUTCDay()) % 7 || 7) * 86_400_000)
    await t.control.post('/emulator/clock', { now: `${monday.toISOString().slice(0, 10)}T10:00:00+03:00` })
    const page = await t.open('/marketplace/app/?user=4&lang=ru')
    const frame = appFrame(page)
    await frame.locator('[data-testid="reminder-queue-summary"]').waitFor({ timeout: 60_000 })
    // E-mail cards by their channel: escalations and tasks open in full too, so the toggle no longer tells them apart.
    const emailCards = frame.locator('[data-testid="reminder-preview"][data-channel="email"]').filter({ hasNot: frame.locator('[data-testid="reminder-problem"]') })
    const emails = await emailCards.count()
    expect(emails).toBeGreaterThan(0)
    await frame.locator('[data-testid="reminder-select-all"]').click()
    for (let i = 0; i < emails; i++)
      await emailCards.nth(i).locator('[data-testid="reminder-select"]').click()
    const before = journal('outbox').length
    await dropAfter('crm.activity.add')
    await frame.locator('[data-testid="reminder-send"]').click()
    await frame.locator('[data-testid="reminder-queue-result"]').waitFor({ timeout: 60_000 })
    expect(journal('outbox').length - before).toBe(emails)
    const outcomes = await frame.locator('[data-testid="reminder-outcome"]').allInnerTexts()
    expect(outcomes).toEqual(Array.from({ length: emails }, () => messagesRu['reminders.outcome.sent']))
  })
})
