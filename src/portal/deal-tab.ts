import type { Deal, Invoice } from '../domain/invoice.ts'
import type { Stage } from '../domain/stage.ts'
import type { DealItemDto, InvoiceItemDto, ProfileDto, StatusDto } from './crm/crm-dto.ts'
import type { BatchOutcome, PortalClient, RestCall } from './portal-client.ts'
import type { PortalUser } from './portal-user.ts'
import type { CollectionRead } from './collection/invoice-collection.ts'
import { ENTITY, optional, required } from './batch-outcome.ts'
import { collectionFromFirstPage } from './collection/invoice-collection.ts'
import { logListCall } from './collection/collection-log.ts'
import { INVOICE_SELECT } from './crm/crm-dto.ts'
import { dealFromDto, invoiceFromDto, invoiceStageEntityId, stageFromDto } from './crm/crm-mappers.ts'
import { userFromProfile } from './portal-user.ts'

/** Everything the deal tab shows, read in one batched round trip. */
export interface DealTabSnapshot {
  /** Null only for an invoice tab whose invoice was issued without a deal. */
  readonly deal: Deal | null
  readonly invoices: readonly Invoice[]
  readonly stages: readonly Stage[]
  readonly user: PortalUser
  /** Per invoice id, what the app recorded on it (payments, promise, dispute, reminders), or why not yet. */
  readonly collections: ReadonlyMap<number, CollectionRead>
  /**
   * The portal's clock as `server.time` answered in the same batch (`2026-12-07T10:00:00+03:00`,
   * common/system/server-time.md); null when that command failed (the caller falls back to its own clock).
   */
  readonly portalTime: string | null
}

const LIST_PAGE = 50
/** The logs of the newest 10 invoices ride in the first batch (4 + 10 commands of 50); the rest follow after the first paint. */
export const FIRST_PAINT_LOGS = 10

function invoicesOfDeal(dealId: number, start = 0): RestCall {
  return {
    method: 'crm.item.list',
    params: { entityTypeId: ENTITY.invoice, select: [...INVOICE_SELECT], filter: { '=parentId2': dealId }, order: { id: 'DESC' }, start },
  }
}

function stagesOf(categoryId: number | string): RestCall {
  return { method: 'crm.status.list', params: { filter: { ENTITY_ID: invoiceStageEntityId(categoryId) }, order: { SORT: 'ASC' } } }
}

/**
 * Reads the deal, its smart invoices (`parentId2`), the current user, the stages of the
 * invoices' pipeline, the portal's clock (`server.time`) and the first log page of the newest 10 invoices in ONE batch. The stage
 * directory and the logs are addressed through `$result` references to the invoice list
 * (`$result[invoices][items][3][id]`), so no id is needed up front; a log command whose index is
 * past the list's end fails and means "no invoice there". Only in rare cases does a second request
 * follow: a deal with more than 50 invoices, or invoices spread over several pipelines. Logs not
 * read here come back `pending` (see `readPendingCollections`).
 */
export async function loadDealTabSnapshot(client: PortalClient, dealId: number): Promise<DealTabSnapshot> {
  const outcomes = await client.batch({
    deal: { method: 'crm.item.get', params: { entityTypeId: ENTITY.deal, id: dealId } },
    invoices: invoicesOfDeal(dealId),
    stages: stagesOf('$result[invoices][items][0][categoryId]'),
    profile: { method: 'profile' },
    now: { method: 'server.time' },
    ...firstLogCalls(),
  })
  const deal = dealFromDto(required<{ item: DealItemDto }>(outcomes.deal, 'crm.item.get').item)
  const user = userFromProfile(required<ProfileDto>(outcomes.profile, 'profile'))
  const invoicePage = required<{ items: InvoiceItemDto[] }>(outcomes.invoices, 'crm.item.list').items
  const total = outcomes.invoices?.ok ? outcomes.invoices.total : 0
  const invoices = [...invoicePage, ...await remainingInvoices(client, dealId, invoicePage.length, total)].map(invoiceFromDto)
  // With no invoices the reference cannot resolve and the stage command fails: nothing to classify.
  const stageRows = invoices.length > 0 ? required<StatusDto[]>(outcomes.stages, 'crm.status.list') : []
  const stages = [...stageRows.map(stageFromDto), ...await missingPipelineStages(client, invoices, stageRows)]
  return { deal, invoices, stages, user, collections: firstCollections(invoices, outcomes), portalTime: portalTimeOf(outcomes.now) }
}

/** The answer of the batch's `server.time` command, or null when it failed or was not text. */
export function portalTimeOf(outcome: BatchOutcome | undefined): string | null {
  const time = optional<unknown>(outcome, null)
  return typeof time === 'string' ? time : null
}

function firstLogCalls(): Record<string, RestCall> {
  return Object.fromEntries(Array.from({ length: FIRST_PAINT_LOGS }, (_, i) => [`log${i}`, logListCall(`$result[invoices][items][${i}][id]`)]))
}

function firstCollections(invoices: readonly Invoice[], outcomes: Readonly<Record<string, BatchOutcome>>): Map<number, CollectionRead> {
  // The list is the first page in the batch's order, so index i of `invoices` is `log${i}`'s invoice.
  return new Map(invoices.map((invoice, i) => [invoice.id, i < FIRST_PAINT_LOGS ? collectionFromFirstPage(invoice.id, outcomes[`log${i}`]) : { status: 'pending' }]))
}

async function remainingInvoices(client: PortalClient, dealId: number, loaded: number, total: number): Promise<InvoiceItemDto[]> {
  const rest: InvoiceItemDto[] = []
  for (let start = loaded; start < total; start += LIST_PAGE) {
    const page = await client.call<{ items: InvoiceItemDto[] }>('crm.item.list', invoicesOfDeal(dealId, start).params)
    rest.push(...page.items)
  }
  return rest
}

async function missingPipelineStages(client: PortalClient, invoices: readonly Invoice[], loaded: readonly StatusDto[]): Promise<Stage[]> {
  const known = new Set(loaded.map(row => row.ENTITY_ID))
  const missing = [...new Set(invoices.map(invoice => invoice.categoryId))]
    .filter((id): id is number => id !== null && !known.has(invoiceStageEntityId(id)))
  if (missing.length === 0)
    return []
  const outcomes = await client.batch(Object.fromEntries(missing.map(id => [`stages${id}`, stagesOf(id)])))
  return Object.values(outcomes).flatMap(outcome => required<StatusDto[]>(outcome, 'crm.status.list').map(stageFromDto))
}
