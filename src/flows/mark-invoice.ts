import type { CalendarDate } from '../domain/calendar-date.ts'
import type { Locale } from '../domain/format.ts'
import type { Invoice } from '../domain/invoice.ts'
import type { InvoiceAction, PaymentRefusal } from '../domain/invoice-actions.ts'
import type { InvoiceState } from '../domain/invoice-state.ts'
import type { Money } from '../domain/money.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { Stage } from '../domain/stage.ts'
import type { ProcessOutcome } from './business-process.ts'
import type { ClosingOutcome } from './closing-document.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { ClosingPart, ClosingResult, InvoiceClosing } from '../portal/invoice-stage.ts'
import type { ClaimReadBack, DealInvoiceStage, PaymentContext } from '../portal/collection/invoice-payment.ts'
import type { LogWrite } from '../portal/collection/collection-log.ts'
import type { CollectionState, PaymentClaimRecord } from '../domain/collection/collection-state.ts'
import type { PaymentLine } from '../domain/collection/payment-lines.ts'
import type { CollectionFailure } from './collection-actions.ts'
import type { ReplayGuard } from '../portal/replay-guard.ts'
import { taggedText } from '../domain/collection/collection-record.ts'
import { balanceOf } from '../domain/collection/collection-state.ts'
import { ownClaim, paymentClaimWinner } from '../domain/collection/payment-claim.ts'
import { paymentLines } from '../domain/collection/payment-lines.ts'
import { cancelledLogEntry, paidLogEntry, paidNotificationText, partPaymentLogEntry, paymentClaimLogEntry } from '../domain/invoice-action-messages.ts'
import { ACTION_TARGET, closingStage, invoiceActions, paymentRefusal } from '../domain/invoice-actions.ts'
import { invoiceState } from '../domain/invoice-state.ts'
import { notifyTag } from '../domain/issue/issue-key.ts'
import { indexStages } from '../domain/stage.ts'
import { readClaimBack, readPaymentContext, writePaymentClaim } from '../portal/collection/invoice-payment.ts'
import { PortalError } from '../portal/portal-error.ts'
import { closeInvoice, readInvoice, readInvoiceForWrite } from '../portal/invoice-stage.ts'
import { isReplayed, releaseGuard } from '../portal/replay-guard.ts'
import { startProcesses, unfinishedOutcomes } from './business-process.ts'
import { sendClosingDocument } from './closing-document.ts'
import { newRunnerId } from './run-reminders.ts'

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
  /** This attempt's id in its claim (`payment-claim.ts`); a random one by default. */
  readonly runner?: string
}

/**
 * The deal's stage after a full payment: `moved` to `settings.deal.stageAfterPaid`; not moved
 * because the deal has other open invoices, none is configured, or the invoice has no deal.
 * (A refusal by the portal is the `failed` result with `failedPart: 'dealStage'`.)
 */
export type DealStageDecision = 'moved' | 'otherInvoicesOpen' | 'notConfigured' | 'noDeal'

/** Bitrix24's own payment of the invoice (`crm.item.payment.*`): made, or not because the invoice has no product rows to take its sum from. */
export type InvoicePaymentStatus = 'created' | 'noRows'

/** What a recorded payment did besides the record (absent on results of older callers' fakes). */
export interface PaymentEffects {
  readonly invoicePayment?: InvoicePaymentStatus
  readonly dealStage?: DealStageDecision
  /** A full payment of a B2B invoice: its closing document (`closing-document.ts`); absent when none is configured or the client is not a company. */
  readonly closing?: ClosingOutcome
}

/**
 * What `recordPayment` did. Paying the whole balance closes the invoice and answers like
 * `markInvoicePaid` always has (`InvoiceActionResult`, action `markPaid`); a smaller amount
 * answers `partial` with the balance left. The refusals wrote nothing. `recordedElsewhere`:
 * another window or user claimed this very payment first and records it (nothing written here);
 * `busy`: another payment of the invoice was being recorded at the same moment (nothing written
 * here; the balance changed, so look again).
 */
export type PaymentResult
  = | (InvoiceActionResult & PaymentEffects)
    | ({ readonly status: 'partial', readonly action: 'recordPayment', readonly invoice: Invoice, readonly payment: Money, readonly balance: Money } & PaymentEffects)
    | { readonly status: PaymentRefusal, readonly action: 'recordPayment', readonly invoice: Invoice, readonly balance: Money }
    | { readonly status: 'recordedElsewhere' | 'busy', readonly action: 'recordPayment', readonly invoice: Invoice }
    | (CollectionFailure<'recordPayment'> & PaymentEffects)

