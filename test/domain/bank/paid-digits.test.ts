// A purpose naming a paid invoice by its digits only («счёт № 10»): the spellings the lookup asks the
// portal for, which found invoices the purposes name, and how the matcher reads a closed invoice the
// digits fit — the payer's: «already paid»; another client's: an ambiguous number, never «already paid».
import type { BankDocument } from '../../../src/domain/bank/bank-statement.ts'
import type { MatchCandidates, MatchContext, MatchInvoice, PaymentMatch } from '../../../src/domain/bank/match-payments.ts'
import { describe, expect, it } from 'vitest'
import { bankDocumentKey } from '../../../src/domain/bank/bank-document-key.ts'
import { matchCandidates, matchPayments } from '../../../src/domain/bank/match-payments.ts'
import { namedByCandidates, paidLookup } from '../../../src/domain/bank/paid-lookup.ts'

const rub = (amountMinor: number) => ({ amountMinor, currency: 'RUB' })
const ROMASHKA = '7701000026'
const UNKNOWN = '7799999990'

function doc(amount: number, purpose: string, payerInn = ROMASHKA): BankDocument {
  const date = '2026-12-01'
  return {
    line: 1, number: '1', date, receivedOn: date, amount: rub(amount * 100), payerAccount: '', payerInn, payerName: 'Плательщик', recipientAccount: '40702810900000000001', purpose,
    key: bankDocumentKey({ recipientAccount: '40702810900000000001', date, number: '1', amountMinor: amount * 100, payerInn }),
  }
}

/** Invoice `id` numbered `number` of company `company` (Ромашка is company 7), open with `balance` roubles or closed. */
function inv(id: number, number: string, company: number, open: boolean, balance = 1000): MatchInvoice {
  return { id, number, clients: [`company:${company}`], balance: rub(balance * 100), open, dueDate: '2026-11-20', payments: [] }
}

const context = (invoices: MatchInvoice[]): MatchContext => ({ invoices, clientsByInn: new Map([[ROMASHKA, ['company:7']]]) })
const candidates = (unknownDigits: string[], unknownNumbers: string[] = []): MatchCandidates => ({ invoiceIds: [], unknownNumbers, unknownDigits })
const brief = (m: PaymentMatch) => ({ status: m.status, confidence: m.confidence, to: m.allocations.map(a => a.invoiceId), reasons: m.reasons, closedNamed: m.closedNamed })

describe('domain/bank/paid-lookup: the spellings of digits the purposes name', () => {
  it.each([
    ['a padded prefix numbering', ['СЧ-00012', 'СЧ-00013'], '10', ['10', 'СЧ-00010']],
    ['an unpadded prefix', ['INV-12'], '10', ['10', 'INV-10']],
    ['a counter after the year', ['2026/12'], '10', ['10', '2026/10']],
    ['a suffix after the counter', ['12-К'], '10', ['10', '10-К']],
    ['numbers that are the ids', ['12', '13'], '10', ['10']],
    ['no invoice read', [], '10', ['10']],
    ['digits longer than the padding', ['СЧ-00012'], '123456', ['123456', 'СЧ-123456']],
    ['two numberings, the more frequent first', ['Б-7', 'СЧ-00012', 'СЧ-00013'], '10', ['10', 'СЧ-00010', 'Б-10']],
    ['numbers without digits are no shape', ['без номера'], '10', ['10']],
  ])('%s: %j gives %s the spellings %j', (_name, known, digits, spellings) => {
    expect(paidLookup(candidates([digits]), known).accountNumbers).toEqual(spellings)
  })

  it('asks for the numbers named in full as they are, and for the digits as ids too (32-bit ids only)', () => {
    expect(paidLookup(candidates(['10', '99999999999'], ['СЧ-00077']), ['СЧ-00012'])).toEqual({
      accountNumbers: ['СЧ-00077', '10', 'СЧ-00010', '99999999999', 'СЧ-99999999999'],
      ids: [10],
    })
    expect(paidLookup(candidates([]), ['СЧ-00012'])).toEqual({ accountNumbers: [], ids: [] })
  })

  it.each([
    ['СЧ-00010', ['10'], [], true],
    ['Б-10', ['10'], [], true],
    ['СЧ-00011', ['10'], [], false],
    ['СЧ-00010', [], ['СЧ-00010'], true],
    ['', ['10'], [], false],
  ])('found invoice %j is named by digits %j / numbers %j: %s', (number, digits, numbers, named) => {
    expect(namedByCandidates(candidates(digits, numbers))(number)).toBe(named)
  })
})

describe('domain/bank/match-payments: digits that name no invoice of the context', () => {
  it('are candidates for the lookup, unless the purpose names a known invoice', () => {
    const found = matchCandidates([doc(1000, 'Оплата по счёту № 10'), doc(500, 'Оплата сч. 20, 12')], context([inv(12, 'СЧ-00012', 7, true, 500)]))
    expect(found.unknownDigits).toEqual(['10'])
    expect(found.unknownNumbers).toEqual(['10'])
  })

  it.each<[string, MatchInvoice[], string, Partial<ReturnType<typeof brief>>]>([
    ['the payer\'s paid invoice: already paid, its open one not taken by INN',
      [inv(10, 'СЧ-00010', 7, false), inv(12, 'СЧ-00012', 7, true)], ROMASHKA,
      { status: 'unmatched', to: [], reasons: ['number', 'numberClosed'], closedNamed: [10] }],
    ['another client\'s paid invoice: ambiguous, matched by INN at low confidence',
      [inv(10, 'СЧ-00010', 8, false), inv(12, 'СЧ-00012', 7, true)], ROMASHKA,
      { status: 'matched', confidence: 'low', to: [12], reasons: ['ambiguousNumber', 'inn', 'amount'], closedNamed: undefined }],
    ['another client\'s paid invoice, unknown payer: ambiguous',
      [inv(10, 'СЧ-00010', 8, false)], UNKNOWN,
      { status: 'unmatched', to: [], reasons: ['ambiguousNumber', 'unknownPayer'], closedNamed: undefined }],
    ['a paid invoice without a client: ambiguous',
      [{ ...inv(10, 'СЧ-00010', 8, false), clients: [] }, inv(12, 'СЧ-00012', 7, true)], ROMASHKA,
      { status: 'matched', confidence: 'low', to: [12], reasons: ['ambiguousNumber', 'inn', 'amount'] }],
    ['paid invoices of the payer and of another client: the payer\'s',
      [inv(10, 'СЧ-00010', 8, false), inv(11, 'Б-10', 7, false)], ROMASHKA,
      { status: 'unmatched', reasons: ['number', 'numberClosed'], closedNamed: [11] }],
    ['another client\'s OPEN invoice: matched to it as before, the INN flagged',
      [inv(10, 'СЧ-00010', 8, true)], ROMASHKA,
      { status: 'matched', confidence: 'medium', to: [10], reasons: ['number', 'amount', 'innOther'] }],
    ['open invoices of two other clients: ambiguous, matched by INN at low confidence',
      [inv(10, 'СЧ-00010', 8, true), inv(11, 'Б-10', 9, true), inv(12, 'СЧ-00012', 7, true)], ROMASHKA,
      { status: 'matched', confidence: 'low', to: [12], reasons: ['ambiguousNumber', 'inn', 'amount'] }],
  ])('«№ 10»: %s', (_name, invoices, payerInn, expected) => {
    const [match] = matchPayments([doc(1000, 'Оплата по счёту № 10', payerInn)], context(invoices))
    expect(brief(match!)).toMatchObject(expected)
  })
})
