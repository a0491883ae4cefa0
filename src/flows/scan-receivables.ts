import type { CalendarDate } from '../domain/calendar-date.ts'
import type { ClientKey, PaymentInput, ReceivableInvoice } from '../domain/receivables/receivable-invoice.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { PortalUser } from '../portal/portal-user.ts'
import type { ReceivableRow } from '../portal/receivables/receivable-rows.ts'
import type { PortalCurrency, PortalPipeline, ScanProgress } from '../portal/receivables/scan-invoices.ts'
import { calendarDateIn, isKnownTimeZone } from '../domain/calendar-date.ts'
import { portalNow } from '../domain/portal-clock.ts'
import type { CollectionState } from '../domain/collection/collection-state.ts'
import type { Stage } from '../domain/stage.ts'
import { indexStages } from '../domain/stage.ts'
import { readCollectionStates } from '../portal/collection/collection-log.ts'
import { openInvoiceIds, rankClients, receivablesOf, rowReferences } from '../portal/receivables/receivable-rows.ts'
import { loadReceivablesNames } from '../portal/receivables/receivables-names.ts'
import { scanInvoices } from '../portal/receivables/scan-invoices.ts'

/** Everything the receivables dashboard computes from, loaded once per session. */
export interface ReceivablesData {
  readonly invoices: readonly ReceivableInvoice[]
  /** The portal's calendar day the data was read on, in `timeZone`. */
  readonly asOf: CalendarDate
  readonly timeZone: string
  readonly user: PortalUser
  readonly currencies: readonly PortalCurrency[]
  readonly baseCurrency: string
  readonly pipelines: readonly PortalPipeline[]
  readonly managers: ReadonlyMap<number, string>
  /** Client names by `company:<id>` / `contact:<id>`; a client missing here is shown by number. */
  readonly clients: ReadonlyMap<ClientKey, string>
  /** The open invoices' records as read for their payments (`readPayments`); absent when not read. */
  readonly records?: ReadonlyMap<number, CollectionState>
  /**
   * Open invoices whose part payments were NOT read because there were more than
   * `maxPaymentReads` of them: their balances are shown without part payments. 0 or absent: all read.
   */
  readonly partPaymentsUnread?: number
  /** The `maxPaymentReads` in force, for the message that explains `partPaymentsUnread`. */
  readonly partPaymentsLimit?: number
  /** The rows as the portal sent them and the stages they were mapped with: what a refresh merges into (`refresh-receivables.ts`). */
  readonly source?: ReceivablesSource
}

/** The portal's rows behind `ReceivablesData.invoices`, kept so that changed rows can be merged in later. */
export interface ReceivablesSource {
  /** Ordered by id. */
  readonly rows: readonly ReceivableRow[]
  readonly stages: readonly Stage[]
  /** The portal's clock when they were read (`server.time`); null when the portal did not answer it. */
  readonly portalTime: string | null
}

export interface ScanReceivablesOptions {
  readonly now: Date
  /** The browser's zone, used when the user's profile has none. */
  readonly fallbackTimeZone: string
  /** Payments recorded per invoice id (partial payments); when absent, `readPayments` decides. */
  readonly payments?: ReadonlyMap<number, readonly PaymentInput[]>
  /**
   * Read the payments the app recorded on the open invoices (their timelines, `readCollectionStates`:
   * one more round trip per 50 open invoices, two in flight), so part payments count in the figures.
   * @defaultValue false
   */
  readonly readPayments?: boolean
  /**
   * The most open invoices whose records `readPayments` reads (one round trip per 50); past it none are
   * read and `partPaymentsUnread` says how many: the first figures never wait for hundreds of requests
   * nor spend the timeline methods' operating time (R: settings/performance/limits.md).
   * @defaultValue 1000
   */
  readonly maxPaymentReads?: number
  readonly onProgress?: (progress: ScanProgress) => void
  /**
   * Batches in flight at once.
   * @defaultValue 2
   */
  readonly inFlight?: number
}

