import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import type { StatementLine } from '../fixtures/bank/statement-builder.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeStatement } from '../../src/domain/bank/decode-statement.ts'
import { parse1CStatement } from '../../src/domain/bank/parse-1c-statement.ts'
import { parseRecord } from '../../src/domain/collection/collection-record.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { applyCsvMapping, openStatementFile, prepareBankImport, recordBankPayments } from '../../src/flows/bank-import.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'
import { buildStatement1C } from '../fixtures/bank/statement-builder.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'
import { encodeWindows1251 } from '../fixtures/bank/windows-1251.ts'

const settings: InvoiceDeskSettings = (() => {
  const base = defaultSettings()
  return { ...base, deal: { ...base.deal, stageAfterPaid: 'WON' } }
})()

describe('flows/bank-import against the demo portal, through the SDK', () => {
  let emulator: RunningEmulator
  let caCertificate: string
  let today: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off' })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
    today = new Date(emulator.engine.clock.now() + 3 * 3_600_000).toISOString().slice(0, 10)
  })
  afterAll(() => emulator.close())

  const portal = () => connectWithWebhook(emulator.webhookUrl, { caCertificate })
  const item = (typeId: 2 | 31, id: number) => emulator.state.entities[typeId].byId.get(id)!
  const minor = (id: number) => Math.round(Number(item(31, id).opportunity) * 100)
  const innOf = (companyId: number) => emulator.state.requisites!.find(r => r.ENTITY_TYPE_ID === '4' && Number(r.ENTITY_ID) === companyId)!.RQ_INN
  const records = (id: number) => emulator.state.journal
    .filter(e => e.kind === 'timeline' && (e.details.owner as { typeId: number, id: number }).typeId === 31 && (e.details.owner as { id: number }).id === id)
    .map(e => parseRecord(String(e.details.text)))
  const timelineWrites = () => emulator.state.journal.filter(e => e.kind === 'timeline').length

  /** A Windows-1251 statement made of the demo's real open invoices, read the way the page reads an upload. */
  function statement() {
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
    const company = (invoiceId: number) => Number(item(31, invoiceId).companyId)
    const lines: StatementLine[] = [
      { number: '101', date: yesterday, amountMinor: minor(1), payerInn: innOf(company(1)), payerName: 'ООО «Медиа Групп»', purpose: `Оплата по счету № ${String(item(31, 1).accountNumber)} от ${yesterday}` },
      { number: '102', date: yesterday, amountMinor: 4_000_000, payerInn: innOf(company(53)), payerName: 'ИП Соколова Е. Н.', purpose: 'Частичная оплата сч. 53, НДС не облагается' },
      { number: '103', date: today, amountMinor: minor(47), payerInn: innOf(company(47)), payerName: 'АО «ВолгаЭнерго»', purpose: 'Оплата по договору, НДС 20%' },
      { number: '104', date: today, amountMinor: minor(2) + minor(3), payerInn: innOf(company(2)), payerName: 'ООО «Медиа Групп»', purpose: `Оплата по счетам ${String(item(31, 2).accountNumber)}, ${String(item(31, 3).accountNumber)}` },
      { number: '105', date: today, amountMinor: 150_000, payerInn: '7799999990', payerName: 'ООО «Неизвестно»', purpose: 'Оплата за консультации' },
      { number: '106', date: today, amountMinor: 500_000, payerInn: '7705000011', payerName: 'ООО «Канцтовары»', purpose: 'Оплата по счету 77', outgoing: true },
    ]
    const { text, encoding } = decodeStatement(encodeWindows1251(buildStatement1C(lines)))
    return parse1CStatement(text, encoding)
  }

  it('proposes matches with their confidence, records them through recordPayment, and a second import of the same file records nothing', async () => {
    const parsed = statement()
    expect([parsed.encoding, parsed.incoming.length, parsed.outgoingCount, parsed.problems]).toEqual(['windows-1251', 5, 1, []])

    const client = portal()
    const prep = await prepareBankImport(client, parsed)
    // clock + pipelines + requisites, stages, open and paid invoices, the candidates' records.
    expect(client.roundTrips()).toBe(4)
    expect(prep.today).toBe(today)
    expect(prep.matches.map(m => [m.document.number, m.status, m.confidence, m.allocations.map(a => [a.invoiceId, a.amount.amountMinor, a.full])])).toEqual([
      ['101', 'matched', 'high', [[1, minor(1), true]]],
      ['102', 'matched', 'medium', [[53, 4_000_000, false]]],
      ['103', 'matched', 'medium', [[47, minor(47), true]]],
      ['104', 'matched', 'high', [[2, minor(2), true], [3, minor(3), true]]],
      ['105', 'unmatched', null, []],
    ])
    expect(prep.matches[3]!.reasons).toEqual(['number', 'amount', 'inn', 'severalInvoices'])

    const outcomes = await recordBankPayments(client, prep.matches, { stages: prep.stages, settings, env: { today: prep.today, locale: 'ru' } })
    expect(outcomes.map(o => o.outcomes.map(a => a.status))).toEqual([['paid'], ['partial'], ['paid'], ['paid', 'paid']])
    for (const id of [1, 2, 3, 47])
      expect(item(31, id).stageId).toBe('DT31_5:P')
    expect(item(31, 53).stageId).toBe('DT31_5:S')
    expect(item(2, 1).stageId).toBe('WON')
    expect(item(2, 25).stageId).toBe('WON')
    expect(records(53)).toContainEqual(expect.objectContaining({ kind: 'payment', amountMinor: 4_000_000, paidOn: parsed.incoming[1]!.receivedOn }))

    const written = timelineWrites()
    const again = await prepareBankImport(portal(), statement())
    expect(again.matches.map(m => [m.document.number, m.status])).toEqual([['101', 'recorded'], ['102', 'recorded'], ['103', 'recorded'], ['104', 'recorded'], ['105', 'unmatched']])
    expect(again.matches[3]!.recordedOn).toEqual([2, 3])
    expect(await recordBankPayments(portal(), again.matches, { stages: again.stages, settings, env: { today: again.today, locale: 'ru' } })).toEqual([])
    expect(timelineWrites()).toBe(written)
  })
})

