import type { CalendarDate } from '../calendar-date.ts'
import type { CollectionState } from '../collection/collection-state.ts'
import type { Invoice } from '../invoice.ts'
import type { Money } from '../money.ts'
import type { EmailTemplateId, ReminderChannel, ReminderSettings } from '../settings/settings.ts'
import type { ReminderOccurrence } from './reminder-schedule.ts'
import { addDays, daysBetween } from '../calendar-date.ts'
import { balanceOf, emptyCollectionState } from '../collection/collection-state.ts'
import { isBusinessDay, nextBusinessDay } from './business-days.ts'
import { reminderBlock, stepsFor } from './reminder-blocks.ts'
import { audienceOf, awaitsDecision, failureCount, hasSkipRecord, openClaim, REMINDER_AUDIENCES, REMINDER_MAX_FAILURES, unsettledOccurrences } from './reminder-history.ts'
import { reminderSchedule } from './reminder-schedule.ts'
import { CATCH_UP_DAYS } from './reminder-window.ts'

export interface ReminderInvoice {
  readonly invoice: Invoice
  /** From the invoice's stage semantics (the loader decides): 'paid' | 'cancelled', or null while open. */
  readonly closed: 'paid' | 'cancelled' | null
}

/** The sweep's "now", read once by the caller so one sweep sees one moment. */
export interface ReminderClock {
  /** The portal's calendar day. */
  readonly today: CalendarDate
  /** 0–23 in the portal's time zone. */
  readonly hour: number
  /** Epoch ms, to age claims. */
  readonly instantMs: number
}

/** One step to send for one invoice now. */
export interface ReminderDue {
  readonly invoiceId: number
  readonly stepKey: string
  readonly channel: ReminderChannel
  readonly templateId: EmailTemplateId
  readonly scheduledOn: CalendarDate
  /** `balanceOf(invoice.amount, state)`: partly paid invoices are chased for the balance. */
  readonly balance: Money
  /** max(0, today − due date), in days. */
  readonly daysOverdue: number
  /** A claim for this step exists, older than the lease, with no result: its runner died; the flow must check whether it sent before sending. */
  readonly staleClaim: boolean
}

/** One message to send: one due step, or for e-mail with `groupByClient` all of one client's. */
export interface ReminderSend {
  readonly channel: ReminderChannel
  /** `company:<id>`, else `contact:<id>`, else `invoice:<id>`. */
  readonly clientKey: string
  /** More than one only for e-mail when `settings.groupByClient`; sorted by the invoices' due dates. */
  readonly items: readonly ReminderDue[]
}

export type ReminderSkipReason
  = | 'paid' | 'cancelled' | 'disputed' | 'promised' | 'belowMinimum' | 'optedOut' | 'noDueDate'
    | 'inProgress' | 'beforeSendHour' | 'nonBusinessDay' | 'superseded' | 'failedTooOften' | 'outcomeUnknown'

/** A step not sent now, and why. */
export interface ReminderSkip {
  readonly invoiceId: number
  /** Null only for `noDueDate`: without a due date there is no schedule. */
  readonly stepKey: string | null
  readonly reason: ReminderSkipReason
  /** When the pause ends by itself, e.g. the promised date; null otherwise. */
  readonly until: CalendarDate | null
  /** The history already holds a `skipped` record for this step with this reason: the flow must not write it again. */
  readonly recorded: boolean
}

/** What one sweep does: the messages to send and the steps it leaves, with reasons. */
export interface ReminderPlan {
  readonly sends: readonly ReminderSend[]
  readonly skips: readonly ReminderSkip[]
}

/** How long a claim protects its step: a runner that has not written a result by then is taken for dead. 10 minutes. */
export const REMINDER_CLAIM_LEASE_MS = 10 * 60_000

/** Skip reasons worth a history record (written once per step and reason); the others are only shown. */
export const RECORDED_SKIP_REASONS: ReadonlySet<ReminderSkipReason> = new Set<ReminderSkipReason>(['disputed', 'promised', 'belowMinimum', 'optedOut', 'noDueDate', 'failedTooOften'])

interface InvoicePlan {
  readonly dues: readonly ReminderDue[]
  readonly skips: readonly ReminderSkip[]
}

