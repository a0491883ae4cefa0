import type { CalendarDate } from '../domain/calendar-date.ts'
import type { CollectionRecord } from '../domain/collection/collection-record.ts'
import type { CollectionState } from '../domain/collection/collection-state.ts'
import type { Invoice } from '../domain/invoice.ts'
import type { LogEntry } from '../domain/invoice-action-messages.ts'
import type { InvoiceState } from '../domain/invoice-state.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { ReplayGuard } from '../portal/replay-guard.ts'
import type { InvoiceActionEnvironment, InvoiceActionInput } from './mark-invoice.ts'
import { taggedText } from '../domain/collection/collection-record.ts'
import { disputeLogEntry, promiseLogEntry } from '../domain/invoice-action-messages.ts'
import { disputeReasonValid, invoiceActions, promiseDateValid } from '../domain/invoice-actions.ts'
import { invoiceState } from '../domain/invoice-state.ts'
import { indexStages } from '../domain/stage.ts'
import { readInvoiceWithCollection, writeCollectionLogs } from '../portal/collection/invoice-collection.ts'
import { isReplayed, releaseGuard } from '../portal/replay-guard.ts'

/** What the deal tab records on an open invoice besides closing it: a payment, a promised day, a dispute. */
export type CollectionAction = 'recordPayment' | 'promise' | 'dispute'

/**
 * Which part failed: the read or the claim (nothing recorded), the invoice's entry (nothing
 * recorded), Bitrix24's payment of the invoice or the deal's copy (the record exists).
 */
export type CollectionPart = 'read' | 'claim' | 'invoiceLog' | 'payment' | 'dealLog'

/**
 * A collection action that failed. `recorded`: true when the invoice's entry (the record) was
 * written before `failedPart` failed, so repeating would record it twice; false when nothing was
 * written; null when the write got no answer at all, so only the invoice's history can tell.
 */
export interface CollectionFailure<A extends CollectionAction = CollectionAction> {
  readonly status: 'failed'
  readonly action: A
  readonly error: unknown
  readonly failedPart: CollectionPart
  readonly recorded: boolean | null
}

/** What the write of a record works from: the read's records and its one-time token (`replay-guard.ts`). */
export interface RecordBasis {
  readonly collection: CollectionState
  readonly guard: ReplayGuard
}

/**
 * Writes the invoice's entry carrying `record` and, when `onDeal` and the invoice has a deal, the
 * same sentence (without the record: the records are read from the invoice only) on the deal.
 * ONE halted round trip; null when both were written. When the browser replayed the write after its
 * answer was lost, the invoice's records, read again, tell whether it was written (never written twice).
 */
export async function writeRecord<A extends CollectionAction>(portal: PortalClient, action: A, invoice: Invoice, entry: LogEntry, record: CollectionRecord, onDeal: boolean, basis: RecordBasis): Promise<CollectionFailure<A> | null> {
  const invoiceLog = { entityTypeId: 31, entityId: invoice.id, title: entry.title, text: taggedText(entry.text, record) } as const
  const dealLog = onDeal && invoice.dealId !== null ? { entityTypeId: 2, entityId: invoice.dealId, title: entry.title, text: entry.text } as const : null
  try {
    const written = await writeCollectionLogs(portal, { invoiceLog, dealLog }, basis.guard)
    return written.failedPart ? { status: 'failed', action, error: written.error, failedPart: written.failedPart, recorded: written.failedPart === 'dealLog' } : null
  }
  catch (error) {
    if (isReplayed(error)) {
      const now = await readInvoiceWithCollection(portal, invoice.id, { mint: false }).catch(() => null)
      if (now && JSON.stringify(now.collection) !== JSON.stringify(basis.collection))
        return null
      return { status: 'failed', action, error, failedPart: 'invoiceLog', recorded: now ? false : null }
    }
    return { status: 'failed', action, error, failedPart: 'invoiceLog', recorded: null }
  }
}

/** Why a promise or a dispute was not recorded: the day is in the past, the reason empty or too long, or it is already so. */
export type CollectionRefusal = 'dateInvalid' | 'reasonInvalid' | 'nothingToChange'

