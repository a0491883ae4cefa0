/** Shared look-ups for methods bound to a CRM item (documents, activities, timeline, payments). */
import { isBuiltInEntityTypeId, type BuiltInEntityTypeId, type CrmEntityTypeId, type CrmItem, type PortalState } from '../data/portal-state.ts'

/** Product-row owner codes by entity type (R: api-reference/crm/data-types.md #object_type). */
export const ROW_OWNER_TYPE: Readonly<Record<BuiltInEntityTypeId, string>> = { 2: 'D', 3: 'C', 4: 'CO', 31: 'SI' }

/** Task UF_CRM_TASK prefixes (R: api-reference/crm/data-types.md #crm-binding-format). */
export const BINDING_PREFIX: Readonly<Record<string, BuiltInEntityTypeId>> = { D: 2, C: 3, CO: 4, SI: 31 }

/** A built-in type these item-bound methods serve (smart process items are not bound to documents, activities, timeline, payments here). */
export function crmTypeOf(value: unknown): BuiltInEntityTypeId | null {
  const id = Number(value)
  return isBuiltInEntityTypeId(id) ? id : null
}

export function findOwner(state: PortalState, entityTypeId: CrmEntityTypeId, id: unknown): CrmItem | undefined {
  const number = Number(id)
  return Number.isInteger(number) && number > 0 ? state.entities[entityTypeId]?.byId.get(number) : undefined
}

/** The client of a deal or invoice: its company, else its contact; a contact or company names itself. */
export function clientName(state: PortalState, entityTypeId: CrmEntityTypeId, item: CrmItem): string {
  if (entityTypeId === 4) return String(item.title ?? '')
  if (entityTypeId === 3) return [item.name, item.lastName].filter(Boolean).join(' ')
  const company = state.entities[4].byId.get(Number(item.companyId))
  if (company) return String(company.title)
  const contact = state.entities[3].byId.get(Number(item.contactId))
  return contact ? [contact.name, contact.lastName].filter(Boolean).join(' ') : ''
}

/** Positive integer or null. */
export function positiveInt(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null
  const number = Number(value)
  return Number.isInteger(number) && number > 0 ? number : null
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

export const isBlank = (value: unknown): boolean => value === undefined || value === null || String(value).trim() === ''