/** A step is due once its day has passed, or on its day from the send hour on. */
function isDue(occurrence: ReminderOccurrence, sendHour: number, now: ReminderClock): boolean {
  return occurrence.scheduledOn < now.today || (occurrence.scheduledOn === now.today && now.hour >= sendHour)
}

/** The occurrences with the greatest offset: the one step of an audience catch-up sends (two when two channels share the day). */
function latestOf(occurrences: readonly ReminderOccurrence[]): ReminderOccurrence[] {
  const latest = Math.max(...occurrences.map(occurrence => occurrence.offsetDays))
  return occurrences.filter(occurrence => occurrence.offsetDays === latest)
}

/** The schedule ended more than `CATCH_UP_DAYS` ago (its last occurrence, repeats included): catch-up no longer sends it. */
function scheduleOver(schedule: readonly ReminderOccurrence[], today: CalendarDate): boolean {
  const last = schedule.at(-1)
  return last !== undefined && daysBetween(last.scheduledOn, today) > CATCH_UP_DAYS
}

/** What the per-invoice plan works with, computed once. */
interface InvoiceContext {
  readonly entry: ReminderInvoice
  readonly state: CollectionState
  readonly settings: ReminderSettings
  readonly now: ReminderClock
  readonly businessDay: boolean
}

function skipOf(context: InvoiceContext, stepKey: string | null, reason: ReminderSkipReason, until: CalendarDate | null = null): ReminderSkip {
  return { invoiceId: context.entry.invoice.id, stepKey, reason, until, recorded: hasSkipRecord(context.state, stepKey, reason) }
}

/**
 * The target step's fate on a business day for an invoice nobody blocked: a step whose outcome is
 * unknown waits for a person (`outcomeUnknown`, never sent again by the app); 3 or more failures make
 * it wait for a person (`failedTooOften`; fewer are tried again); a claim younger than the lease
 * means another sweep is sending it (`inProgress`); an older one is sent with `staleClaim`, for
 * the flow to check whether the dead runner sent it.
 */
function sendOrSkip(context: InvoiceContext, occurrence: ReminderOccurrence, dueDate: CalendarDate, balance: Money): ReminderDue | ReminderSkip {
  if (awaitsDecision(context.state, occurrence.stepKey))
    return skipOf(context, occurrence.stepKey, 'outcomeUnknown')
  if (failureCount(context.state, occurrence.stepKey) >= REMINDER_MAX_FAILURES)
    return skipOf(context, occurrence.stepKey, 'failedTooOften')
  const claim = openClaim(context.state, occurrence.stepKey)
  // An unreadable claim time counts as old: the stale path checks before it sends.
  if (claim && context.now.instantMs - Date.parse(claim.at) < REMINDER_CLAIM_LEASE_MS)
    return skipOf(context, occurrence.stepKey, 'inProgress')
  const { stepKey, channel, templateId, scheduledOn } = occurrence
  const daysOverdue = Math.max(0, daysBetween(dueDate, context.now.today))
  return { invoiceId: context.entry.invoice.id, stepKey, channel, templateId, scheduledOn, balance, daysOverdue, staleClaim: claim !== null }
}

const isDueItem = (entry: ReminderDue | ReminderSkip): entry is ReminderDue => 'channel' in entry

/** The plan of one audience's unsettled steps (see `planInvoice`). */
function planAudience(context: InvoiceContext, unsettled: readonly ReminderOccurrence[], blocked: ReturnType<typeof reminderBlock>, dueDate: CalendarDate, balance: Money): InvoicePlan {
  const due = unsettled.filter(occurrence => isDue(occurrence, context.settings.sendHour, context.now))
  if (blocked)
    return { dues: [], skips: due.length === 0 ? [] : latestOf(due).map(target => skipOf(context, target.stepKey, blocked.reason, blocked.until)) }
  // A step scheduled later today is the latest: it waits for the send hour, and the missed ones
  // wait with it (superseded), or the client would get two reminders in one day.
  const laterToday = unsettled.filter(occurrence => occurrence.scheduledOn === context.now.today && !due.includes(occurrence))
  if (laterToday.length > 0)
    return { dues: [], skips: [...due.map(occurrence => skipOf(context, occurrence.stepKey, 'superseded')), ...latestOf(laterToday).map(occurrence => skipOf(context, occurrence.stepKey, 'beforeSendHour'))] }
  if (due.length === 0)
    return { dues: [], skips: [] }
  const targets = latestOf(due)
  const superseded = due.filter(occurrence => !targets.includes(occurrence)).map(occurrence => skipOf(context, occurrence.stepKey, 'superseded'))
  if (!context.businessDay)
    return { dues: [], skips: [...superseded, ...targets.map(target => skipOf(context, target.stepKey, 'nonBusinessDay'))] }
  const outcomes = targets.map(target => sendOrSkip(context, target, dueDate, balance))
  return { dues: outcomes.filter(isDueItem), skips: [...superseded, ...outcomes.filter((outcome): outcome is ReminderSkip => !isDueItem(outcome))] }
}

