import type { DayNumber } from './day-number.ts'
import type { ReceivableInvoice } from './receivable-invoice.ts'
import { balanceOn, daysOverdueOn } from './receivable-invoice.ts'

/** Aging buckets by days past due: not yet due, 1–30, 31–60, 61–90, over 90. */
export type AgingBucket = 'current' | 'd1to30' | 'd31to60' | 'd61to90' | 'd90plus'

export const AGING_BUCKETS: readonly AgingBucket[] = ['current', 'd1to30', 'd31to60', 'd61to90', 'd90plus']

/** The bucket for a number of days overdue (0 = not yet due). */
export function agingBucketOf(daysOverdue: number): AgingBucket {
  if (daysOverdue <= 0)
    return 'current'
  if (daysOverdue <= 30)
    return 'd1to30'
  if (daysOverdue <= 60)
    return 'd31to60'
  return daysOverdue <= 90 ? 'd61to90' : 'd90plus'
}

export interface AgingRow {
  readonly bucket: AgingBucket
  /** Invoices with a balance in this bucket. */
  readonly count: number
  /** Their balances, minor units. */
  readonly balanceMinor: number
}

/** Collects aging rows invoice by invoice (the report feeds it inside its one pass). */
export class AgingTally {
  private readonly counts = [0, 0, 0, 0, 0]
  private readonly sums = [0, 0, 0, 0, 0]

  /** One invoice's balance (minor units) and days overdue at the "as of" day. */
  add(balance: number, daysOverdue: number): void {
    if (balance <= 0)
      return
    const index = daysOverdue <= 0 ? 0 : daysOverdue <= 30 ? 1 : daysOverdue <= 60 ? 2 : daysOverdue <= 90 ? 3 : 4
    this.counts[index]!++
    this.sums[index]! += balance
  }

  rows(): AgingRow[] {
    return AGING_BUCKETS.map((bucket, index) => ({ bucket, count: this.counts[index]!, balanceMinor: this.sums[index]! }))
  }
}

/**
 * Unpaid balances at the end of `asOf` by how long they are past due. Partly paid invoices count
 * with what is left; drafts, cancelled and paid invoices have no balance and are left out.
 */
export function agingBuckets(invoices: readonly ReceivableInvoice[], asOf: DayNumber): AgingRow[] {
  const tally = new AgingTally()
  for (const invoice of invoices)
    tally.add(balanceOn(invoice, asOf), daysOverdueOn(invoice, asOf))
  return tally.rows()
}
