/**
 * crm.requisite.list (R: api-reference/crm/requisites/universal/crm-requisite-list.md) and
 * crm.requisite.bankdetail.list (R: api-reference/crm/requisites/bank-detail/crm-requisite-bank-detail-list.md,
 * the same paging and filter; `ENTITY_ID` is the requisite): `select`
 * (none or empty = every field), `filter` with the usual prefixes, `order`, `start` — 50 a page,
 * `total`, `next`. Rows are UPPER_CASE string fields as the docs' examples show. Needs read access
 * to contacts and companies, which every role of the emulator has.
 */
import { asList, runListQuery, type ListOptions } from '../rest/list-query.ts'
import type { MethodDefinition } from '../rest/method-types.ts'
import type { PortalState } from '../data/portal-state.ts'

const OPTIONS: ListOptions = { defaultOrder: { ID: 'ASC' }, temporalFields: new Map([['DATE_CREATE', 'datetime'], ['DATE_MODIFY', 'datetime']]) }

function project(row: Record<string, string>, select: unknown): Record<string, string> {
  const fields = asList(select).map(String).filter(field => field !== '*')
  if (fields.length === 0) return { ...row }
  return Object.fromEntries(fields.filter(field => field in row).map(field => [field, row[field] ?? '']))
}

function listOf(rowsOf: (state: PortalState) => Array<Record<string, string>>): MethodDefinition {
  return {
    scope: 'crm',
    handler(params, ctx) {
      const rows = rowsOf(ctx.state)
      const page = runListQuery(rows, { filter: params.filter, order: params.order, start: params.start }, OPTIONS)
      return {
        result: page.rows.map(row => project(row, params.select)),
        total: page.total,
        ...(page.next === undefined ? {} : { next: page.next }),
        rowsTouched: page.scanned,
      }
    },
  }
}

export const crmRequisiteMethods: Record<string, MethodDefinition> = {
  'crm.requisite.list': listOf(state => state.requisites ?? []),
  'crm.requisite.bankdetail.list': listOf(state => state.bankDetails ?? []),
}
