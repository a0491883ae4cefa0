import type { SubscriptionSchedule } from '../../domain/subscription/subscription-schedule.ts'
import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import type { IssuedPeriod, KeyedInvoiceDto } from './subscription-read.ts'
import { ENTITY, required } from '../batch-outcome.ts'
import { idOrNull } from '../crm/crm-mappers.ts'
import { dealLogCall, subscriptionStatesFrom } from './subscription-log.ts'
import { dealInvoicesCall, issuedPeriodsOf } from './subscription-read.ts'

const PAGE = 50
const BATCH = 50

/** A deal with a running subscription, as the scheduled runner sees it. */
export interface ActiveSubscription {
  readonly dealId: number
  readonly dealTitle: string
  /** The deal's responsible: told when the subscription ends soon or a payment failed. */
  readonly responsibleId: number | null
  readonly schedule: SubscriptionSchedule
  readonly issued: readonly IssuedPeriod[]
  /** Keys of the notices already sent (`subscription-notices.ts`). */
  readonly notices: ReadonlySet<string>
}

interface DealRow { id: number | string, title?: string | null, assignedById?: number | string | null }

function dealPage(start: number): RestCall {
  // Lost deals (failure semantics) are not billed any more.
  return { method: 'crm.item.list', params: { entityTypeId: ENTITY.deal, select: ['id', 'title', 'assignedById'], filter: { '!=stageSemanticId': 'F' }, order: { id: 'ASC' }, start } }
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

async function dealRows(client: PortalClient): Promise<DealRow[]> {
  const first = await client.batch({ p0: dealPage(0) })
  const rows = [...required<{ items: DealRow[] }>(first.p0, 'crm.item.list').items]
  const total = first.p0?.ok ? first.p0.total : rows.length
  const starts: number[] = []
  for (let start = PAGE; start < total; start += PAGE)
    starts.push(start)
  for (const outcome of (await inBatches(client, starts, dealPage)).values())
    rows.push(...required<{ items: DealRow[] }>(outcome, 'crm.item.list').items)
  return rows
}

/**
 * Every deal (not lost) whose timeline holds a running subscription, with the periods already
 * invoiced. Round trips: one per 2,500 deals for their ids, one per 50 deals for the first page of
 * their timeline (more for long logs without a subscription entry on it), then one per 50
 * subscribed deals for their invoices. The timeline cannot be searched across deals, hence the
 * scan; a daily runner can afford it (1,000 deals ≈ 22 round trips).
 */
export async function scanSubscriptions(client: PortalClient): Promise<ActiveSubscription[]> {
  const deals = await dealRows(client)
  const ids = deals.map(deal => Number(deal.id))
  const states = await subscriptionStatesFrom(client, await inBatches(client, ids, id => dealLogCall(id)))
  const active = deals.flatMap((deal) => {
    const dealId = Number(deal.id)
    const state = states.get(dealId)
    return state?.status === 'active' ? [{ dealId, dealTitle: deal.title ?? '', responsibleId: idOrNull(deal.assignedById), schedule: state.schedule, notices: state.notices }] : []
  })
  const invoices = await inBatches(client, active.map(a => a.dealId), dealInvoicesCall)
  return active.map(a => ({ ...a, issued: issuedPeriodsOf(a.dealId, required<{ items: KeyedInvoiceDto[] }>(invoices.get(a.dealId), 'crm.item.list').items) }))
}
