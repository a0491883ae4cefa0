import type { CalendarDate } from './calendar-date.ts'
import type { Invoice } from './invoice.ts'
import type { InvoiceState } from './invoice-state.ts'
import type { Money } from './money.ts'
import type { Stage, StageIndex, StageSemantics } from './stage.ts'
import { calendarDateOf } from './calendar-date.ts'

/** What a manager can do to an invoice from its row: record the full payment, or cancel it. */
export type InvoiceAction = 'markPaid' | 'cancel'

/** The stage semantics each action moves the invoice to. */
export const ACTION_TARGET: Readonly<Record<InvoiceAction, Exclude<StageSemantics, 'process'>>> = {
  markPaid: 'success',
  cancel: 'failure',
}

/**
 * The actions an invoice in `state` allows: an open invoice (draft, sent, overdue) may be marked
 * paid or cancelled; a paid or cancelled one is closed, and nothing is offered for it. A draft
 * whose approval is still running (`awaitingApproval`) has not gone to the client: it may only be
 * cancelled (README, "Business processes and approval").
 */
export function invoiceActions(state: InvoiceState, awaitingApproval = false): readonly InvoiceAction[] {
  switch (state.kind) {
    case 'draft':
      return awaitingApproval ? ['cancel'] : ['markPaid', 'cancel']
    case 'sent':
    case 'overdue':
      return ['markPaid', 'cancel']
    case 'paid':
    case 'cancelled':
      return []
  }
}

/**
 * The stage of `invoice`'s own pipeline with `semantics` (the first by sort when a pipeline has
 * several), or null when the pipeline has none among `stages`.
 */
export function closingStage(invoice: Invoice, stages: StageIndex, semantics: Exclude<StageSemantics, 'process'>): Stage | null {
  const candidates = [...stages.values()]
    .filter(stage => stage.categoryId === invoice.categoryId && stage.semantics === semantics)
    .sort((a, b) => a.sort - b.sort)
  return candidates[0] ?? null
}

/** Why a payment cannot be recorded: not a positive amount of the invoice's currency, more than is left to pay, or a day after today. */
export type PaymentRefusal = 'amountInvalid' | 'overpayment' | 'dateInvalid'

/** A real calendar day written `YYYY-MM-DD`. */
function isCalendarDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && calendarDateOf(value) === value
}

/**
 * Checks a payment of `amount` (minor units) received on `paidOn` against the invoice's `balance`
 * on the portal's day `today`; null when it may be recorded. The amount is checked first: a
 * wrong amount is the likelier typo.
 */
export function paymentRefusal(amount: Money, balance: Money, paidOn: CalendarDate, today: CalendarDate): PaymentRefusal | null {
  if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0 || amount.currency !== balance.currency)
    return 'amountInvalid'
  if (amount.amountMinor > balance.amountMinor)
    return 'overpayment'
  return isCalendarDate(paidOn) && paidOn <= today ? null : 'dateInvalid'
}

/** A promised payment day must be a real day, today or later (null clears the promise). */
export function promiseDateValid(on: CalendarDate | null, today: CalendarDate): boolean {
  return on === null || (isCalendarDate(on) && on >= today)
}

/** The longest dispute reason kept, in characters: it goes into a timeline entry, not a document. */
export const DISPUTE_REASON_MAX = 500

/** Opening a dispute needs a reason of 1–500 characters (after trimming); closing one takes any, up to 500. */
export function disputeReasonValid(open: boolean, reason: string): boolean {
  const trimmed = reason.trim()
  return trimmed.length <= DISPUTE_REASON_MAX && (!open || trimmed.length > 0)
}