describe('flows/bank-import: opening a file', () => {
  const csv = 'Дата;Номер;Приход;ИНН плательщика;Плательщик;Назначение платежа\n01.12.2026;7;1500,00;7701000026;ООО «Ромашка»;Оплата сч. 12\n'
  const bytes = new TextEncoder().encode(csv)

  it('offers a CSV with a guessed mapping, remembers the one applied for this user, and offers it next time', async () => {
    const options: Record<string, unknown> = {}
    const { client, requests } = createFakePortalClient({
      'user.option.get': params => ({ result: options[String(params.option)] ?? null }),
      'user.option.set': (params) => {
        Object.assign(options, params.options)
        return { result: true }
      },
    })
    const first = await openStatementFile(client, bytes)
    expect(first).toMatchObject({ kind: 'csv', encoding: 'utf-8', remembered: false, mapping: { date: 'Дата', number: 'Номер', amount: 'Приход', purpose: 'Назначение платежа' } })
    if (first.kind !== 'csv')
      throw new Error('not a CSV')
    const fixed = { ...first.mapping, payerName: 'Плательщик' }
    const statement = await applyCsvMapping(client, first, fixed)
    expect(statement.incoming.map(d => [d.number, d.amount.amountMinor, d.payerInn])).toEqual([['7', 150_000, '7701000026']])
    expect(requests.map(r => r.calls[0]!.method)).toEqual(['user.option.get', 'user.option.set'])
    expect(await openStatementFile(client, bytes)).toMatchObject({ kind: 'csv', remembered: true, mapping: fixed })
  })

  it('reads a 1C file without asking the portal anything, and calls anything else not a statement', async () => {
    const { client, requests } = createFakePortalClient({})
    const opened = await openStatementFile(client, encodeWindows1251('1CClientBankExchange\r\nКодировка=Windows\r\nКонецФайла\r\n'))
    expect(opened).toMatchObject({ kind: 'statement', statement: { encoding: 'windows-1251', problems: [] } })
    expect(await openStatementFile(client, new TextEncoder().encode('hello'))).toMatchObject({ kind: 'statement', statement: { problems: [{ code: 'notStatement' }] } })
    expect(requests).toHaveLength(0)
  })

  it('calls a renamed ZIP with `;` in its bytes no statement instead of offering a CSV mapping of garbled names', async () => {
    const { client, requests } = createFakePortalClient({})
    const zip = new Uint8Array([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x08, 0x00, ...new TextEncoder().encode('a;b;c;d\nx;y;z;w\n')])
    expect(await openStatementFile(client, zip)).toMatchObject({ kind: 'statement', statement: { incoming: [], problems: [{ code: 'notStatement' }] } })
    const upper = new TextEncoder().encode('1CCLIENTBANKEXCHANGE\r\nКОДИРОВКА=UTF-8\r\nКОНЕЦФАЙЛА\r\n')
    expect(await openStatementFile(client, upper)).toMatchObject({ kind: 'statement', statement: { format: '1c', problems: [] } })
    expect(requests).toHaveLength(0)
  })
})
