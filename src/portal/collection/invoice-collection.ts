import type { CollectionState } from '../../domain/collection/collection-state.ts'
import type { Invoice } from '../../domain/invoice.ts'
import type { InvoiceItemDto } from '../crm/crm-dto.ts'
import type { BatchOutcome, PortalClient } from '../portal-client.ts'
import type { PortalError } from '../portal-error.ts'
import type { ReplayGuard } from '../replay-guard.ts'
import type { LogWrite } from './collection-log.ts'
import { foldCollection } from '../../domain/collection/collection-record.ts'
import { ENTITY, errorOf, notRun, required } from '../batch-outcome.ts'
import { INVOICE_SELECT } from '../crm/crm-dto.ts'
import { invoiceFromDto } from '../crm/crm-mappers.ts'
import { guardedBatch, guardOf, newGuard, withMint } from '../replay-guard.ts'
import { collectionStateFrom, LOG_PAGE, logAddCall, logListCall, logRowsOf, readCollectionStates } from './collection-log.ts'

/** An invoice as it is now, with everything the app recorded on it. */
export interface InvoiceWithCollection {
  readonly invoice: Invoice
  readonly collection: CollectionState
  /** The token (on the invoice) for the write that follows the read (`replay-guard.ts`); none when read with `mint: false`. */
  readonly guard: ReplayGuard
}

/**
 * The invoice (`crm.item.get`) and the first page of its log in ONE batch, which also mints the
 * token for the write that follows (unless `mint: false`); an invoice with more than 10 log entries
 * costs one more round trip for the other pages. Throws `PortalError` when either read failed: a
 * balance computed from a missing page could accept an overpayment.
 */
export async function readInvoiceWithCollection(client: PortalClient, invoiceId: number, options: { readonly mint?: boolean } = {}): Promise<InvoiceWithCollection> {
  const owner = { entityTypeId: ENTITY.invoice, id: invoiceId } as const
  const calls = {
    invoice: { method: 'crm.item.get', params: { entityTypeId: ENTITY.invoice, id: invoiceId, select: [...INVOICE_SELECT] } },
    log: logListCall(invoiceId),
  }
  const mint = options.mint ?? true
  const outcomes = await client.batch(mint ? withMint(calls, owner) : calls)
  const invoice = invoiceFromDto(required<{ item: InvoiceItemDto }>(outcomes.invoice, 'crm.item.get').item)
  return { invoice, collection: await collectionStateFrom(client, invoiceId, outcomes.log), guard: mint ? guardOf(outcomes, owner) : newGuard(owner) }
}

/** The log entries of one collection action: the invoice's (it carries the record), then the deal's copy, if any. */
export interface CollectionLogs {
  readonly invoiceLog: LogWrite
  readonly dealLog: LogWrite | null
}

export interface CollectionLogsResult {
  readonly error: PortalError | null
  /** Null when both were written; `invoiceLog` means nothing was written. */
  readonly failedPart: 'invoiceLog' | 'dealLog' | null
}

/**
 * ONE round trip with `halt`, guarded against replays (`guardedBatch`, throws `REPLAYED`): the
 * invoice's entry first, so the deal's copy is only written after the record exists. Not retried:
 * a second invoice entry would be a second payment.
 */
export async function writeCollectionLogs(client: PortalClient, logs: CollectionLogs, guard: ReplayGuard): Promise<CollectionLogsResult> {
  const calls = { invoiceLog: logAddCall(logs.invoiceLog), ...(logs.dealLog ? { dealLog: logAddCall(logs.dealLog) } : {}) }
  const outcomes = await guardedBatch(client, guard, calls)
  for (const key of ['invoiceLog', 'dealLog'] as const) {
    const error = key in calls ? errorOf(outcomes[key], 'crm.timeline.logmessage.add') : null
    if (error)
      return { error, failedPart: key }
  }
  return { error: null, failedPart: null }
}

/**
 * What the deal tab knows of one invoice's records: `ready`; `pending` when its log was not (fully)
 * read with the first paint (beyond the first 10 invoices, or more than 10 entries); `failed` when
 * the read failed. A failed read is shown as unknown, never as "nothing recorded".
 */
export type CollectionRead
  = | { readonly status: 'ready', readonly state: CollectionState }
    | { readonly status: 'pending' }
    | { readonly status: 'failed', readonly error: unknown }

/** The invoice's records from the first log page read inside another batch, without another round trip. */
export function collectionFromFirstPage(invoiceId: number, outcome: BatchOutcome | undefined): CollectionRead {
  if (!outcome?.ok)
    return { status: 'failed', error: outcome?.error ?? notRun('crm.timeline.logmessage.list') }
  if (outcome.total > LOG_PAGE)
    return { status: 'pending' }
  return { status: 'ready', state: foldCollection(invoiceId, logRowsOf(outcome)) }
}

/**
 * Reads the records of the `pending` invoices: one round trip per 50 invoices, then one per 50
 * further pages (`readCollectionStates`). A failed read marks every one of them `failed`.
 */
export async function readPendingCollections(client: PortalClient, invoiceIds: readonly number[]): Promise<Map<number, CollectionRead>> {
  try {
    const states = await readCollectionStates(client, invoiceIds)
    return new Map([...states].map(([id, state]) => [id, { status: 'ready', state }]))
  }
  catch (error) {
    return new Map(invoiceIds.map(id => [id, { status: 'failed', error }]))
  }
}
