// A payment naming an invoice that exists and is paid: said so, and never matched by INN to another invoice.
import type { BankDocument } from '../../../src/domain/bank/bank-statement.ts'
import type { MatchContext, MatchInvoice } from '../../../src/domain/bank/match-payments.ts'
import { describe, expect, it } from 'vitest'
import { bankDocumentKey } from '../../../src/domain/bank/bank-document-key.ts'
import { invoiceReferences } from '../../../src/domain/bank/invoice-references.ts'
import { matchCandidates, matchPayments } from '../../../src/domain/bank/match-payments.ts'

const rub = (amountMinor: number) => ({ amountMinor, currency: 'RUB' })
const INN = '7701000026'

function doc(amount: number, purpose: string): BankDocument {
  const date = '2026-12-01'
  return {
    line: 1, number: '1', date, receivedOn: date, amount: rub(amount * 100), payerAccount: '', payerInn: INN, payerName: 'Ромашка', recipientAccount: '40702810900000000001', purpose,
    key: bankDocumentKey({ recipientAccount: '40702810900000000001', date, number: '1', amountMinor: amount * 100, payerInn: INN }),
  }
}

function inv(id: number, balance: number, open = true): MatchInvoice {
  return { id, number: `СЧ-${String(id).padStart(5, '0')}`, clients: ['company:7'], balance: rub(balance * 100), open, dueDate: '2026-11-20', payments: [] }
}

const context = (invoices: MatchInvoice[]): MatchContext => ({ invoices, clientsByInn: new Map([[INN, ['company:7']]]) })

describe('domain/bank: a purpose naming a paid invoice', () => {
  it('names the number written after the invoice word', () => {
    expect(invoiceReferences('Оплата по счёту СЧ-00010 за декабрь').named).toEqual(['СЧ-00010'])
    expect(invoiceReferences('Оплата по сч. №СЧ-00010.').named).toEqual(['СЧ-00010'])
    expect(invoiceReferences('Оплата по договору № 45').named).toEqual([])
  })

  it('a named number no invoice of the context carries is to be looked up; a known one is not', () => {
    const documents = [doc(1000, 'Оплата по счёту СЧ-00010'), doc(500, 'Оплата по счёту СЧ-00011')]
    const found = matchCandidates(documents, context([inv(11, 500), inv(12, 1000)]))
    expect(found.unknownNumbers).toEqual(['СЧ-00010'])
    expect(found.invoiceIds).toEqual([11, 12])
  })

  it('the named invoice is paid: unmatched, says which, and the client\'s other open invoice is NOT taken by INN', () => {
    const [match] = matchPayments([doc(1000, 'Оплата по счёту СЧ-00010')], context([inv(10, 1000, false), inv(12, 1000)]))
    expect(match!.status).toBe('unmatched')
    expect(match!.allocations).toEqual([])
    expect(match!.reasons).toEqual(['number', 'numberClosed'])
    expect(match!.closedNamed).toEqual([10])
  })

  it('the named invoice is open: matched to it as before', () => {
    const [match] = matchPayments([doc(1000, 'Оплата по счёту СЧ-00010')], context([inv(10, 1000), inv(12, 1000)]))
    expect(match!.status).toBe('matched')
    expect(match!.confidence).toBe('high')
    expect(match!.allocations.map(a => a.invoiceId)).toEqual([10])
  })
})
