/**
 * crm.status.list, crm.category.list, crm.currency.list (R: api-reference/crm/status/crm-status-list.md,
 * api-reference/crm/universal/category/crm-category-list.md, api-reference/crm/currency/).
 */
import { runListQuery, type ListOptions } from '../rest/list-query.ts'
import type { MethodDefinition } from '../rest/method-types.ts'
import { requireEntityTypeId } from './crm-entity-types.ts'

const STATUS_FIELDS = new Set(['ID', 'ENTITY_ID', 'STATUS_ID', 'NAME', 'NAME_INIT', 'SORT', 'SYSTEM', 'CATEGORY_ID', 'COLOR', 'SEMANTICS'])
const STATUS_OPTIONS: ListOptions = { allowedFields: STATUS_FIELDS, caseInsensitiveFields: true, defaultOrder: { SORT: 'ASC' } }

const statusList: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const rows = ctx.state.statuses as unknown as Record<string, unknown>[]
    const page = runListQuery(rows, { filter: params.filter, order: params.order, start: params.start }, STATUS_OPTIONS)
    return { result: page.rows, total: page.total, ...(page.next === undefined ? {} : { next: page.next }), rowsTouched: page.scanned }
  },
}

const categoryList: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const entityTypeId = requireEntityTypeId(ctx.state, params.entityTypeId)
    const categories = ctx.state.categories.filter(category => category.entityTypeId === entityTypeId)
      .sort((a, b) => a.sort - b.sort || a.id - b.id)
    return { result: { categories }, total: categories.length }
  },
}

/** The docs' example answers `total: 0` for crm.currency.list; mimicked. */
const currencyList: MethodDefinition = {
  scope: 'crm',
  handler(_params, ctx) {
    return { result: ctx.state.currencies.map(currency => ({ ...currency })), total: 0 }
  },
}

const currencyBaseGet: MethodDefinition = {
  scope: 'crm',
  handler(_params, ctx) {
    return { result: ctx.state.currencies.find(currency => currency.BASE === 'Y')?.CURRENCY ?? 'RUB' }
  },
}

export const crmDirectoryMethods: Record<string, MethodDefinition> = {
  'crm.status.list': statusList,
  'crm.category.list': categoryList,
  'crm.currency.list': currencyList,
  'crm.currency.base.get': currencyBaseGet,
}
