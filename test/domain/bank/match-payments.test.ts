import type { BankDocument } from '../../../src/domain/bank/bank-statement.ts'
import type { MatchContext, MatchInvoice, PaymentMatch } from '../../../src/domain/bank/match-payments.ts'
import { describe, expect, it } from 'vitest'
import { bankDocumentKey } from '../../../src/domain/bank/bank-document-key.ts'
import { invoiceReferences } from '../../../src/domain/bank/invoice-references.ts'
import { matchPayments } from '../../../src/domain/bank/match-payments.ts'
import { assignInvoices, assignableInvoices, statementTotals } from '../../../src/domain/bank/review-matches.ts'

const rub = (amountMinor: number) => ({ amountMinor, currency: 'RUB' })

let line = 0
/** A payment of `amount` roubles (whole roubles, for readable tables). */
function doc(amount: number, purpose: string, payerInn = '', extra: Partial<BankDocument> = {}): BankDocument {
  const number = String(++line)
  const date = extra.receivedOn ?? '2026-12-01'
  return {
    line, number, date, receivedOn: date, amount: rub(amount * 100), payerAccount: '', payerInn, payerName: 'Плательщик', recipientAccount: '40702810900000000001', purpose,
    key: bankDocumentKey({ recipientAccount: '40702810900000000001', date, number, amountMinor: amount * 100, payerInn }),
    ...extra,
  }
}

/** Invoice `id` numbered СЧ-000id of company `company` with `balance` roubles left. */
function inv(id: number, balance: number, company = 100 + id, extra: Partial<MatchInvoice> = {}): MatchInvoice {
  return { id, number: `СЧ-${String(id).padStart(5, '0')}`, clients: [`company:${company}`], balance: rub(balance * 100), open: true, dueDate: `2026-11-${String(id).padStart(2, '0')}`, payments: [], ...extra }
}

const ROMASHKA = '7701000026'
const context = (invoices: MatchInvoice[], inns: Record<string, string[]> = { [ROMASHKA]: ['company:7'] }): MatchContext => ({ invoices, clientsByInn: new Map(Object.entries(inns)) })
const brief = (m: PaymentMatch) => ({
  status: m.status,
  confidence: m.confidence,
  to: m.allocations.map(a => `${a.invoiceId}:${a.amount.amountMinor / 100}${a.full ? '' : ' part'}`),
  over: m.overpayment ? m.overpayment.amountMinor / 100 : null,
  reasons: m.reasons,
})

describe('domain/bank/invoiceReferences', () => {
  it.each([
    ['Оплата по счету № СЧ-00012 от 14.11.2026', ['12']],
    ['Оплата по счёту №12 за услуги. Сумма 1200.00', ['12']],
    ['Оплата сч. 15, 16 за обучение', ['15', '16']],
    ['по счетам №№ 15 и 16, НДС 20% 2500.00', ['15', '16']],
    ['Invoice #0042 payment', ['42']],
    ['Оплата по договору № 45 от 01.11.2026', []],
    ['расчет по сч 7; 8', ['7', '8']],
    ['расчетный счет 40702810900000000001', ['40702810900000000001'.slice(-12).replace(/^0+/, '')].filter(() => false)],
  ])('finds the invoice digits in %j', (purpose, digits) => {
    expect(invoiceReferences(purpose).digits).toEqual(digits)
  })
})

