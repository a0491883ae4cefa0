import type { CalendarDate } from '../calendar-date.ts'
import type { CurrencyCode, Money } from '../money.ts'
import type { DayNumber } from './day-number.ts'
import { dayNumberOf } from './day-number.ts'

/**
 * Where an invoice stands for the receivables figures:
 * - `draft`: still in its pipeline's first stage, not sent; nobody owes it yet;
 * - `open`: sent, possibly partly paid;
 * - `paid`: its stage has success semantics;
 * - `cancelled`: its stage has failure semantics; excluded from every figure.
 */
export type ReceivableStatus = 'draft' | 'open' | 'paid' | 'cancelled'

/** Who owes an invoice: its company, or its contact when it has no company. */
export interface ClientRef {
  readonly kind: 'company' | 'contact'
  readonly id: number
}

/** `company:12`, `contact:7`, or `none`: the key debtors are grouped by. */
export type ClientKey = string

/** The grouping key of a client (`none` for an invoice without one). */
export function clientKeyOf(client: ClientRef | null): ClientKey {
  return client ? `${client.kind}:${client.id}` : 'none'
}

/** One payment against an invoice, in the invoice's currency (minor units). */
export interface ReceivablePayment {
  readonly amountMinor: number
  readonly paidOn: CalendarDate
  readonly day: DayNumber
}

/** A payment as recorded, before it is attached to an invoice. */
export interface PaymentInput {
  readonly amount: Money
  readonly paidOn: CalendarDate
}

/** A smart invoice reduced to what the receivables figures need, with its dates as day numbers. */
export interface ReceivableInvoice {
  readonly id: number
  /** `accountNumber`; empty when the portal has not numbered it. */
  readonly number: string
  readonly status: ReceivableStatus
  readonly categoryId: number | null
  readonly responsibleId: number | null
  /** The deal it was issued from (`parentId2`); null when none. */
  readonly dealId: number | null
  readonly client: ClientRef | null
  readonly clientKey: ClientKey
  readonly currency: CurrencyCode
  /** The invoice's sum. */
  readonly amount: Money
  /** Paid so far (all payments, capped at the sum). */
  readonly paidAmount: Money
  /** The day the invoice became fully paid; for a partly paid one, the day of its last payment; null when nothing was paid. */
  readonly paidOn: CalendarDate | null
  /** Payments oldest first, in the invoice's currency; other currencies are dropped (never summed). */
  readonly payments: readonly ReceivablePayment[]
  readonly issueDate: CalendarDate | null
  readonly dueDate: CalendarDate | null
  readonly issueDay: DayNumber | null
  readonly dueDay: DayNumber | null
  /** The day the payments reached the sum; null while anything is left to pay. */
  readonly fullyPaidDay: DayNumber | null
}

export interface ReceivableInvoiceInput {
  readonly id: number
  readonly number: string
  readonly status: ReceivableStatus
  readonly categoryId: number | null
  readonly responsibleId: number | null
  /** The deal (`parentId2`); absent = none. */
  readonly dealId?: number | null
  readonly client: ClientRef | null
  readonly amount: Money
  readonly issueDate: CalendarDate | null
  readonly dueDate: CalendarDate | null
  /** Recorded payments in any order; payments in another currency than the invoice's are ignored. */
  readonly payments: readonly PaymentInput[]
}

const NO_PAYMENTS: readonly ReceivablePayment[] = Object.freeze([])

/**
 * The payments in the invoice's currency, oldest first. Most of 100,000 invoices have none (they share one
 * empty list) or one (a paid invoice): neither goes through filter, map and sort.
 */
function paymentsIn(recorded: readonly PaymentInput[], currency: string): readonly ReceivablePayment[] {
  if (recorded.length === 0)
    return NO_PAYMENTS
  const counts = (payment: PaymentInput) => payment.amount.currency === currency && payment.amount.amountMinor > 0
  const normalized = (payment: PaymentInput): ReceivablePayment => ({ amountMinor: payment.amount.amountMinor, paidOn: payment.paidOn, day: dayNumberOf(payment.paidOn) })
  if (recorded.length === 1)
    return counts(recorded[0]!) ? [normalized(recorded[0]!)] : []
  return recorded.filter(counts).map(normalized).sort((a, b) => a.day - b.day)
}

/** Builds the invoice with its day numbers, sorted payments, paid amount and fully-paid day. */
export function receivableInvoice(input: ReceivableInvoiceInput): ReceivableInvoice {
  const currency = input.amount.currency
  const payments = paymentsIn(input.payments, currency)
  let paid = 0
  let fullyPaidDay: DayNumber | null = null
  let fullyPaid: ReceivablePayment | undefined
  for (const payment of payments) {
    paid += payment.amountMinor
    if (fullyPaidDay === null && paid >= input.amount.amountMinor) {
      fullyPaidDay = payment.day
      fullyPaid = payment
    }
  }
  const last = payments[payments.length - 1]
  // One literal with every field in a fixed order: 100,000 invoices of one shape keep the figures' loops monomorphic.
  return {
    id: input.id,
    number: input.number,
    status: input.status,
    categoryId: input.categoryId,
    responsibleId: input.responsibleId,
    dealId: input.dealId ?? null,
    client: input.client,
    clientKey: clientKeyOf(input.client),
    currency,
    amount: input.amount,
    // Paid in full (most paid invoices): the amount itself, not one more object per invoice.
    paidAmount: paid >= input.amount.amountMinor ? input.amount : { amountMinor: Math.min(paid, input.amount.amountMinor), currency },
    paidOn: (fullyPaid ?? last)?.paidOn ?? null,
    payments,
    issueDate: input.issueDate,
    dueDate: input.dueDate,
    issueDay: input.issueDate ? dayNumberOf(input.issueDate) : null,
    dueDay: input.dueDate ? dayNumberOf(input.dueDate) : null,
    fullyPaidDay,
  }
}

/** Whether the invoice counts in receivables at all: sent (open or paid), not a draft, not cancelled. */
export function isReceivable(invoice: ReceivableInvoice): boolean {
  return invoice.status === 'open' || invoice.status === 'paid'
}

/** Paid by the end of `day` (minor units, capped at the sum). */
export function paidBy(invoice: ReceivableInvoice, day: DayNumber): number {
  let paid = 0
  for (const payment of invoice.payments) {
    if (payment.day > day)
      break
    paid += payment.amountMinor
  }
  return Math.min(paid, invoice.amount.amountMinor)
}

/**
 * What the client still owed at the end of `day` (minor units): 0 for drafts, cancelled invoices and
 * invoices issued later; an invoice without an issue date counts as issued long ago.
 */
export function balanceOn(invoice: ReceivableInvoice, day: DayNumber): number {
  if (!isReceivable(invoice) || (invoice.issueDay !== null && invoice.issueDay > day))
    return 0
  if (invoice.fullyPaidDay !== null && invoice.fullyPaidDay <= day)
    return 0
  return invoice.payments.length === 0 ? invoice.amount.amountMinor : invoice.amount.amountMinor - paidBy(invoice, day)
}

/** Days past the due date at the end of `day`: 0 when not yet due or without a due date. */
export function daysOverdueOn(invoice: ReceivableInvoice, day: DayNumber): number {
  return invoice.dueDay === null || day <= invoice.dueDay ? 0 : day - invoice.dueDay
}