/**
 * One invoice's plan. No due date: `noDueDate` while open. Otherwise the due steps not settled
 * (`unsettledOccurrences`: not sent, not before the furthest step sent to the same audience) are
 * caught up PER AUDIENCE (`audienceOf`): the latest due e-mail to the client and the latest due
 * step for the team go out, the earlier ones of each are `superseded` and, once the later one is
 * sent, never listed again. So after a first install, downtime or a pause the client gets exactly
 * one e-mail and the team one task or escalation: never a burst, never a client left un-e-mailed
 * because an escalation was due (README, "Catching up"). A blocked invoice (`reminderBlock`) lists
 * each audience's latest due step with the block's reason (nothing when no step is due); on a day
 * off nothing is sent (`nonBusinessDay`).
 */
function planInvoice(context: InvoiceContext): InvoicePlan {
  const { invoice, closed } = context.entry
  const { dueDate } = invoice
  if (dueDate === null)
    return { dues: [], skips: closed ? [] : [skipOf(context, null, 'noDueDate')] }
  const schedule = reminderSchedule(dueDate, stepsFor(invoice, context.settings), context.settings)
  // Its whole schedule ended more than `CATCH_UP_DAYS` ago: nothing is planned (`reminderDueWindow`).
  if (scheduleOver(schedule, context.now.today))
    return { dues: [], skips: [] }
  const unsettled = unsettledOccurrences(context.state, schedule)
  const balance = balanceOf(invoice.amount, context.state)
  const blocked = reminderBlock(invoice, closed, context.state, balance, context.settings, context.now.today)
  const parts = REMINDER_AUDIENCES.map(audience => planAudience(context, unsettled.filter(occurrence => audienceOf(occurrence.channel) === audience), blocked, dueDate, balance))
  return { dues: parts.flatMap(part => part.dues), skips: parts.flatMap(part => part.skips) }
}

/** `company:<id>`, else `contact:<id>`, else `invoice:<id>`: who one grouped e-mail goes to. */
function clientKeyOf(invoice: Invoice): string {
  if (invoice.companyId !== null)
    return `company:${invoice.companyId}`
  return invoice.contactId !== null ? `contact:${invoice.contactId}` : `invoice:${invoice.id}`
}

/** Client keys by kind, then by id as a number (`company:9` before `company:10`). */
function compareClientKeys(a: string, b: string): number {
  const [kindA = '', idA = '0'] = a.split(':')
  const [kindB = '', idB = '0'] = b.split(':')
  return kindA === kindB ? Number(idA) - Number(idB) : kindA < kindB ? -1 : 1
}

interface PlannedDue {
  readonly due: ReminderDue
  readonly clientKey: string
  readonly dueDate: CalendarDate
}

/**
 * Dues to messages: with `groupByClient`, one e-mail per client listing its invoices by due date;
 * other channels never group (a task or notification is about one invoice). Sends are ordered by
 * client, then invoice id, so two sweeps over the same data send in the same order.
 */
function groupSends(planned: readonly PlannedDue[], groupByClient: boolean): ReminderSend[] {
  const sorted = [...planned].sort((a, b) => compareClientKeys(a.clientKey, b.clientKey) || a.dueDate.localeCompare(b.dueDate) || a.due.invoiceId - b.due.invoiceId)
  const sends: Array<{ channel: ReminderChannel, clientKey: string, items: ReminderDue[] }> = []
  const grouped = new Map<string, ReminderDue[]>()
  for (const { due, clientKey } of sorted) {
    const items = groupByClient && due.channel === 'email' ? grouped.get(clientKey) : undefined
    if (items) {
      items.push(due)
      continue
    }
    const send = { channel: due.channel, clientKey, items: [due] }
    if (groupByClient && due.channel === 'email')
      grouped.set(clientKey, send.items)
    sends.push(send)
  }
  const firstId = (send: ReminderSend) => Math.min(...send.items.map(item => item.invoiceId))
  return sends.sort((a, b) => compareClientKeys(a.clientKey, b.clientKey) || firstId(a) - firstId(b) || a.channel.localeCompare(b.channel))
}