/** A payment the invoice's records and state accept: how much, and what was left before it. */
interface AcceptedPayment {
  readonly amount: Money
  readonly balance: Money
}

/** The checks of round trip 1, on the invoice and its records as read: a result to return, or the payment to record. */
function acceptPayment(invoice: Invoice, collection: CollectionState, input: RecordPaymentInput, env: InvoiceActionEnvironment): PaymentResult | AcceptedPayment {
  const state = invoiceState(invoice, indexStages(input.stages), env.today)
  // A bank document recorded since the review (another window, the same statement imported twice): nothing twice.
  if (input.bankRef && collection.payments.some(payment => payment.bankRef === input.bankRef))
    return { status: 'recordedElsewhere', action: 'recordPayment', invoice }
  if (!invoiceActions(state).includes('markPaid'))
    return { status: 'unchanged', action: 'markPaid', invoice, state }
  const balance = balanceOf(invoice.amount, collection)
  const amount = input.amount ?? balance
  // "The whole balance" of an invoice whose payments already add up closes it without a new record.
  const refusal = input.amount === null && balance.amountMinor === 0 ? null : paymentRefusal(amount, balance, input.paidOn, env.today)
  return refusal ? { status: refusal, action: 'recordPayment', invoice, balance } : { amount, balance }
}

/** The claim entry: a sentence people read in the card, and the `paymentClaim` record. */
function claimWrite(invoice: Invoice, amount: Money, input: RecordPaymentInput, runner: string, status: 'claim' | 'release', locale: InvoiceActionEnvironment['locale']): LogWrite {
  const entry = paymentClaimLogEntry(invoice, amount, status, locale)
  const record = { kind: 'paymentClaim', status, runner, amountMinor: amount.amountMinor, currency: amount.currency, ...(input.bankRef ? { bankRef: input.bankRef } : {}) } as const
  return { entityTypeId: 31, entityId: invoice.id, title: entry.title, text: taggedText(entry.text, record) }
}

/** Whether the winning claim is this very payment (the same bank document, or by hand the same amount). */
function samePayment(winner: PaymentClaimRecord, amount: Money, input: RecordPaymentInput): boolean {
  if (input.bankRef || winner.bankRef)
    return winner.bankRef === input.bankRef
  return winner.amount.amountMinor === amount.amountMinor && winner.amount.currency === amount.currency
}

/** Whether the deal's other invoices are all paid or cancelled (an invoice in a stage not known here counts as open). */
function otherInvoicesOpen(invoiceId: number, dealInvoices: readonly DealInvoiceStage[], stages: readonly Stage[]): boolean {
  const index = indexStages(stages)
  return dealInvoices.some(other => other.id !== invoiceId && (index.get(other.stageId)?.semantics ?? 'process') === 'process')
}

function dealDecision(invoice: Invoice, settings: InvoiceDeskSettings, dealInvoices: readonly DealInvoiceStage[] | null, stages: readonly Stage[]): DealStageDecision {
  if (invoice.dealId === null)
    return 'noDeal'
  if (settings.deal.stageAfterPaid === null)
    return 'notConfigured'
  return dealInvoices === null || otherInvoicesOpen(invoice.id, dealInvoices, stages) ? 'otherInvoicesOpen' : 'moved'
}

/**
 * Records a payment of an open invoice, once, however many windows try at once:
 * 1. ONE batch reads the invoice, its log (the balance is the sum minus the payments recorded
 *    there) and its product rows; nothing is written when the invoice is closed (`unchanged`), the
 *    bank document is already recorded (`unchanged`), the amount is not positive
 *    (`amountInvalid`), exceeds the balance (`overpayment`) or the day is after today (`dateInvalid`).
 * 2. A `paymentClaim` entry in the invoice's timeline; 3. the log read back with the stages of the
 *    deal's invoices: the lowest open claim wins (`payment-claim.ts`). A loser writes nothing more
 *    (`recordedElsewhere` / `busy`); so does a winner that finds a payment recorded since step 1
 *    (it releases its claim).
 * 4. ONE halted batch: a part payment writes the invoice's entry carrying the `payment` record,
 *    Bitrix24's own payment of the invoice (`crm.item.payment.add`, its product lines, `.pay`) and
 *    the deal's copy → `partial`; the whole balance does what `markInvoicePaid` does, the deal
 *    moving to `settings.deal.stageAfterPaid` only when none of its other invoices is still open.
 */
