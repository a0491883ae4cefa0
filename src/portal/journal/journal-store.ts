import type { JournalAction, JournalEntry, JournalResult, StoredJournalEntry } from '../../domain/journal/journal-entry.ts'
import type { PortalClient, RestCall } from '../portal-client.ts'
import { PortalError } from '../portal-error.ts'
import { JOURNAL_TYPE_TITLE, journalTag, journalTagFilter, journalTitle, parseJournalItem } from '../../domain/journal/journal-entry.ts'

/**
 * Where the execution journal lives: items of the app's own smart process («Invoice Desk: журнал»,
 * created at install with a link to deals). Why a smart process and not app storage or timelines:
 * the scheduled runner writes through a webhook, which `entity.item.*` and `app.option.*` refuse
 * ("Application context required"); timeline entries cannot be listed portal-wide. CRM items can be
 * written by the frame and a webhook alike, listed with filters and keyset paging, opened by people
 * in the CRM, and deleted to keep the journal bounded (`pruneJournal`).
 */

/** Journal entries written in one batch at most (Bitrix24's batch limit). */
const BATCH_LIMIT = 50

/**
 * The `crm.type.add` command creating the journal's smart process with the id install chose, with
 * closed permissions: `isSetOpenPermissions` "Should new funnels be available to everyone" defaults to
 * Y (R: api-reference/crm/universal/user-defined-object-types/crm-type-add.md); with N no role gets
 * rights on the journal's funnel, so only CRM administrators — and the application acting with an
 * administrator's token — read, add, change or delete entries (README, «Who sees and who may change what»).
 */
export function journalTypeCommand(entityTypeId: number): RestCall {
  return {
    method: 'crm.type.add',
    params: {
      fields: {
        title: JOURNAL_TYPE_TITLE,
        entityTypeId,
        isSetOpenPermissions: 'N',
        relations: { parent: [{ entityTypeId: 2, isChildrenListEnabled: 'false' }] },
      },
    },
  }
}

/**
 * Writes `entries` (one batch per 50, usually exactly one round trip). Never throws and never
 * retries: the action itself is done; a journal that could not be written is reported to the
 * caller as the portal's error (null = all written). Nothing is written for an empty list.
 */
export async function writeJournal(client: PortalClient, entityTypeId: number, entries: readonly JournalEntry[]): Promise<PortalError | Error | null> {
  for (let from = 0; from < entries.length; from += BATCH_LIMIT) {
    const calls: Record<string, RestCall> = {}
    entries.slice(from, from + BATCH_LIMIT).forEach((entry, index) => {
      const fields: Record<string, unknown> = { title: journalTitle(entry), xmlId: journalTag(entry) }
      if (entry.dealId !== null)
        fields.parentId2 = entry.dealId
      calls[`j${index}`] = { method: 'crm.item.add', params: { entityTypeId, fields } }
    })
    try {
      const outcomes = await client.batch(calls)
      const failed = Object.values(outcomes).find(outcome => !outcome.ok)
      if (failed && !failed.ok)
        return failed.error
    }
    catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    }
  }
  return null
}

/** True for `writeJournal`'s refusal of a person who may not write the closed journal (not an administrator): nothing was written. */
export function isJournalRefused(error: unknown): boolean {
  return error instanceof PortalError && error.code === 'ACCESS_DENIED' && error.method === 'crm.item.add'
}

/**
 * Writes entries that name a deal into that deal's timeline as log messages (one batch per 50):
 * where a person who may not write the closed journal leaves the record of their own action.
 * Bitrix24 guards them by the deal's rights: adding needs "permission to edit the CRM object", reading
 * "read permissions" (R: api-reference/crm/timeline/logmessage/crm-timeline-logmessage-add.md, -list.md);
 * there is no update method, and -delete.md lets whoever may edit the deal delete one. Entries without a
 * deal are not written. Never throws and never retries; returns the portal's first error (null = written).
 */
