import type { FrameLocator } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import type { StatementLine } from '../fixtures/bank/statement-builder.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRecord } from '../../src/domain/collection/collection-record.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import { buildStatement1C } from '../fixtures/bank/statement-builder.ts'
import { encodeWindows1251 } from '../fixtures/bank/windows-1251.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

type Item = Record<string, unknown> & { id: number }

describe('the same statement recorded in two windows at once (Chromium, demo portal)', () => {
  let t: AppUnderTest
  let file: { name: string, mimeType: string, buffer: Buffer }
  let paid: Item[]

  const minor = (item: Item) => Math.round(Number(item.opportunity) * 100)
  const paymentRecords = (id: number) => t.emulator.state.journal
    .filter(e => e.kind === 'timeline' && JSON.stringify((e.details as { owner?: unknown }).owner) === JSON.stringify({ typeId: 31, id }))
    .map(e => parseRecord(String(e.details.text)))
    .filter(record => record?.kind === 'payment')

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    const base = defaultSettings()
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings({ ...base, deal: { ...base.deal, stageAfterPaid: 'WON' } }) } })
    const inn = new Map((t.emulator.state.requisites ?? []).filter(r => r.ENTITY_TYPE_ID === '4').map(r => [Number(r.ENTITY_ID), r.RQ_INN]))
    paid = t.emulator.state.entities[31].items.filter(i => i.stageId === 'DT31_5:S' && i.currencyId === 'RUB' && i.parentId2 && inn.has(Number(i.companyId))).slice(0, 3)
    const now = (await t.control.get<{ now: string }>('/emulator/clock')).now
    const today = new Date(Date.parse(now) + 3 * 3_600_000).toISOString().slice(0, 10)
    const lines: StatementLine[] = paid.map((item, n) => ({
      number: String(700 + n),
      date: today,
      amountMinor: minor(item),
      payerInn: inn.get(Number(item.companyId))!,
      payerName: 'ООО «Клиент»',
      purpose: `Оплата по счету № ${String(item.accountNumber)}`,
    }))
    file = { name: 'kl_to_1c.txt', mimeType: 'text/plain', buffer: Buffer.from(encodeWindows1251(buildStatement1C(lines))) }
  })
  afterAll(async () => t?.close())

  async function openWithStatement(): Promise<{ page: Awaited<ReturnType<AppUnderTest['open']>>, frame: FrameLocator }> {
    const page = await t.open('/marketplace/app/?user=1&lang=ru', { width: 1280, height: 1600 })
    const frame = appFrame(page)
    await frame.locator('[data-testid="app-page-tabs"]').waitFor({ timeout: 60_000 })
    await frame.getByRole('tab', { name: 'Выписка' }).click()
    await frame.locator('[data-testid="bank-file-input"]').setInputFiles(file)
    await frame.locator('[data-testid="bank-summary"]').waitFor({ timeout: 60_000 })
    return { page, frame }
  }

  it('records each payment once; one window says what it recorded, the other that another window records it', async () => {
    const [a, b] = [await openWithStatement(), await openWithStatement()]
    expect(paid).toHaveLength(3)
    await Promise.all([a.frame.locator('[data-testid="bank-record"]').click(), b.frame.locator('[data-testid="bank-record"]').click()])
    await Promise.all([a, b].map(w => w.frame.locator('[data-testid="bank-result"]').waitFor({ timeout: 60_000 })))

    for (const item of paid)
      expect(paymentRecords(item.id), `invoice ${item.id}`).toHaveLength(1)
    for (const item of paid)
      expect(t.emulator.state.entities[31].byId.get(item.id)!.stageId).toBe('DT31_5:P')
    const outcomes = await Promise.all([a, b].map(w => w.frame.locator('[data-testid="bank-outcome"]').allInnerTexts()))
    // Per line: one window recorded it, the other was told so.
    for (let line = 0; line < paid.length; line++)
      expect([outcomes[0]![line], outcomes[1]![line]].sort()).toEqual(['Оплачен', 'Проводится в другом окне'])
    const results = await Promise.all([a, b].map(w => w.frame.locator('[data-testid="bank-result"]').innerText()))
    const recorded = results.map(text => Number(/Проведено платежей: (\d+)/.exec(text)?.[1]))
    expect(recorded[0]! + recorded[1]!).toBe(paid.length)
    for (const [n, text] of results.entries()) {
      expect(text).toContain('не проведено: 0')
      if (recorded[n]! < paid.length)
        expect(text).toContain(`Проводятся в другом окне или другим пользователем: ${paid.length - recorded[n]!}`)
    }
    const facts = await Promise.all([a, b].map(w => w.frame.locator('[data-testid="bank-outcome-facts"]').allInnerTexts()))
    expect(facts.flat().filter(text => text.includes('платёж записан в историю счёта'))).toHaveLength(paid.length)
    await a.page.screenshot({ path: `${ARTIFACTS}/bank-import-two-windows-a.png`, fullPage: true })
    await b.page.screenshot({ path: `${ARTIFACTS}/bank-import-two-windows-b.png`, fullPage: true })
  })
})
