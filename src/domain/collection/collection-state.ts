import type { CalendarDate } from '../calendar-date.ts'
import type { Money } from '../money.ts'
import type { ReminderChannel } from '../settings/settings.ts'

/**
 * What happened to an invoice after it was issued, as the app recorded it in the invoice's
 * timeline (see `collection-record.ts` for why the timeline): payments, a promised date, a
 * dispute, and every reminder step claimed, sent, skipped or failed.
 */
export interface CollectionState {
  readonly invoiceId: number
  /** Payments recorded through the app, oldest first. */
  readonly payments: readonly PaymentRecord[]
  /** The client promised to pay by this day; reminders pause until the day after. Null = no promise. */
  readonly promisedOn: CalendarDate | null
  /**
   * Promised days found broken (unpaid the day after), with the log id of each record: the lowest
   * id per day is the sweep that acts on it (starts the "promise broken" processes). Absent = none.
   */
  readonly brokenPromises?: ReadonlyArray<{ readonly on: CalendarDate, readonly logId: number }>
  /** Null = not disputed. */
  readonly dispute: DisputeRecord | null
  /** Claims to record a payment and their releases, oldest first (`payment-claim.ts`). Absent = none. */
  readonly paymentClaims?: readonly PaymentClaimRecord[]
  /** The closing document's claims and results, oldest first (`closing-document.ts`). Absent = none. */
  readonly closings?: readonly ClosingRecord[]
  /** Every reminder record, oldest first (log ids ascend). */
  readonly reminders: readonly ReminderRecord[]
  /**
   * The approval the issue chain started for the invoice (its marker, `bizproc/process-log.ts`):
   * `waiting` until an admin stops it (`stopped`) or it is granted and the invoice is sent. Absent = none.
   */
  readonly approval?: 'waiting' | 'stopped'
}

export interface PaymentRecord {
  readonly logId: number
  readonly amount: Money
  readonly paidOn: CalendarDate
  /** The bank document this payment was recorded from by a statement import (`bankDocumentKey`); absent when entered by hand. */
  readonly bankRef?: string
}

/**
 * A window's claim to record a payment on the invoice, written before the payment itself so that
 * two windows recording at once agree which one does it (`payment-claim.ts`). A `release` is
 * written by a winner that recorded nothing after all; it closes every claim before it.
 */
export interface PaymentClaimRecord {
  readonly logId: number
  /** When the claim was written (the log entry's `created`, the portal's clock), an ISO instant with offset. */
  readonly at: string
  readonly status: 'claim' | 'release'
  /** A random id per attempt: tells this attempt's claim from another's. */
  readonly runner: string
  /** The payment the claim is for (minor units). */
  readonly amount: Money
  /** The bank document, for a statement import. */
  readonly bankRef?: string
}

/** A closing document attempt: `claim` before making it, `sent` once e-mailed, `failed` when the portal refused it (settles the claim). */
export type ClosingRecordStatus = 'claim' | 'sent' | 'failed'

/** One closing-document record in the invoice's timeline. */
export interface ClosingRecord {
  readonly logId: number
  /** The entry's `created` (the portal's clock), an ISO instant with offset. */
  readonly at: string
  readonly status: ClosingRecordStatus
  /** A random id per attempt: its claim, its e-mail's `ORIGIN_ID` and its result carry it. */
  readonly runner: string
  /** The document made from the closing template; null when none was made yet. */
  readonly documentId: number | null
}

export interface DisputeRecord {
  readonly since: CalendarDate
  readonly reason: string
}

/**
 * A reminder step's life in the log: `claim` is written before anything is sent (the runner with
 * the lowest claim id wins, see `reminder-claim.ts`); then exactly one of `sent`, `skipped`,
 * `failed`, `unknown` closes it. A claim without a result is in progress, or its runner died.
 * `unknown`: a sweep that died left an e-mail activity behind, and an activity is no proof that the
 * e-mail went out (R: tutorials/crm/how-to-add-crm-objects/how-to-send-email.md): the step waits
 * for a person, who records `sent` or asks to send it again (a `failed` record with reason `resend`).
 */
export type ReminderRecordStatus = 'claim' | 'sent' | 'skipped' | 'failed' | 'unknown'

export interface ReminderRecord {
  readonly logId: number
  /** The schedule step: its offset such as `-3`, `0`, `+7`, or a repeat `r1`, `r2` … (`reminder-schedule.ts`). */
  readonly stepKey: string
  readonly status: ReminderRecordStatus
  readonly channel: ReminderChannel
  /** When the record was written (the log entry's `created`), an ISO instant with offset. */
  readonly at: string
  /** Who wrote a claim: a random id per sweep, so a sweep recognises its own claims. */
  readonly runner: string | null
  /** Why a step was skipped or failed, as a code (`ReminderSkipReason`) or the portal's error text. */
  readonly reason: string | null
  /**
   * On claims: what the send will leave in the portal to find it by (the e-mail's `ORIGIN_ID`, the
   * task's title), so a later sweep can tell whether a claim whose runner died had already sent.
   */
  readonly origin?: string | null
}

/** An invoice nothing was recorded for. */
export function emptyCollectionState(invoiceId: number): CollectionState {
  return { invoiceId, payments: [], promisedOn: null, dispute: null, reminders: [] }
}

/** The sum of the recorded payments in the invoice's currency (payments in another currency are ignored). */
export function paidAmount(state: CollectionState, currency: string): Money {
  const amountMinor = state.payments
    .filter(payment => payment.amount.currency === currency)
    .reduce((sum, payment) => sum + payment.amount.amountMinor, 0)
  return { amountMinor, currency }
}

/** What is left to pay: the invoice's sum minus the recorded payments, never below zero. */
export function balanceOf(amount: Money, state: CollectionState): Money {
  const paid = paidAmount(state, amount.currency)
  return { amountMinor: Math.max(0, amount.amountMinor - paid.amountMinor), currency: amount.currency }
}
