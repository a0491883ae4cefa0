import type { CalendarDate } from './calendar-date.ts'
import type { Money } from './money.ts'

/** A smart invoice (CRM entity type 31) as the app sees it. */
export interface Invoice {
  readonly id: number
  readonly title: string
  /** The invoice number (`accountNumber`); empty when the portal has not numbered it. */
  readonly number: string
  /** The deal it was issued from (`parentId2`), if any. */
  readonly dealId: number | null
  readonly stageId: string
  readonly categoryId: number | null
  /** Issue date (`begindate`), the portal's calendar day. */
  readonly issueDate: CalendarDate | null
  /** Pay-by date (`closedate`), the portal's calendar day. */
  readonly dueDate: CalendarDate | null
  readonly amount: Money
  readonly companyId: number | null
  readonly contactId: number | null
  readonly responsibleId: number | null
}

/** The deal an invoice is issued for, with what the deal tab shows of it. */
export interface Deal {
  readonly id: number
  readonly title: string
  readonly stageId: string
  readonly categoryId: number | null
  readonly amount: Money
  readonly companyId: number | null
  readonly contactId: number | null
  readonly responsibleId: number | null
}
