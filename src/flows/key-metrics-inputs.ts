import type { Period } from '../domain/receivables/period.ts'
import type { ReceivableInvoice } from '../domain/receivables/receivable-invoice.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { KeyMetricsRead } from '../portal/receivables/key-metrics-read.ts'
import { calendarDateOfDay, dayNumberOf } from '../domain/receivables/day-number.ts'
import { dealsFirstInvoicedIn } from '../domain/receivables/key-metrics.ts'
import { readKeyMetricsInputs } from '../portal/receivables/key-metrics-read.ts'

/**
 * What the dashboard's key metrics need beyond the invoices, for one period: the creation days of
 * the deals first invoiced in it, and the journal's origins and errors of the period (the days
 * `period.from` to `period.to` inclusive, in the portal's clock). `journalTypeId` null reads no
 * journal. The round trips are in the answer (see `readKeyMetricsInputs`). Throws `PortalError`.
 */
export function readKeyMetricsFor(portal: PortalClient, invoices: readonly ReceivableInvoice[], period: Period, journalTypeId: number | null): Promise<KeyMetricsRead> {
  return readKeyMetricsInputs(portal, {
    dealIds: dealsFirstInvoicedIn(invoices, period),
    journalTypeId,
    from: `${period.from}T00:00:00`,
    to: `${calendarDateOfDay(dayNumberOf(period.to) + 1)}T00:00:00`,
  })
}