/**
 * The reminder sweep's decision, pure: which steps to send now and which to leave, with reasons,
 * for the given invoices, their recorded history (missing = nothing recorded), the settings and the
 * clock. Reminders off = an empty plan. Only a `sent` record settles a step, so running the sweep
 * again with the history it wrote sends nothing twice, whoever runs it. Skips are ordered by
 * invoice id; sends by client, then invoice id.
 */
export function planReminders(invoices: readonly ReminderInvoice[], history: ReadonlyMap<number, CollectionState>, settings: ReminderSettings, now: ReminderClock): ReminderPlan {
  if (!settings.enabled)
    return { sends: [], skips: [] }
  const businessDay = !settings.businessDaysOnly || isBusinessDay(now.today, settings)
  const planned: PlannedDue[] = []
  const skips: ReminderSkip[] = []
  for (const entry of [...invoices].sort((a, b) => a.invoice.id - b.invoice.id)) {
    const state = history.get(entry.invoice.id) ?? emptyCollectionState(entry.invoice.id)
    const plan = planInvoice({ entry, state, settings, now, businessDay })
    skips.push(...plan.skips)
    planned.push(...plan.dues.map(due => ({ due, clientKey: clientKeyOf(entry.invoice), dueDate: entry.invoice.dueDate ?? now.today })))
  }
  return { sends: groupSends(planned, settings.groupByClient), skips }
}

/** Steps that failed too often or whose outcome is unknown wait for a person: the next reminder is a step after them. */
function sendableOccurrences(state: CollectionState, unsettled: readonly ReminderOccurrence[]): ReminderOccurrence[] {
  const stuck = (occurrence: ReminderOccurrence) => failureCount(state, occurrence.stepKey) >= REMINDER_MAX_FAILURES || awaitsDecision(state, occurrence.stepKey)
  const floor = Math.max(Number.NEGATIVE_INFINITY, ...unsettled.filter(stuck).map(occurrence => occurrence.offsetDays))
  return unsettled.filter(occurrence => occurrence.offsetDays >= floor && !stuck(occurrence))
}

/**
 * When the invoice's next reminder goes out, for the invoice card and the dashboard: null when
 * nothing will (reminders off, no due date, closed, paid, opted out, disputed, below the minimum,
 * or the schedule is used up). Otherwise the first day a sweep sends — today (or, for a promise,
 * the first business day after the promised date) when a step is due by then, with catch-up's
 * latest step; else the next step's scheduled business day.
 */
export function nextReminder(entry: ReminderInvoice, state: CollectionState, settings: ReminderSettings, now: ReminderClock): { readonly on: CalendarDate, readonly stepKey: string, readonly channel: ReminderChannel } | null {
  const { invoice, closed } = entry
  if (!settings.enabled || invoice.dueDate === null)
    return null
  const blocked = reminderBlock(invoice, closed, state, balanceOf(invoice.amount, state), settings, now.today)
  if (blocked && blocked.reason !== 'promised')
    return null
  const schedule = reminderSchedule(invoice.dueDate, stepsFor(invoice, settings), settings)
  if (scheduleOver(schedule, now.today))
    return null
  const waiting = sendableOccurrences(state, unsettledOccurrences(state, schedule))
  const from = blocked?.until ? addDays(blocked.until, 1) : now.today
  const firstDay = settings.businessDaysOnly ? nextBusinessDay(from, settings) : from
  const caughtUp = waiting.filter(occurrence => occurrence.scheduledOn <= firstDay).at(-1)
  const next = caughtUp ? { ...caughtUp, scheduledOn: firstDay } : waiting[0]
  return next ? { on: next.scheduledOn, stepKey: next.stepKey, channel: next.channel } : null
}
