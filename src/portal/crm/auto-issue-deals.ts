import type { AutoIssueDeal, AutoIssueFieldValue } from '../../domain/issue/auto-issue.ts'
import type { DealFieldInfo } from '../../domain/settings/settings-catalog.ts'
import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import type { DealItemDto } from './crm-dto.ts'
import { DEAL_PURPOSE, invoiceKey } from '../../domain/issue/issue-key.ts'
import { PortalError } from '../portal-error.ts'
import { dealFromDto, idOrNull } from './crm-mappers.ts'

/**
 * Reads deals for auto-issue: their fields, the mapped payment-method and region fields, and
 * whether the app already has the deal's invoice. Deals through `crm.item.*` (entityTypeId 2),
 * whose names are camelCase (R: api-reference/crm/universal/index.md «Features of Working with
 * Field Names»); the settings keep a field's `UPPER_CASE` code as `crm.item.fields` gives it in
 * `upperName`.
 */

const DEAL = 2
const INVOICE = 31
/** Bitrix24's page size for list methods. */
const PAGE = 50

/** The fields the decision reads, besides the mapped ones (`select` of `crm.item.list`, R: api-reference/crm/universal/crm-item-list.md). */
const DEAL_SELECT = ['id', 'title', 'stageId', 'categoryId', 'opportunity', 'currencyId', 'companyId', 'contactId', 'assignedById', 'closed', 'stageSemanticId', 'movedTime'] as const

/** `crm.item.fields` for deals (R: api-reference/crm/universal/crm-item-fields.md). */
export const DEAL_FIELDS_CALL: RestCall = { method: 'crm.item.fields', params: { entityTypeId: DEAL } }

interface FieldDto { type?: string, title?: string, listLabel?: string, upperName?: string, isMultiple?: boolean, isReadOnly?: boolean, items?: Array<{ ID: number | string, VALUE: string }> }
type DealDto = DealItemDto & { closed?: string | boolean | null, stageSemanticId?: string | null, [field: string]: unknown }

/**
 * A field's `crm.item.*` name for its `UPPER_CASE` code, by the documented rule: underscores go,
 * the next letter is capitalised, an underscore between two numbers stays
 * (`UF_CRM_10_5186744711` → `ufCrm10_5186744711`, `SOURCE_ID` → `sourceId`). A camelCase name is
 * kept. The `crm.item.fields` answer, when read, overrides this guess (`fieldKeys`).
 */
export function camelFieldName(code: string): string {
  if (!code.includes('_') && /^[a-z]/.test(code))
    return code
  const parts = code.toLowerCase().split('_').filter(Boolean)
  return parts.reduce((name, part, index) => {
    if (index === 0)
      return part
    if (/\d$/.test(parts[index - 1]!) && /^\d/.test(part))
      return `${name}_${part}`
    return name + part.charAt(0).toUpperCase() + part.slice(1)
  }, '')
}

/** The deal's fields an admin can map a condition to: writable ones, titles in the portal's language, list items for list fields. */
export function dealFieldsOf(result: unknown): DealFieldInfo[] {
  const fields = (result as { fields?: Record<string, FieldDto> } | null)?.fields ?? {}
  return Object.entries(fields)
    .filter(([, dto]) => !dto.isReadOnly)
    .map(([key, dto]) => ({
      code: dto.upperName || key,
      title: dto.listLabel || dto.title || key,
      type: dto.type ?? 'string',
      multiple: dto.isMultiple === true,
      items: dto.type === 'enumeration' ? (dto.items ?? []).map(item => ({ id: String(item.ID), value: item.VALUE })) : null,
    }))
}

/** For each `UPPER_CASE` code of `crm.item.fields`, the name its items carry. */
function fieldKeys(result: unknown): Map<string, { key: string, items: Map<string, string> | null }> {
  const fields = (result as { fields?: Record<string, FieldDto> } | null)?.fields ?? {}
  return new Map(Object.entries(fields).map(([key, dto]) => [dto.upperName || key, {
    key,
    items: dto.type === 'enumeration' ? new Map((dto.items ?? []).map(item => [String(item.ID), item.VALUE])) : null,
  }]))
}

/** The deal fields the conditions are mapped to (null = not mapped). */
export interface MappedFields {
  readonly paymentMethodField: string | null
  readonly regionField: string | null
}

function valuesOf(dto: DealDto, code: string | null, fields: ReturnType<typeof fieldKeys>): AutoIssueFieldValue[] {
  if (!code)
    return []
  const known = fields.get(code)
  const raw = dto[known?.key ?? camelFieldName(code)] ?? dto[code]
  const list = Array.isArray(raw) ? raw : [raw]
  return list
    .filter(value => value !== null && value !== undefined && value !== '' && value !== false)
    .map((value) => {
      const id = String(value)
      return { id, label: known?.items?.get(id) ?? id }
    })
}

/** A deal item as the auto-issue decision sees it. */
export function autoIssueDealOf(dto: DealDto, mapped: MappedFields, fieldsResult: unknown): AutoIssueDeal {
  const deal = dealFromDto(dto)
  const fields = fieldKeys(fieldsResult)
  const closed = dto.closed === true || dto.closed === 'Y' || dto.stageSemanticId === 'S' || dto.stageSemanticId === 'F'
  return {
    id: deal.id,
    title: deal.title,
    stageId: deal.stageId,
    closed,
    amount: deal.amount,
    companyId: deal.companyId,
    contactId: deal.contactId,
    paymentMethod: valuesOf(dto, mapped.paymentMethodField, fields),
    region: valuesOf(dto, mapped.regionField, fields),
  }
}

