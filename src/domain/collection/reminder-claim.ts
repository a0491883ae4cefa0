import type { CollectionState, ReminderRecord } from './collection-state.ts'

/**
 * Only an outcome of sending closes the claims before it: `sent`, `failed`, or `unknown` (a dead
 * sweep's claim looked into). A `skipped` record (written while a promise or a dispute holds) says
 * nothing about a send that may be in flight.
 */
function closesClaims(record: ReminderRecord): boolean {
  return record.status === 'sent' || record.status === 'failed' || record.status === 'unknown'
}

/**
 * Who may send a reminder step when several sweeps run at once (two cron runners, a runner and
 * the accountant's queue). Each sweep first writes a `claim` record into the invoice's timeline,
 * then reads the timeline back: among the claims for the step written after its last result
 * (`sent`/`failed`) and younger than the lease, the one with the LOWEST id wins. Ids
 * ascend in the order the portal stored the entries, so every sweep reading the same timeline
 * elects the same winner; the others send nothing. A claim older than the lease belongs to a sweep
 * that died; it no longer blocks, and the next winner first checks whether it had sent.
 */
export function claimWinner(state: CollectionState, stepKey: string, nowMs: number, leaseMs: number): ReminderRecord | null {
  const records = state.reminders.filter(record => record.stepKey === stepKey)
  const lastResult = records.filter(closesClaims).reduce((max, record) => Math.max(max, record.logId), 0)
  const claims = records
    .filter(record => record.status === 'claim' && record.logId > lastResult)
    .filter(record => nowMs - Date.parse(record.at) < leaseMs)
    .sort((a, b) => a.logId - b.logId)
  return claims[0] ?? null
}

/** The claims for a step with no result after them (in progress, or left by a sweep that died). */
export function openClaims(state: CollectionState, stepKey: string): ReminderRecord[] {
  const records = state.reminders.filter(record => record.stepKey === stepKey)
  const lastResult = records.filter(closesClaims).reduce((max, record) => Math.max(max, record.logId), 0)
  return records.filter(record => record.status === 'claim' && record.logId > lastResult)
}
