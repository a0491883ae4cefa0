import type { CalendarDate } from '../domain/calendar-date.ts'
import type { Deal, Invoice } from '../domain/invoice.ts'
import type { InvoiceState } from '../domain/invoice-state.ts'
import type { DealTabSnapshot } from '../portal/deal-tab.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { PortalUser } from '../portal/portal-user.ts'
import type { Stage } from '../domain/stage.ts'
import { calendarDateIn, isKnownTimeZone } from '../domain/calendar-date.ts'
import { invoiceState } from '../domain/invoice-state.ts'
import { indexStages } from '../domain/stage.ts'
import { loadDealTabSnapshot } from '../portal/deal-tab.ts'
import { loadInvoiceTabSnapshot } from '../portal/invoice-tab.ts'

/** One line of the deal tab: the invoice, where it stands today, and its stage's name. */
export interface DealInvoiceRow {
  readonly invoice: Invoice
  readonly state: InvoiceState
  /** The pipeline stage's name as the portal calls it; empty for a stage the portal no longer has. */
  readonly stageName: string
}

export interface DealInvoices {
  /** Null only in the invoice card's tab, for an invoice issued without a deal. */
  readonly deal: Deal | null
  readonly rows: readonly DealInvoiceRow[]
  /** The stages of every pipeline the invoices use: the row actions find the paid and cancelled stages here. */
  readonly stages: readonly Stage[]
  readonly user: PortalUser
  /** The calendar day the states were computed for, in `timeZone`. */
  readonly today: CalendarDate
  readonly timeZone: string
}

/**
 * Loads a deal's invoices and computes each one's state as of `now`, in the user's time zone from
 * the portal profile, or `fallbackTimeZone` (the browser's) when the profile has none.
 */
export async function loadDealInvoices(portal: PortalClient, dealId: number, now: Date, fallbackTimeZone: string): Promise<DealInvoices> {
  return overviewOf(await loadDealTabSnapshot(portal, dealId), now, fallbackTimeZone)
}

/** The same for the invoice card's tab: one invoice, its deal, its stages, in one round trip. */
export async function loadInvoiceOverview(portal: PortalClient, invoiceId: number, now: Date, fallbackTimeZone: string): Promise<DealInvoices> {
  return overviewOf(await loadInvoiceTabSnapshot(portal, invoiceId), now, fallbackTimeZone)
}

function overviewOf(snapshot: DealTabSnapshot, now: Date, fallbackTimeZone: string): DealInvoices {
  const timeZone = snapshot.user.timeZone && isKnownTimeZone(snapshot.user.timeZone) ? snapshot.user.timeZone : fallbackTimeZone
  const today = calendarDateIn(now, timeZone)
  const stages = indexStages(snapshot.stages)
  const rows = snapshot.invoices.map(invoice => ({
    invoice,
    state: invoiceState(invoice, stages, today),
    stageName: stages.get(invoice.stageId)?.name ?? '',
  }))
  return { deal: snapshot.deal, rows, stages: snapshot.stages, user: snapshot.user, today, timeZone }
}