export async function recordPayment(portal: PortalClient, input: RecordPaymentInput, settings: InvoiceDeskSettings, env: InvoiceActionEnvironment): Promise<PaymentResult> {
  let read: PaymentContext
  try {
    read = await readPaymentContext(portal, input.invoiceId)
  }
  catch (error) {
    return { status: 'failed', action: 'recordPayment', error, failedPart: 'read', recorded: false }
  }
  const { invoice } = read
  const accepted = acceptPayment(invoice, read.collection, input, env)
  if ('status' in accepted)
    return accepted
  const runner = input.runner ?? newRunnerId()
  const release = (): Promise<unknown> => writePaymentClaim(portal, claimWrite(invoice, accepted.amount, input, runner, 'release', env.locale)).catch(() => false)
  try {
    await writePaymentClaim(portal, claimWrite(invoice, accepted.amount, input, runner, 'claim', env.locale))
  }
  catch (error) {
    return { status: 'failed', action: 'recordPayment', error, failedPart: 'claim', recorded: false }
  }
  let back: ClaimReadBack
  try {
    back = await readClaimBack(portal, invoice.id, invoice.dealId)
  }
  catch (error) {
    await release()
    return { status: 'failed', action: 'recordPayment', error, failedPart: 'read', recorded: false }
  }
  const mine = ownClaim(back.collection, runner)
  const winner = mine ? paymentClaimWinner(back.collection, Date.parse(mine.at)) : null
  // Payments recorded since the first read (by the window that won, possibly before this claim was even read back).
  const since = back.collection.payments.filter(payment => !read.collection.payments.some(before => before.logId === payment.logId))
  const sameRecorded = since.some(payment => input.bankRef ? payment.bankRef === input.bankRef : payment.amount.amountMinor === accepted.amount.amountMinor)
  if (!winner || winner.runner !== runner) {
    await releaseGuard(portal, back.guard)
    return { status: sameRecorded || (winner && samePayment(winner, accepted.amount, input)) ? 'recordedElsewhere' : 'busy', action: 'recordPayment', invoice }
  }
  // Won, but a payment was recorded between the first read and the claim: look again rather than guess.
  if (since.length > 0) {
    await releaseGuard(portal, back.guard)
    await release()
    return { status: sameRecorded ? 'recordedElsewhere' : 'busy', action: 'recordPayment', invoice }
  }
  const lines = paymentLines(read.rows, read.collection.payments.filter(p => p.amount.currency === invoice.amount.currency).map(p => p.amount.amountMinor), accepted.amount.amountMinor)
  const payment = accepted.amount.amountMinor > 0 && lines.length > 0 ? lines : null
  const effects: PaymentEffects = { invoicePayment: payment ? 'created' : 'noRows' }
  if (accepted.amount.amountMinor < accepted.balance.amountMinor)
    return recordPart(portal, { invoice, accepted, input, payment, effects, guard: back.guard, paymentsBefore: back.collection.payments.length }, env, release)
  const dealStage = dealDecision(invoice, settings, back.dealInvoices, input.stages)
  const closed = await closeOpen(portal, 'markPaid', invoice, input, env, (open, stageId) => paidClosing(open, stageId, accepted.amount, input, payment, dealStage === 'moved', settings, env), back.guard)
  // The portal refused the first write outright: nothing was recorded, so others need not wait for the lease.
  if (closed.status === 'failed' && closed.failedPart === 'invoiceStage' && closed.error instanceof PortalError && closed.error.retrySafe)
    await release()
  return finishFullPayment(portal, invoice, closed, { ...effects, dealStage }, settings, env)
}

/** After the closing batch: the "paid" processes start once the invoice moved and its record exists (a retry would find it paid). */
async function finishFullPayment(portal: PortalClient, invoice: Invoice, closed: InvoiceActionResult, paymentEffects: PaymentEffects, settings: InvoiceDeskSettings, env: InvoiceActionEnvironment): Promise<PaymentResult> {
  let effects = paymentEffects
  const paid = closed.status === 'done' || (closed.status === 'failed' && closed.failedPart !== 'invoiceStage' && closed.failedPart !== 'invoiceLog' && closed.failedPart !== 'read')
  if (!paid)
    return closed
  const outcomes = await startProcesses(portal, 'paid', { dealId: invoice.dealId, invoiceId: invoice.id }, settings, { isAdmin: env.isAdmin ?? false })
  // The closing document of a B2B invoice: after the payment is on record, never blocking it.
  const closing = (settings.invoice.closingDocumentTemplateId ?? null) !== null && invoice.companyId !== null
    ? { closing: await sendClosingDocument(portal, invoice, settings, { locale: env.locale }) }
    : {}
  effects = { ...effects, ...closing }
  if (closed.status !== 'done')
    return { ...closed, ...effects }
  // The "paid" processes and trigger: never block or fail the payment itself.
  const warnings = unfinishedOutcomes(outcomes).filter(outcome => outcome.status !== 'needs-admin' || outcome.kind === 'process')
  const withProcesses = { ...closed, ...effects, ...(outcomes.length > 0 ? { processes: outcomes } : {}) }
  return warnings.length > 0 ? { ...withProcesses, processWarnings: warnings } : withProcesses
}

