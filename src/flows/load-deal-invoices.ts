import type { CalendarDate } from '../domain/calendar-date.ts'
import type { Deal, Invoice } from '../domain/invoice.ts'
import type { InvoiceState } from '../domain/invoice-state.ts'
import type { CollectionRead } from '../portal/collection/invoice-collection.ts'
import type { DealTabSnapshot } from '../portal/deal-tab.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { PortalUser } from '../portal/portal-user.ts'
import type { Stage } from '../domain/stage.ts'
import { calendarDateIn, isKnownTimeZone } from '../domain/calendar-date.ts'
import { invoiceState } from '../domain/invoice-state.ts'
import { portalClockOf } from '../domain/portal-clock.ts'
import { indexStages } from '../domain/stage.ts'
import { readPendingCollections } from '../portal/collection/invoice-collection.ts'
import { loadDealTabSnapshot } from '../portal/deal-tab.ts'
import { loadInvoiceTabSnapshot } from '../portal/invoice-tab.ts'

/** One line of the deal tab: the invoice, where it stands today, and its stage's name. */
export interface DealInvoiceRow {
  readonly invoice: Invoice
  readonly state: InvoiceState
  /** The pipeline stage's name as the portal calls it; empty for a stage the portal no longer has. */
  readonly stageName: string
  /** Payments, promise, dispute and reminders recorded on the invoice; `pending` until `loadPendingCollections`. */
  readonly collection: CollectionRead
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
  /** The moment of the load: `today`, its hour (0–23) in `timeZone` and the instant, for the reminder plan. */
  readonly clock: { readonly today: CalendarDate, readonly hour: number, readonly instantMs: number }
  /**
   * Whose clock `clock` is: `portal` when `server.time` answered in the load's batch; `device` when
   * it failed and the device's clock stood in (the tab then says so).
   */
  readonly clockSource: 'portal' | 'device'
}

/**
 * Loads a deal's invoices and computes each one's state as of the portal's clock (`server.time`,
 * read in the same batch; `now`, the device's clock, only when the portal did not answer it), in
 * the user's time zone from the portal profile, or `fallbackTimeZone` (the browser's) when the
 * profile has none.
 */
export async function loadDealInvoices(portal: PortalClient, dealId: number, now: Date, fallbackTimeZone: string): Promise<DealInvoices> {
  return overviewOf(await loadDealTabSnapshot(portal, dealId), now, fallbackTimeZone)
}

/** The same for the invoice card's tab: one invoice, its deal, its stages, in one round trip. */
export async function loadInvoiceOverview(portal: PortalClient, invoiceId: number, now: Date, fallbackTimeZone: string): Promise<DealInvoices> {
  return overviewOf(await loadInvoiceTabSnapshot(portal, invoiceId), now, fallbackTimeZone)
}

function overviewOf(snapshot: DealTabSnapshot, deviceNow: Date, fallbackTimeZone: string): DealInvoices {
  const portalClock = snapshot.portalTime ? portalClockOf(snapshot.portalTime) : null
  const now = portalClock ? new Date(portalClock.instantMs) : deviceNow
  const timeZone = snapshot.user.timeZone && isKnownTimeZone(snapshot.user.timeZone) ? snapshot.user.timeZone : fallbackTimeZone
  const today = calendarDateIn(now, timeZone)
  const stages = indexStages(snapshot.stages)
  const rows = snapshot.invoices.map(invoice => ({
    invoice,
    state: invoiceState(invoice, stages, today),
    stageName: stages.get(invoice.stageId)?.name ?? '',
    collection: snapshot.collections.get(invoice.id) ?? { status: 'pending' } as const,
  }))
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now))
  return { deal: snapshot.deal, rows, stages: snapshot.stages, user: snapshot.user, today, timeZone, clock: { today, hour, instantMs: now.getTime() }, clockSource: portalClock ? 'portal' : 'device' }
}

/** Whether some rows still wait for their records (see `loadPendingCollections`). */
export function hasPendingCollections(overview: DealInvoices): boolean {
  return overview.rows.some(row => row.collection.status === 'pending')
}

/**
 * The records of the rows the first paint left `pending` (invoices beyond the newest 10, or with
 * more than 10 log entries), read after the list is on screen: usually ONE more round trip
 * (`readPendingCollections`). Returns the overview with those rows filled in (`failed` when the
 * read failed).
 */
export async function loadPendingCollections(portal: PortalClient, overview: DealInvoices): Promise<DealInvoices> {
  const pending = overview.rows.filter(row => row.collection.status === 'pending').map(row => row.invoice.id)
  if (pending.length === 0)
    return overview
  const read = await readPendingCollections(portal, pending)
  return { ...overview, rows: overview.rows.map(row => ({ ...row, collection: read.get(row.invoice.id) ?? row.collection })) }
}
