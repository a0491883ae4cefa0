import type { CalendarDate } from '../calendar-date.ts'
import type { Money } from '../money.ts'
import { calendarDateOf, daysBetween } from '../calendar-date.ts'
import { minorUnitDigits, moneyToDecimal } from '../money.ts'

/** How often a subscription invoices: every month, quarter or year from the start day, or every N days. */
export type SubscriptionFrequency = 'monthly' | 'quarterly' | 'yearly' | 'days'

/** When a subscription stops: after its last period starting on or before a day, after N periods, or never. */
export type SubscriptionEnd
  = | { readonly kind: 'date', readonly on: CalendarDate }
    | { readonly kind: 'count', readonly periods: number }
    | { readonly kind: 'never' }

/** What each period's invoice asks for: the deal's products and sum as they are then, or a fixed sum (minor units). */
export type SubscriptionAmount
  = | { readonly kind: 'deal' }
    | { readonly kind: 'fixed', readonly amount: Money }

/** A deal's recurring-invoice schedule, as the manager set it. */
export interface SubscriptionSchedule {
  readonly frequency: SubscriptionFrequency
  /** Length of a period in days when `frequency` is `days`; null otherwise. */
  readonly everyDays: number | null
  /** The first period's first day. Month-based periods keep this day of the month (clamped to short months). */
  readonly startDate: CalendarDate
  readonly end: SubscriptionEnd
  readonly amount: SubscriptionAmount
  /**
   * Auto-renewal on payment: the next period's invoice goes out as soon as the previous one is
   * paid (ahead of its start), and not while the previous one is unpaid. Default false.
   */
  readonly renewOnPayment: boolean
}

/** The form's raw values before validation (strings as typed; sums in major units as typed). */
export interface SubscriptionDraft {
  readonly frequency: SubscriptionFrequency
  readonly everyDays: string
  readonly startDate: string
  readonly endKind: SubscriptionEnd['kind']
  readonly endDate: string
  readonly endCount: string
  readonly amountKind: SubscriptionAmount['kind']
  /** Fixed sum in major units as typed (`1500`, `1500,50`). */
  readonly fixedSum: string
  readonly currency: string
  readonly renewOnPayment: boolean
}

export type SubscriptionProblem
  = | 'everyDaysInvalid'
    | 'startInvalid'
    | 'endDateInvalid'
    | 'endBeforeStart'
    | 'countInvalid'
    | 'fixedSumInvalid'
    | 'fixedSumNotPositive'

export type SubscriptionValidation
  = | { readonly ok: true, readonly schedule: SubscriptionSchedule }
    | { readonly ok: false, readonly problems: readonly SubscriptionProblem[] }

/** Longest period of an every-N-days schedule: ten years. */
export const MAX_EVERY_DAYS = 3660
/** Most periods a counted schedule may have (100 years of months). */
export const MAX_PERIODS = 1200

const WHOLE = /^\d+$/
const DECIMAL = /^\d+(?:[.,]\d+)?$/

function wholeIn(value: string, min: number, max: number): number | null {
  const text = value.trim()
  if (!WHOLE.test(text))
    return null
  const n = Number(text)
  return n >= min && n <= max ? n : null
}

/**
 * Minor units of a sum typed in major units (`1500,5` RUB → 150050), with no more decimals than the
 * currency has; null when malformed.
 */
export function minorOfTyped(value: string, currency: string): number | null {
  const text = value.trim().replace(/\s/g, '')
  const digits = minorUnitDigits(currency)
  const [whole = '', fraction = ''] = text.replace(',', '.').split('.')
  if (!DECIMAL.test(text) || fraction.length > digits)
    return null
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0')
  return Number.isSafeInteger(minor) ? minor : null
}

function endOf(draft: SubscriptionDraft, start: CalendarDate | null, problems: SubscriptionProblem[]): SubscriptionEnd {
  if (draft.endKind === 'date') {
    const on = calendarDateOf(draft.endDate.trim())
    if (!on || draft.endDate.trim().length !== 10)
      problems.push('endDateInvalid')
    else if (start && daysBetween(start, on) < 0)
      problems.push('endBeforeStart')
    return { kind: 'date', on: on ?? '' }
  }
  if (draft.endKind === 'count') {
    const periods = wholeIn(draft.endCount, 1, MAX_PERIODS)
    if (periods === null)
      problems.push('countInvalid')
    return { kind: 'count', periods: periods ?? 0 }
  }
  return { kind: 'never' }
}

function amountOf(draft: SubscriptionDraft, problems: SubscriptionProblem[]): SubscriptionAmount {
  if (draft.amountKind === 'deal')
    return { kind: 'deal' }
  const negative = draft.fixedSum.trim().startsWith('-')
  const minor = negative ? null : minorOfTyped(draft.fixedSum, draft.currency)
  if (negative || (minor !== null && minor <= 0))
    problems.push('fixedSumNotPositive')
  else if (minor === null)
    problems.push('fixedSumInvalid')
  return { kind: 'fixed', amount: { amountMinor: minor ?? 0, currency: draft.currency } }
}

/**
 * Checks the form and builds the schedule, or lists every problem at once (nothing is saved
 * while any remains): N days a whole number 1…3660, a real start day, an end day not before the
 * start, a count 1…1200, a fixed sum above zero with at most two decimals.
 */
export function validateSubscription(draft: SubscriptionDraft): SubscriptionValidation {
  const problems: SubscriptionProblem[] = []
  const everyDays = draft.frequency === 'days' ? wholeIn(draft.everyDays, 1, MAX_EVERY_DAYS) : null
  if (draft.frequency === 'days' && everyDays === null)
    problems.push('everyDaysInvalid')
  const start = draft.startDate.trim().length === 10 ? calendarDateOf(draft.startDate.trim()) : null
  if (!start)
    problems.push('startInvalid')
  const end = endOf(draft, start, problems)
  const amount = amountOf(draft, problems)
  if (problems.length > 0 || !start)
    return { ok: false, problems }
  return { ok: true, schedule: { frequency: draft.frequency, everyDays, startDate: start, end, amount, renewOnPayment: draft.renewOnPayment } }
}

/** The form's values for an existing schedule (to change it), or a fresh monthly one from `today` with the deal's sum. */
export function draftOf(schedule: SubscriptionSchedule | null, today: CalendarDate, currency: string): SubscriptionDraft {
  if (!schedule)
    return { frequency: 'monthly', everyDays: '30', startDate: today, endKind: 'never', endDate: '', endCount: '12', amountKind: 'deal', fixedSum: '', currency, renewOnPayment: false }
  const { end, amount } = schedule
  return {
    frequency: schedule.frequency,
    everyDays: String(schedule.everyDays ?? 30),
    startDate: schedule.startDate,
    endKind: end.kind,
    endDate: end.kind === 'date' ? end.on : '',
    endCount: end.kind === 'count' ? String(end.periods) : '12',
    amountKind: amount.kind,
    fixedSum: amount.kind === 'fixed' ? moneyToDecimal(amount.amount).toFixed(minorUnitDigits(amount.amount.currency)) : '',
    currency: amount.kind === 'fixed' ? amount.amount.currency : currency,
    renewOnPayment: schedule.renewOnPayment,
  }
}
