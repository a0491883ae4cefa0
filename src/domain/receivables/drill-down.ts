import type { AgingBucket } from './aging.ts'
import type { DayNumber, MonthKey } from './day-number.ts'
import type { Period } from './period.ts'
import type { ClientKey, ReceivableInvoice } from './receivable-invoice.ts'
import { agingBucketOf } from './aging.ts'
import { dayNumberOf, monthBounds } from './day-number.ts'
import { balanceOn, daysOverdueOn, isReceivable } from './receivable-invoice.ts'

/** What a click on the dashboard asks to see the invoices of. */
export type DrillTarget
  = | { readonly kind: 'bucket', readonly bucket: AgingBucket }
    | { readonly kind: 'debtor', readonly clientKey: ClientKey }
    | { readonly kind: 'month', readonly month: MonthKey }
    | { readonly kind: 'manager', readonly responsibleId: number | null }
    | { readonly kind: 'pipeline', readonly categoryId: number | null }

/** One invoice behind a figure, with its balance and days overdue at the "as of" day. */
export interface DrillRow {
  readonly invoice: ReceivableInvoice
  readonly balanceMinor: number
  readonly daysOverdue: number
}

/**
 * The invoices behind a figure:
 * - an aging bucket: the invoices with a balance in it;
 * - a debtor: the client's overdue invoices;
 * - a month: the invoices issued in it (within the period);
 * - a manager or a pipeline: their invoices with a balance.
 * Most overdue first, then by issue date.
 */
export function drillDown(invoices: readonly ReceivableInvoice[], target: DrillTarget, asOf: DayNumber, period: Period): DrillRow[] {
  const keep = matcher(target, asOf, period)
  const rows: DrillRow[] = []
  for (const invoice of invoices) {
    if (!isReceivable(invoice))
      continue
    const row = { invoice, balanceMinor: balanceOn(invoice, asOf), daysOverdue: daysOverdueOn(invoice, asOf) }
    if (keep(row))
      rows.push(row)
  }
  return rows.sort((a, b) => b.daysOverdue - a.daysOverdue || (a.invoice.issueDay ?? 0) - (b.invoice.issueDay ?? 0) || a.invoice.id - b.invoice.id)
}

function matcher(target: DrillTarget, asOf: DayNumber, period: Period): (row: DrillRow) => boolean {
  const open = (row: DrillRow) => row.balanceMinor > 0
  switch (target.kind) {
    case 'bucket': return row => open(row) && agingBucketOf(row.daysOverdue) === target.bucket
    case 'debtor': return row => open(row) && row.daysOverdue > 0 && row.invoice.clientKey === target.clientKey
    case 'manager': return row => open(row) && row.invoice.responsibleId === target.responsibleId
    case 'pipeline': return row => open(row) && row.invoice.categoryId === target.categoryId
    case 'month': {
      const bounds = monthBounds(target.month)
      const first = Math.max(bounds.first, dayNumberOf(period.from))
      const last = Math.min(bounds.last, dayNumberOf(period.to), asOf)
      return row => row.invoice.issueDay !== null && row.invoice.issueDay >= first && row.invoice.issueDay <= last
    }
  }
}
