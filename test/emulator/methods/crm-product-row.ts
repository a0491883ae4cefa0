/** crm.item.productrow.list / set (R: api-reference/crm/universal/product-rows/*.md). */
import { buildProductRow, type ProductRowInput } from '../data/product-row.ts'
import type { CrmEntityTypeId, CrmItem } from '../data/portal-state.ts'
import { asList, runListQuery, type ListOptions } from '../rest/list-query.ts'
import type { CallContext, MethodDefinition } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'
import { canRead, canWrite } from './crm-permissions.ts'
import { OWNER_TYPE_TO_ENTITY } from './crm-entity-types.ts'
import { syncOpportunityWithRows } from './crm-item-write.ts'

const ROW_FIELDS = new Set(['id', 'ownerId', 'ownerType', 'productId', 'productName', 'price', 'priceAccount', 'priceExclusive',
  'priceNetto', 'priceBrutto', 'quantity', 'discountTypeId', 'discountRate', 'discountSum', 'taxRate', 'taxIncluded', 'customized',
  'measureCode', 'measureName', 'sort', 'xmlId', 'type', 'storeId'])
const LIST_OPTIONS: ListOptions = { allowedFields: ROW_FIELDS, sortedByKey: 'id', defaultOrder: { id: 'ASC' } }

const accessDenied = (): RestError => new RestError(400, 'ACCESS_DENIED', 'Access denied')

function resolveOwner(ctx: CallContext, ownerTypeValue: unknown, ownerIdValue: unknown): { entityTypeId: CrmEntityTypeId, owner: CrmItem } {
  const entityTypeId = OWNER_TYPE_TO_ENTITY[String(ownerTypeValue)]
  if (entityTypeId === undefined) throw new RestError(400, 'ENTITY_TYPE_NOT_SUPPORTED', 'Working with this type of objects is not supported')
  const owner = ctx.state.entities[entityTypeId].byId.get(Number(ownerIdValue))
  if (!owner) throw new RestError(400, 'OWNER_NOT_FOUND', 'The provided CRM object was not found')
  return { entityTypeId, owner }
}

const list: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const filter = (params.filter ?? {}) as Record<string, unknown>
    if (typeof filter !== 'object' || filter['=ownerType'] === undefined || filter['=ownerId'] === undefined) {
      throw new RestError(400, '100', 'Required parameters not provided: filter[=ownerType], filter[=ownerId]')
    }
    const { entityTypeId, owner } = resolveOwner(ctx, filter['=ownerType'], filter['=ownerId'])
    if (!canRead(ctx, entityTypeId, owner)) throw accessDenied()
    const rows = ctx.state.productRows.filter(row => row.ownerType === filter['=ownerType'] && row.ownerId === owner.id)
    const page = runListQuery(rows as unknown as Record<string, unknown>[], { filter, order: params.order, start: params.start }, LIST_OPTIONS)
    return { result: { productRows: page.rows }, total: page.total, ...(page.next === undefined ? {} : { next: page.next }), rowsTouched: page.scanned }
  },
}

const set: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    if (params.ownerType === undefined || params.ownerId === undefined || params.productRows === undefined) {
      throw new RestError(400, '100', 'Required parameters not provided: ownerType, ownerId, productRows')
    }
    const { entityTypeId, owner } = resolveOwner(ctx, params.ownerType, params.ownerId)
    if (!canRead(ctx, entityTypeId, owner) || !canWrite(ctx, entityTypeId, owner)) throw accessDenied()
    const ownerType = String(params.ownerType)
    const inputs = asList(params.productRows) as ProductRowInput[]
    const state = ctx.state
    state.productRows = state.productRows.filter(row => !(row.ownerType === ownerType && row.ownerId === owner.id))
    const rows = inputs.map(input => buildProductRow(input ?? {}, state.nextProductRowId++, ownerType, owner.id))
    state.productRows.push(...rows)
    syncOpportunityWithRows(state, entityTypeId, owner)
    return { result: { productRows: rows }, rowsTouched: rows.length + 1 }
  },
}

export const crmProductRowMethods: Record<string, MethodDefinition> = {
  'crm.item.productrow.list': list,
  'crm.item.productrow.set': set,
}
