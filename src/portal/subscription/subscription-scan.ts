import type { SubscriptionSchedule } from '../../domain/subscription/subscription-schedule.ts'
import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import type { IssuedPeriod, KeyedInvoiceDto } from './subscription-read.ts'
import { ENTITY, required } from '../batch-outcome.ts'
import { idOrNull } from '../crm/crm-mappers.ts'
import { dealLogCall, subscriptionStatesFrom } from './subscription-log.ts'
import { dealInvoicesCall, issuedPeriodsOf } from './subscription-read.ts'
import type { ListPage } from '../keyset-read.ts'
import { readAllByKeyset } from '../keyset-read.ts'

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

// Lost deals (failure semantics) are not billed any more.
const NOT_LOST = { '!=stageSemanticId': 'F' }
const dealPage: ListPage = params => ({ method: 'crm.item.list', params: { entityTypeId: ENTITY.deal, select: ['id', 'title', 'assignedById'], ...params } })

async function inBatches<T>(client: PortalClient, keys: readonly T[], call: (key: T) => RestCall): Promise<Map<T, BatchOutcome | undefined>> {
  const out = new Map<T, BatchOutcome | undefined>()
  for (let i = 0; i < keys.length; i += BATCH) {
    const chunk = keys.slice(i, i + BATCH)
    const outcomes = await client.batch(Object.fromEntries(chunk.map((key, n) => [`c${n}`, call(key)])))
    chunk.forEach((key, n) => out.set(key, outcomes[`c${n}`]))
  }
  return out
}

/** The deals not lost, by keyset pages (`readAllByKeyset`): offset pages would spend `crm.item.list`'s operating time on a big portal. */
function dealRows(client: PortalClient): Promise<DealRow[]> {
  return readAllByKeyset<DealRow>(client, dealPage, NOT_LOST)
}

/**
 * Every deal (not lost) whose timeline holds a running subscription, with the periods already
 * invoiced. Round trips: 1 + ⌈D/2500⌉ for D deals (keyset pages), one per 50 deals for the first page of
 * their timeline (more for long logs without a subscription entry on it), then one per 50
 * subscribed deals for their invoices. The timeline cannot be searched across deals, hence the
 * scan; a daily runner can afford it (1,000 deals ≈ 23 round trips).
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
