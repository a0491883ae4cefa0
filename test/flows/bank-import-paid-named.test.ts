// A statement's payment names an invoice paid before the statement began (so not among the invoices
// the import reads): the import looks the number up, says it is paid, and does not match the
// payment by the payer's INN to another open invoice of that client.
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeStatement } from '../../src/domain/bank/decode-statement.ts'
import { parse1CStatement } from '../../src/domain/bank/parse-1c-statement.ts'
import { prepareBankImport } from '../../src/flows/bank-import.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'
import { buildStatement1C } from '../fixtures/bank/statement-builder.ts'
import { encodeWindows1251 } from '../fixtures/bank/windows-1251.ts'

describe('flows/bank-import: a purpose naming an invoice paid before the statement', () => {
  let emulator: RunningEmulator
  let caCertificate: string
  let today: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off' })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
    today = new Date(emulator.engine.clock.now() + 3 * 3_600_000).toISOString().slice(0, 10)
  })
  afterAll(() => emulator.close())

  it('the card\'s match says which invoice is paid; no other invoice of the client is taken by INN', async () => {
    const invoices = [...emulator.state.entities[31].byId.values()]
    const open = invoices.filter(i => !/:(?:P|D)$/.test(String(i.stageId)) && i.companyId)
    const byCompany = new Map<number, typeof open>()
    open.forEach(i => byCompany.set(Number(i.companyId), [...byCompany.get(Number(i.companyId)) ?? [], i]))
    const [company, pair] = [...byCompany].find(([id, list]) => list.length >= 2 && emulator.state.requisites!.some(r => r.ENTITY_TYPE_ID === '4' && Number(r.ENTITY_ID) === id))!
    const inn = emulator.state.requisites!.find(r => r.ENTITY_TYPE_ID === '4' && Number(r.ENTITY_ID) === company)!.RQ_INN
    const [paid, other] = pair
    // Paid a month ago: before the statement's first day, so not among the "recently paid".
    paid!.stageId = 'DT31_5:P'
    paid!.movedTime = '2026-10-01T10:00:00+03:00'
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
    const { text, encoding } = decodeStatement(encodeWindows1251(buildStatement1C([
      { number: '201', date: yesterday, amountMinor: Math.round(Number(other!.opportunity) * 100), payerInn: inn, payerName: 'Плательщик', purpose: `Оплата по счёту ${String(paid!.accountNumber)}` },
    ])))
    const prep = await prepareBankImport(connectWithWebhook(emulator.webhookUrl, { caCertificate }), parse1CStatement(text, encoding))
    const [match] = prep.matches
    expect(match!.status).toBe('unmatched')
    expect(match!.allocations).toEqual([])
    expect(match!.reasons).toEqual(['number', 'numberClosed'])
    expect(match!.closedNamed).toEqual([Number(paid!.id)])
    expect(prep.invoices.find(i => i.id === Number(paid!.id))).toMatchObject({ number: String(paid!.accountNumber), open: false })
  })
})
