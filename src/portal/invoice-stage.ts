import type { PaymentLine } from '../domain/collection/payment-lines.ts'
import type { Invoice } from '../domain/invoice.ts'
import type { InvoiceItemDto } from './crm/crm-dto.ts'
import type { PortalClient, RestCall } from './portal-client.ts'
import type { PortalError } from './portal-error.ts'
import type { ReplayGuard } from './replay-guard.ts'
import { ENTITY, errorOf, required } from './batch-outcome.ts'
import { INVOICE_SELECT } from './crm/crm-dto.ts'
import { invoiceFromDto } from './crm/crm-mappers.ts'
import { invoicePaymentCalls } from './collection/invoice-payment.ts'
import { guardedBatch, guardOf, withMint } from './replay-guard.ts'

/** A timeline entry as `crm.timeline.logmessage.add` takes it. */
export interface LogMessage {
  readonly title: string
  readonly text: string
}

/**
 * Closing an invoice from its row (or recording a part of its payment): the invoice's new stage,
 * and what else happens with it. Mark paid fills every part; cancel fills only the stage and the
 * invoice's log; a part payment has no stage.
 */
export interface InvoiceClosing {
  readonly invoiceId: number
  /** The pipeline's success stage (paid) or failure stage (cancelled); null: the stage stays (a part payment). */
  readonly invoiceStageId: string | null
  /**
   * Bitrix24's own payment of the invoice (`crm.item.payment.*`) with these product lines (its
   * sum comes from them, see `payment-lines.ts`). Absent or null: none is made (cancel; an
   * invoice without product rows, whose payment would have the sum 0).
   */
  readonly payment?: readonly PaymentLine[] | null
  /** Null: no deal stage moves. */
  readonly deal: { readonly id: number, readonly stageId: string | null } | null
  readonly notifications: ReadonlyArray<{ readonly userId: number, readonly message: string, readonly tag: string }>
  readonly invoiceLog: LogMessage
  /** Null: nothing written on the deal's timeline. */
  readonly dealLog: LogMessage | null
}

/** Which part of the closing failed; everything before it happened, nothing after it ran. */
export type ClosingPart = 'invoiceStage' | 'invoiceLog' | 'payment' | 'dealStage' | 'notify' | 'dealLog'

export interface ClosingResult {
  readonly error: PortalError | null
  readonly failedPart: ClosingPart | null
}

/** The invoice as it is now: ONE round trip (`crm.item.get`). Throws `PortalError` (NOT_FOUND for a deleted one). */
export async function readInvoice(client: PortalClient, invoiceId: number): Promise<Invoice> {
  const answer = await client.call<{ item: InvoiceItemDto }>('crm.item.get', { entityTypeId: ENTITY.invoice, id: invoiceId, select: [...INVOICE_SELECT] })
  return invoiceFromDto(answer.item)
}

/** The invoice as it is now and the token for the write that follows: ONE round trip. Throws `PortalError`. */
export async function readInvoiceForWrite(client: PortalClient, invoiceId: number): Promise<{ invoice: Invoice, guard: ReplayGuard }> {
  const owner = { entityTypeId: ENTITY.invoice, id: invoiceId } as const
  const outcomes = await client.batch(withMint({ invoice: { method: 'crm.item.get', params: { entityTypeId: ENTITY.invoice, id: invoiceId, select: [...INVOICE_SELECT] } } }, owner))
  return { invoice: invoiceFromDto(required<{ item: InvoiceItemDto }>(outcomes.invoice, 'crm.item.get').item), guard: guardOf(outcomes, owner) }
}

function logCall(entityTypeId: number, entityId: number, log: LogMessage): RestCall {
  return { method: 'crm.timeline.logmessage.add', params: { fields: { entityTypeId, entityId, title: log.title, text: log.text, iconCode: 'info' } } }
}

function closingCalls(closing: InvoiceClosing): Record<string, RestCall> {
  const calls: Record<string, RestCall> = {}
  if (closing.invoiceStageId !== null)
    calls.invoiceStage = { method: 'crm.item.update', params: { entityTypeId: ENTITY.invoice, id: closing.invoiceId, fields: { stageId: closing.invoiceStageId } } }
  // Right after the stage: this entry carries the payment record, which must not depend on the
  // deal (an accountant may change invoices but not deals).
  calls.invoiceLog = logCall(ENTITY.invoice, closing.invoiceId, closing.invoiceLog)
  // The invoice's own payment, so that Bitrix24 shows it in the invoice (before the deal: it is the invoice's).
  if (closing.payment)
    invoicePaymentCalls(closing.invoiceId, closing.payment).forEach(([key, call]) => (calls[key] = call))
  if (closing.deal?.stageId)
    calls.dealStage = { method: 'crm.item.update', params: { entityTypeId: ENTITY.deal, id: closing.deal.id, fields: { stageId: closing.deal.stageId } } }
  closing.notifications.forEach((n, i) => {
    calls[`notify${i}`] = { method: 'im.notify.system.add', params: { USER_ID: n.userId, MESSAGE: n.message, TAG: n.tag } }
  })
  if (closing.deal && closing.dealLog)
    calls.dealLog = logCall(ENTITY.deal, closing.deal.id, closing.dealLog)
  return calls
}

/** The part a batch key belongs to (`notify0` → `notify`, `paymentLine2`/`paymentPay` → `payment`). */
function partOf(key: string): ClosingPart {
  return key.startsWith('payment') ? 'payment' : key.replace(/\d+$/, '') as ClosingPart
}

/**
 * ONE round trip with `halt`, guarded against replays (`guardedBatch`, throws `REPLAYED`): the
 * invoice's stage first (when it moves), then its timeline entry (with the payment record), the
 * invoice's own payment (`crm.item.payment.add`, its product lines, `crm.item.payment.pay`), the
 * deal's stage, the notifications and the deal's entry, in that order — so when the invoice does not
 * move, nothing else happens. Failures are reported, not retried: the notifications must not go out twice.
 */
export async function closeInvoice(client: PortalClient, closing: InvoiceClosing, guard: ReplayGuard): Promise<ClosingResult> {
  const calls = closingCalls(closing)
  const outcomes = await guardedBatch(client, guard, calls)
  for (const [key, call] of Object.entries(calls)) {
    const error = errorOf(outcomes[key], call.method)
    if (error)
      return { error, failedPart: partOf(key) }
  }
  return { error: null, failedPart: null }
}
