import type { Money } from '../money.ts'
import type { Allocation, MatchInvoice, PaymentMatch } from './match-payments.ts'

/**
 * The accountant assigns a payment to invoices of their choice (changing the proposal, or
 * placing an unmatched payment): the payment fills them in the order given, each up to what is
 * left of its balance after the statement's OTHER matches; the rest is an overpayment.
 * An empty choice leaves the payment unmatched.
 */
export function assignInvoices(matches: readonly PaymentMatch[], at: number, invoiceIds: readonly number[], invoices: readonly MatchInvoice[]): PaymentMatch {
  const match = matches[at]
  if (!match)
    throw new RangeError(`No match at ${at}`)
  const used = new Map<number, number>()
  matches.forEach((other, i) => {
    if (i !== at && other.status === 'matched')
      other.allocations.forEach(a => used.set(a.invoiceId, (used.get(a.invoiceId) ?? 0) + a.amount.amountMinor))
  })
  const byId = new Map(invoices.map(invoice => [invoice.id, invoice]))
  const currency = match.document.amount.currency
  let left = match.document.amount.amountMinor
  const allocations: Allocation[] = []
  for (const id of invoiceIds) {
    const invoice = byId.get(id)
    if (!invoice?.open || invoice.balance.currency !== currency)
      continue
    const balance = invoice.balance.amountMinor - (used.get(id) ?? 0)
    const amount = Math.min(left, balance)
    if (amount > 0) {
      allocations.push({ invoiceId: id, amount: { amountMinor: amount, currency }, full: amount === balance })
      left -= amount
    }
  }
  if (allocations.length === 0)
    return { ...match, status: 'unmatched', confidence: null, allocations: [], overpayment: null, reasons: ['manual'] }
  const overpayment: Money | null = left > 0 ? { amountMinor: left, currency } : null
  const reasons = ['manual' as const, ...(allocations.some(a => !a.full) ? ['partial' as const] : []), ...(overpayment ? ['overpayment' as const] : [])]
  return { ...match, status: 'matched', confidence: 'manual', allocations, overpayment, reasons }
}

/** The open invoices a payment can be assigned to, for the "change invoice" picker: the payer's clients first, then by number. */
export function assignableInvoices(match: PaymentMatch, invoices: readonly MatchInvoice[], clientsOfPayer: readonly string[]): MatchInvoice[] {
  const payer = new Set(clientsOfPayer)
  const ours = (invoice: MatchInvoice) => (invoice.clients.some(c => payer.has(c)) ? 0 : 1)
  return invoices
    .filter(invoice => invoice.open && invoice.balance.currency === match.document.amount.currency && invoice.balance.amountMinor > 0)
    .sort((a, b) => ours(a) - ours(b) || a.number.localeCompare(b.number, 'ru', { numeric: true }) || a.id - b.id)
}

export interface StatementTotals {
  readonly matched: number
  readonly unmatched: number
  readonly recorded: number
  /** Incoming money of the statement, in kopecks. */
  readonly incomingMinor: number
  /** Of it, what the matches allocate to invoices. */
  readonly allocatedMinor: number
}

/** Counts and sums for the review's header. */
export function statementTotals(matches: readonly PaymentMatch[]): StatementTotals {
  const count = (status: PaymentMatch['status']) => matches.filter(m => m.status === status).length
  return {
    matched: count('matched'),
    unmatched: count('unmatched'),
    recorded: count('recorded'),
    incomingMinor: matches.reduce((sum, m) => sum + m.document.amount.amountMinor, 0),
    allocatedMinor: matches.reduce((sum, m) => sum + (m.status === 'matched' ? m.allocations.reduce((s, a) => s + a.amount.amountMinor, 0) : 0), 0),
  }
}
