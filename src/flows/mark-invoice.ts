import type { CalendarDate } from '../domain/calendar-date.ts'
import type { Locale } from '../domain/format.ts'
import type { Invoice } from '../domain/invoice.ts'
import type { InvoiceAction, PaymentRefusal } from '../domain/invoice-actions.ts'
import type { InvoiceState } from '../domain/invoice-state.ts'
import type { Money } from '../domain/money.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { Stage } from '../domain/stage.ts'
import type { ProcessOutcome } from './business-process.ts'
import type { InvoiceWithCollection } from '../portal/collection/invoice-collection.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { ReplayGuard } from '../portal/replay-guard.ts'
import type { ClosingPart, InvoiceClosing } from '../portal/invoice-stage.ts'
import type { CollectionFailure, RecordBasis } from './collection-actions.ts'
import { taggedText } from '../domain/collection/collection-record.ts'
import { balanceOf } from '../domain/collection/collection-state.ts'
import { cancelledLogEntry, paidLogEntry, paidNotificationText, partPaymentLogEntry } from '../domain/invoice-action-messages.ts'
import { ACTION_TARGET, closingStage, invoiceActions, paymentRefusal } from '../domain/invoice-actions.ts'
import { invoiceState } from '../domain/invoice-state.ts'
import { notifyTag } from '../domain/issue/issue-key.ts'
import { indexStages } from '../domain/stage.ts'
import { readInvoiceWithCollection } from '../portal/collection/invoice-collection.ts'
import { closeInvoice, readInvoice, readInvoiceForWrite } from '../portal/invoice-stage.ts'
import { isReplayed, releaseGuard } from '../portal/replay-guard.ts'
import { startProcesses, unfinishedOutcomes } from './business-process.ts'
import { writeRecord } from './collection-actions.ts'

/** Which invoice, and the invoice stages the deal tab already read (every pipeline its invoices use). */
export interface InvoiceActionInput {
  readonly invoiceId: number
  readonly stages: readonly Stage[]
}

export interface MarkPaidInput extends InvoiceActionInput {
  /** The day the client paid (the user picks it; the tab offers today). */
  readonly paidOn: CalendarDate
}

/** The portal's calendar day (to tell "sent" from "overdue") and the language of the texts written into the portal. */
export interface InvoiceActionEnvironment {
  readonly today: CalendarDate
  readonly locale: Locale
  /** Whether the acting user is a portal admin: app triggers fire only for admins. Default false. */
  readonly isAdmin?: boolean
}

export type InvoiceActionResult
  = | {
    readonly status: 'done'
    readonly action: InvoiceAction
    readonly invoice: Invoice
    readonly stageId: string
    /** On payment: the business processes and trigger configured for "paid" that did not start (started ones are not listed). */
    readonly processWarnings?: readonly ProcessOutcome[]
    /** On payment: every "paid" process and trigger, started or not, for the execution journal. */
    readonly processes?: readonly ProcessOutcome[]
  }
  /** The invoice, read fresh, no longer allows the action (already paid or cancelled): nothing was written. */
  | { readonly status: 'unchanged', readonly action: InvoiceAction, readonly invoice: Invoice, readonly state: InvoiceState }
  /** The invoice's pipeline has no paid (or cancelled) stage to move it to: nothing was written. */
  | { readonly status: 'no-stage', readonly action: InvoiceAction, readonly invoice: Invoice }
  /** `invoiceMoved`: the invoice stage changed before `failedPart` failed, so a retry will find it closed and do nothing. */
  | { readonly status: 'failed', readonly action: InvoiceAction, readonly error: unknown, readonly failedPart: ClosingPart | 'read', readonly invoiceMoved: boolean }

type BuildClosing = (invoice: Invoice, stageId: string) => InvoiceClosing

/** Round trip 2 of a closing action: the halted batch (see `closeInvoice`), only for an invoice still open. */
async function closeOpen(portal: PortalClient, action: InvoiceAction, invoice: Invoice, input: InvoiceActionInput, env: InvoiceActionEnvironment, build: BuildClosing, guard: ReplayGuard): Promise<InvoiceActionResult> {
  const stages = indexStages(input.stages)
  const state = invoiceState(invoice, stages, env.today)
  const target = closingStage(invoice, stages, ACTION_TARGET[action])
  if (!invoiceActions(state).includes(action) || !target) {
    await releaseGuard(portal, guard)
    return target ? { status: 'unchanged', action, invoice, state } : { status: 'no-stage', action, invoice }
  }
  try {
    const closed = await closeInvoice(portal, build(invoice, target.id), guard)
    if (closed.failedPart)
      return { status: 'failed', action, error: closed.error, failedPart: closed.failedPart, invoiceMoved: closed.failedPart !== 'invoiceStage' }
  }
  catch (error) {
    // The browser replayed the batch after its answer was lost: the invoice, read again, tells whether it moved.
    if (isReplayed(error)) {
      const now = await readInvoice(portal, invoice.id).catch(() => null)
      if (now?.stageId === target.id)
        return { status: 'done', action, invoice, stageId: target.id }
      if (now)
        return { status: 'failed', action, error, failedPart: 'invoiceStage', invoiceMoved: false }
    }
    // The batch as a whole got no answer: whether the invoice moved is unknown; a retry reads first.
    return { status: 'failed', action, error, failedPart: 'invoiceStage', invoiceMoved: false }
  }
  return { status: 'done', action, invoice, stageId: target.id }
}

