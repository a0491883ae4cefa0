import type { DayNumber } from './day-number.ts'
import type { ReceivableInvoice } from './receivable-invoice.ts'
import { balanceOn, daysOverdueOn, isReceivable, paidBy } from './receivable-invoice.ts'

/** Figures for one manager or one pipeline, minor units. */
export interface BreakdownRow {
  /** The responsible user's or the pipeline's id; null for invoices without one. */
  readonly key: number | null
  readonly outstandingMinor: number
  readonly overdueMinor: number
  /** Issued in the period: count, sum, and how much of it is paid by the "as of" day. */
  readonly issuedCount: number
  readonly issuedMinor: number
  readonly paidMinor: number
}

export type BreakdownKey = 'responsibleId' | 'categoryId'

interface Tally { outstandingMinor: number, overdueMinor: number, issuedCount: number, issuedMinor: number, paidMinor: number }

/** Collects the breakdown by one key invoice by invoice. */
export class BreakdownTally {
  private readonly tallies = new Map<number | null, Tally>()

  constructor(private readonly key: BreakdownKey, private readonly from: DayNumber, private readonly to: DayNumber, private readonly asOf: DayNumber) {}

  /** One invoice with its balance and days overdue at the "as of" day. */
  add(invoice: ReceivableInvoice, balance: number, daysOverdue: number): void {
    if (!isReceivable(invoice))
      return
    const issued = invoice.issueDay !== null && invoice.issueDay >= this.from && invoice.issueDay <= this.to
    if (balance <= 0 && !issued)
      return
    const id = this.key === 'responsibleId' ? invoice.responsibleId : invoice.categoryId
    let tally = this.tallies.get(id)
    if (!tally) {
      tally = { outstandingMinor: 0, overdueMinor: 0, issuedCount: 0, issuedMinor: 0, paidMinor: 0 }
      this.tallies.set(id, tally)
    }
    tally.outstandingMinor += balance
    if (balance > 0 && daysOverdue > 0)
      tally.overdueMinor += balance
    if (issued) {
      tally.issuedCount++
      tally.issuedMinor += invoice.amount.amountMinor
      tally.paidMinor += invoice.payments.length === 0 ? 0 : paidBy(invoice, this.asOf)
    }
  }

  /** Largest receivables first. */
  rows(): BreakdownRow[] {
    return [...this.tallies.entries()]
      .map(([id, tally]) => ({ key: id, ...tally }))
      .sort((a, b) => b.outstandingMinor - a.outstandingMinor || b.issuedMinor - a.issuedMinor || (a.key ?? 0) - (b.key ?? 0))
  }
}

/**
 * Receivables (as of `asOf`) and invoicing (issued in `from`..`to`) per manager or per pipeline,
 * largest receivables first. Rows with nothing to show are left out.
 */
export function breakdownBy(invoices: readonly ReceivableInvoice[], key: BreakdownKey, asOf: DayNumber, from: DayNumber, to: DayNumber): BreakdownRow[] {
  const tally = new BreakdownTally(key, from, to, asOf)
  for (const invoice of invoices)
    tally.add(invoice, balanceOn(invoice, asOf), daysOverdueOn(invoice, asOf))
  return tally.rows()
}
