import type { CalendarDate } from '../domain/calendar-date.ts'
import type { Locale } from '../domain/format.ts'
import type { Invoice } from '../domain/invoice.ts'
import type { InvoiceAction } from '../domain/invoice-actions.ts'
import type { InvoiceState } from '../domain/invoice-state.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { Stage } from '../domain/stage.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { ClosingPart, InvoiceClosing } from '../portal/invoice-stage.ts'
import { cancelledLogEntry, paidLogEntry, paidNotificationText } from '../domain/invoice-action-messages.ts'
import { ACTION_TARGET, closingStage, invoiceActions } from '../domain/invoice-actions.ts'
import { invoiceState } from '../domain/invoice-state.ts'
import { notifyTag } from '../domain/issue/issue-key.ts'
import { indexStages } from '../domain/stage.ts'
import { closeInvoice, readInvoice } from '../portal/invoice-stage.ts'

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
}

export type InvoiceActionResult
  = | { readonly status: 'done', readonly action: InvoiceAction, readonly invoice: Invoice, readonly stageId: string }
  /** The invoice, read fresh, no longer allows the action (already paid or cancelled): nothing was written. */
    | { readonly status: 'unchanged', readonly action: InvoiceAction, readonly invoice: Invoice, readonly state: InvoiceState }
  /** The invoice's pipeline has no paid (or cancelled) stage to move it to: nothing was written. */
    | { readonly status: 'no-stage', readonly action: InvoiceAction, readonly invoice: Invoice }
  /** `invoiceMoved`: the invoice stage changed before `failedPart` failed, so a retry will find it closed and do nothing. */
    | { readonly status: 'failed', readonly action: InvoiceAction, readonly error: unknown, readonly failedPart: ClosingPart | 'read', readonly invoiceMoved: boolean }

type BuildClosing = (invoice: Invoice, stageId: string) => InvoiceClosing

/**
 * Round trip 1 reads the invoice as it is now (another window may have closed it since the list
 * was loaded); round trip 2, only when its state still allows `action`, is the halted batch.
 */
async function closeWith(portal: PortalClient, action: InvoiceAction, input: InvoiceActionInput, env: InvoiceActionEnvironment, build: BuildClosing): Promise<InvoiceActionResult> {
  let invoice: Invoice
  try {
    invoice = await readInvoice(portal, input.invoiceId)
  }
  catch (error) {
    return { status: 'failed', action, error, failedPart: 'read', invoiceMoved: false }
  }
  const stages = indexStages(input.stages)
  const state = invoiceState(invoice, stages, env.today)
  if (!invoiceActions(state).includes(action))
    return { status: 'unchanged', action, invoice, state }
  const target = closingStage(invoice, stages, ACTION_TARGET[action])
  if (!target)
    return { status: 'no-stage', action, invoice }
  try {
    const closed = await closeInvoice(portal, build(invoice, target.id))
    if (closed.failedPart)
      return { status: 'failed', action, error: closed.error, failedPart: closed.failedPart, invoiceMoved: closed.failedPart !== 'invoiceStage' }
  }
  catch (error) {
    // The batch as a whole got no answer: whether the invoice moved is unknown; a retry reads first.
    return { status: 'failed', action, error, failedPart: 'invoiceStage', invoiceMoved: false }
  }
  return { status: 'done', action, invoice, stageId: target.id }
}

/** Who hears of a payment: the named users, plus the invoice's responsible when the role is chosen. */
function paymentRecipients(settings: InvoiceDeskSettings, invoice: Invoice): number[] {
  const { roles, userIds } = settings.notifications.onPayment
  const recipients = new Set(userIds)
  if (invoice.responsibleId !== null && roles.includes('responsible'))
    recipients.add(invoice.responsibleId)
  // The `supervisor` role needs the company structure (not read yet); the issue chain skips it too.
  return [...recipients]
}

/**
 * Records the full payment of an open invoice (draft, sent or overdue) received on `paidOn`: in ONE
 * halted batch the invoice moves to its pipeline's success stage, the deal to
 * `settings.deal.stageAfterPaid` (when set), the `notifications.onPayment` recipients are notified
 * (TAG `INVOICE_DESK|PAID|<id>`) and both timelines get an entry. Two round trips in all; an invoice
 * already paid or cancelled gets one read and no write, so the people are notified once.
 */
export async function markInvoicePaid(portal: PortalClient, input: MarkPaidInput, settings: InvoiceDeskSettings, env: InvoiceActionEnvironment): Promise<InvoiceActionResult> {
  return closeWith(portal, 'markPaid', input, env, (invoice, stageId) => {
    // The payment date goes into the texts only: the smart invoice has no documented payment-date
    // field (api-reference/crm/universal/object-fields.md#invoice lists none; `closedate` is the due
    // date and `movedTime` is set by the portal), and payments (crm.item.payment.*) are a separate
    // order-based feature this app does not use.
    const log = paidLogEntry(invoice, input.paidOn, env.locale)
    const message = paidNotificationText(invoice, input.paidOn, env.locale)
    return {
      invoiceId: invoice.id,
      invoiceStageId: stageId,
      deal: invoice.dealId === null ? null : { id: invoice.dealId, stageId: settings.deal.stageAfterPaid },
      notifications: paymentRecipients(settings, invoice).map(userId => ({ userId, message, tag: notifyTag(invoice.id, 'paid') })),
      invoiceLog: log,
      dealLog: log,
    }
  })
}

/**
 * Cancels an open invoice: ONE halted batch moves it to its pipeline's failure stage and writes the
 * invoice's timeline entry; the deal and the people are left alone. Two round trips, like
 * `markInvoicePaid`; an invoice already closed gets one read and no write.
 */
export async function cancelInvoice(portal: PortalClient, input: InvoiceActionInput, env: InvoiceActionEnvironment): Promise<InvoiceActionResult> {
  return closeWith(portal, 'cancel', input, env, (invoice, stageId) => ({
    invoiceId: invoice.id,
    invoiceStageId: stageId,
    deal: null,
    notifications: [],
    invoiceLog: cancelledLogEntry(invoice, env.locale),
    dealLog: null,
  }))
}
