import type { CalendarDate } from '../../domain/calendar-date.ts'
import type { ErrorEntry, InvoiceOrigin } from '../../domain/receivables/key-metrics.ts'
import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import { calendarDateOf } from '../../domain/calendar-date.ts'
import { journalTagFilter, parseJournalItem } from '../../domain/journal/journal-entry.ts'
import { originOfActor } from '../../domain/receivables/key-metrics.ts'
import { ENTITY } from '../batch-outcome.ts'

const PAGE = 50
const BATCH = 50

/** What the key metrics read on demand, and the round trips it took. */
export interface KeyMetricsRead {
  readonly dealCreated: Map<number, CalendarDate>
  /** Null when the journal is missing or could not be read. */
  readonly origins: Map<number, Exclude<InvoiceOrigin, 'unknown'>> | null
  readonly errors: ErrorEntry[] | null
  readonly roundTrips: number
}

export interface KeyMetricsQuery {
  /** Deals whose creation day is needed (those first invoiced in the period). */
  readonly dealIds: readonly number[]
  /** The journal's smart process (`settings.journal.entityTypeId`); null = no journal. */
  readonly journalTypeId: number | null
  /** The period as ISO date-times with the portal's offset: `>=from`, `<to`. */
  readonly from: string
  readonly to: string
}

interface JournalRow { id: number | string, xmlId?: string | null, title?: string | null, createdTime: string, createdBy: number | string, parentId2?: number | string | null }

function journalCall(entityTypeId: number, tag: string, query: KeyMetricsQuery, start: number): RestCall {
  return {
    method: 'crm.item.list',
    params: { entityTypeId, filter: { '%xmlId': tag, '>=createdTime': query.from, '<createdTime': query.to }, order: { id: 'ASC' }, select: ['id', 'xmlId', 'title', 'createdTime', 'createdBy', 'parentId2'], start },
  }
}

/** Runs keyed commands 50 per batch, one batch after another; counts the round trips. */
async function runAll(client: PortalClient, calls: ReadonlyArray<readonly [string, RestCall]>, out: Map<string, BatchOutcome>): Promise<number> {
  let trips = 0
  for (let i = 0; i < calls.length; i += BATCH) {
    const outcomes = await client.batch(Object.fromEntries(calls.slice(i, i + BATCH)))
    trips++
    for (const [key, outcome] of Object.entries(outcomes))
      out.set(key, outcome)
  }
  return trips
}

const rowsOf = <T>(outcome: BatchOutcome | undefined): T[] => outcome?.ok ? ((outcome.result as { items?: T[] }).items ?? []) : []

/**
 * Reads what the key metrics need beyond the scan, only when the metrics section is opened:
 * the creation day of the deals first invoiced in the period (`crm.item.list` of deals by `@id`,
 * 50 ids a command) and the journal's entries of the period — the `invoice` entries that name who
 * issued each invoice, and the failed ones. Batches of 50 commands: ⌈(2 + ⌈deals/50⌉)/50⌉ round
 * trips, plus ⌈more journal pages/50⌉ when the journal has more than 50 such entries. A journal
 * that cannot be read leaves origins and errors unknown (null), never zero.
 */
export async function readKeyMetricsInputs(client: PortalClient, query: KeyMetricsQuery): Promise<KeyMetricsRead> {
  const calls: Array<readonly [string, RestCall]> = []
  const tags = { issued: journalTagFilter('invoice', 'ok')!, failed: journalTagFilter(null, 'failed')! }
  if (query.journalTypeId !== null) {
    calls.push(['issued0', journalCall(query.journalTypeId, tags.issued, query, 0)])
    calls.push(['failed0', journalCall(query.journalTypeId, tags.failed, query, 0)])
  }
  const ids = [...new Set(query.dealIds)]
  for (let i = 0; i < ids.length; i += PAGE)
    calls.push([`deals${i}`, { method: 'crm.item.list', params: { entityTypeId: ENTITY.deal, filter: { '@id': ids.slice(i, i + PAGE) }, select: ['id', 'createdTime'] } }])
  const outcomes = new Map<string, BatchOutcome>()
  let roundTrips = await runAll(client, calls, outcomes)
  const more: Array<readonly [string, RestCall]> = []
  if (query.journalTypeId !== null) {
    for (const kind of ['issued', 'failed'] as const) {
      const first = outcomes.get(`${kind}0`)
      for (let start = PAGE; first?.ok && start < first.total; start += PAGE)
        more.push([`${kind}${start}`, journalCall(query.journalTypeId, tags[kind], query, start)])
    }
  }
  roundTrips += await runAll(client, more, outcomes)
  const dealCreated = new Map<number, CalendarDate>()
  for (const [key, outcome] of outcomes) {
    if (!key.startsWith('deals'))
      continue
    for (const row of rowsOf<{ id: number | string, createdTime?: string | null }>(outcome)) {
      const day = calendarDateOf(row.createdTime)
      if (day)
        dealCreated.set(Number(row.id), day)
    }
  }
  const journalOk = query.journalTypeId !== null && [...outcomes].every(([key, outcome]) => key.startsWith('deals') || outcome.ok)
  return { dealCreated, origins: journalOk ? originsOf(outcomes) : null, errors: journalOk ? errorsOf(outcomes) : null, roundTrips }
}

const ISSUE_TAG = /^idj\|invoice\|ok\|([a-z]+)\|(\d+)\|/

function originsOf(outcomes: ReadonlyMap<string, BatchOutcome>): Map<number, Exclude<InvoiceOrigin, 'unknown'>> {
  const origins = new Map<number, Exclude<InvoiceOrigin, 'unknown'>>()
  for (const [key, outcome] of outcomes) {
    if (!key.startsWith('issued'))
      continue
    for (const row of rowsOf<JournalRow>(outcome)) {
      const match = ISSUE_TAG.exec(row.xmlId ?? '')
      const origin = match ? originOfActor(match[1]!) : null
      if (match && origin)
        origins.set(Number(match[2]), origin)
    }
  }
  return origins
}

function errorsOf(outcomes: ReadonlyMap<string, BatchOutcome>): ErrorEntry[] {
  const errors: ErrorEntry[] = []
  for (const [key, outcome] of outcomes) {
    if (!key.startsWith('failed'))
      continue
    for (const row of rowsOf<JournalRow>(outcome)) {
      const entry = parseJournalItem({ id: Number(row.id), xmlId: row.xmlId ?? null, title: row.title ?? null, createdTime: row.createdTime, createdBy: Number(row.createdBy), parentId2: row.parentId2 === null || row.parentId2 === undefined ? null : Number(row.parentId2) })
      const day = calendarDateOf(row.createdTime)
      if (entry && day && entry.result === 'failed')
        errors.push({ id: entry.id, at: entry.at, day, action: entry.action, invoiceId: entry.invoiceId, dealId: entry.dealId, summary: entry.summary, code: entry.error?.code ?? '', message: entry.error?.message ?? '' })
    }
  }
  return errors
}
