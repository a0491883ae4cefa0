import type { CalendarDate } from '../calendar-date.ts'
import { addDays, daysBetween } from '../calendar-date.ts'

/** The days off besides ordinary weekends, and the weekends that are working days (both ISO `YYYY-MM-DD`). */
export interface BusinessCalendar {
  readonly holidays: readonly string[]
  readonly workingWeekends: readonly string[]
}

/** A Monday, to count weekdays from without a `Date` (and its time zone). */
const A_MONDAY: CalendarDate = '1970-01-05'

/** 0 = Monday … 5 = Saturday, 6 = Sunday. */
function weekdayOf(day: CalendarDate): number {
  return ((daysBetween(A_MONDAY, day) % 7) + 7) % 7
}

/**
 * Whether people work on `day`: a holiday never is a business day; a Saturday or Sunday is one only
 * when the production calendar made it a working day (`workingWeekends`); other days are.
 */
export function isBusinessDay(day: CalendarDate, calendar: BusinessCalendar): boolean {
  if (calendar.holidays.includes(day))
    return false
  return weekdayOf(day) < 5 || calendar.workingWeekends.includes(day)
}

/**
 * The first business day on or after `day` (`day` itself when it is one). Gives up after a year
 * and returns `day`: only a holiday list covering every day could get there, and a reminder a day
 * early beats a sweep that never ends.
 */
export function nextBusinessDay(day: CalendarDate, calendar: BusinessCalendar): CalendarDate {
  for (let ahead = 0; ahead <= 366; ahead++) {
    const candidate = addDays(day, ahead)
    if (isBusinessDay(candidate, calendar))
      return candidate
  }
  return day
}

/**
 * The years among `years` for which `calendar` lists no holiday at all: its production calendar is
 * missing, so that year's holidays would count as business days. Every year has holidays (1–8
 * January at least), so an empty year is never a real calendar.
 */
export function yearsWithoutCalendar(years: readonly number[], calendar: BusinessCalendar): number[] {
  return [...new Set(years)].filter(year => !calendar.holidays.some(day => day.startsWith(`${year}-`)))
}

/** How far ahead a sweep's schedule looks when it checks the calendar: a December run already places January's reminders. */
export const CALENDAR_LOOKAHEAD_DAYS = 31

/** The years of `today` and of `CALENDAR_LOOKAHEAD_DAYS` later that `calendar` has no data for (`yearsWithoutCalendar`). */
export function calendarGapsAround(today: CalendarDate, calendar: BusinessCalendar): number[] {
  const year = (day: CalendarDate) => Number(day.slice(0, 4))
  return yearsWithoutCalendar([year(today), year(addDays(today, CALENDAR_LOOKAHEAD_DAYS))], calendar)
}
