import type { SubscriptionSchedule } from '../../domain/subscription/subscription-schedule.ts'
import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import type { IssuedPeriod } from './subscription-read.ts'
import { ENTITY, required } from '../batch-outcome.ts'
import { dealLogCall, subscriptionStatesFrom } from './subscription-log.ts'
import { dealInvoicesCall, issuedPeriodsOf } from './subscription-read.ts'

const PAGE = 50
const BATCH = 50

/** A deal with a running subscription, as the scheduled runner sees it. */
export interface ActiveSubscription {
  readonly dealId: number
  readonly schedule: SubscriptionSchedule
  readonly issued: readonly IssuedPeriod[]
}

function dealPage(start: number): RestCall {
  // Lost deals (failure semantics) are not billed any more.
  return { method: 'crm.item.list', params: { entityTypeId: ENTITY.deal, select: ['id'], filter: { '!=stageSemanticId': 'F' }, order: { id: 'ASC' }, start } }
}

async function inBatches<T>(client: PortalClient, keys: readonly T[], call: (key: T) => RestCall): Promise<Map<T, BatchOutcome | undefined>> {
  const out = new Map<T, BatchOutcome | undefined>()
  for (let i = 0; i < keys.length; i += BATCH) {
    const chunk = keys.slice(i, i + BATCH)
    const outcomes = await client.batch(Object.fromEntries(chunk.map((key, n) => [`c${n}`, call(key)])))
    chunk.forEach((key, n) => out.set(key, outcomes[`c${n}`]))
  }
  return out
}

async function dealIds(client: PortalClient): Promise<number[]> {
  const first = await client.batch({ p0: dealPage(0) })
  const ids = required<{ items: Array<{ id: number | string }> }>(first.p0, 'crm.item.list').items.map(item => Number(item.id))
  const total = first.p0?.ok ? first.p0.total : ids.length
  const starts: number[] = []
  for (let start = PAGE; start < total; start += PAGE)
    starts.push(start)
  for (const outcome of (await inBatches(client, starts, dealPage)).values())
    ids.push(...required<{ items: Array<{ id: number | string }> }>(outcome, 'crm.item.list').items.map(item => Number(item.id)))
  return ids
}

/**
 * Every deal (not lost) whose timeline holds a running subscription, with the periods already
 * invoiced. Round trips: one per 2,500 deals for their ids, one per 50 deals for the first page of
 * their timeline (more for long logs without a subscription entry on it), then one per 50
 * subscribed deals for their invoices. The timeline cannot be searched across deals, hence the
 * scan; a daily runner can afford it (1,000 deals ≈ 22 round trips).
 */
export async function scanSubscriptions(client: PortalClient): Promise<ActiveSubscription[]> {
  const ids = await dealIds(client)
  const states = await subscriptionStatesFrom(client, await inBatches(client, ids, id => dealLogCall(id)))
  const active = ids.flatMap((dealId) => {
    const state = states.get(dealId)
    return state?.status === 'active' ? [{ dealId, schedule: state.schedule }] : []
  })
  const invoices = await inBatches(client, active.map(a => a.dealId), dealInvoicesCall)
  return active.map(a => ({ ...a, issued: issuedPeriodsOf(a.dealId, required<{ items: [] }>(invoices.get(a.dealId), 'crm.item.list').items) }))
}