/** Who hears of a payment: the named users, plus the invoice's responsible when the role is chosen. */
export function paymentRecipients(settings: InvoiceDeskSettings, invoice: Invoice): number[] {
  const { roles, userIds } = settings.notifications.onPayment
  const recipients = new Set(userIds)
  if (invoice.responsibleId !== null && roles.includes('responsible'))
    recipients.add(invoice.responsibleId)
  // The `supervisor` role needs the company structure (not read yet); the issue chain skips it too.
  return [...recipients]
}

/** A payment received: how much (minor units of the invoice's currency) and on which day. */
export interface RecordPaymentInput extends InvoiceActionInput {
  /** Null: the whole balance, whatever it is when the invoice is read. */
  readonly amount: Money | null
  /** The day the client paid (the user picks it; the tab offers today); not after `env.today`. */
  readonly paidOn: CalendarDate
  /** The bank document this payment comes from (statement import): kept in the record so a re-import finds it. */
  readonly bankRef?: string
}

/**
 * What `recordPayment` did. Paying the whole balance closes the invoice and answers like
 * `markInvoicePaid` always has (`InvoiceActionResult`, action `markPaid`); a smaller amount
 * answers `partial` with the balance left. The refusals wrote nothing.
 */
export type PaymentResult
  = | InvoiceActionResult
    | { readonly status: 'partial', readonly action: 'recordPayment', readonly invoice: Invoice, readonly payment: Money, readonly balance: Money }
    | { readonly status: PaymentRefusal, readonly action: 'recordPayment', readonly invoice: Invoice, readonly balance: Money }
    | CollectionFailure<'recordPayment'>

/**
 * Records a payment of an open invoice. Round trip 1 is ONE batch reading the invoice and its log
 * (the balance is the sum minus the payments recorded there); nothing is written when the invoice
 * is closed (`unchanged`), the amount is not positive (`amountInvalid`), exceeds the balance
 * (`overpayment`) or the day is after today (`dateInvalid`).
 * - Less than the balance: ONE halted batch writes the invoice's timeline entry carrying the
 *   `payment` record, then the same sentence on the deal's timeline → `partial`.
 * - The whole balance: what `markInvoicePaid` does, the invoice's entry carrying the record.
 */
export async function recordPayment(portal: PortalClient, input: RecordPaymentInput, settings: InvoiceDeskSettings, env: InvoiceActionEnvironment): Promise<PaymentResult> {
  let read: InvoiceWithCollection
  try {
    read = await readInvoiceWithCollection(portal, input.invoiceId)
  }
  catch (error) {
    return { status: 'failed', action: 'recordPayment', error, failedPart: 'read', recorded: false }
  }
  const { invoice, collection } = read
  const state = invoiceState(invoice, indexStages(input.stages), env.today)
  // A bank document already recorded (a second window, a re-import while the first still runs): nothing twice.
  if ((input.bankRef && collection.payments.some(payment => payment.bankRef === input.bankRef)) || !invoiceActions(state).includes('markPaid')) {
    await releaseGuard(portal, read.guard)
    return { status: 'unchanged', action: 'markPaid', invoice, state }
  }
  const balance = balanceOf(invoice.amount, collection)
  const amount = input.amount ?? balance
  // "The whole balance" of an invoice whose payments already add up closes it without a new record.
  const refusal = input.amount === null && balance.amountMinor === 0 ? null : paymentRefusal(amount, balance, input.paidOn, env.today)
  if (refusal) {
    await releaseGuard(portal, read.guard)
    return { status: refusal, action: 'recordPayment', invoice, balance }
  }
  if (amount.amountMinor < balance.amountMinor)
    return recordPart(portal, invoice, amount, input.paidOn, balance, env, read, input.bankRef)
  const closed = await closeOpen(portal, 'markPaid', invoice, input, env, (open, stageId) => paidClosing(open, stageId, amount, input.paidOn, settings, env, input.bankRef), read.guard)
  // Once the invoice moved and its payment entry is written, the payment happened: its processes
  // start even when the deal or a notification failed after it (a retry would find it paid).
  const paid = closed.status === 'done' || (closed.status === 'failed' && closed.failedPart !== 'invoiceStage' && closed.failedPart !== 'invoiceLog' && closed.failedPart !== 'read')
  if (!paid)
    return closed
  if (closed.status !== 'done') {
    await startProcesses(portal, 'paid', { dealId: invoice.dealId, invoiceId: invoice.id }, settings, { isAdmin: env.isAdmin ?? false })
    return closed
  }
  // The "paid" processes and trigger (issue 7): never block or fail the payment itself.
  const outcomes = await startProcesses(portal, 'paid', { dealId: invoice.dealId, invoiceId: invoice.id }, settings, { isAdmin: env.isAdmin ?? false })
  const warnings = unfinishedOutcomes(outcomes).filter(outcome => outcome.status !== 'needs-admin' || outcome.kind === 'process')
  const withProcesses = outcomes.length > 0 ? { ...closed, processes: outcomes } : closed
  return warnings.length > 0 ? { ...withProcesses, processWarnings: warnings } : withProcesses
}

