/**
 * A calendar day without a time or zone, as `YYYY-MM-DD`. Due dates and "today" are calendar days:
 * an invoice due on 2026-12-01 is due all day long in the portal's time zone.
 */
export type CalendarDate = string

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/

/**
 * The calendar day of a Bitrix24 date or datetime string such as `2026-12-01T00:00:00+03:00`.
 * Bitrix24 writes datetimes in the portal's offset, so the leading date is the portal's day.
 * Returns `null` for empty or malformed input.
 */
export function calendarDateOf(value: string | null | undefined): CalendarDate | null {
  if (!value)
    return null
  const match = ISO_DATE.exec(value)
  if (!match)
    return null
  const [, y, m, d] = match
  const probe = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  if (probe.getUTCMonth() !== Number(m) - 1)
    return null
  return `${y}-${m}-${d}`
}

/** The calendar day that instant `at` falls on in the IANA time zone `timeZone` (e.g. `Europe/Moscow`). */
export function calendarDateIn(at: Date, timeZone: string): CalendarDate {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at)
  const part = (type: string) => parts.find(p => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')}`
}

function toUtcDays(date: CalendarDate): number {
  const match = ISO_DATE.exec(date)
  if (!match)
    throw new Error(`Not a calendar date: ${date}`)
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toUtcDays(to) - toUtcDays(from)
}

/** The calendar day `days` after `date` (negative goes back). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return new Date((toUtcDays(date) + days) * 86_400_000).toISOString().slice(0, 10)
}

/** Whether `value` is an IANA time zone this runtime knows. */
export function isKnownTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return true
  }
  catch {
    return false
  }
}
