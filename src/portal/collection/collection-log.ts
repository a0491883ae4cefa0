import type { CollectionState } from '../../domain/collection/collection-state.ts'
import type { TimelineEntry } from '../../domain/collection/collection-record.ts'
import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import { foldCollection } from '../../domain/collection/collection-record.ts'
import { ENTITY, required } from '../batch-outcome.ts'

/** `crm.timeline.logmessage.list` pages by 10 (logmessage docs); a batch holds 50 commands. */
export const LOG_PAGE = 10
const BATCH_SIZE = 50

interface LogMessageRow {
  readonly id: number | string
  readonly created?: string | null
  readonly title?: string | null
  readonly text?: string | null
}

/** A log entry to write: on an invoice (31) or a deal (2). */
export interface LogWrite {
  readonly entityTypeId: 31 | 2
  readonly entityId: number
  readonly title: string
  readonly text: string
}

export function logListCall(invoiceId: number | string, start = 0): RestCall {
  return { method: 'crm.timeline.logmessage.list', params: { entityTypeId: ENTITY.invoice, entityId: invoiceId, order: { id: 'asc' }, start } }
}

export function logAddCall(write: LogWrite): RestCall {
  return { method: 'crm.timeline.logmessage.add', params: { fields: { entityTypeId: write.entityTypeId, entityId: write.entityId, title: write.title, text: write.text, iconCode: 'info' } } }
}

/** The docs show the list as a bare array; tolerate the wrapped `{ logMessages }` form too. */
export function logRowsOf(outcome: BatchOutcome | undefined): TimelineEntry[] {
  const result = required<LogMessageRow[] | { logMessages?: LogMessageRow[] }>(outcome, 'crm.timeline.logmessage.list')
  const rows = Array.isArray(result) ? result : result.logMessages ?? []
  return rows.map(row => ({ id: Number(row.id), created: row.created ?? '', title: row.title ?? '', text: row.text ?? '' }))
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size))
  return out
}

/**
 * Runs list commands (keyed) in batches of 50 and returns each command's rows. Several batches
 * go one after another: the cloud rate limit would only queue them anyway.
 */
async function listInBatches(client: PortalClient, calls: ReadonlyArray<readonly [string, RestCall]>): Promise<Map<string, { rows: TimelineEntry[], total: number }>> {
  const out = new Map<string, { rows: TimelineEntry[], total: number }>()
  for (const chunk of chunks(calls, BATCH_SIZE)) {
    const outcomes = await client.batch(Object.fromEntries(chunk))
    for (const [key] of chunk) {
      const outcome = outcomes[key]
      out.set(key, { rows: logRowsOf(outcome), total: outcome?.ok ? outcome.total : 0 })
    }
  }
  return out
}

/**
 * The collection state of each invoice: every page of its timeline log, folded. One round trip
 * per 50 invoices for the first pages, then one per 50 further pages (invoices with more than 10
 * entries). A failed read throws: deciding "nothing was sent" from a missing page could send twice.
 */
export async function readCollectionStates(client: PortalClient, invoiceIds: readonly number[]): Promise<Map<number, CollectionState>> {
  const unique = [...new Set(invoiceIds)]
  const first = await listInBatches(client, unique.map(id => [`log${id}`, logListCall(id)] as const))
  const more: Array<readonly [string, RestCall]> = []
  for (const id of unique) {
    const total = first.get(`log${id}`)?.total ?? 0
    for (let start = LOG_PAGE; start < total; start += LOG_PAGE)
      more.push([`log${id}_${start}`, logListCall(id, start)])
  }
  const rest = more.length > 0 ? await listInBatches(client, more) : new Map<string, { rows: TimelineEntry[], total: number }>()
  const states = new Map<number, CollectionState>()
  for (const id of unique) {
    const entries = [...first.get(`log${id}`)?.rows ?? []]
    for (const [key, page] of rest) {
      if (key.startsWith(`log${id}_`))
        entries.push(...page.rows)
    }
    states.set(id, foldCollection(id, entries))
  }
  return states
}

/** The collection state of one invoice from a first log page read inside another batch (more pages follow only when needed). */
export async function collectionStateFrom(client: PortalClient, invoiceId: number, firstPage: BatchOutcome | undefined): Promise<CollectionState> {
  const rows = logRowsOf(firstPage)
  const total = firstPage?.ok ? firstPage.total : rows.length
  const calls: Array<readonly [string, RestCall]> = []
  for (let start = LOG_PAGE; start < total; start += LOG_PAGE)
    calls.push([`log${start}`, logListCall(invoiceId, start)])
  const rest = calls.length > 0 ? await listInBatches(client, calls) : new Map()
  return foldCollection(invoiceId, [...rows, ...[...rest.values()].flatMap(page => page.rows)])
}
