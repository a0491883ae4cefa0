// A statement's payment names an invoice paid before the statement began by its digits only
// («Оплата по счёту № 10», «сч. 10»), as many payers write it: the import finds it all the same
// (the spellings the portal's numbering gives those digits, or the id), within the round trips of
// a full number, and says it is paid — but only when it is the payer's: another client's paid
// invoice with those digits is an ambiguous number, never «already paid».
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

describe('flows/bank-import: a purpose naming a paid invoice by its digits only', () => {
  let emulator: RunningEmulator
  let caCertificate: string
  let yesterday: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off' })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
    const today = new Date(emulator.engine.clock.now() + 3 * 3_600_000).toISOString().slice(0, 10)
    yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
  })
  afterAll(() => emulator.close())

  const invoices = () => [...emulator.state.entities[31].byId.values()]
  const innOf = (companyId: number) => emulator.state.requisites!.find(r => r.ENTITY_TYPE_ID === '4' && Number(r.ENTITY_ID) === companyId)?.RQ_INN

  /** Two open invoices of one company with requisites, and another company with requisites. */
  function setup() {
    const open = invoices().filter(i => !/:(?:P|D)$/.test(String(i.stageId)) && i.companyId && innOf(Number(i.companyId)))
    const byCompany = new Map<number, typeof open>()
    open.forEach(i => byCompany.set(Number(i.companyId), [...byCompany.get(Number(i.companyId)) ?? [], i]))
    const [company, pair] = [...byCompany].find(([, list]) => list.length >= 2)!
    const stranger = [...byCompany.keys()].find(id => id !== company && innOf(id) !== innOf(company))!
    return { company, inn: innOf(company)!, strangerInn: innOf(stranger)!, paid: pair[0]!, other: pair[1]! }
  }

  /** Paid a month ago: before the statement's first day, so not among the invoices the import reads anyway. */
  function payLongAgo(invoice: ReturnType<typeof setup>['paid']) {
    invoice.stageId = 'DT31_5:P'
    invoice.movedTime = '2026-10-01T10:00:00+03:00'
  }

  async function prepare(payerInn: string, amountMinor: number, purpose: string) {
    const { text, encoding } = decodeStatement(encodeWindows1251(buildStatement1C([
      { number: '301', date: yesterday, amountMinor, payerInn, payerName: 'Плательщик', purpose },
    ])))
    const client = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    const prep = await prepareBankImport(client, parse1CStatement(text, encoding))
    return { prep, match: prep.matches[0]!, roundTrips: client.roundTrips() }
  }

  it('«№ 10» and «сч. 10» find the payer\'s paid invoice СЧ-00010 as «№ СЧ-00010» does, in as many round trips', async () => {
    const { inn, paid, other } = setup()
    payLongAgo(paid)
    const amount = Math.round(Number(other.opportunity) * 100)
    const full = await prepare(inn, amount, `Оплата по счёту ${String(paid.accountNumber)}`)
    expect(full.match.reasons).toEqual(['number', 'numberClosed'])
    for (const purpose of [`Оплата по счёту № ${paid.id}`, `Оплата сч. ${paid.id} за услуги`, `Оплата по счету №${paid.id} от 01.10.2026`]) {
      const digits = await prepare(inn, amount, purpose)
      expect(digits.match.status, purpose).toBe('unmatched')
      expect(digits.match.allocations).toEqual([])
      expect(digits.match.reasons).toEqual(['number', 'numberClosed'])
      expect(digits.match.closedNamed).toEqual([Number(paid.id)])
      expect(digits.prep.invoices.find(i => i.id === Number(paid.id))).toMatchObject({ number: String(paid.accountNumber), open: false })
      expect(digits.roundTrips).toBe(full.roundTrips)
    }
  })

  it('finds it by the portal\'s spelling when its number is not its id (`СЧ-00907` named «№ 907»)', async () => {
    const { inn, paid, other } = setup()
    payLongAgo(paid)
    const taken = new Set(invoices().map(i => Number(i.id)))
    const digits = [907, 908, 909, 7907].find(n => !taken.has(n))!
    paid.accountNumber = `СЧ-${String(digits).padStart(5, '0')}`
    const { match } = await prepare(inn, Math.round(Number(other.opportunity) * 100), `Оплата по счёту № ${digits}`)
    expect(match.reasons).toEqual(['number', 'numberClosed'])
    expect(match.closedNamed).toEqual([Number(paid.id)])
  })

  it('finds it by its id when its number is the id under a prefix no invoice read shows (`Б-<id>` named «№ <id>»)', async () => {
    const { inn, paid, other } = setup()
    payLongAgo(paid)
    paid.accountNumber = `Б-${paid.id}`
    const { match } = await prepare(inn, Math.round(Number(other.opportunity) * 100), `Оплата по счёту № ${paid.id}`)
    expect(match.reasons).toEqual(['number', 'numberClosed'])
    expect(match.closedNamed).toEqual([Number(paid.id)])
  })

  it('another client\'s paid invoice with those digits is an ambiguous number, not «already paid»', async () => {
    const { strangerInn, paid } = setup()
    payLongAgo(paid)
    const { match } = await prepare(strangerInn, 123_45, `Оплата по счёту № ${paid.id}`)
    expect(match.reasons).not.toContain('numberClosed')
    expect(match.reasons).toContain('ambiguousNumber')
    expect(match.closedNamed).toBeUndefined()
    expect(match.allocations.map(a => a.invoiceId)).not.toContain(Number(paid.id))
    if (match.status === 'matched')
      expect(match.confidence).toBe('low')
  })
})