/** A part payment the claim won: what to write, and the token its read-back minted. */
interface PartPayment {
  readonly invoice: Invoice
  readonly accepted: AcceptedPayment
  readonly input: RecordPaymentInput
  readonly payment: readonly PaymentLine[] | null
  readonly effects: PaymentEffects
  readonly guard: ReplayGuard
  /** Payments on the invoice's records at the read-back: a replayed write shows one more. */
  readonly paymentsBefore: number
}

async function recordPart(portal: PortalClient, part: PartPayment, env: InvoiceActionEnvironment, release: () => Promise<unknown>): Promise<PaymentResult> {
  const { invoice, accepted, input, payment, effects } = part
  const left: Money = { amountMinor: accepted.balance.amountMinor - accepted.amount.amountMinor, currency: accepted.balance.currency }
  const entry = partPaymentLogEntry(invoice, accepted.amount, input.paidOn, left, env.locale)
  const record = { kind: 'payment', amountMinor: accepted.amount.amountMinor, currency: accepted.amount.currency, paidOn: input.paidOn, ...(input.bankRef ? { bankRef: input.bankRef } : {}) } as const
  const closing: InvoiceClosing = {
    invoiceId: invoice.id,
    invoiceStageId: null,
    payment,
    deal: invoice.dealId === null ? null : { id: invoice.dealId, stageId: null },
    notifications: [],
    invoiceLog: { title: entry.title, text: taggedText(entry.text, record) },
    dealLog: entry,
  }
  let written: ClosingResult
  try {
    written = await closeInvoice(portal, closing, part.guard)
  }
  catch (error) {
    // The browser replayed the batch after its answer was lost: the invoice's records, read again, tell whether it was written.
    if (isReplayed(error)) {
      const now = await readClaimBack(portal, invoice.id, null).catch(() => null)
      if (now && now.collection.payments.length > part.paymentsBefore)
        return { status: 'partial', action: 'recordPayment', invoice, payment: accepted.amount, balance: left, ...effects }
    }
    return { status: 'failed', action: 'recordPayment', error, failedPart: 'invoiceLog', recorded: null }
  }
  if (written.failedPart) {
    const failedPart = written.failedPart === 'payment' || written.failedPart === 'dealLog' ? written.failedPart : 'invoiceLog'
    // The portal refused the record itself: nothing was written, so others need not wait for the lease.
    if (failedPart === 'invoiceLog' && written.error?.retrySafe)
      await release()
    return { status: 'failed', action: 'recordPayment', error: written.error, failedPart, recorded: failedPart !== 'invoiceLog', ...effects }
  }
  return { status: 'partial', action: 'recordPayment', invoice, payment: accepted.amount, balance: left, ...effects }
}

/** The closing batch of a full payment; the invoice's entry carries the `payment` record of what was left (none when nothing was). */
function paidClosing(invoice: Invoice, stageId: string, payment: Money, input: RecordPaymentInput, lines: readonly PaymentLine[] | null, moveDeal: boolean, settings: InvoiceDeskSettings, env: InvoiceActionEnvironment): InvoiceClosing {
  // The payment date goes into the texts and the record: the smart invoice has no documented
  // payment-date field (api-reference/crm/universal/object-fields.md#invoice lists none; `closedate`
  // is the due date and `movedTime` is set by the portal), and `crm.item.payment.pay` takes no
  // date (its `datePaid` is the moment it is called).
  const log = paidLogEntry(invoice, input.paidOn, env.locale, payment)
  const message = paidNotificationText(invoice, input.paidOn, env.locale)
  const invoiceText = payment.amountMinor > 0
    ? taggedText(log.text, { kind: 'payment', amountMinor: payment.amountMinor, currency: payment.currency, paidOn: input.paidOn, ...(input.bankRef ? { bankRef: input.bankRef } : {}) })
    : log.text
  return {
    invoiceId: invoice.id,
    invoiceStageId: stageId,
    payment: payment.amountMinor > 0 ? lines : null,
    deal: invoice.dealId === null ? null : { id: invoice.dealId, stageId: moveDeal ? settings.deal.stageAfterPaid : null },
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