describe('domain/bank/matchPayments', () => {
  const invoices = [inv(12, 12_000, 7), inv(15, 10_000, 9), inv(16, 5_000, 9), inv(20, 9_000, 7), inv(21, 9_000, 7), inv(30, 3_000, 8)]

  it.each<[string, BankDocument, ReturnType<typeof brief>]>([
    ['number and amount: high', doc(12_000, 'Оплата по счету № СЧ-00012 от 14.11.2026', ROMASHKA),
      { status: 'matched', confidence: 'high', to: ['12:12000'], over: null, reasons: ['number', 'amount', 'inn'] }],
    ['the number as the portal writes it, without an "invoice" word', doc(12_000, 'Оплата СЧ-00012. НДС не облагается'),
      { status: 'matched', confidence: 'high', to: ['12:12000'], over: null, reasons: ['number', 'amount'] }],
    ['number, less than the balance: medium, a part payment', doc(5_000, 'Частичная оплата по счёту 12', ROMASHKA),
      { status: 'matched', confidence: 'medium', to: ['12:5000 part'], over: null, reasons: ['number', 'inn', 'partial'] }],
    ['number, more than the balance: medium, overpayment flagged', doc(13_000, 'Оплата сч. 12'),
      { status: 'matched', confidence: 'medium', to: ['12:12000'], over: 1_000, reasons: ['number', 'overpayment'] }],
    ['several numbers that add up: high, one payment for two invoices', doc(15_000, 'Оплата сч. 15, 16 за обучение'),
      { status: 'matched', confidence: 'high', to: ['15:10000', '16:5000'], over: null, reasons: ['number', 'amount', 'severalInvoices'] }],
    ['several numbers, not enough for both: the first in full, the second in part', doc(12_000, 'Оплата по счетам 15 и 16'),
      { status: 'matched', confidence: 'medium', to: ['15:10000', '16:2000 part'], over: null, reasons: ['number', 'severalInvoices', 'partial'] }],
    ['number and amount, but the payer\'s INN is another client\'s: medium', doc(3_000, 'Оплата по счету 30', ROMASHKA),
      { status: 'matched', confidence: 'medium', to: ['30:3000'], over: null, reasons: ['number', 'amount', 'innOther'] }],
    ['INN and the amount of one open invoice: medium', doc(9_000, 'Оплата за услуги', ROMASHKA),
      { status: 'matched', confidence: 'medium', to: ['20:9000'], over: null, reasons: ['inn', 'amount'] }],
    ['INN and the amount of all open invoices together: medium', doc(30_000, 'Оплата по договору', ROMASHKA),
      { status: 'matched', confidence: 'medium', to: ['12:12000', '20:9000', '21:9000'], over: null, reasons: ['inn', 'amount', 'severalInvoices'] }],
    ['INN only: low, the oldest open invoices first', doc(15_000, 'Оплата по договору', ROMASHKA),
      { status: 'matched', confidence: 'low', to: ['12:12000', '20:3000 part'], over: null, reasons: ['inn', 'oldestFirst', 'partial'] }],
    ['INN only, more than everything open: low with the overpayment', doc(40_000, 'Аванс', ROMASHKA),
      { status: 'matched', confidence: 'low', to: ['12:12000', '20:9000', '21:9000'], over: 10_000, reasons: ['inn', 'oldestFirst', 'overpayment'] }],
    ['unknown payer, no number: unmatched', doc(9_000, 'Оплата за услуги', '7799999999'),
      { status: 'unmatched', confidence: null, to: [], over: null, reasons: ['unknownPayer'] }],
    ['a number of no open invoice, unknown payer: unmatched', doc(500, 'Оплата по счету 999'),
      { status: 'unmatched', confidence: null, to: [], over: null, reasons: ['unknownPayer'] }],
  ])('%s', (_name, document, expected) => {
    expect(brief(matchPayments([document], context(invoices))[0]!)).toEqual(expected)
  })

  it('says the invoice a number names is closed, rather than guessing another', () => {
    const [match] = matchPayments([doc(12_000, 'Оплата по счету СЧ-00012', ROMASHKA)], context([inv(12, 12_000, 7, { open: false }), inv(20, 12_000, 7)]))
    expect(brief(match!)).toEqual({ status: 'unmatched', confidence: null, to: [], over: null, reasons: ['number', 'numberClosed'] })
  })

  it('does not pay an invoice in another currency', () => {
    const [match] = matchPayments([doc(100, 'Оплата по счету СЧ-00012')], context([inv(12, 100, 7, { balance: { amountMinor: 10_000, currency: 'USD' } })]))
    expect(match!.reasons).toEqual(['number', 'otherCurrency'])
  })

  it('reads a bare number of several invoices as ambiguous, unless the payer\'s INN tells which', () => {
    const twins = [inv(1, 100, 7, { number: '5' }), inv(2, 100, 8, { number: 'Б-5' })]
    expect(matchPayments([doc(100, 'оплата счет 5')], context(twins))[0]!.reasons).toEqual(['ambiguousNumber', 'unknownPayer'])
    expect(matchPayments([doc(100, 'оплата счет 5', ROMASHKA)], context(twins))[0]!.allocations.map(a => a.invoiceId)).toEqual([1])
  })

  it('pays an invoice in parts across the statement, in the order the money came in, and flags what exceeds the balance', () => {
    const later = doc(8_000, 'Оплата сч 12, вторая часть', '', { receivedOn: '2026-12-03' })
    const earlier = doc(5_000, 'Оплата сч 12, первая часть', '', { receivedOn: '2026-12-02' })
    const [second, first] = matchPayments([later, earlier], context([inv(12, 12_000, 7)])).map(brief)
    expect(first).toMatchObject({ to: ['12:5000 part'] })
    expect(second).toMatchObject({ to: ['12:7000'], over: 1_000 })
  })

  it('finds a document recorded before by its bank key, even on a paid invoice, and leaves the balance alone', () => {
    const document = doc(12_000, 'Оплата по счету СЧ-00012', ROMASHKA)
    const paid = inv(12, 0, 7, { open: false, payments: [{ logId: 5, amount: rub(1_200_000), paidOn: '2026-12-01', bankRef: document.key }] })
    const [match] = matchPayments([document], context([paid]))
    expect(match).toMatchObject({ status: 'recorded', recordedOn: [12], reasons: ['recordedByRef'], allocations: [] })
  })

  it('matches only what is left of a payment for several invoices when an earlier import recorded part of it', () => {
    const document = doc(15_000, 'Оплата по счетам СЧ-00012, СЧ-00013', ROMASHKA)
    const done = inv(12, 0, 7, { open: false, payments: [{ logId: 5, amount: rub(1_000_000), paidOn: '2026-12-01', bankRef: document.key }] })
    const [match] = matchPayments([document], context([done, inv(13, 5_000, 7)]))
    expect(match).toMatchObject({ status: 'matched', recordedOn: [12], document: { amount: rub(1_500_000) } })
    expect(match!.reasons[0]).toBe('partlyRecorded')
    expect(match!.allocations.map(a => [a.invoiceId, a.amount.amountMinor])).toEqual([[13, 500_000]])
  })

  it('takes a payment recorded by hand on the same day for the same amount as this document, once', () => {
    const hand = { logId: 9, amount: rub(500_000), paidOn: '2026-12-01' }
    const invoice = inv(12, 7_000, 7, { payments: [hand] })
    const [a, b] = matchPayments([doc(5_000, 'Оплата по счету 12'), doc(5_000, 'Оплата по счету 12, ещё')], context([invoice]))
    expect(a).toMatchObject({ status: 'recorded', reasons: ['recordedSameDay'], recordedOn: [12] })
    expect(brief(b!)).toMatchObject({ status: 'matched', to: ['12:5000 part'] })
  })

  it('returns one match per document in the documents\' order', () => {
    const documents = [doc(1, 'x'), doc(12_000, 'сч 12'), doc(2, 'y')]
    expect(matchPayments(documents, context(invoices)).map(m => m.document)).toEqual(documents)
  })
})

