import type { Deal, Invoice } from '../../domain/invoice.ts'
import type { IssuePurpose } from '../../domain/issue/issue-key.ts'
import type { SubscriptionState } from '../../domain/subscription/subscription-record.ts'
import type { Stage } from '../../domain/stage.ts'
import type { DealItemDto, InvoiceItemDto, ProfileDto, StatusDto } from '../crm/crm-dto.ts'
import type { PortalClient, RestCall } from '../portal-client.ts'
import { periodPurposeOfKey } from '../../domain/subscription/subscription-record.ts'
import { ENTITY, optional, required } from '../batch-outcome.ts'
import { INVOICE_SELECT } from '../crm/crm-dto.ts'
import { dealFromDto, invoiceFromDto, invoiceStageEntityId, stageFromDto } from '../crm/crm-mappers.ts'
import { dealLogCall, subscriptionStatesFrom } from './subscription-log.ts'

/** An invoice issued for one subscription period (its `xmlId` names the period). */
export interface IssuedPeriod {
  readonly purpose: IssuePurpose
  readonly invoice: Invoice
}

/** A deal's subscription as the deal tab shows it: the schedule, the periods issued, the portal's clock. */
export interface DealSubscription {
  readonly deal: Deal
  readonly state: SubscriptionState
  readonly issued: readonly IssuedPeriod[]
  /** `server.time`, read in the same round trip: the portal's own day decides what is due. */
  readonly serverTime: string
  /** The acting user (`profile`): admins and the deal's responsible may change the schedule. */
  readonly userId: number
  readonly isAdmin: boolean
  /** Stages of the default invoice pipeline (where period invoices go unless the settings name another), to tell paid ones. */
  readonly stages: readonly Stage[]
}

/** An invoice row with its `xmlId` (the issue chain's key). */
export type KeyedInvoiceDto = InvoiceItemDto & { xmlId?: string | null }

/**
 * The deal's newest 50 invoices, with `xmlId` to tell the period invoices. Planning needs the
 * latest periods only; an older period beyond them is still never issued twice (the chain finds
 * it by its key).
 */
export function dealInvoicesCall(dealId: number): RestCall {
  return { method: 'crm.item.list', params: { entityTypeId: ENTITY.invoice, filter: { '=parentId2': dealId }, select: [...INVOICE_SELECT, 'xmlId'], order: { id: 'DESC' } } }
}

/** The period invoices among a deal's invoices, oldest first; the lowest id for a purpose (a raced duplicate deletes itself). */
export function issuedPeriodsOf(dealId: number, items: readonly KeyedInvoiceDto[]): IssuedPeriod[] {
  const seen = new Set<string>()
  const out: IssuedPeriod[] = []
  for (const item of [...items].sort((a, b) => Number(a.id) - Number(b.id))) {
    const purpose = periodPurposeOfKey(dealId, item.xmlId)
    if (purpose && !seen.has(purpose)) {
      seen.add(purpose)
      out.push({ purpose, invoice: invoiceFromDto(item) })
    }
  }
  return out
}

/**
 * ONE round trip (more only for a deal log longer than 10 entries without a subscription entry on
 * its first page): the portal's clock, the acting user, the deal, its timeline's first page and
 * its invoices, the invoice stages. Read when the deal tab's subscription section is opened, never with the tab's
 * first paint.
 */
export async function readDealSubscription(client: PortalClient, dealId: number): Promise<DealSubscription> {
  const outcomes = await client.batch({
    time: { method: 'server.time' },
    profile: { method: 'profile' },
    deal: { method: 'crm.item.get', params: { entityTypeId: ENTITY.deal, id: dealId } },
    log: dealLogCall(dealId),
    invoices: dealInvoicesCall(dealId),
    categories: { method: 'crm.category.list', params: { entityTypeId: ENTITY.invoice } },
    stages: { method: 'crm.status.list', params: { filter: { ENTITY_ID: invoiceStageEntityId('$result[categories][categories][0][id]') }, order: { SORT: 'ASC' } } },
  })
  const deal = dealFromDto(required<{ item: DealItemDto }>(outcomes.deal, 'crm.item.get').item)
  const profile = required<ProfileDto>(outcomes.profile, 'profile')
  const states = await subscriptionStatesFrom(client, new Map([[dealId, outcomes.log]]))
  return {
    deal,
    state: states.get(dealId) ?? { status: 'none' },
    issued: issuedPeriodsOf(dealId, required<{ items: KeyedInvoiceDto[] }>(outcomes.invoices, 'crm.item.list').items),
    serverTime: required<string>(outcomes.time, 'server.time'),
    userId: Number(profile.ID),
    isAdmin: profile.ADMIN === true || String(profile.ADMIN) === 'true',
    // Only for showing what auto-renewal waits for: without it the tab shows the schedule alone.
    stages: optional<StatusDto[]>(outcomes.stages, []).map(stageFromDto),
  }
}
