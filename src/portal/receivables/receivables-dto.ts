/** Bitrix24 sends ids as numbers or strings. */
type Id = number | string

/**
 * The invoice fields the dashboard reads, and nothing else: a 100,000-invoice scan moves every
 * selected field 100,000 times.
 */
export const RECEIVABLE_SELECT = [
  'id', 'accountNumber', 'stageId', 'categoryId', 'begindate', 'closedate', 'opportunity',
  'currencyId', 'companyId', 'contactId', 'assignedById', 'movedTime', 'parentId2',
] as const

/** `crm.item.list` row for a smart invoice with `RECEIVABLE_SELECT`. */
export interface ReceivableItemDto {
  id: Id
  accountNumber?: string | null
  stageId?: string | null
  categoryId?: Id | null
  begindate?: string | null
  closedate?: string | null
  opportunity?: number | string | null
  currencyId?: string | null
  companyId?: Id | null
  contactId?: Id | null
  assignedById?: Id | null
  /** When the invoice entered its current stage: for a paid stage, the day it was paid. */
  movedTime?: string | null
  /** The deal the invoice was issued from (key metrics: time from the deal's creation to its first invoice). */
  parentId2?: Id | null
}

/** `crm.currency.list` row. */
export interface CurrencyDto {
  CURRENCY: string
  FULL_NAME?: string | null
  BASE?: string | null
  SORT?: Id | null
}

/** `crm.category.list` row. */
export interface CategoryDto {
  id: Id
  name?: string | null
  sort?: Id | null
}

/** `user.get` row (the fields the dashboard shows). */
export interface UserDto {
  ID: Id
  NAME?: string | null
  LAST_NAME?: string | null
}

/** `crm.item.list` row of a company (`title`) or a contact (`name`, `lastName`). */
export interface ClientItemDto {
  id: Id
  title?: string | null
  name?: string | null
  lastName?: string | null
}