async function recordPart(portal: PortalClient, invoice: Invoice, payment: Money, paidOn: CalendarDate, balance: Money, env: InvoiceActionEnvironment, basis: RecordBasis, bankRef?: string): Promise<PaymentResult> {
  const left: Money = { amountMinor: balance.amountMinor - payment.amountMinor, currency: balance.currency }
  const entry = partPaymentLogEntry(invoice, payment, paidOn, left, env.locale)
  const record = { kind: 'payment', amountMinor: payment.amountMinor, currency: payment.currency, paidOn, ...(bankRef ? { bankRef } : {}) } as const
  const written = await writeRecord(portal, 'recordPayment', invoice, entry, record, true, basis)
  return written ?? { status: 'partial', action: 'recordPayment', invoice, payment, balance: left }
}

/** The closing batch of a full payment; the invoice's entry carries the `payment` record of what was left (none when nothing was). */
function paidClosing(invoice: Invoice, stageId: string, payment: Money, paidOn: CalendarDate, settings: InvoiceDeskSettings, env: InvoiceActionEnvironment, bankRef?: string): InvoiceClosing {
  // The payment date goes into the texts and the record only: the smart invoice has no documented
  // payment-date field (api-reference/crm/universal/object-fields.md#invoice lists none; `closedate`
  // is the due date and `movedTime` is set by the portal), and payments (crm.item.payment.*) are a
  // separate order-based feature this app does not use.
  const log = paidLogEntry(invoice, paidOn, env.locale, payment)
  const message = paidNotificationText(invoice, paidOn, env.locale)
  const invoiceText = payment.amountMinor > 0
    ? taggedText(log.text, { kind: 'payment', amountMinor: payment.amountMinor, currency: payment.currency, paidOn, ...(bankRef ? { bankRef } : {}) })
    : log.text
  return {
    invoiceId: invoice.id,
    invoiceStageId: stageId,
    deal: invoice.dealId === null ? null : { id: invoice.dealId, stageId: settings.deal.stageAfterPaid },
    notifications: paymentRecipients(settings, invoice).map(userId => ({ userId, message, tag: notifyTag(invoice.id, 'paid') })),
    invoiceLog: { title: log.title, text: invoiceText },
    dealLog: log,
  }
}

/**
 * Records the full payment of an open invoice (draft, sent or overdue) received on `paidOn`: the
 * whole balance through `recordPayment`. In ONE halted batch the invoice moves to its pipeline's
 * success stage, the deal to `settings.deal.stageAfterPaid` (when set), the `notifications.onPayment`
 * recipients are notified (TAG `INVOICE_DESK|PAID|<id>`) and both timelines get an entry. Two round
 * trips in all (three for an invoice with more than 10 log entries); an invoice already paid or
 * cancelled gets one read and no write, so the people are notified once.
 */
export async function markInvoicePaid(portal: PortalClient, input: MarkPaidInput, settings: InvoiceDeskSettings, env: InvoiceActionEnvironment): Promise<PaymentResult> {
  return recordPayment(portal, { ...input, amount: null }, settings, env)
}

/**
 * Cancels an open invoice: round trip 1 reads it as it is now (another window may have closed it
 * since the list was loaded); round trip 2 is ONE halted batch moving it to its pipeline's failure
 * stage and writing the invoice's timeline entry; the deal and the people are left alone. An
 * invoice already closed gets one read and no write.
 */
export async function cancelInvoice(portal: PortalClient, input: InvoiceActionInput, env: InvoiceActionEnvironment): Promise<InvoiceActionResult> {
  let read: { invoice: Invoice, guard: ReplayGuard }
  try {
    read = await readInvoiceForWrite(portal, input.invoiceId)
  }
  catch (error) {
    return { status: 'failed', action: 'cancel', error, failedPart: 'read', invoiceMoved: false }
  }
  return closeOpen(portal, 'cancel', read.invoice, input, env, (open, stageId) => ({
    invoiceId: open.id,
    invoiceStageId: stageId,
    deal: null,
    notifications: [],
    invoiceLog: cancelledLogEntry(open, env.locale),
    dealLog: null,
  }), read.guard)
}