/** The app's invoice for a deal's whole sum (`DEAL_PURPOSE`), as found by its key. */
export interface AppInvoiceRef {
  readonly id: number
  readonly number: string | null
  readonly stageId: string
}

function select(mapped: MappedFields): string[] {
  const extra = [mapped.paymentMethodField, mapped.regionField].filter((code): code is string => !!code).map(camelFieldName)
  return [...new Set([...DEAL_SELECT, ...extra])]
}

function required<T>(outcome: BatchOutcome | undefined, method: string): T {
  if (!outcome)
    throw new PortalError(method, 'NO_RESULT', 'The portal gave no answer to this command', 0, true)
  if (!outcome.ok)
    throw outcome.error
  return outcome.result as T
}

function invoicesCall(dealIds: readonly number[]): RestCall {
  return { method: 'crm.item.list', params: { entityTypeId: INVOICE, filter: { '@xmlId': dealIds.map(id => invoiceKey(id, DEAL_PURPOSE)) }, select: ['id', 'xmlId', 'parentId2', 'accountNumber', 'stageId'], start: -1 } }
}

function invoicesOf(result: unknown): Map<number, AppInvoiceRef> {
  const items = (result as { items?: Array<{ id: number | string, xmlId?: string | null, parentId2?: number | string | null, accountNumber?: string | null, stageId?: string | null }> } | null)?.items ?? []
  const byDeal = new Map<number, AppInvoiceRef>()
  for (const item of items) {
    const dealId = idOrNull(item.parentId2) ?? Number(/:deal:(\d+):/.exec(item.xmlId ?? '')?.[1] ?? 0)
    // The first one created is the invoice; a later one with the same key is a lost race's leftover.
    if (dealId && !byDeal.has(dealId))
      byDeal.set(dealId, { id: Number(item.id), number: item.accountNumber || null, stageId: item.stageId ?? '' })
  }
  return byDeal
}

/** One deal with its decision inputs and the app's invoice, in ONE round trip (fields, the deal, the invoice by its key). Null when the deal does not exist. */
export async function readDealForAutoIssue(portal: PortalClient, dealId: number, mapped: MappedFields): Promise<{ deal: AutoIssueDeal, invoice: AppInvoiceRef | null, fields: DealFieldInfo[] } | null> {
  const outcomes = await portal.batch({
    fields: DEAL_FIELDS_CALL,
    deal: { method: 'crm.item.list', params: { entityTypeId: DEAL, filter: { '=id': dealId }, select: select(mapped), start: -1 } },
    invoices: invoicesCall([dealId]),
  })
  const fieldsResult = outcomes.fields?.ok ? outcomes.fields.result : null
  const dto = required<{ items: DealDto[] }>(outcomes.deal, 'crm.item.list').items[0]
  if (!dto)
    return null
  const invoices = invoicesOf(required(outcomes.invoices, 'crm.item.list'))
  return { deal: autoIssueDealOf(dto, mapped, fieldsResult), invoice: invoices.get(Number(dto.id)) ?? null, fields: dealFieldsOf(fieldsResult) }
}

/** Which deals to list: open ones in these stages, moved there at or after `movedSince` when given. */
export interface ReadyDealQuery {
  readonly stageIds: readonly string[]
  readonly movedSince?: Date
}

/**
 * Open deals in the ready stages (`@stageId`, `closed = N`, and `>=movedTime` for the poll), with
 * the mapped fields and the app's invoice of each, selecting only what the decision reads. Keyset
 * pages of 50 by id (`>id`, `start: -1`, R: settings/performance/huge-data.md); each page's invoice
 * query rides in the batch of the next page, so N pages cost N + 1 round trips (one batch with
 * the fields, the first page; one more with its invoices when fewer than 50 deals qualify).
 */
export async function listReadyDeals(portal: PortalClient, query: ReadyDealQuery, mapped: MappedFields): Promise<Array<{ deal: AutoIssueDeal, invoice: AppInvoiceRef | null }>> {
  if (query.stageIds.length === 0)
    return []
  const filter: Record<string, unknown> = { '@stageId': [...query.stageIds], '=closed': 'N' }
  if (query.movedSince)
    filter['>=movedTime'] = query.movedSince.toISOString()
  const dealPage = (after: number): RestCall => ({ method: 'crm.item.list', params: { entityTypeId: DEAL, filter: { ...filter, '>id': after }, order: { id: 'ASC' }, select: select(mapped), start: -1 } })
  const found: Array<{ dto: DealDto }> = []
  const invoices = new Map<number, AppInvoiceRef>()
  let fieldsResult: unknown = null
  let pending: number[] = []
  let after: number | null = 0
  while (after !== null || pending.length > 0) {
    const calls: Record<string, RestCall> = {}
    if (after === 0)
      calls.fields = DEAL_FIELDS_CALL
    if (after !== null)
      calls.deals = dealPage(after)
    if (pending.length > 0)
      calls.invoices = invoicesCall(pending)
    const outcomes = await portal.batch(calls)
    if (calls.fields)
      fieldsResult = outcomes.fields?.ok ? outcomes.fields.result : null
    if (calls.invoices)
      invoicesOf(required(outcomes.invoices, 'crm.item.list')).forEach((ref, dealId) => invoices.set(dealId, ref))
    pending = []
    if (after !== null) {
      const items = required<{ items: DealDto[] }>(outcomes.deals, 'crm.item.list').items
      found.push(...items.map(dto => ({ dto })))
      pending = items.map(dto => Number(dto.id))
      after = items.length < PAGE ? null : Number(items[items.length - 1]!.id)
    }
  }
  return found.map(({ dto }) => ({ deal: autoIssueDealOf(dto, mapped, fieldsResult), invoice: invoices.get(Number(dto.id)) ?? null }))
}
