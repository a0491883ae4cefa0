import type { MonthKey } from './day-number.ts'
import type { Period } from './period.ts'
import type { ReceivableInvoice } from './receivable-invoice.ts'
import { periodMonths } from './period.ts'
import { isReceivable, paidBy } from './receivable-invoice.ts'

/** One month of the trends, minor units. A month the period cuts counts only its days inside the period. */
export interface MonthTrend {
  readonly month: MonthKey
  /** Invoices issued in the month: count and sum. */
  readonly issuedCount: number
  readonly issuedMinor: number
  /** Payments received in the month (partial ones included). */
  readonly collectedMinor: number
  /** Receivables at the end of the month's last day (in the period). */
  readonly outstandingEndMinor: number
  /** Their part past due at that day. */
  readonly overdueEndMinor: number
  /**
   * Repayment dynamics: collected ÷ (receivables at the start of the month + issued in it), 0..1;
   * null when there was nothing to collect.
   */
  readonly collectionRate: number | null
}

/** Collects the monthly trends invoice by invoice. */
export class TrendsTally {
  private readonly months: ReturnType<typeof periodMonths>
  /** ends[0] is the day before the first month; ends[i + 1] the last day of month i. */
  private readonly ends: number[]
  private readonly issuedCount: number[]
  private readonly issuedMinor: number[]
  private readonly collected: number[]
  private readonly outstanding: number[]
  private readonly overdue: number[]

  constructor(period: Period) {
    this.months = periodMonths(period)
    const n = this.months.length
    this.ends = n === 0 ? [] : [this.months[0]!.first - 1, ...this.months.map(month => month.last)]
    this.issuedCount = Array.from({ length: n }, () => 0)
    this.issuedMinor = Array.from({ length: n }, () => 0)
    this.collected = Array.from({ length: n }, () => 0)
    this.outstanding = Array.from({ length: n + 1 }, () => 0)
    this.overdue = Array.from({ length: n + 1 }, () => 0)
  }

  /** The month of the period a day falls in, or -1. */
  private monthIndex(day: number): number {
    for (let index = this.months.length - 1; index >= 0; index--) {
      const month = this.months[index]!
      if (day >= month.first)
        return day <= month.last ? index : -1
    }
    return -1
  }

  add(invoice: ReceivableInvoice): void {
    if (this.months.length === 0 || !isReceivable(invoice))
      return
    if (invoice.issueDay !== null) {
      const index = this.monthIndex(invoice.issueDay)
      if (index >= 0) {
        this.issuedCount[index]!++
        this.issuedMinor[index]! += invoice.amount.amountMinor
      }
    }
    for (const payment of invoice.payments) {
      const index = this.monthIndex(payment.day)
      if (index >= 0)
        this.collected[index]! += payment.amountMinor
    }
    // balanceOn and daysOverdueOn inlined: this loop runs 13 times per invoice.
    const issued = invoice.issueDay ?? -Infinity
    const settled = invoice.fullyPaidDay ?? Infinity
    const due = invoice.dueDay ?? Infinity
    const amount = invoice.amount.amountMinor
    const unpaid = invoice.payments.length === 0
    for (let index = 0; index < this.ends.length; index++) {
      const end = this.ends[index]!
      if (end < issued || end >= settled)
        continue
      const balance = unpaid ? amount : amount - paidBy(invoice, end)
      this.outstanding[index]! += balance
      if (end > due)
        this.overdue[index]! += balance
    }
  }

  rows(): MonthTrend[] {
    return this.months.map(({ month }, index) => {
      const base = this.outstanding[index]! + this.issuedMinor[index]!
      return {
        month,
        issuedCount: this.issuedCount[index]!,
        issuedMinor: this.issuedMinor[index]!,
        collectedMinor: this.collected[index]!,
        outstandingEndMinor: this.outstanding[index + 1]!,
        overdueEndMinor: this.overdue[index + 1]!,
        collectionRate: base > 0 ? this.collected[index]! / base : null,
      }
    })
  }
}

/** Issued vs collected, receivables and overdue at each month's end, and the repayment rate, month by month. */
export function monthlyTrends(invoices: readonly ReceivableInvoice[], period: Period): MonthTrend[] {
  const tally = new TrendsTally(period)
  for (const invoice of invoices)
    tally.add(invoice)
  return tally.rows()
}
