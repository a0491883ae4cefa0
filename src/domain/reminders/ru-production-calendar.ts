import type { BusinessCalendar } from './business-days.ts'

/**
 * The Russian production calendar (производственный календарь) as the reminders' default holidays,
 * for a five-day week, year by year. The admin can edit both lists in the settings; a portal that
 * saved its own lists still gets the years (and corrections) a later release brings — see
 * `withCalendarDefaults`. A year not listed here has no defaults: the settings and the runner warn.
 *
 * Sources, checked day by day by `test/domain/reminders/ru-production-calendar.test.ts`:
 * - Labour Code art. 112: the non-working holidays 1–8 January, 23 February, 8 March, 1 May, 9 May,
 *   12 June, 4 November; a holiday on a Saturday or Sunday moves to the next working day, except
 *   the January ones, which the Government moves by decree.
 * - 2026: Government decree No. 1466 of 24 September 2025 «О переносе выходных дней в 2026 году»
 *   (as reported by the Government's press service, e.g. ria.ru/20250924/mishustin--2044066128.html):
 *   3 January → Friday 9 January, 4 January → Thursday 31 December; by art. 112: 8 March → 9 March,
 *   9 May → 11 May. No working Saturdays. Matches xmlcalendar/data `ru/2026/calendar.xml`
 *   (commit 82c37843c499d9f7ee2084aac858d6d057d80752, dated 2025.09.30).
 * - 2027: the decree's text was not reachable when this was written; the days are those of the
 *   maintained open dataset xmlcalendar/data (github.com/xmlcalendar/data) `ru/2027/calendar.xml`,
 *   commit 7296460e1aa81830994e59a933afe929d56c2e47, dated 2026.09.02: 2 January → Friday 5 November,
 *   3 January → Friday 31 December, Saturday 20 February a working day → Monday 22 February off; by
 *   art. 112: 1 May → 3 May, 9 May → 10 May, 12 June → 14 June.
 */

/** Non-working holidays and the weekdays days off were moved to, 2026, ISO `YYYY-MM-DD`. */
const HOLIDAYS_2026 = [
  '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08',
  '2026-01-09', // moved from Saturday 3 January
  '2026-02-23',
  '2026-03-08', '2026-03-09', // 8 March is a Sunday
  '2026-05-01',
  '2026-05-09', '2026-05-11', // 9 May is a Saturday
  '2026-06-12',
  '2026-11-04',
  '2026-12-31', // moved from Sunday 4 January
] as const

/** 2027 (xmlcalendar/data, see above). */
const HOLIDAYS_2027 = [
  '2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08',
  '2027-02-22', // moved from Saturday 20 February, a working day
  '2027-02-23',
  '2027-03-08',
  '2027-05-01', '2027-05-03', // 1 May is a Saturday
  '2027-05-09', '2027-05-10', // 9 May is a Sunday
  '2027-06-12', '2027-06-14', // 12 June is a Saturday
  '2027-11-04',
  '2027-11-05', // moved from Saturday 2 January
  '2027-12-31', // moved from Sunday 3 January
] as const

/** The default calendar by year: the days off besides weekends, and the weekends that are working days. */
export const RU_CALENDAR: Readonly<Record<number, BusinessCalendar>> = {
  2026: { holidays: HOLIDAYS_2026, workingWeekends: [] },
  2027: { holidays: HOLIDAYS_2027, workingWeekends: ['2027-02-20'] },
}

/**
 * What earlier releases shipped as a year's defaults: a saved year equal to one of them was never
 * edited by the admin, so it takes this release's defaults (the corrected 2027).
 */
const SHIPPED_BEFORE: Readonly<Record<number, readonly BusinessCalendar[]>> = {
  2027: [{
    holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08', '2027-02-23', '2027-03-08', '2027-05-01', '2027-05-03', '2027-05-09', '2027-05-10', '2027-06-12', '2027-06-14', '2027-11-04'],
    workingWeekends: [],
  }],
}

/** The default holiday list: every year of `RU_CALENDAR`, ascending. */
export const RU_HOLIDAYS: readonly string[] = Object.values(RU_CALENDAR).flatMap(year => year.holidays)

/** The default working Saturdays and Sundays: every year of `RU_CALENDAR`, ascending. */
export const RU_WORKING_WEEKENDS: readonly string[] = Object.values(RU_CALENDAR).flatMap(year => year.workingWeekends)

const inYear = (days: readonly string[], year: number) => days.filter(day => day.startsWith(`${year}-`))
const sameDays = (a: readonly string[], b: readonly string[]) => new Set(a).size === new Set(b).size && a.every(day => b.includes(day))

/**
 * Whether the saved lists hold no holiday of `year` (no calendar for it: every year has 1–8 January),
 * or exactly what a release shipped for it (the admin never edited it).
 */
function untouched(saved: BusinessCalendar, year: number): boolean {
  const mine = { holidays: inYear(saved.holidays, year), workingWeekends: inYear(saved.workingWeekends, year) }
  if (mine.holidays.length === 0)
    return true
  return [RU_CALENDAR[year]!, ...(SHIPPED_BEFORE[year] ?? [])].some(shipped => sameDays(shipped.holidays, mine.holidays) && sameDays(shipped.workingWeekends, mine.workingWeekends))
}

/**
 * The saved holiday lists with this release's defaults for every year of `RU_CALENDAR` the admin
 * did not edit: a year with no holiday in the lists, or held exactly as an earlier release shipped it,
 * gets the current defaults; a year with any addition or removal of the admin's stays as saved.
 * Nothing is stored differently (no schema change): the lists are merged when read. Unchanged
 * lists come back as they were (same order).
 */
export function withCalendarDefaults(saved: BusinessCalendar): BusinessCalendar {
  const years = Object.keys(RU_CALENDAR).map(Number).filter(year => untouched(saved, year))
  const replaced = years.filter(year => !sameDays(inYear(saved.holidays, year), RU_CALENDAR[year]!.holidays) || !sameDays(inYear(saved.workingWeekends, year), RU_CALENDAR[year]!.workingWeekends))
  if (replaced.length === 0)
    return saved
  const merge = (days: readonly string[], pick: (year: BusinessCalendar) => readonly string[]) =>
    [...days.filter(day => !replaced.some(year => day.startsWith(`${year}-`))), ...replaced.flatMap(year => pick(RU_CALENDAR[year]!))].sort()
  return { holidays: merge(saved.holidays, year => year.holidays), workingWeekends: merge(saved.workingWeekends, year => year.workingWeekends) }
}
