import type { TimelineEntry } from '../../domain/collection/collection-record.ts'
import type { SubscriptionRecord, SubscriptionState } from '../../domain/subscription/subscription-record.ts'
import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import { foldSubscription, parseSubscriptionRecord, SUBSCRIPTION_LOG_TITLE, subscriptionText } from '../../domain/subscription/subscription-record.ts'
import { ENTITY } from '../batch-outcome.ts'
import { LOG_PAGE, logAddCall, logRowsOf } from '../collection/collection-log.ts'

/** One page (10 entries) of a deal's timeline log, newest first: the subscription entry is usually on the first. */
export function dealLogCall(dealId: number, start = 0): RestCall {
  return { method: 'crm.timeline.logmessage.list', params: { entityTypeId: ENTITY.deal, entityId: dealId, order: { id: 'desc' }, start } }
}

/** The call that writes a subscription record into the deal's timeline: one entry is the whole schedule. */
export function subscriptionLogCall(dealId: number, sentence: string, record: SubscriptionRecord): RestCall {
  return logAddCall({ entityTypeId: ENTITY.deal, entityId: dealId, title: SUBSCRIPTION_LOG_TITLE, text: subscriptionText(sentence, record) })
}

/** A schedule or stop entry: the one that decides; notices alone do not. */
function hasRecord(rows: readonly TimelineEntry[]): boolean {
  return rows.some((row) => {
    const kind = parseSubscriptionRecord(row.text)?.kind
    return kind === 'subscription' || kind === 'subscriptionStopped'
  })
}

/**
 * The subscription of each deal from the first log page read for it (`pages`, by deal id). A deal
 * whose first page holds no subscription entry but has more pages is read on, 50 pages per round
 * trip, until one is found or the log ends. A failed read throws: "no subscription" must not be
 * guessed from a missing page.
 */
export async function subscriptionStatesFrom(client: PortalClient, pages: ReadonlyMap<number, BatchOutcome | undefined>): Promise<Map<number, SubscriptionState>> {
  const rows = new Map<number, TimelineEntry[]>()
  const pending: Array<{ dealId: number, start: number, total: number }> = []
  for (const [dealId, outcome] of pages) {
    const first = logRowsOf(outcome)
    rows.set(dealId, first)
    const total = outcome?.ok ? outcome.total : first.length
    if (!hasRecord(first) && total > LOG_PAGE)
      pending.push({ dealId, start: LOG_PAGE, total })
  }
  while (pending.length > 0) {
    const chunk = pending.splice(0, 50)
    const outcomes = await client.batch(Object.fromEntries(chunk.map(p => [`d${p.dealId}_${p.start}`, dealLogCall(p.dealId, p.start)])))
    for (const p of chunk) {
      const page = logRowsOf(outcomes[`d${p.dealId}_${p.start}`])
      rows.get(p.dealId)!.push(...page)
      if (!hasRecord(page) && p.start + LOG_PAGE < p.total)
        pending.push({ ...p, start: p.start + LOG_PAGE })
    }
  }
  return new Map([...rows].map(([dealId, entries]) => [dealId, foldSubscription(entries)]))
}

/** Writes a subscription record (a schedule, or the stop) into the deal's timeline; returns the entry's id. */
export async function writeSubscriptionRecord(client: PortalClient, dealId: number, sentence: string, record: SubscriptionRecord): Promise<number> {
  const call = subscriptionLogCall(dealId, sentence, record)
  const answer = await client.call<{ logMessage?: { id: number | string } } | number | string>(call.method, call.params)
  return typeof answer === 'object' ? Number(answer.logMessage?.id ?? 0) : Number(answer)
}
