import type { CollectionState, PaymentClaimRecord } from './collection-state.ts'

/**
 * How long a claim to record a payment blocks the others when its window never finished (closed
 * tab, lost connection). Recording takes seconds; after this the next window may record.
 */
export const PAYMENT_CLAIM_LEASE_MS = 10 * 60_000

/** The last entry that settles the claims before it: a payment record or a release. 0 when none. */
function lastSettled(state: CollectionState): number {
  const paid = state.payments.reduce((max, payment) => Math.max(max, payment.logId), 0)
  const released = (state.paymentClaims ?? []).filter(claim => claim.status === 'release').reduce((max, claim) => Math.max(max, claim.logId), 0)
  return Math.max(paid, released)
}

/**
 * Who records a payment when several windows (two tabs, a double click, the same statement
 * imported twice) try at once — the rule the reminders use (README "Reminders" → "Where 'already
 * sent' lives, and why"). Each attempt first writes a `paymentClaim` into the invoice's timeline,
 * then reads the timeline back: among the claims written after the last payment record or
 * release and younger than `leaseMs` (measured on the portal's clock, `nowMs`), the LOWEST id
 * wins. Ids ascend in the order the portal stored the entries, so every attempt reading the same
 * timeline elects the same winner; the others write nothing. The winner's payment record closes
 * every claim before it.
 */
export function paymentClaimWinner(state: CollectionState, nowMs: number, leaseMs: number = PAYMENT_CLAIM_LEASE_MS): PaymentClaimRecord | null {
  const settled = lastSettled(state)
  const open = (state.paymentClaims ?? [])
    .filter(claim => claim.status === 'claim' && claim.logId > settled)
    .filter(claim => nowMs - Date.parse(claim.at) < leaseMs)
    .sort((a, b) => a.logId - b.logId)
  return open[0] ?? null
}

/** This attempt's own claim (by its runner id), the newest if the write was repeated. */
export function ownClaim(state: CollectionState, runner: string): PaymentClaimRecord | null {
  return [...state.paymentClaims ?? []].reverse().find(claim => claim.status === 'claim' && claim.runner === runner) ?? null
}
