import type { CalendarDate } from '../calendar-date.ts'
import type { IssuePurpose } from '../issue/issue-key.ts'
import type { SubscriptionSchedule } from './subscription-schedule.ts'
import { addDays, daysBetween } from '../calendar-date.ts'

/** One billing period: its days (inclusive) and the purpose that keys its one invoice. */
export interface SubscriptionPeriod {
  /** 0 for the first period. */
  readonly index: number
  readonly start: CalendarDate
  /** The last day of the period (the day before the next one starts). */
  readonly end: CalendarDate
  /** `period-YYYY-MM` for month-based schedules, `period-YYYY-MM-DD` for every N days. */
  readonly purpose: IssuePurpose
}

const MONTHS = { monthly: 1, quarterly: 3, yearly: 12 } as const

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate()
}

/** `start` moved `months` months on, keeping its day of the month or the month's last day when shorter (31 Jan → 28 Feb). */
export function addMonthsClamped(start: CalendarDate, months: number): CalendarDate {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number]
  const total = (m - 1) + months
  const year = y + Math.floor(total / 12)
  const month0 = ((total % 12) + 12) % 12
  const day = Math.min(d, daysInMonth(year, month0))
  return `${year}-${String(month0 + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** The first day of period `index` (always counted from the start day, so clamping never drifts). */
export function periodStart(schedule: SubscriptionSchedule, index: number): CalendarDate {
  if (schedule.frequency === 'days')
    return addDays(schedule.startDate, index * (schedule.everyDays ?? 1))
  return addMonthsClamped(schedule.startDate, index * MONTHS[schedule.frequency])
}

/** The purpose keying the invoice of a period that starts on `start`: one invoice per month (or day) whatever the schedule becomes later. */
export function periodPurpose(schedule: SubscriptionSchedule, start: CalendarDate): IssuePurpose {
  return schedule.frequency === 'days' ? `period-${start}` : `period-${start.slice(0, 7)}`
}

/** Whether period `index` belongs to the schedule (before its count or end day). */
export function periodExists(schedule: SubscriptionSchedule, index: number): boolean {
  if (index < 0)
    return false
  const { end } = schedule
  if (end.kind === 'count')
    return index < end.periods
  if (end.kind === 'date')
    return daysBetween(periodStart(schedule, index), end.on) >= 0
  return true
}

/** Period `index` with its days and purpose; null when the schedule has ended before it. */
export function periodAt(schedule: SubscriptionSchedule, index: number): SubscriptionPeriod | null {
  if (!periodExists(schedule, index))
    return null
  const start = periodStart(schedule, index)
  return { index, start, end: addDays(periodStart(schedule, index + 1), -1), purpose: periodPurpose(schedule, start) }
}

/** Index of the latest period that has started by `today`; -1 before the start day. */
export function latestStartedIndex(schedule: SubscriptionSchedule, today: CalendarDate): number {
  const elapsed = daysBetween(schedule.startDate, today)
  if (elapsed < 0)
    return -1
  if (schedule.frequency === 'days')
    return Math.floor(elapsed / (schedule.everyDays ?? 1))
  // Months are uneven: estimate from the day count, then step to the exact period.
  const step = MONTHS[schedule.frequency]
  let index = Math.max(0, Math.floor(elapsed / (31 * step)))
  while (daysBetween(periodStart(schedule, index + 1), today) >= 0)
    index++
  return index
}
