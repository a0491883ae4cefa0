import type { CollectionState } from '../collection/collection-state.ts'
import type { Invoice } from '../invoice.ts'
import type { PortalClock } from '../portal-clock.ts'
import type { ReminderSettings } from '../settings/settings.ts'
import type { ReminderDue, ReminderPlan, ReminderSend } from './plan-reminders.ts'
import { claimWinner } from '../collection/reminder-claim.ts'
import { planReminders, REMINDER_CLAIM_LEASE_MS } from './plan-reminders.ts'

/**
 * The decisions of the reminder sweep (`src/flows/run-reminders.ts`), pure: what to cap, what a
 * dead sweep's claim left means, which claims this sweep won, and what a send whose answer was
 * lost became. The flow reads and writes; these only decide.
 */

/** `<invoiceId>:<stepKey>`: one step of one invoice, as the queue selects it and the outcomes name it. */
export const dueKey = (due: Pick<ReminderDue, 'invoiceId' | 'stepKey'>): string => `${due.invoiceId}:${due.stepKey}`

/**
 * The first `limit` sends, the freshest scheduled steps first (a backlog never delays today's
 * reminders), in the plan's order; `deferred` counts the sends left for the next sweep.
 */
export function capSends(plan: ReminderPlan, limit: number): { plan: ReminderPlan, deferred: number } {
  if (plan.sends.length <= limit)
    return { plan, deferred: 0 }
  const newest = (send: ReminderSend) => send.items.reduce((latest, item) => (item.scheduledOn > latest ? item.scheduledOn : latest), '')
  const kept = new Set([...plan.sends].sort((a, b) => newest(b).localeCompare(newest(a))).slice(0, limit))
  return { plan: { ...plan, sends: plan.sends.filter(send => kept.has(send)) }, deferred: plan.sends.length - limit }
}

/**
 * What the send leaves in the portal to find it by later: the e-mail's `ORIGIN_ID` (a grouped
 * e-mail: the client, the day and its steps), the task's `title`; null for notifications.
 */
export function sendOrigin(send: ReminderSend, title: string, today: string): string | null {
  if (send.channel === 'email') {
    return send.items.length > 1
      ? `INVOICE_DESK|REMIND|${send.clientKey}|${today}|${send.items.map(dueKey).join(',')}`
      : `INVOICE_DESK|REMIND|${send.items[0]!.invoiceId}|${send.items[0]!.stepKey}`
  }
  return send.channel === 'task' ? title : null
}

/** The origin a dead sweep's claim named for this step (its last claim), when there is one to look up. */
export function staleClaimOrigin(state: CollectionState | undefined, item: ReminderDue): string | null {
  if (!item.staleClaim || (item.channel !== 'email' && item.channel !== 'task'))
    return null
  const claim = [...state?.reminders ?? []].reverse().find(record => record.stepKey === item.stepKey && record.status === 'claim' && record.origin)
  return claim?.origin ?? null
}

/** What the portal showed of a send: found (an e-mail activity, a task), absent, or the look-up failed. */
export type FoundInPortal = 'found' | 'absent' | 'unreadable'

/**
 * A dead sweep's claim looked into: `send` (nothing left: send it now), `unknown` (the look-up
 * failed: leave it to a later sweep), `recovered` (the task is there: record it as sent), or
 * `undecided` (an e-mail activity, no proof it went out: a person decides).
 */
export function deadClaimVerdict(found: FoundInPortal | undefined, channel: ReminderDue['channel']): 'send' | 'unknown' | 'recovered' | 'undecided' {
  if (found === undefined || found === 'absent')
    return 'send'
  if (found === 'unreadable')
    return 'unknown'
  return channel === 'task' ? 'recovered' : 'undecided'
}

/** This sweep's claim on a step: the id of its claim record, or none (the write failed). */
export type OwnClaim = { readonly id: number } | null

/**
 * Whether this sweep won the step: its claim is the winner among the open ones by the logs just
 * read, and the step is still the one due now by those records and the portal's clock (a queue
 * left open: a payment, a promise or a later step may have come since).
 */
export function wonStep(item: ReminderDue, own: OwnClaim, state: CollectionState, invoice: Invoice | undefined, settings: ReminderSettings, clock: PortalClock): boolean {
  if (!own || !invoice)
    return false
  if (claimWinner(state, item.stepKey, clock.instantMs, REMINDER_CLAIM_LEASE_MS)?.logId !== own.id)
    return false
  const settled = { ...state, reminders: state.reminders.filter(record => record.status !== 'claim') }
  const now = planReminders([{ invoice, closed: null }], new Map([[item.invoiceId, settled]]), settings, clock)
  return now.sends.some(send => send.items.some(due => due.stepKey === item.stepKey))
}

/** The claim record this sweep wrote for the step, found in the log by its runner id (its write's answer was lost). */
export function ownClaimIn(state: CollectionState, item: ReminderDue, runnerId: string): OwnClaim {
  const own = state.reminders.find(record => record.status === 'claim' && record.stepKey === item.stepKey && record.runner === runnerId)
  return own ? { id: own.logId } : null
}

/** Whether the step's log holds this sweep's `sent` record (written in the send's own halted batch). */
export function hasSentMark(state: CollectionState | undefined, item: Pick<ReminderDue, 'stepKey'>, runnerId: string): boolean {
  return (state?.reminders ?? []).some(record => record.stepKey === item.stepKey && record.status === 'sent' && record.runner === runnerId)
}

/**
 * What a send became whose batch ran once but whose answer was lost, by what it left: its `sent`
 * records (any one proves the portal sent it: it follows the send in a halted batch; `recorded`
 * when all are there), else what the look-up found: a task is the task (`done`, to record), an
 * e-mail's activity without its record may be a refused send (`undecided`); nothing found or not
 * looked up: `unknown` (the open claim makes a later sweep look).
 */
export function lostAnswerVerdict(marks: readonly boolean[], found: FoundInPortal | undefined, channel: ReminderDue['channel']): { status: 'done', recorded: boolean } | { status: 'undecided' } | { status: 'unknown' } {
  if (marks.some(Boolean))
    return { status: 'done', recorded: marks.every(Boolean) }
  if (found !== 'found')
    return { status: 'unknown' }
  return channel === 'task' ? { status: 'done', recorded: false } : { status: 'undecided' }
}
