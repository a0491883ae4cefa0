import type { CalendarDate } from '../calendar-date.ts'
import type { CurrencyCode } from '../money.ts'
import type { ReceivableInvoice } from './receivable-invoice.ts'
import { addMonths, calendarDateOfDay, dayNumberOf, monthBounds, monthOf } from './day-number.ts'

/** The periods the dashboard offers; each ends on the "as of" day. */
export type PeriodPreset = 'month' | 'quarter' | 'year' | 'last30' | 'last90' | 'last12Months'

export const PERIOD_PRESETS: readonly PeriodPreset[] = ['month', 'quarter', 'year', 'last30', 'last90', 'last12Months']

/** Calendar days `from`..`to`, both included. */
export interface Period {
  readonly from: CalendarDate
  readonly to: CalendarDate
}

/**
 * The period a preset means on `asOf`: this month / quarter / year to date, the last 30 or 90
 * days, or the last 12 months counted from the first day of the month 11 months back.
 */
export function periodOf(preset: PeriodPreset, asOf: CalendarDate): Period {
  const month = monthOf(asOf)
  const [year, monthNumber] = month.split('-').map(Number) as [number, number]
  const back = (days: number) => calendarDateOfDay(dayNumberOf(asOf) - days + 1)
  switch (preset) {
    case 'month': return { from: `${month}-01`, to: asOf }
    case 'quarter': return { from: `${year}-${String(monthNumber - ((monthNumber - 1) % 3)).padStart(2, '0')}-01`, to: asOf }
    case 'year': return { from: `${year}-01-01`, to: asOf }
    case 'last30': return { from: back(30), to: asOf }
    case 'last90': return { from: back(90), to: asOf }
    case 'last12Months': return { from: `${addMonths(month, -11)}-01`, to: asOf }
  }
}

/** Number of days in the period, both ends included. */
export function periodDays(period: Period): number {
  return dayNumberOf(period.to) - dayNumberOf(period.from) + 1
}

/** The months the period touches, oldest first, each cut to the period. */
export function periodMonths(period: Period): { readonly month: string, readonly first: number, readonly last: number }[] {
  const from = dayNumberOf(period.from)
  const to = dayNumberOf(period.to)
  const months = []
  for (let month = monthOf(period.from); month <= monthOf(period.to); month = addMonths(month, 1)) {
    const bounds = monthBounds(month)
    months.push({ month, first: Math.max(bounds.first, from), last: Math.min(bounds.last, to) })
  }
  return months
}

/** What the figures are narrowed to. Amounts of different currencies are never added: one currency at a time. */
export interface ReceivablesFilter {
  readonly currency: CurrencyCode
  /** One invoice pipeline, or null for all. */
  readonly categoryId: number | null
  /** One responsible manager, or null for everyone. */
  readonly responsibleId: number | null
}

/** The invoices the filter keeps (cancelled and draft ones stay: each figure decides). */
export function filterInvoices(invoices: readonly ReceivableInvoice[], filter: ReceivablesFilter): ReceivableInvoice[] {
  const { currency, categoryId, responsibleId } = filter
  return invoices.filter(invoice => invoice.currency === currency
    && (categoryId === null || invoice.categoryId === categoryId)
    && (responsibleId === null || invoice.responsibleId === responsibleId))
}

/** The currencies the invoices are in, the most used first (ties alphabetically). */
export function currenciesInUse(invoices: readonly ReceivableInvoice[]): CurrencyCode[] {
  const counts = new Map<CurrencyCode, number>()
  for (const invoice of invoices)
    counts.set(invoice.currency, (counts.get(invoice.currency) ?? 0) + 1)
  return [...counts.keys()].sort((a, b) => (counts.get(b)! - counts.get(a)!) || a.localeCompare(b))
}
