import type { CalendarDate } from '../calendar-date.ts'

/**
 * A calendar day as a whole number of days since 1970-01-01. The dashboard compares hundreds of
 * thousands of dates per filter change: integers keep that a subtraction, not a string parse.
 */
export type DayNumber = number

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/

/** Day numbers already computed: 100,000 invoices share a few thousand dates. */
const known = new Map<CalendarDate, DayNumber>()
/** Dates remembered at most; past it the memory starts again (a pure cache: the answers never change). */
const KNOWN_MAX = 20_000

/** The day number of `YYYY-MM-DD`; throws on anything else. */
export function dayNumberOf(date: CalendarDate): DayNumber {
  const remembered = known.get(date)
  if (remembered !== undefined)
    return remembered
  const match = ISO_DATE.exec(date)
  if (!match)
    throw new Error(`Not a calendar date: ${date}`)
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000
  if (known.size >= KNOWN_MAX)
    known.clear()
  known.set(date, day)
  return day
}

/** The `YYYY-MM-DD` of a day number. */
export function calendarDateOfDay(day: DayNumber): CalendarDate {
  return new Date(day * 86_400_000).toISOString().slice(0, 10)
}

/** A month as `YYYY-MM`. */
export type MonthKey = string

/** The month a calendar day falls in. */
export function monthOf(date: CalendarDate): MonthKey {
  return date.slice(0, 7)
}

/** The first and last day of a month (`YYYY-MM`). */
export function monthBounds(month: MonthKey): { readonly first: DayNumber, readonly last: DayNumber } {
  const [year, monthIndex] = month.split('-').map(Number) as [number, number]
  return {
    first: Date.UTC(year, monthIndex - 1, 1) / 86_400_000,
    last: Date.UTC(year, monthIndex, 0) / 86_400_000,
  }
}

/** The month `offset` months after `month` (negative goes back). */
export function addMonths(month: MonthKey, offset: number): MonthKey {
  const [year, monthIndex] = month.split('-').map(Number) as [number, number]
  const shifted = new Date(Date.UTC(year, monthIndex - 1 + offset, 1))
  return shifted.toISOString().slice(0, 7)
}
