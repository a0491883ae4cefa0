/**
 * A bank statement of N incoming payments in Windows-1251 (1C exchange format) against N open
 * invoices of 500 clients, with every way of matching in the mix: a number, several numbers, a
 * part payment, INN and amount, an unknown payer.
 */
import { decodeStatement } from '../../src/domain/bank/decode-statement.ts'
import { matchPayments } from '../../src/domain/bank/match-payments.ts'
import { parse1CStatement } from '../../src/domain/bank/parse-1c-statement.ts'
import { buildStatement1C, encodeWindows1251 } from '#emulator'

type Invoices = Parameters<typeof matchPayments>[1]['invoices']

export interface StatementLoad {
  readonly bytes: Uint8Array
  readonly invoices: Invoices
  readonly clientsByInn: ReadonlyMap<string, string[]>
}

const innOf = (client: number) => `77${String(10_000_000 + client).slice(-8)}`

export function statementOf(count: number): StatementLoad {
  const invoices = Array.from({ length: count }, (_, i) => ({
    id: i + 1, number: `СЧ-${String(i + 1).padStart(6, '0')}`, clients: [`company:${i % 500}`], balance: { amountMinor: 100_000 + (i % 97) * 1_000, currency: 'RUB' },
    open: true, dueDate: `2026-${String(1 + (i % 12)).padStart(2, '0')}-15`, payments: [],
  }))
  const purposes = [
    (i: number) => `Оплата по счету № СЧ-${String(i + 1).padStart(6, '0')} от 01.11.2026. В т.ч. НДС 20%`,
    (i: number) => `Оплата сч. ${i + 1}, ${i + 2} за услуги`,
    (i: number) => `Частичная оплата по счёту ${i + 1}`,
    () => 'Оплата по договору поставки, НДС не облагается',
  ]
  const lines = invoices.map((invoice, i) => ({
    number: String(1000 + i), date: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}`,
    amountMinor: i % 4 === 2 ? 50_000 : invoice.balance.amountMinor, payerInn: i % 10 === 9 ? '7799999990' : innOf(i % 500), payerName: 'ООО «Плательщик»',
    purpose: purposes[i % 4]!(i),
  }))
  const bytes = encodeWindows1251(buildStatement1C(lines))
  return { bytes, invoices: invoices as unknown as Invoices, clientsByInn: new Map(Array.from({ length: 500 }, (_, c) => [innOf(c), [`company:${c}`]])) }
}

export function runBankImport(load: StatementLoad) {
  const { text, encoding } = decodeStatement(load.bytes)
  const statement = parse1CStatement(text, encoding)
  return { statement, matches: matchPayments(statement.incoming, { invoices: load.invoices, clientsByInn: load.clientsByInn }) }
}