export type CollectionActionResult<A extends 'promise' | 'dispute'>
  = | { readonly status: 'recorded', readonly action: A, readonly invoice: Invoice, readonly collection: CollectionState }
  /** The invoice, read fresh, is paid or cancelled: nothing was written. */
    | { readonly status: 'unchanged', readonly action: A, readonly invoice: Invoice, readonly state: InvoiceState }
    | { readonly status: CollectionRefusal, readonly action: A, readonly invoice: Invoice }
    | CollectionFailure<A>

type Decision = CollectionRefusal | { readonly entry: LogEntry, readonly record: CollectionRecord, readonly after: CollectionState }

/** Round trip 1 reads the invoice and its log; round trip 2, only for an open invoice and an accepted change, writes the entry. */
async function recordOnInvoice<A extends 'promise' | 'dispute'>(portal: PortalClient, action: A, input: InvoiceActionInput, env: InvoiceActionEnvironment, decide: (collection: CollectionState) => Decision): Promise<CollectionActionResult<A>> {
  let read
  try {
    read = await readInvoiceWithCollection(portal, input.invoiceId)
  }
  catch (error) {
    return { status: 'failed', action, error, failedPart: 'read', recorded: false }
  }
  const { invoice, collection } = read
  const state = invoiceState(invoice, indexStages(input.stages), env.today)
  const decision = invoiceActions(state).length === 0 ? null : decide(collection)
  if (decision === null || typeof decision === 'string') {
    await releaseGuard(portal, read.guard)
    return decision === null ? { status: 'unchanged', action, invoice, state } : { status: decision, action, invoice }
  }
  const failed = await writeRecord(portal, action, invoice, decision.entry, decision.record, false, read)
  return failed ?? { status: 'recorded', action, invoice, collection: decision.after }
}

export interface PromiseInput extends InvoiceActionInput {
  /** The day the client promised to pay by, today or later; null removes the promise. */
  readonly on: CalendarDate | null
}

/**
 * Records the day the client promised to pay by (reminders pause until then, see
 * `CollectionState.promisedOn`), or removes the promise. Two round trips: the read, then ONE
 * invoice timeline entry with the `promise` record. Refuses closed invoices, days before
 * `env.today`, and a change to what is already recorded.
 */
export function setPromisedDate(portal: PortalClient, input: PromiseInput, env: InvoiceActionEnvironment): Promise<CollectionActionResult<'promise'>> {
  return recordOnInvoice(portal, 'promise', input, env, (collection) => {
    if (!promiseDateValid(input.on, env.today))
      return 'dateInvalid'
    if (collection.promisedOn === input.on)
      return 'nothingToChange'
    return { entry: promiseLogEntry(input.on, env.locale), record: { kind: 'promise', on: input.on }, after: { ...collection, promisedOn: input.on } }
  })
}

export interface DisputeInput extends InvoiceActionInput {
  /** True opens (or re-words) a dispute, false closes it. */
  readonly open: boolean
  /** Why: required when opening, at most `DISPUTE_REASON_MAX` characters; trimmed. */
  readonly reason: string
}

/**
 * Opens or closes a dispute on the invoice (reminders pause while it is open). Two round trips
 * like `setPromisedDate`, with a `dispute` record. Refuses closed invoices, an empty or too long
 * reason when opening, and closing a dispute that is not open.
 */
export function setDisputed(portal: PortalClient, input: DisputeInput, env: InvoiceActionEnvironment): Promise<CollectionActionResult<'dispute'>> {
  const reason = input.reason.trim()
  return recordOnInvoice(portal, 'dispute', input, env, (collection) => {
    if (!disputeReasonValid(input.open, reason))
      return 'reasonInvalid'
    if (input.open ? collection.dispute?.reason === reason : collection.dispute === null)
      return 'nothingToChange'
    const after = { ...collection, dispute: input.open ? { since: env.today, reason } : null }
    return { entry: disputeLogEntry(input.open, reason, env.locale), record: { kind: 'dispute', open: input.open, reason }, after }
  })
}
