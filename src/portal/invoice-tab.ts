import type { DealItemDto, InvoiceItemDto, ProfileDto, StatusDto } from './crm/crm-dto.ts'
import type { DealTabSnapshot } from './deal-tab.ts'
import type { PortalClient } from './portal-client.ts'
import { ENTITY, required } from './batch-outcome.ts'
import { logListCall } from './collection/collection-log.ts'
import { collectionFromFirstPage } from './collection/invoice-collection.ts'
import { dealFromDto, invoiceFromDto, invoiceStageEntityId, stageFromDto } from './crm/crm-mappers.ts'
import { portalTimeOf } from './deal-tab.ts'
import { userFromProfile } from './portal-user.ts'

const INVOICE = '$result[invoice][item]'

/**
 * Everything the invoice card's tab shows, in ONE batch: the invoice, its deal (`parentId2`, when
 * it has one), its pipeline's stages, the current user, the portal's clock and the first page of the invoice's log. The deal and stages are addressed by
 * `$result` references to the invoice, so only the invoice id is needed up front.
 */
export async function loadInvoiceTabSnapshot(client: PortalClient, invoiceId: number): Promise<DealTabSnapshot> {
  const outcomes = await client.batch({
    invoice: { method: 'crm.item.get', params: { entityTypeId: ENTITY.invoice, id: invoiceId } },
    deal: { method: 'crm.item.get', params: { entityTypeId: ENTITY.deal, id: `${INVOICE}[parentId2]` } },
    stages: { method: 'crm.status.list', params: { filter: { ENTITY_ID: invoiceStageEntityId(`${INVOICE}[categoryId]`) }, order: { SORT: 'ASC' } } },
    profile: { method: 'profile' },
    now: { method: 'server.time' },
    log: logListCall(invoiceId),
  })
  const invoice = invoiceFromDto(required<{ item: InvoiceItemDto }>(outcomes.invoice, 'crm.item.get').item)
  // An invoice issued without a deal has parentId2 = 0: no deal to read, and that is fine.
  const dealDto = invoice.dealId === null ? null : required<{ item: DealItemDto }>(outcomes.deal, 'crm.item.get').item
  return {
    deal: dealDto ? dealFromDto(dealDto) : null,
    invoices: [invoice],
    stages: required<StatusDto[]>(outcomes.stages, 'crm.status.list').map(stageFromDto),
    user: userFromProfile(required<ProfileDto>(outcomes.profile, 'profile')),
    collections: new Map([[invoice.id, collectionFromFirstPage(invoice.id, outcomes.log)]]),
    portalTime: portalTimeOf(outcomes.now),
  }
}