describe('domain/bank/review-matches', () => {
  const invoices = [inv(12, 12_000, 7), inv(20, 9_000, 7), inv(30, 3_000, 8)]

  it('assigns a payment to the invoices the accountant chose, within what the other matches left', () => {
    const matches = matchPayments([doc(5_000, 'сч 12'), doc(9_000, 'за услуги')], context(invoices, {}))
    expect(matches[1]!.status).toBe('unmatched')
    const assigned = assignInvoices(matches, 1, [12, 30], invoices)
    expect(brief(assigned)).toEqual({ status: 'matched', confidence: 'manual', to: ['12:7000', '30:2000 part'], over: null, reasons: ['manual', 'partial'] })
    expect(assignInvoices(matches, 1, [], invoices)).toMatchObject({ status: 'unmatched', allocations: [] })
  })

  it('offers the payer\'s open invoices first', () => {
    const [match] = matchPayments([doc(100, 'x', ROMASHKA)], context(invoices))
    expect(assignableInvoices(match!, [...invoices, inv(40, 0, 7)], ['company:8']).map(i => i.id)).toEqual([30, 12, 20])
  })

  it('totals the statement', () => {
    const matches = matchPayments([doc(5_000, 'сч 12'), doc(9_000, 'за услуги')], context(invoices, {}))
    expect(statementTotals(matches)).toEqual({ matched: 1, unmatched: 1, recorded: 0, incomingMinor: 1_400_000, allocatedMinor: 500_000 })
  })
})
