/**
 * crm.item.get/list/add/update/delete/fields (R: api-reference/crm/universal/crm-item-*.md). A deal's add,
 * update and delete raise ONCRMDEALADD / ONCRMDEALUPDATE / ONCRMDEALDELETE and a stage entry runs the robots
 * placed there (ctx.emit → app-server/app-server.ts).
 */
import { blankItem, describeField, itemFields, type FieldDescriptor } from '../data/crm-fields.ts'
import { insertItem, removeItem, type CrmEntityTypeId, type CrmItem, type EntityTable } from '../data/portal-state.ts'
import { projectRow, runListQuery, type FieldTemporalKind, type ListOptions } from '../rest/list-query.ts'
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { canRead, canReadType, canWrite, crmAccessDenied, ownItemsOnly } from './crm-permissions.ts'
import { itemNotFound, requireEntityTypeId } from './crm-entity-types.ts'
import { applyAddDefaults, applyUpdateBookkeeping, ownerTypeOf, syncOpportunityWithRows, writeFields } from './crm-item-write.ts'

/** Keyed by the field list (a smart process's list changes with its settings and relations). */
const listOptionsCache = new WeakMap<readonly FieldDescriptor[], ListOptions>()

function listOptionsFor(ctx: CallContext, entityTypeId: CrmEntityTypeId): ListOptions {
  const fields = itemFields(ctx.state, entityTypeId)
  let options = listOptionsCache.get(fields)
  if (!options) {
    const temporalFields = new Map<string, FieldTemporalKind>()
    for (const field of fields) if (field.type === 'date' || field.type === 'datetime') temporalFields.set(field.name, field.type)
    options = {
      temporalFields,
      allowedFields: new Set(fields.filter(field => !field.starOnly).map(field => field.name)),
      sortedByKey: 'id',
      defaultOrder: { id: 'ASC' },
    }
    listOptionsCache.set(fields, options)
  }
  return options
}

const STAR_ONLY = new Set(['fm'])

function tableOf(ctx: CallContext, entityTypeId: CrmEntityTypeId): EntityTable {
  const table = ctx.state.entities[entityTypeId]
  if (!table) throw new Error(`no table for ${entityTypeId}`)
  return table
}

function requireItem(ctx: CallContext, entityTypeId: CrmEntityTypeId, idValue: unknown): CrmItem {
  const item = tableOf(ctx, entityTypeId).byId.get(Number(idValue))
  if (!item) throw itemNotFound()
  return item
}

function fieldsParam(params: Params): Record<string, unknown> {
  const fields = params.fields
  return fields !== null && typeof fields === 'object' && !Array.isArray(fields) ? fields as Record<string, unknown> : {}
}

const get: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const entityTypeId = requireEntityTypeId(ctx.state, params.entityTypeId)
    const item = requireItem(ctx, entityTypeId, params.id)
    if (!canRead(ctx, entityTypeId, item)) throw crmAccessDenied.read()
    return { result: { item: { ...item } }, rowsTouched: 1 }
  },
}

const list: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const entityTypeId = requireEntityTypeId(ctx.state, params.entityTypeId)
    if (!canReadType(ctx, entityTypeId)) throw crmAccessDenied.read()
    const owner = ownItemsOnly(ctx, entityTypeId)
    const table = tableOf(ctx, entityTypeId)
    const rows = owner === null ? table.items : table.items.filter(item => Number(item.assignedById) === owner)
    const page = runListQuery(rows, { filter: params.filter, order: params.order, start: params.start }, listOptionsFor(ctx, entityTypeId))
    const items = page.rows.map(row => projectRow(row, params.select, { alwaysInclude: ['id'], starOnly: STAR_ONLY }))
    return { result: { items }, total: page.total, ...(page.next === undefined ? {} : { next: page.next }), rowsTouched: page.scanned }
  },
}

const add: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const entityTypeId = requireEntityTypeId(ctx.state, params.entityTypeId)
    if (!canWrite(ctx, entityTypeId, null)) throw crmAccessDenied.write()
    const table = tableOf(ctx, entityTypeId)
    const item = { ...blankItem(ctx.state, entityTypeId), id: table.nextId } as CrmItem
    const written = writeFields(ctx.state, entityTypeId, item, fieldsParam(params), true)
    item.id = table.nextId
    applyAddDefaults(ctx, entityTypeId, item, written)
    if (!canWrite(ctx, entityTypeId, item)) throw crmAccessDenied.write()
    insertItem(table, item)
    if (entityTypeId === 2) ctx.emit?.({ type: 'deal-added', dealId: item.id, categoryId: Number(item.categoryId ?? 0), stageId: String(item.stageId ?? '') })
    return { result: { item: { ...item } }, rowsTouched: 1 }
  },
}

const update: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const entityTypeId = requireEntityTypeId(ctx.state, params.entityTypeId)
    const item = requireItem(ctx, entityTypeId, params.id)
    if (!canRead(ctx, entityTypeId, item) || !canWrite(ctx, entityTypeId, item)) throw crmAccessDenied.write()
    const draft = { ...item }
    const previousStageId = item.stageId
    writeFields(ctx.state, entityTypeId, draft, fieldsParam(params), false)
    applyUpdateBookkeeping(ctx, entityTypeId, draft, previousStageId)
    Object.assign(item, draft)
    syncOpportunityWithRows(ctx.state, entityTypeId, item)
    if (entityTypeId === 2) {
      ctx.emit?.({ type: 'deal-updated', dealId: item.id, categoryId: Number(item.categoryId ?? 0), stageId: String(item.stageId ?? ''), previousStageId: String(previousStageId ?? '') })
    }
    return { result: { item: { ...item } }, rowsTouched: 1 }
  },
}

const remove: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const entityTypeId = requireEntityTypeId(ctx.state, params.entityTypeId)
    const item = requireItem(ctx, entityTypeId, params.id)
    if (!canRead(ctx, entityTypeId, item) || !canWrite(ctx, entityTypeId, item)) throw crmAccessDenied.write()
    removeItem(tableOf(ctx, entityTypeId), item.id)
    if (entityTypeId === 2) ctx.emit?.({ type: 'deal-deleted', dealId: item.id })
    const ownerType = ownerTypeOf(entityTypeId)
    ctx.state.productRows = ctx.state.productRows.filter(row => !(row.ownerType === ownerType && row.ownerId === item.id))
    return { result: [], rowsTouched: 1 }
  },
}

const fields: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const entityTypeId = requireEntityTypeId(ctx.state, params.entityTypeId)
    if (!canReadType(ctx, entityTypeId)) throw crmAccessDenied.read()
    const described: Record<string, unknown> = {}
    for (const field of itemFields(ctx.state, entityTypeId)) if (!field.disabled) described[field.name] = describeField(field)
    return { result: { fields: described } }
  },
}

export const crmItemMethods: Record<string, MethodDefinition> = {
  'crm.item.get': get,
  'crm.item.list': list,
  'crm.item.add': add,
  'crm.item.update': update,
  'crm.item.delete': remove,
  'crm.item.fields': fields,
}
