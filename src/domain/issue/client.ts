import type { ClientType } from '../settings/settings.ts'

/** Who pays: the deal's company (B2B) or, without one, its contact (B2C). */
export interface InvoiceClient {
  readonly type: ClientType
  readonly companyId: number | null
  readonly contactIds: readonly number[]
  /** The company's title or the contact's full name, as greeted in the e-mail. */
  readonly name: string
  /** Where the invoice goes: the contact person's e-mail, else the company's; null when neither has one. */
  readonly email: string | null
  /** The CRM record `email` belongs to (contact 3 or company 4), so the e-mail lands on the right card. */
  readonly emailOwner: { readonly entityTypeId: 3 | 4, readonly id: number } | null
}

/** A pragmatic address check: one @, no spaces, a dot in the domain, nothing Bitrix24 would refuse. */
export function isValidEmail(value: string): boolean {
  return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z0-9-]{2,}$/i.test(value.trim())
}
