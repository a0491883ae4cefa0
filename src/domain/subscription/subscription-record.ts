import type { TimelineEntry } from '../collection/collection-record.ts'
import type { SubscriptionAmount, SubscriptionEnd, SubscriptionFrequency, SubscriptionSchedule } from './subscription-schedule.ts'
import { calendarDateOf } from '../calendar-date.ts'
import { machineTagOf, withMachineTag } from '../text/machine-tag.ts'

/**
 * WHERE A SUBSCRIPTION LIVES, AND WHY.
 *
 * The schedule is a log entry in the deal's own timeline (`crm.timeline.logmessage.add`), its
 * machine-readable record `{"kind":"subscription",…}` hidden after the sentence as the collection
 * records carry it on invoices (`text/machine-tag.ts`); stopping writes `{"kind":"subscriptionStopped"}`. The newest entry
 * (highest id) wins. Why there:
 * - a manager may set it: app options need an admin, deal custom fields need an admin to create;
 * - the scheduled runner on a webhook can read it (app storage `entity.item.*` refuses webhooks);
 * - every change stays readable in the deal card, with who made it, and nothing is ever
 *   half-written: one entry is the whole schedule, written in one call.
 * The invoices themselves say which periods are issued (their `xmlId`, `invoiceKey(deal, 'period-…')`):
 * no second record that could disagree with them.
 */
export const SUBSCRIPTION_LOG_TITLE = 'Invoice Desk: подписка'

export type SubscriptionRecord
  = | { readonly kind: 'subscription', readonly schedule: SubscriptionSchedule, readonly by: number | null }
    | { readonly kind: 'subscriptionStopped', readonly by: number | null }
    /** A notice the runner sent the manager (`subscription-notices.ts`), so it goes once. */
    | { readonly kind: 'subscriptionNotice', readonly key: string }

/** The subscription a deal's timeline holds now: the schedule and the log entry that set it, or stopped / none. */
export type SubscriptionState
  = | { readonly status: 'active', readonly schedule: SubscriptionSchedule, readonly logId: number, readonly setAt: string, readonly by: number | null, readonly notices: ReadonlySet<string> }
    | { readonly status: 'stopped', readonly logId: number, readonly setAt: string, readonly by: number | null }
    | { readonly status: 'none' }

const FREQUENCIES: ReadonlySet<string> = new Set<SubscriptionFrequency>(['monthly', 'quarterly', 'yearly', 'days'])

/** The text written to the deal's timeline: the sentence people read, the record hidden after it (`text/machine-tag.ts`). */
export function subscriptionText(sentence: string, record: SubscriptionRecord): string {
  return withMachineTag(sentence, record)
}

type Raw = Record<string, unknown>
const isRaw = (value: unknown): value is Raw => value !== null && typeof value === 'object'
const positive = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0

function endOf(raw: unknown): SubscriptionEnd | null {
  if (!isRaw(raw))
    return null
  if (raw.kind === 'never')
    return { kind: 'never' }
  if (raw.kind === 'count' && positive(raw.periods))
    return { kind: 'count', periods: raw.periods }
  const on = raw.kind === 'date' ? calendarDateOf(typeof raw.on === 'string' ? raw.on : null) : null
  return on ? { kind: 'date', on } : null
}

function amountOf(raw: unknown): SubscriptionAmount | null {
  if (!isRaw(raw))
    return null
  if (raw.kind === 'deal')
    return { kind: 'deal' }
  const amount = raw.amount
  if (raw.kind !== 'fixed' || !isRaw(amount) || !positive(amount.amountMinor) || typeof amount.currency !== 'string')
    return null
  return { kind: 'fixed', amount: { amountMinor: amount.amountMinor, currency: amount.currency } }
}

function scheduleOf(raw: unknown): SubscriptionSchedule | null {
  if (!isRaw(raw) || !FREQUENCIES.has(String(raw.frequency)))
    return null
  const frequency = raw.frequency as SubscriptionFrequency
  const everyDays = frequency === 'days' ? (positive(raw.everyDays) ? raw.everyDays : null) : null
  const startDate = calendarDateOf(typeof raw.startDate === 'string' ? raw.startDate : null)
  const end = endOf(raw.end)
  const amount = amountOf(raw.amount)
  if ((frequency === 'days' && everyDays === null) || !startDate || !end || !amount)
    return null
  // Records written before auto-renewal existed have no flag: they follow the calendar.
  return { frequency, everyDays, startDate, end, amount, renewOnPayment: raw.renewOnPayment === true }
}

/** The subscription record tagged in a timeline text; null for other entries or damaged ones. */
export function parseSubscriptionRecord(text: string): SubscriptionRecord | null {
  const raw = machineTagOf(text)
  if (!isRaw(raw))
    return null
  const by = positive(raw.by) ? raw.by : null
  if (raw.kind === 'subscriptionStopped')
    return { kind: 'subscriptionStopped', by }
  if (raw.kind === 'subscriptionNotice')
    return typeof raw.key === 'string' && raw.key ? { kind: 'subscriptionNotice', key: raw.key } : null
  const schedule = raw.kind === 'subscription' ? scheduleOf(raw.schedule) : null
  return schedule ? { kind: 'subscription', schedule, by } : null
}

/** The deal's subscription now: its newest schedule or stop entry (by id) wins; with the notices sent since. */
export function foldSubscription(entries: readonly TimelineEntry[]): SubscriptionState {
  const newestFirst = [...entries].sort((a, b) => b.id - a.id)
  const notices = new Set<string>()
  for (const entry of newestFirst) {
    const record = parseSubscriptionRecord(entry.text)
    if (record?.kind === 'subscriptionNotice')
      notices.add(record.key)
    if (record?.kind === 'subscription')
      return { status: 'active', schedule: record.schedule, logId: entry.id, setAt: entry.created, by: record.by, notices }
    if (record?.kind === 'subscriptionStopped')
      return { status: 'stopped', logId: entry.id, setAt: entry.created, by: record.by }
  }
  return { status: 'none' }
}

/** The period purpose of an invoice the chain issued for `dealId` (`invoice-desk:deal:<id>:period-…`), or null. */
export function periodPurposeOfKey(dealId: number, xmlId: string | null | undefined): string | null {
  const prefix = `invoice-desk:deal:${dealId}:`
  if (!xmlId?.startsWith(prefix))
    return null
  const purpose = xmlId.slice(prefix.length)
  return purpose.startsWith('period-') ? purpose : null
}
