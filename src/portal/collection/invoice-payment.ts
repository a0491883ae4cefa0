import type { CollectionState } from '../../domain/collection/collection-state.ts'
import type { PayableRow, PaymentLine } from '../../domain/collection/payment-lines.ts'
import type { Invoice } from '../../domain/invoice.ts'
import type { InvoiceItemDto } from '../crm/crm-dto.ts'
import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import type { ReplayGuard } from '../replay-guard.ts'
import type { LogWrite } from './collection-log.ts'
import { ENTITY, errorOf, required } from '../batch-outcome.ts'
import { INVOICE_SELECT } from '../crm/crm-dto.ts'
import { invoiceFromDto } from '../crm/crm-mappers.ts'
import { guardOf, withMint } from '../replay-guard.ts'
import { collectionStateFrom, logAddCall, logListCall } from './collection-log.ts'

/** `crm.item.productrow.list` pages by 50 (R: api-reference/crm/universal/product-rows/crm-item-productrow-list.md). */
const ROW_PAGE = 50

interface ProductRowDto {
  readonly id: number | string
  readonly price?: number | string | null
  readonly quantity?: number | string | null
}

function rowsCall(invoiceId: number, start = 0): RestCall {
  return { method: 'crm.item.productrow.list', params: { filter: { '=ownerType': 'SI', '=ownerId': invoiceId }, order: { sort: 'ASC', id: 'ASC' }, start } }
}

function rowsOf(outcome: BatchOutcome | undefined): PayableRow[] {
  return required<{ productRows: ProductRowDto[] }>(outcome, 'crm.item.productrow.list').productRows
    .map(row => ({ id: Number(row.id), price: Number(row.price) || 0, quantity: Number(row.quantity) || 0 }))
}

/** What recording a payment reads first: the invoice, its records and its product rows (the sum of Bitrix24's payment comes from them). */
export interface PaymentContext {
  readonly invoice: Invoice
  readonly collection: CollectionState
  readonly rows: readonly PayableRow[]
}

/**
 * The invoice (`crm.item.get`), the first page of its log and its product rows in ONE batch; more
 * log pages or rows cost one more round trip each. Throws `PortalError` when a read failed: a
 * balance from a missing page could accept an overpayment.
 */
export async function readPaymentContext(client: PortalClient, invoiceId: number): Promise<PaymentContext> {
  const outcomes = await client.batch({
    invoice: { method: 'crm.item.get', params: { entityTypeId: ENTITY.invoice, id: invoiceId, select: [...INVOICE_SELECT] } },
    log: logListCall(invoiceId),
    rows: rowsCall(invoiceId),
  })
  const invoice = invoiceFromDto(required<{ item: InvoiceItemDto }>(outcomes.invoice, 'crm.item.get').item)
  const rows = rowsOf(outcomes.rows)
  const total = outcomes.rows?.ok ? outcomes.rows.total : rows.length
  if (total > ROW_PAGE) {
    const more: Record<string, RestCall> = {}
    for (let start = ROW_PAGE; start < total; start += ROW_PAGE)
      more[`rows${start}`] = rowsCall(invoiceId, start)
    const pages = await client.batch(more)
    for (const key of Object.keys(more))
      rows.push(...rowsOf(pages[key]))
  }
  return { invoice, collection: await collectionStateFrom(client, invoiceId, outcomes.log), rows }
}

/**
 * Writes one claim entry (`crm.timeline.logmessage.add`, one round trip). Returns false when the
 * portal refused it; throws when there was no answer. Writing a claim twice is harmless: the
 * attempt knows its claims by its runner id.
 */
export async function writePaymentClaim(client: PortalClient, write: LogWrite): Promise<boolean> {
  const outcomes = await client.batch({ claim: logAddCall(write) })
  const error = errorOf(outcomes.claim, 'crm.timeline.logmessage.add')
  if (error)
    throw error
  return true
}

/** An invoice of the deal, with its stage: to tell whether the deal still has open invoices. */
export interface DealInvoiceStage {
  readonly id: number
  readonly stageId: string
}

/** The timeline read back after a claim, and the stages of the deal's invoices (paid → deal stage). */
export interface ClaimReadBack {
  readonly collection: CollectionState
  /** Null when the invoice has no deal. */
  readonly dealInvoices: readonly DealInvoiceStage[] | null
  /** The token for the payment's write batch, minted with this read (README "Never twice"). */
  readonly guard: ReplayGuard
}

/**
 * ONE batch: the invoice's log (first page; more pages one more round trip) and every invoice of
 * its deal with its stage (`crm.item.list` by `parentId2`, up to 50 — a deal rarely has more; a
 * deal with more is taken as still open). Throws `PortalError` when a read failed.
 */
export async function readClaimBack(client: PortalClient, invoiceId: number, dealId: number | null): Promise<ClaimReadBack> {
  const owner = { entityTypeId: ENTITY.invoice, id: invoiceId } as const
  // The read that elects this claim also mints the token of the write that follows (replay-guard.ts).
  const outcomes = await client.batch(withMint({
    log: logListCall(invoiceId),
    ...(dealId !== null ? { deal: { method: 'crm.item.list', params: { entityTypeId: ENTITY.invoice, select: ['id', 'stageId'], filter: { '=parentId2': dealId }, order: { id: 'ASC' } } } } : {}),
  }, owner))
  let dealInvoices: DealInvoiceStage[] | null = null
  if (dealId !== null) {
    const outcome = outcomes.deal
    const items = required<{ items: InvoiceItemDto[] }>(outcome, 'crm.item.list').items
    dealInvoices = items.map(item => ({ id: Number(item.id), stageId: String(item.stageId ?? '') }))
    // More than one page: the rest is unknown, so the deal counts as having an open invoice.
    if (outcome?.ok && outcome.total > items.length)
      dealInvoices.push({ id: 0, stageId: '' })
  }
  return { collection: await collectionStateFrom(client, invoiceId, outcomes.log), dealInvoices, guard: guardOf(outcomes, owner) }
}

/**
 * The commands that make Bitrix24's own payment of the invoice, in order: `crm.item.payment.add`,
 * one `crm.item.payment.product.add` per line (the payment's sum comes from them) and
 * `crm.item.payment.pay` — R: api-reference/crm/universal/payment/. Keys `payment`,
 * `paymentLine0…`, `paymentPay`; later commands refer to the new payment as `$result[payment]`.
 */
export function invoicePaymentCalls(invoiceId: number, lines: readonly PaymentLine[]): Array<readonly [string, RestCall]> {
  return [
    ['payment', { method: 'crm.item.payment.add', params: { entityTypeId: ENTITY.invoice, entityId: invoiceId } }],
    ...lines.map((line, i) => [`paymentLine${i}`, { method: 'crm.item.payment.product.add', params: { paymentId: '$result[payment]', rowId: line.rowId, quantity: line.quantity } }] as const),
    ['paymentPay', { method: 'crm.item.payment.pay', params: { id: '$result[payment]' } }],
  ]
}
