import type { CollectionState, ReminderRecord } from '../collection/collection-state.ts'
import type { ReminderChannel } from '../settings/settings.ts'
import type { ReminderOccurrence } from './reminder-schedule.ts'
import { openClaims } from '../collection/reminder-claim.ts'
import { offsetOfStepKey } from './reminder-schedule.ts'

/** After this many failures a step waits for a person instead of failing on every sweep. */
export const REMINDER_MAX_FAILURES = 3

const recordsOf = (state: CollectionState, stepKey: string): ReminderRecord[] => state.reminders.filter(entry => entry.stepKey === stepKey)

/** Only a `sent` record settles a step: skipped and failed steps may still go out later. */
export function isSent(state: CollectionState, stepKey: string): boolean {
  return recordsOf(state, stepKey).some(entry => entry.status === 'sent')
}

/** The reason of the `failed` record a person writes for a step whose outcome was unknown: "it did not go, send it again". */
export const RESEND_REASON = 'resend'

/** How many times sending the step failed (a person's "send it again" is no failure). */
export function failureCount(state: CollectionState, stepKey: string): number {
  return recordsOf(state, stepKey).filter(entry => entry.status === 'failed' && entry.reason !== RESEND_REASON).length
}

/**
 * Whether the step waits for a person: its newest outcome is `unknown` (a dead sweep left an e-mail
 * activity, which does not prove the e-mail went out). The app never sends such a step by itself;
 * a person records it as sent, or as not sent (`failed`, reason `resend`) so that it goes again.
 */
export function awaitsDecision(state: CollectionState, stepKey: string): boolean {
  const outcomes = recordsOf(state, stepKey).filter(entry => entry.status === 'sent' || entry.status === 'failed' || entry.status === 'unknown')
  const newest = outcomes.reduce<ReminderRecord | null>((last, entry) => (last === null || entry.logId > last.logId ? entry : last), null)
  return newest?.status === 'unknown'
}

/** The step's newest claim with no `sent`, `skipped` or `failed` after it (`openClaims`), else null. */
export function openClaim(state: CollectionState, stepKey: string): ReminderRecord | null {
  return openClaims(state, stepKey).reduce<ReminderRecord | null>((newest, entry) => (newest === null || entry.logId > newest.logId ? entry : newest), null)
}

/**
 * Whether a `skipped` record with this reason is already in the history for the step, so the sweep
 * does not write it on every run. A skip without a step (`stepKey` null: the invoice has no due
 * date, hence no schedule) matches such a record under any key.
 */
export function hasSkipRecord(state: CollectionState, stepKey: string | null, reason: string): boolean {
  return state.reminders.some(entry => entry.status === 'skipped' && entry.reason === reason && (stepKey === null || entry.stepKey === stepKey))
}

/**
 * Who a step speaks to: the client (e-mail) or the team (a task, a notification, an escalation).
 * Catch-up and "settled" go per audience (README, "Catching up"): an escalation sent to the team
 * never stands in for the e-mail the client did not get, nor the other way round.
 */
export type ReminderAudience = 'client' | 'team'

/** The audiences in the order the plan lists them. */
export const REMINDER_AUDIENCES: readonly ReminderAudience[] = ['client', 'team']

/** `email` → client; `task`, `notify`, `escalate` → team. */
export function audienceOf(channel: ReminderChannel): ReminderAudience {
  return channel === 'email' ? 'client' : 'team'
}

/** A record's audience: its step's channel in the schedule, else (a step no longer scheduled) the record's own. */
function recordAudience(entry: ReminderRecord, schedule: readonly ReminderOccurrence[]): ReminderAudience {
  return audienceOf(schedule.find(occurrence => occurrence.stepKey === entry.stepKey)?.channel ?? entry.channel)
}

/**
 * The offset of the furthest step sent to `audience` (see `offsetOfStepKey` for steps no longer in
 * the schedule); minus infinity when nothing was sent to it. Its steps before that are never sent any more.
 */
export function latestSentOffset(state: CollectionState, schedule: readonly ReminderOccurrence[], audience: ReminderAudience): number {
  return state.reminders
    .filter(entry => entry.status === 'sent' && recordAudience(entry, schedule) === audience)
    .map(entry => offsetOfStepKey(entry.stepKey, schedule))
    .reduce<number>((latest, offset) => (offset !== null && offset > latest ? offset : latest), Number.NEGATIVE_INFINITY)
}

/** The occurrences still to send: not sent themselves and not before the furthest step sent to their audience. */
export function unsettledOccurrences(state: CollectionState, schedule: readonly ReminderOccurrence[]): ReminderOccurrence[] {
  const floors = new Map(REMINDER_AUDIENCES.map(audience => [audience, latestSentOffset(state, schedule, audience)]))
  return schedule.filter(occurrence => occurrence.offsetDays >= floors.get(audienceOf(occurrence.channel))! && !isSent(state, occurrence.stepKey))
}
