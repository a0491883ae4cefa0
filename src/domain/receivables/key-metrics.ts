import type { CalendarDate } from '../calendar-date.ts'
import type { DaysToPay } from './headline.ts'
import type { Period } from './period.ts'
import type { ReceivableInvoice } from './receivable-invoice.ts'
import { averageDaysToPay } from './headline.ts'
import { dayNumberOf, monthOf } from './day-number.ts'
import { periodMonths } from './period.ts'
import { isReceivable } from './receivable-invoice.ts'

/**
 * The key metrics of the dashboard (README «Receivables dashboard» → «Key metrics»): time from a
 * deal's creation to its first invoice, the share of invoices the app issued without a click,
 * average days to pay, and the errors of the execution journal — per period, manager and pipeline.
 * Pure: the dashboard's invoices plus what the metrics read lazily (`MetricsInputs`).
 */

/**
 * How an invoice came to be, as the execution journal recorded its issue: `automatic` (the app's
 * robot, auto-issue on a stage, the poll, a subscription period issued by the runner), `manual`
 * (a person clicked «Выставить»), `unknown` (no journal entry: made outside the app, or before the
 * journal's kept days).
 */
export type InvoiceOrigin = 'automatic' | 'manual' | 'unknown'

/** The origin a journal entry's actor (`by` of the `idj|…` tag) means; null for an actor the app does not know. */
export function originOfActor(by: string): Exclude<InvoiceOrigin, 'unknown'> | null {
  if (by === 'user')
    return 'manual'
  return ['robot', 'auto', 'poll', 'runner'].includes(by) ? 'automatic' : null
}

/** A failed action of the execution journal, as the metrics count and list it. */
export interface ErrorEntry {
  readonly id: number
  /** ISO date-time with the portal's offset. */
  readonly at: string
  /** The portal's calendar day of `at`. */
  readonly day: CalendarDate
  readonly action: string
  readonly invoiceId: number | null
  readonly dealId: number | null
  readonly summary: string
  readonly code: string
  readonly message: string
}

/** What the metrics read besides the scan; `null` parts were not readable (shown as «—», never as 0). */
export interface MetricsInputs {
  /** The day each deal was created (portal's calendar), by deal id. */
  readonly dealCreated: ReadonlyMap<number, CalendarDate>
  /** The origin of each invoice the journal knows, by invoice id. */
  readonly origins: ReadonlyMap<number, Exclude<InvoiceOrigin, 'unknown'>> | null
  /** Failed journal entries of the period; null when the journal could not be read. */
  readonly errors: readonly ErrorEntry[] | null
}

/** A deal whose first invoice was issued in the period. */
export interface FirstInvoice {
  readonly dealId: number
  readonly dealCreated: CalendarDate
  readonly invoiceId: number
  readonly issued: CalendarDate
  /** Days from the deal's creation to the first invoice's issue date (0 when the same day or earlier). */
  readonly days: number
}

/** One month of the period. */
export interface KeyMetricsMonth {
  /** `YYYY-MM`. */
  readonly month: string
  readonly firstInvoices: number
  readonly averageDaysToFirstInvoice: number | null
  readonly issued: number
  readonly automatic: number
  readonly manual: number
  readonly unknown: number
  /** automatic ÷ (automatic + manual); null when neither. */
  readonly automaticShare: number | null
  /** Null when the journal could not be read. */
  readonly errors: number | null
}

export interface KeyMetrics {
  readonly firstInvoice: { readonly averageDays: number | null, readonly medianDays: number | null, readonly totalDays: number, readonly count: number }
  readonly origin: { readonly automatic: number, readonly manual: number, readonly unknown: number, readonly automaticShare: number | null }
  readonly daysToPay: DaysToPay
  readonly errors: number | null
  readonly months: readonly KeyMetricsMonth[]
  readonly firstInvoices: readonly FirstInvoice[]
  /** The period's errors the filter keeps, newest first (the drill-down). */
  readonly errorEntries: readonly ErrorEntry[]
}

/** The narrowing the dashboard applies: its pipeline and manager (null = all). */
export interface MetricsFilter {
  readonly categoryId: number | null
  readonly responsibleId: number | null
}

const inFilter = (invoice: ReceivableInvoice, filter: MetricsFilter): boolean =>
  (filter.categoryId === null || invoice.categoryId === filter.categoryId) && (filter.responsibleId === null || invoice.responsibleId === filter.responsibleId)

/** Each deal's first invoice (the earliest issue date among its sent or paid invoices; the lower id on a tie). */
export function firstInvoicesOf(invoices: readonly ReceivableInvoice[]): Map<number, ReceivableInvoice> {
  const first = new Map<number, ReceivableInvoice>()
  for (const invoice of invoices) {
    if (invoice.dealId === null || invoice.issueDay === null || !isReceivable(invoice))
      continue
    const known = first.get(invoice.dealId)
    if (!known || invoice.issueDay < known.issueDay! || (invoice.issueDay === known.issueDay && invoice.id < known.id))
      first.set(invoice.dealId, invoice)
  }
  return first
}

