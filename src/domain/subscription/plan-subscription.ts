import type { CalendarDate } from '../calendar-date.ts'
import type { IssuePurpose } from '../issue/issue-key.ts'
import type { SubscriptionPeriod } from './subscription-period.ts'
import type { SubscriptionSchedule } from './subscription-schedule.ts'
import { daysBetween } from '../calendar-date.ts'
import { latestStartedIndex, periodAt } from './subscription-period.ts'

/** Days before a subscription's last day when the manager is warned that it ends. */
export const ENDS_SOON_DAYS = 7

/** What a subscription needs on `today`. */
export interface SubscriptionPlan {
  /** The latest period that has started (issued or not); null before the start day. */
  readonly current: SubscriptionPeriod | null
  /** The period whose invoice should be issued now; null when none is due (not started, issued, ended). */
  readonly due: SubscriptionPeriod | null
  /**
   * Periods that started after the last issued one and before `due` yet have no invoice (the runner
   * was down): they are reported, not issued on their own — see `planSubscription`.
   */
  readonly missed: readonly SubscriptionPeriod[]
  /** The next period to start after today (its start is the next invoice date); null when the schedule has none left. */
  readonly next: SubscriptionPeriod | null
  /** The last day of the whole subscription; null for one without an end. */
  readonly endsOn: CalendarDate | null
  /** True once the last day has passed and nothing is left to issue. */
  readonly ended: boolean
  /** True from `ENDS_SOON_DAYS` before the last day until it, while the subscription has not ended. */
  readonly endsSoon: boolean
}

function lastPeriod(schedule: SubscriptionSchedule): SubscriptionPeriod | null {
  const { end } = schedule
  if (end.kind === 'never')
    return null
  if (end.kind === 'count')
    return periodAt(schedule, end.periods - 1)
  return periodAt(schedule, latestStartedIndex(schedule, end.on))
}

function missedBetween(schedule: SubscriptionSchedule, issued: ReadonlySet<IssuePurpose>, dueIndex: number): SubscriptionPeriod[] {
  const missed: SubscriptionPeriod[] = []
  for (let index = dueIndex - 1; index >= 0; index--) {
    const period = periodAt(schedule, index)
    if (!period || issued.has(period.purpose))
      break
    missed.unshift(period)
  }
  // Nothing issued before them at all: the schedule started in the past, billing starts now.
  return missed.length > 0 && missed[0]!.index === 0 && !issued.size ? [] : missed
}

/** The latest period (up to one past `current`) that has an invoice; null when none has. */
function latestIssued(schedule: SubscriptionSchedule, issued: ReadonlySet<IssuePurpose>, current: SubscriptionPeriod): SubscriptionPeriod | null {
  for (let index = current.index + 1; index >= 0; index--) {
    const period = periodAt(schedule, index)
    if (period && issued.has(period.purpose))
      return period
  }
  return null
}

/**
 * Auto-renewal: the first invoice goes out on the start day; each next one as soon as the latest
 * invoiced period is paid — the period after it, or the current one when payment came late — and
 * none while it is unpaid.
 */
function renewalDue(schedule: SubscriptionSchedule, issued: ReadonlySet<IssuePurpose>, paid: ReadonlySet<IssuePurpose>, current: SubscriptionPeriod | null): SubscriptionPeriod | null {
  if (!current)
    return null
  const latest = latestIssued(schedule, issued, current)
  if (!latest)
    return current
  if (!paid.has(latest.purpose))
    return null
  const next = periodAt(schedule, Math.max(latest.index + 1, current.index))
  return next && !issued.has(next.purpose) ? next : null
}

/**
 * Plans a subscription on `today` (the portal's calendar day) from the purposes of the invoices
 * the deal already has (`period-…`, see `periodPurpose`). Pure.
 *
 * Catch-up: only the latest period that has started is due — after downtime the client gets the
 * invoice for the current period, not a burst of old ones (as reminders send only the latest
 * step). Earlier periods without an invoice are listed as `missed` for the manager to decide, never
 * silently dropped. Each period has one purpose, hence at most one invoice (its `xmlId`).
 * A schedule that starts in the past begins billing with the current period. With
 * `renewOnPayment`, `paid` (purposes of paid period invoices) decides instead (`renewalDue`).
 */
export function planSubscription(schedule: SubscriptionSchedule, issued: ReadonlySet<IssuePurpose>, today: CalendarDate, paid: ReadonlySet<IssuePurpose> = new Set()): SubscriptionPlan {
  const last = lastPeriod(schedule)
  const started = latestStartedIndex(schedule, today)
  const current = started >= 0 ? periodAt(schedule, last ? Math.min(started, last.index) : started) : null
  const due = schedule.renewOnPayment ? renewalDue(schedule, issued, paid, current) : current && !issued.has(current.purpose) ? current : null
  const next = periodAt(schedule, started + 1)
  const endsOn = last ? (schedule.end.kind === 'date' ? schedule.end.on : last.end) : null
  const ended = endsOn !== null && daysBetween(endsOn, today) > 0 && due === null
  const endsSoon = !ended && endsOn !== null && daysBetween(today, endsOn) >= 0 && daysBetween(today, endsOn) <= ENDS_SOON_DAYS
  return { current, due, missed: due ? missedBetween(schedule, issued, due.index) : [], next, endsOn, ended, endsSoon }
}
