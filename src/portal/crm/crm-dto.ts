/**
 * Raw shapes of what Bitrix24 REST returns, camelCase as `crm.item.*` sends them by default
 * (R: api-reference/crm/universal/object-fields.md). Numbers may come as strings on some portals, so every id is `number | string`.
 */
type Id = number | string

/** `crm.item.get/list` for a deal (entityTypeId 2). */
export interface DealItemDto {
  id: Id
  title?: string | null
  stageId?: string | null
  categoryId?: Id | null
  opportunity?: number | string | null
  currencyId?: string | null
  companyId?: Id | null
  contactId?: Id | null
  assignedById?: Id | null
}

/** `crm.item.get/list` for a smart invoice (entityTypeId 31). */
export interface InvoiceItemDto {
  id: Id
  title?: string | null
  accountNumber?: string | null
  stageId?: string | null
  categoryId?: Id | null
  begindate?: string | null
  closedate?: string | null
  opportunity?: number | string | null
  currencyId?: string | null
  parentId2?: Id | null
  companyId?: Id | null
  contactId?: Id | null
  assignedById?: Id | null
}

/** One `crm.status.list` row. For invoices only the short `SEMANTICS` is filled (R: tutorials/crm/how-to-get-lists/how-to-get-stages-with-semantics.md). */
export interface StatusDto {
  ID?: Id
  ENTITY_ID: string
  STATUS_ID: string
  NAME: string
  SORT: Id
  CATEGORY_ID?: Id | null
  COLOR?: string | null
  SEMANTICS?: string | null
  EXTRA?: { SEMANTICS?: string | null, COLOR?: string | null } | null
}

/** `profile`: the current user. `TIME_ZONE` is empty when the user keeps the portal's zone. */
export interface ProfileDto {
  ID: Id
  ADMIN: boolean
  NAME?: string | null
  LAST_NAME?: string | null
  TIME_ZONE?: string | null
}

/** The invoice fields the app reads; asking for fewer keeps list responses small. */
export const INVOICE_SELECT = [
  'id', 'title', 'accountNumber', 'stageId', 'categoryId', 'begindate', 'closedate',
  'opportunity', 'currencyId', 'parentId2', 'companyId', 'contactId', 'assignedById',
] as const