/** The deals whose first invoice falls in `period` (deal ids for the lazy read of their creation days). */
export function dealsFirstInvoicedIn(invoices: readonly ReceivableInvoice[], period: Period): number[] {
  const from = dayNumberOf(period.from)
  const to = dayNumberOf(period.to)
  return [...firstInvoicesOf(invoices).values()].filter(invoice => invoice.issueDay! >= from && invoice.issueDay! <= to).map(invoice => invoice.dealId!)
}

function median(values: readonly number[]): number | null {
  if (values.length === 0)
    return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const share = (automatic: number, manual: number): number | null => automatic + manual > 0 ? automatic / (automatic + manual) : null

/**
 * The key metrics of `invoices` (the dashboard's, already narrowed to its currency) in `period`
 * under `filter`. An invoice counts when it was sent or paid (drafts and cancelled ones count
 * nowhere, as in every figure) and issued in the period; a deal counts when its first invoice
 * was, and its creation day is known. Errors about an invoice follow its manager and pipeline;
 * errors about no invoice count only without a manager or pipeline filter.
 */
export function keyMetrics(invoices: readonly ReceivableInvoice[], filter: MetricsFilter, period: Period, inputs: MetricsInputs): KeyMetrics {
  const from = dayNumberOf(period.from)
  const to = dayNumberOf(period.to)
  const kept = invoices.filter(invoice => inFilter(invoice, filter))
  const firstInvoices: FirstInvoice[] = []
  for (const invoice of firstInvoicesOf(kept).values()) {
    const created = inputs.dealCreated.get(invoice.dealId!)
    if (created && invoice.issueDay! >= from && invoice.issueDay! <= to)
      firstInvoices.push({ dealId: invoice.dealId!, dealCreated: created, invoiceId: invoice.id, issued: invoice.issueDate!, days: Math.max(0, invoice.issueDay! - dayNumberOf(created)) })
  }
  const issued = kept.filter(invoice => isReceivable(invoice) && invoice.issueDay !== null && invoice.issueDay >= from && invoice.issueDay <= to)
  const originOf = (invoice: ReceivableInvoice): InvoiceOrigin => inputs.origins?.get(invoice.id) ?? 'unknown'
  const byId = new Map(invoices.map(invoice => [invoice.id, invoice]))
  const unfiltered = filter.categoryId === null && filter.responsibleId === null
  const errorEntries = inputs.errors === null
    ? []
    : inputs.errors.filter((entry) => {
        const invoice = entry.invoiceId === null ? undefined : byId.get(entry.invoiceId)
        return invoice ? inFilter(invoice, filter) : unfiltered
      }).sort((a, b) => b.id - a.id)
  const months = periodMonths(period).map(({ month }): KeyMetricsMonth => {
    const firsts = firstInvoices.filter(row => monthOf(row.issued) === month)
    const ofMonth = issued.filter(invoice => monthOf(invoice.issueDate!) === month)
    const count = (origin: InvoiceOrigin) => ofMonth.filter(invoice => originOf(invoice) === origin).length
    const [automatic, manual] = [count('automatic'), count('manual')]
    return {
      month,
      firstInvoices: firsts.length,
      averageDaysToFirstInvoice: firsts.length > 0 ? firsts.reduce((sum, row) => sum + row.days, 0) / firsts.length : null,
      issued: ofMonth.length,
      automatic,
      manual,
      unknown: ofMonth.length - automatic - manual,
      automaticShare: share(automatic, manual),
      errors: inputs.errors === null ? null : errorEntries.filter(entry => monthOf(entry.day) === month).length,
    }
  })
  const totalDays = firstInvoices.reduce((sum, row) => sum + row.days, 0)
  const automatic = issued.filter(invoice => originOf(invoice) === 'automatic').length
  const manual = issued.filter(invoice => originOf(invoice) === 'manual').length
  return {
    firstInvoice: { averageDays: firstInvoices.length > 0 ? totalDays / firstInvoices.length : null, medianDays: median(firstInvoices.map(row => row.days)), totalDays, count: firstInvoices.length },
    origin: { automatic, manual, unknown: issued.length - automatic - manual, automaticShare: share(automatic, manual) },
    daysToPay: averageDaysToPay(kept, from, to),
    errors: inputs.errors === null ? null : errorEntries.length,
    months,
    firstInvoices: firstInvoices.sort((a, b) => a.issued.localeCompare(b.issued) || a.dealId - b.dealId),
    errorEntries,
  }
}
