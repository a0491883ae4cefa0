import type { Locator, Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRecord, taggedText } from '../../src/domain/collection/collection-record.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

/** Writes through the portal's webhook, as another window or person would. */
async function rest<T>(t: AppUnderTest, method: string, params: object): Promise<T> {
  const response = await fetch(`${t.emulatorUrl}/rest/1/demo-webhook-secret/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(params) })
  return (await response.json() as { result: T }).result
}

const space = (text: string) => text.replace(/\s/g, ' ')

describe('payments, promises and disputes from the deal card tab (Chromium)', () => {
  let t: AppUnderTest
  /** Two sent invoices of one deal: the first is paid in two parts, the second promised and disputed. */
  let paying: { id: number, number: string, totalMinor: number }
  let promising: { id: number, number: string }
  let dealId: number
  let today: string

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    const base = defaultSettings()
    const settings = { ...base, deal: { ...base.deal, stageAfterPaid: 'WON' }, notifications: { ...base.notifications, onPayment: { roles: ['responsible' as const], userIds: [] } } }
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings(settings) } })
    const items = t.emulator.state.entities[31]!.items.filter(i => i.stageId === 'DT31_5:S' && i.parentId2 && i.assignedById)
    const byDeal = new Map<number, typeof items>()
    for (const item of items)
      byDeal.set(Number(item.parentId2), [...byDeal.get(Number(item.parentId2)) ?? [], item])
    const [deal, sent] = [...byDeal].find(([, list]) => list.length >= 2) ?? [...byDeal][0]!
    dealId = deal
    paying = { id: Number(sent[0]!.id), number: String(sent[0]!.accountNumber), totalMinor: Math.round(Number(sent[0]!.opportunity) * 100) }
    const second = sent[1] ?? items.find(i => Number(i.parentId2) !== dealId)!
    promising = { id: Number(second.id), number: String(second.accountNumber) }
    const clock = await t.control.get<{ now: string }>('/emulator/clock')
    today = new Date(Date.parse(clock.now) + 3 * 3_600_000).toISOString().slice(0, 10) // Moscow, UTC+3
  })
  afterAll(async () => t?.close())

  const logsOn = (typeId: number, id: number) => t.emulator.state.journal.filter((e) => {
    const owner = (e.details as { owner?: { typeId?: number, id?: number } }).owner
    return e.kind === 'timeline' && owner?.typeId === typeId && owner.id === id
  })
  // The app's records, without the claims a payment writes before it (README "Bank statement import").
  const records = (id: number) => logsOn(31, id).map(e => parseRecord(String(e.details.text))).filter(r => r?.kind !== 'paymentClaim')
  const notifications = (number: string) => t.emulator.state.journal.filter(e => e.kind === 'notifications' && JSON.stringify(e.details).includes(number))

  /** The deal card with its «Счета» tab; the default window leaves the app a frame 400 px wide, like Bitrix24's narrowest slider. */
  async function openTab(deal: number, lang = 'ru', width = 748): Promise<{ page: Page, rowOf: (number: string) => Locator }> {
    const page = await t.open(`/crm/deal/details/${deal}/?tab=app&user=1&lang=${lang}`, { width, height: 1100 })
    const frame = appFrame(page)
    await frame.locator('[data-testid="invoice-table"]').waitFor({ timeout: 30_000 })
    if (width === 748)
      expect(Math.round((await page.locator('[data-testid="app-frame"]').boundingBox())!.width)).toBeGreaterThanOrEqual(396)
    const rowOf = (number: string) => frame.locator('[data-testid="invoice-table"] tbody tr', { has: frame.locator(`[data-testid="invoice-number"]:text-is("${number}")`) })
    return { page, rowOf }
  }
  const shot = (page: Page, name: string) => page.locator('[data-testid="app-frame"]').screenshot({ path: `${ARTIFACTS}/${name}.png` })
  const outcome = (page: Page) => appFrame(page).locator('[data-testid="invoice-action-outcome"]')

  it('records a part payment: the row shows what is paid and left, the invoice\'s timeline holds the record', async () => {
    const { page, rowOf } = await openTab(dealId)
    const row = rowOf(paying.number)
    await row.locator('[data-testid="invoice-mark-paid"]').click()
    const amount = row.locator('[data-testid="invoice-pay-amount"]')
    await amount.waitFor()
    expect(await amount.inputValue()).toBe((paying.totalMinor / 100).toFixed(2).replace('.', ','))
    const part = Math.floor(paying.totalMinor / 3)
    await amount.fill(`${Math.floor(part / 100)},${String(part % 100).padStart(2, '0')}`)
    // Nothing is cut off or scrolls sideways in the 400 px frame, even with the form open.
    await shot(page, 'collection-pay-form-ru')
    const overflow = await appFrame(page).locator('[data-testid="invoice-table"]').evaluate(el => el.scrollWidth - el.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await row.locator('[data-testid="invoice-confirm-paid"]').dblclick()

    await outcome(page).waitFor({ timeout: 30_000 })
    expect(await outcome(page).getAttribute('data-status')).toBe('partial')
    await row.locator('[data-testid="invoice-balance"]').waitFor({ timeout: 10_000 })
    expect(space(await row.locator('[data-testid="invoice-balance"]').innerText())).toContain('Остаток')
    expect(await row.locator('[data-testid="invoice-collection-badge"][data-kind="partial"]').innerText()).toBe('Частично оплачен')
    await shot(page, 'collection-partial-ru')

    expect(records(paying.id)).toEqual([{ kind: 'payment', amountMinor: part, currency: 'RUB', paidOn: today }])
    expect(t.emulator.state.entities[31]!.byId.get(paying.id)!.stageId).toBe('DT31_5:S')
    expect(notifications(paying.number)).toHaveLength(0)
  })

  it('refuses an overpayment when someone recorded a payment meanwhile, then records the rest: paid, one notification, the deal left where it is while its other invoices are open', async () => {
    const { page, rowOf } = await openTab(dealId)
    const dealStage = t.emulator.state.entities[2]!.byId.get(dealId)!.stageId
    const row = rowOf(paying.number)
    await row.locator('[data-testid="invoice-mark-paid"]').click()
    await row.locator('[data-testid="invoice-pay-amount"]').waitFor()
    // Another window records 1 ₽ while the form shows the old balance.
    await rest(t, 'crm.timeline.logmessage.add', { fields: { entityTypeId: 31, entityId: paying.id, title: 'Invoice Desk', iconCode: 'info', text: taggedText('Оплачено 1 ₽', { kind: 'payment', amountMinor: 100, currency: 'RUB', paidOn: today }) } })
    await row.locator('[data-testid="invoice-confirm-paid"]').click()
    await outcome(page).waitFor({ timeout: 30_000 })
    expect(await outcome(page).getAttribute('data-status')).toBe('overpayment')
    expect(await outcome(page).innerText()).toContain('Сумма больше остатка')
    expect(records(paying.id)).toHaveLength(2)
    await shot(page, 'collection-overpayment-ru')

    // The list reloaded: the form now offers the new balance, which closes the invoice.
    await row.locator('[data-testid="invoice-mark-paid"]').click()
    await row.locator('[data-testid="invoice-pay-amount"]').waitFor()
    expect(await row.locator('[data-testid="invoice-confirm-paid"]').innerText()).toBe('Оплачен полностью')
    await row.locator('[data-testid="invoice-confirm-paid"]').click()
    await appFrame(page).locator('[data-testid="invoice-action-outcome"][data-status="done"]').waitFor({ timeout: 30_000 })
    await row.locator('[data-testid="invoice-state"]', { hasText: /^Оплачен$/ }).waitFor({ timeout: 10_000 })

    expect(t.emulator.state.entities[31]!.byId.get(paying.id)!.stageId).toBe('DT31_5:P')
    // The deal has other sent invoices: it moves only when the last of them is paid.
    expect(t.emulator.state.entities[2]!.byId.get(dealId)!.stageId).toBe(dealStage)
    expect(await appFrame(page).locator('[data-testid="invoice-action-outcome"][data-status="done"]').innerText()).toContain('Сделка осталась на своей стадии')
    expect(notifications(paying.number)).toHaveLength(1)
    const paid = records(paying.id).map(r => (r?.kind === 'payment' ? r.amountMinor : null))
    expect(paid.reduce((sum, n) => sum! + n!, 0)).toBe(paying.totalMinor)
    await shot(page, 'collection-paid-ru')
  })

  it('records a promised date: badge and timeline', async () => {
    const { page, rowOf } = await openTab(dealId)
    const row = rowOf(promising.number)
    await row.locator('[data-testid="invoice-promise"]').click()
    const on = row.locator('[data-testid="invoice-promise-on"]')
    await on.waitFor()
    const promised = new Date(Date.parse(`${today}T00:00:00Z`) + 5 * 86_400_000).toISOString().slice(0, 10)
    const [y, m, d] = promised.split('-')
    // The kit's date field, in the portal's language: day, month, year typed in that order.
    await on.locator('[data-segment="day"]').click()
    await page.keyboard.type(`${d}${m}${y}`)
    await row.locator('[data-testid="invoice-confirm-promise"]').click()
    await appFrame(page).locator('[data-testid="invoice-action-outcome"][data-status="recorded"]').waitFor({ timeout: 30_000 })
    await row.locator('[data-testid="invoice-collection-badge"][data-kind="promise"]', { hasText: `Обещал до ${d}.${m}.${y}` }).waitFor({ timeout: 10_000 })
    expect(records(promising.id)).toEqual([{ kind: 'promise', on: promised }])
    expect(String(logsOn(31, promising.id)[0]!.details.text)).toContain('напоминания приостановлены до этой даты')
  })

  it('opens a dispute only with a reason: badge, «Снять спор», and the history shows it', async () => {
    const { page, rowOf } = await openTab(dealId)
    const row = rowOf(promising.number)
    await row.locator('[data-testid="invoice-dispute"]').click()
    const reason = row.locator('[data-testid="invoice-dispute-reason"]')
    await reason.waitFor()
    expect(await row.locator('[data-testid="invoice-confirm-dispute"]').isDisabled()).toBe(true)
    await reason.fill('   ')
    expect(await row.locator('[data-testid="invoice-confirm-dispute"]').isDisabled()).toBe(true)
    await reason.fill('Клиент не получил товар')
    await row.locator('[data-testid="invoice-confirm-dispute"]').click()
    await appFrame(page).locator('[data-testid="invoice-action-outcome"][data-status="recorded"]').waitFor({ timeout: 30_000 })
    await row.locator('[data-testid="invoice-collection-badge"][data-kind="dispute"]').waitFor({ timeout: 10_000 })
    expect(await row.locator('[data-testid="invoice-dispute"]').innerText()).toBe('Снять спор')
    expect(records(promising.id).at(-1)).toEqual({ kind: 'dispute', open: true, reason: 'Клиент не получил товар' })

    await row.locator('[data-testid="invoice-history-toggle"]').click()
    const history = appFrame(page).locator('[data-testid="invoice-history"]')
    await history.waitFor()
    expect(await history.innerText()).toContain('Клиент не получил товар')
    expect(await history.innerText()).toContain('Обещал оплатить до')
    await shot(page, 'collection-dispute-history-ru')
  })

  it('shows the same in English, in a wide frame', async () => {
    const { page, rowOf } = await openTab(dealId, 'en', 1280)
    const row = rowOf(promising.number)
    expect(await row.locator('[data-testid="invoice-collection-badge"][data-kind="dispute"]').innerText()).toBe('Disputed')
    expect(await row.locator('[data-testid="invoice-dispute"]').innerText()).toBe('Close dispute')
    await row.locator('[data-testid="invoice-history-toggle"]').click()
    await appFrame(page).locator('[data-testid="invoice-history"]').waitFor()
    await shot(page, 'collection-history-en')
  })
})
