import type { PaymentInput, ReceivableInvoice, ReceivableInvoiceInput } from '../../../src/domain/receivables/receivable-invoice.ts'
import { receivableInvoice } from '../../../src/domain/receivables/receivable-invoice.ts'

/** An open RUB invoice of 1 000,00 ₽ issued 2026-11-01, due 2026-11-15; override what the case is about. */
export function receivable(overrides: Partial<Omit<ReceivableInvoiceInput, 'amount' | 'payments'>> & { rubles?: number, currency?: string, paid?: readonly [rubles: number, paidOn: string][] } = {}): ReceivableInvoice {
  const { rubles = 1000, currency = 'RUB', paid = [], ...rest } = overrides
  const payments: PaymentInput[] = paid.map(([amount, paidOn]) => ({ amount: { amountMinor: amount * 100, currency }, paidOn }))
  return receivableInvoice({
    id: 1,
    number: 'СЧ-1',
    status: 'open',
    categoryId: 5,
    responsibleId: 2,
    client: { kind: 'company', id: 10 },
    issueDate: '2026-11-01',
    dueDate: '2026-11-15',
    ...rest,
    amount: { amountMinor: rubles * 100, currency },
    payments,
  })
}

/** A paid invoice: paid in full on `paidOn`. */
export function paidReceivable(paidOn: string, overrides: Parameters<typeof receivable>[0] = {}): ReceivableInvoice {
  const rubles = overrides.rubles ?? 1000
  return receivable({ ...overrides, status: 'paid', paid: [[rubles, paidOn]] })
}