/**
 * Scans every invoice the user may see (their CRM rights decide) and the names to show with them:
 * ⌈N/2500⌉ + 2 HTTP requests for N invoices with dense ids (`scanInvoices` plus one batch of names).
 */
/** Open invoices whose part payments the dashboard reads at most (20 round trips). */
export const DEFAULT_MAX_PAYMENT_READS = 1000

export async function scanReceivables(portal: PortalClient, options: ScanReceivablesOptions): Promise<ReceivablesData> {
  const scan = await scanInvoices(portal, { onProgress: options.onProgress, inFlight: options.inFlight })
  const timeZone = scan.user.timeZone && isKnownTimeZone(scan.user.timeZone) ? scan.user.timeZone : options.fallbackTimeZone
  const asOf = calendarDateIn(portalNow(scan.portalTime, options.now), timeZone)
  const { categoryIds, userIds } = rowReferences(scan.rows, new Set(scan.stages.map(stage => stage.categoryId)))
  const ranked = rankClients(scan.rows)
  const names = await loadReceivablesNames(portal, {
    categoryIds,
    userIds,
    companyIds: ranked.filter(key => key.startsWith('company:')).map(key => Number(key.slice(8))),
    contactIds: ranked.filter(key => key.startsWith('contact:')).map(key => Number(key.slice(8))),
  })
  const stageList = [...scan.stages, ...names.stages]
  const stages = indexStages(stageList)
  const open = openInvoiceIds(scan.rows, stages)
  const limit = options.maxPaymentReads ?? DEFAULT_MAX_PAYMENT_READS
  const readable = !options.payments && options.readPayments === true && open.length <= limit
  const records = readable ? await openRecords(portal, open) : undefined
  const partPaymentsUnread = !options.payments && options.readPayments === true && !readable ? open.length : 0
  const payments = options.payments ?? (records ? paymentsOf(records) : undefined)
  const invoices = receivablesOf(scan.rows, stages, payments)
  const clients = new Map<ClientKey, string>()
  names.companies.forEach((name, id) => clients.set(`company:${id}`, name))
  names.contacts.forEach((name, id) => clients.set(`contact:${id}`, name))
  const source = { rows: scan.rows, stages: stageList, portalTime: scan.portalTime }
  return { invoices, asOf, timeZone, user: scan.user, currencies: scan.currencies, baseCurrency: scan.baseCurrency, pipelines: scan.pipelines, managers: names.users, clients, ...(records ? { records } : {}), ...(partPaymentsUnread > 0 ? { partPaymentsUnread, partPaymentsLimit: limit } : {}), source }
}

/**
 * The records of the open invoices (the app's entries in each invoice's timeline — the same
 * figures the deal tab and the reminders use): their part payments, which the invoice's stage
 * does not show, and their reminders. Paid invoices need none: their stage says paid in full.
 */
async function openRecords(portal: PortalClient, open: readonly number[]): Promise<Map<number, CollectionState>> {
  // Two batches in flight, as the scan itself (each half reads one batch of 50 invoices after another).
  const half = Math.ceil(open.length / 100) * 50
  const parts = [open.slice(0, half), open.slice(half)].filter(part => part.length > 0)
  const states = await Promise.all(parts.map(part => readCollectionStates(portal, part)))
  return new Map(states.flatMap(state => [...state]))
}

/** The recorded payments per invoice, for `receivablesOf`. */
export function paymentsOf(records: ReadonlyMap<number, CollectionState>): Map<number, PaymentInput[]> {
  const out = new Map<number, PaymentInput[]>()
  for (const [id, state] of records) {
    if (state.payments.length > 0)
      out.set(id, state.payments.map(payment => ({ amount: payment.amount, paidOn: payment.paidOn })))
  }
  return out
}

/** Client keys, the largest invoiced sum first (kept here for the refresh, which ranks the changed rows). */
export { rankClients }
