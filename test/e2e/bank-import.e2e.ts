import type { FrameLocator, Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import type { StatementLine } from '../fixtures/bank/statement-builder.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRecord } from '../../src/domain/collection/collection-record.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import { buildStatement1C, OUR_ACCOUNT } from '../fixtures/bank/statement-builder.ts'
import { encodeWindows1251 } from '../fixtures/bank/windows-1251.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

type Item = Record<string, unknown> & { id: number }

describe('bank statement import on the app page (Chromium, demo portal)', () => {
  let t: AppUnderTest
  let file: { name: string, mimeType: string, buffer: Buffer }
  /** The invoices the statement pays: one in full, one in part, two with one payment. */
  let full: Item
  let part: Item
  let pair: [Item, Item]
  let partMinor: number

  const invoices = () => t.emulator.state.entities[31].items
  const minor = (item: Item) => Math.round(Number(item.opportunity) * 100)
  const timelineWrites = () => t.emulator.state.journal.filter(e => e.kind === 'timeline').length
  const records = (id: number) => t.emulator.state.journal
    .filter(e => e.kind === 'timeline' && JSON.stringify((e.details as { owner?: unknown }).owner) === JSON.stringify({ typeId: 31, id }))
    .map(e => parseRecord(String(e.details.text)))

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    const base = defaultSettings()
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings({ ...base, deal: { ...base.deal, stageAfterPaid: 'WON' } }) } })
    // A statement made of the portal's real open invoices, paid by their clients' real INNs.
    const inn = new Map((t.emulator.state.requisites ?? []).filter(r => r.ENTITY_TYPE_ID === '4').map(r => [Number(r.ENTITY_ID), r.RQ_INN]))
    const open = invoices().filter(i => i.stageId === 'DT31_5:S' && i.currencyId === 'RUB' && i.parentId2 && inn.has(Number(i.companyId)))
    const byCompany = new Map<number, Item[]>()
    for (const item of open)
      byCompany.set(Number(item.companyId), [...byCompany.get(Number(item.companyId)) ?? [], item])
    const [, twins] = [...byCompany].find(([, list]) => list.length >= 3)!
    pair = [twins[0]!, twins[1]!]
    full = twins[2]!
    part = open.find(i => Number(i.companyId) !== Number(full.companyId))!
    partMinor = Math.floor(minor(part) / 3)
    const now = (await t.control.get<{ now: string }>('/emulator/clock')).now
    const today = new Date(Date.parse(now) + 3 * 3_600_000).toISOString().slice(0, 10)
    const yesterday = new Date(Date.parse(now) + 3 * 3_600_000 - 86_400_000).toISOString().slice(0, 10)
    const payer = (item: Item) => inn.get(Number(item.companyId))!
    const lines: StatementLine[] = [
      { number: '501', date: yesterday, amountMinor: minor(full), payerInn: payer(full), payerName: 'ООО «Клиент»', purpose: `Оплата по счету № ${String(full.accountNumber)} от ${yesterday}. В т.ч. НДС 20%` },
      { number: '502', date: yesterday, amountMinor: partMinor, payerInn: payer(part), payerName: 'ООО «Клиент 2»', purpose: `Частичная оплата сч. ${part.id}` },
      { number: '503', date: today, amountMinor: minor(pair[0]) + minor(pair[1]), payerInn: payer(pair[0]), payerName: 'ООО «Клиент»', purpose: `Оплата по счетам ${String(pair[0].accountNumber)}, ${String(pair[1].accountNumber)}` },
      { number: '504', date: today, amountMinor: 777_700, payerInn: '7799999990', payerName: 'ООО «Неизвестный плательщик»', purpose: 'Оплата за консультации по договору 8' },
      { number: '505', date: today, amountMinor: 500_000, payerInn: '7705000011', payerName: 'ООО «Канцтовары»', purpose: 'Оплата по счету 77', outgoing: true },
    ]
    file = { name: 'kl_to_1c.txt', mimeType: 'text/plain', buffer: Buffer.from(encodeWindows1251(buildStatement1C(lines))) }
  })
  afterAll(async () => t?.close())

  async function openBankTab(lang: 'ru' | 'en', viewport?: { width: number, height: number }): Promise<{ page: Page, frame: FrameLocator }> {
    const page = await t.open(`/marketplace/app/?user=1&lang=${lang}`, viewport ?? { width: 1280, height: 1600 })
    const frame = appFrame(page)
    await frame.locator('[data-testid="app-page-tabs"]').waitFor({ timeout: 60_000 })
    await frame.getByRole('tab', { name: lang === 'ru' ? 'Выписка' : 'Bank statement' }).click()
    await frame.locator('[data-testid="bank-file-input"]').waitFor({ state: 'attached', timeout: 30_000 })
    return { page, frame }
  }

  async function upload(frame: FrameLocator): Promise<void> {
    await frame.locator('[data-testid="bank-file-input"]').setInputFiles(file)
    await frame.locator('[data-testid="bank-summary"]').waitFor({ timeout: 60_000 })
  }

  const statuses = (frame: FrameLocator) => frame.locator('[data-testid="bank-match"]').evaluateAll(cards => cards.map(card => card.getAttribute('data-status')))

  it('matches the statement, records the chosen payments, and importing the same file again records nothing', async () => {
    const { page, frame } = await openBankTab('ru')
    await upload(frame)
    expect(await statuses(frame)).toEqual(['matched', 'matched', 'matched', 'unmatched'])
    const confidences = await frame.locator('[data-testid="bank-confidence"]').allInnerTexts()
    expect(confidences).toEqual(['Точно', 'Вероятно', 'Точно', 'Счёт не найден'])
    expect(await frame.locator('[data-testid="bank-match"]').nth(1).locator('[data-testid="bank-reasons"]').innerText()).toContain('частичная оплата')
    expect(await frame.locator('[data-testid="bank-summary"]').innerText()).toContain('списаний пропущено 1')
    expect(timelineWrites()).toBe(0)
    await page.screenshot({ path: `${ARTIFACTS}/bank-import-review-ru.png`, fullPage: true })

    await frame.locator('[data-testid="bank-record"]').dblclick()
    await frame.locator('[data-testid="bank-result"]').waitFor({ timeout: 60_000 })
    expect(await frame.locator('[data-testid="bank-result"]').innerText()).toContain('Проведено платежей: 3; счетов оплачено полностью: 3, частично: 1; не проведено: 0')
    for (const item of [full, ...pair])
      expect(t.emulator.state.entities[31].byId.get(item.id)!.stageId).toBe('DT31_5:P')
    expect(t.emulator.state.entities[2].byId.get(Number(full.parentId2))!.stageId).toBe('WON')
    expect(t.emulator.state.entities[31].byId.get(part.id)!.stageId).toBe('DT31_5:S')
    expect(records(part.id)).toContainEqual(expect.objectContaining({ kind: 'payment', amountMinor: partMinor }))
    expect(await frame.locator('[data-testid="bank-outcome"]').allInnerTexts()).toEqual(['Оплачен', 'Оплачен частично', 'Оплачен', 'Оплачен'])
    await page.screenshot({ path: `${ARTIFACTS}/bank-import-recorded-ru.png`, fullPage: true })

    const written = timelineWrites()
    await upload(frame)
    expect(await statuses(frame)).toEqual(['recorded', 'recorded', 'recorded', 'unmatched'])
    expect(await frame.locator('[data-testid="bank-record"]').isDisabled()).toBe(true)
    await frame.locator('[data-testid="bank-record"]').click({ force: true })
    expect(timelineWrites()).toBe(written)
    await page.screenshot({ path: `${ARTIFACTS}/bank-import-again-ru.png`, fullPage: true })
  })

  it('works in English in a narrow slider: the unmatched payment can be assigned by hand, nothing scrolls sideways', async () => {
    const { page, frame } = await openBankTab('en', { width: 700, height: 1600 })
    // The host's chrome takes the rest: the app gets a frame of about 410 px, Bitrix24's narrowest slider.
    const width = Math.round((await page.locator('[data-testid="app-frame"]').boundingBox())!.width)
    expect(width).toBeGreaterThanOrEqual(400)
    expect(width).toBeLessThan(460)
    await upload(frame)
    const unmatched = frame.locator('[data-testid="bank-match"][data-status="unmatched"]')
    await unmatched.locator('[data-testid="bank-change"]').click()
    await unmatched.locator('[data-testid="bank-invoice-select"]').click()
    await frame.getByRole('option').nth(1).click()
    await unmatched.locator('[data-testid="bank-invoice-apply"]').click()
    const assigned = frame.locator('[data-testid="bank-match"]').nth(3)
    expect(await assigned.getAttribute('data-status')).toBe('matched')
    expect(await assigned.locator('[data-testid="bank-confidence"]').innerText()).toBe('Chosen by hand')
    expect(await frame.locator('[data-testid="bank-record"]').innerText()).toBe('Record selected (1)')
    await page.screenshot({ path: `${ARTIFACTS}/bank-import-en-narrow.png`, fullPage: true })
    const overflow = await frame.locator('body').evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(1)
  })

  it('warns when the statement is for an account not among our company\'s bank details, in a narrow slider', async () => {
    const { page, frame } = await openBankTab('ru', { width: 700, height: 1600 })
    const foreign = buildStatement1C([{ number: '601', date: '2026-03-02', amountMinor: 150_000, payerInn: '7799999990', payerName: 'ООО «Кто-то»', purpose: 'Оплата' }])
      .replaceAll(OUR_ACCOUNT, '40702810500000000777')
    await frame.locator('[data-testid="bank-file-input"]').setInputFiles({ ...file, name: 'other-company.txt', buffer: Buffer.from(encodeWindows1251(foreign)) })
    const alert = frame.locator('[data-testid="bank-accounts-foreign"]')
    await alert.waitFor({ timeout: 60_000 })
    expect(await alert.innerText()).toContain('40702810500000000777')
    await page.screenshot({ path: `${ARTIFACTS}/bank-import-foreign-account-ru-narrow.png`, fullPage: true })
    const overflow = await frame.locator('body').evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(1)
    // Our own statement: no warning.
    await upload(frame)
    expect(await frame.locator('[data-testid^="bank-accounts-"]').count()).toBe(0)
  })
})
