/** entityTypeId validation for crm.item.* (R: api-reference/crm/universal/crm-item-*.md error tables, api-reference/crm/universal/invoice.md). */
import { crmTypeByEntityTypeId } from '../data/crm-types.ts'
import { isBuiltInEntityTypeId, type BuiltInEntityTypeId, type CrmEntityTypeId, type PortalState } from '../data/portal-state.ts'
import { RestError } from '../rest/rest-error.ts'

/** Types that exist on a portal but crm.item.* refuses: old invoices (5). */
const NOT_SUPPORTED: ReadonlySet<number> = new Set([5])

/** Product-row owner type codes (R: api-reference/crm/data-types.md #object_type). */
export const OWNER_TYPE_TO_ENTITY: Readonly<Record<string, BuiltInEntityTypeId>> = { D: 2, C: 3, CO: 4, SI: 31 }

/** A built-in type or an existing smart process (crm.type.add); anything else is NOT_FOUND. */
export function requireEntityTypeId(state: PortalState, value: unknown): CrmEntityTypeId {
  const id = Number(value)
  if (NOT_SUPPORTED.has(id)) throw new RestError(400, 'ENTITY_TYPE_NOT_SUPPORTED', `Entity type ${id} is not supported`)
  if (!isBuiltInEntityTypeId(id) && !crmTypeByEntityTypeId(state, id)) throw new RestError(400, 'NOT_FOUND', 'Smart process not found')
  return id
}

export const itemNotFound = (): RestError => new RestError(400, 'NOT_FOUND', 'Item not found')