export async function writeDealTimelineJournal(client: PortalClient, entries: readonly JournalEntry[]): Promise<PortalError | Error | null> {
  const withDeal = entries.filter(entry => entry.dealId !== null)
  for (let from = 0; from < withDeal.length; from += BATCH_LIMIT) {
    const calls: Record<string, RestCall> = {}
    withDeal.slice(from, from + BATCH_LIMIT).forEach((entry, index) => {
      calls[`t${index}`] = { method: 'crm.timeline.logmessage.add', params: { fields: { entityTypeId: 2, entityId: entry.dealId, title: JOURNAL_TYPE_TITLE, text: journalTitle(entry), iconCode: 'info' } } }
    })
    try {
      const failed = Object.values(await client.batch(calls)).find(outcome => !outcome.ok)
      if (failed && !failed.ok)
        return failed.error
    }
    catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    }
  }
  return null
}

/** What the journal view filters by; null = any. Dates are ISO date-times with an offset. */
export interface JournalFilter {
  readonly from: string | null
  readonly to: string | null
  readonly action: JournalAction | null
  readonly result: JournalResult | null
  readonly dealId: number | null
}

/** No filter: every entry. */
export const EMPTY_JOURNAL_FILTER: JournalFilter = { from: null, to: null, action: null, result: null, dealId: null }

/** One page of the journal, newest first. */
export interface JournalPage {
  readonly entries: readonly StoredJournalEntry[]
  /** Total entries matching the filter, as the portal counts them. */
  readonly total: number
  /** `start` of the next page; null on the last one. */
  readonly next: number | null
}

interface JournalItemDto {
  id: number | string
  xmlId?: string | null
  title?: string | null
  createdTime: string
  createdBy: number | string
  parentId2?: number | string | null
}

/** The `crm.item.list` filter for `filter`. */
export function journalListFilter(filter: JournalFilter): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const tag = journalTagFilter(filter.action, filter.result)
  out['%xmlId'] = tag ?? 'idj|'
  if (filter.from)
    out['>=createdTime'] = filter.from
  if (filter.to)
    out['<createdTime'] = filter.to
  if (filter.dealId !== null)
    out['=parentId2'] = filter.dealId
  return out
}

/** Reads one page of 50 entries, newest first (1 round trip). Throws `PortalError`. */
export async function readJournal(client: PortalClient, entityTypeId: number, filter: JournalFilter, start = 0): Promise<JournalPage> {
  const outcomes = await client.batch({
    page: {
      method: 'crm.item.list',
      params: { entityTypeId, filter: journalListFilter(filter), order: { id: 'DESC' }, select: ['id', 'xmlId', 'title', 'createdTime', 'createdBy', 'parentId2'], start },
    },
  })
  const page = outcomes.page!
  if (!page.ok)
    throw page.error
  const items = (page.result as { items?: JournalItemDto[] }).items ?? []
  const entries = items.flatMap((item) => {
    const parsed = parseJournalItem({
      id: Number(item.id),
      xmlId: item.xmlId ?? null,
      title: item.title ?? null,
      createdTime: item.createdTime,
      createdBy: Number(item.createdBy),
      parentId2: item.parentId2 === null || item.parentId2 === undefined ? null : Number(item.parentId2),
    })
    return parsed ? [parsed] : []
  })
  const next = start + items.length < page.total && items.length > 0 ? start + items.length : null
  return { entries, total: page.total, next }
}

/**
 * The journal's bound: deletes entries created before `before` (ISO), oldest first, 50 per round
 * of 2 requests (list the ids, delete them in one batch), at most `maxRounds` rounds. Returns how
 * many were deleted. Throws `PortalError` on a failed read; deletions that fail are left for next time.
 */
export async function pruneJournal(client: PortalClient, entityTypeId: number, before: string, maxRounds = 10): Promise<number> {
  let deleted = 0
  for (let round = 0; round < maxRounds; round++) {
    const listed = await client.call<{ items?: Array<{ id: number | string }> }>('crm.item.list', {
      entityTypeId, filter: { '%xmlId': 'idj|', '<createdTime': before }, order: { id: 'ASC' }, select: ['id'], start: -1,
    })
    const ids = (listed.items ?? []).map(item => Number(item.id))
    if (ids.length === 0)
      break
    const outcomes = await client.batch(Object.fromEntries(ids.map(id => [`d${id}`, { method: 'crm.item.delete', params: { entityTypeId, id } }])))
    const done = Object.values(outcomes).filter(outcome => outcome.ok).length
    deleted += done
    if (done < ids.length || ids.length < BATCH_LIMIT)
      break
  }
  return deleted
}
