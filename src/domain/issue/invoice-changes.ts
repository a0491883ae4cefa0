import type { CalendarDate } from '../calendar-date.ts'
import type { Money } from '../money.ts'

/** What the manager must see before an invoice the chain already created is sent or moved on. */
export interface InvoiceFacts {
  readonly amount: Money
  readonly dueDate: CalendarDate | null
  readonly companyId: number | null
  readonly contactId: number | null
  /** Paid or cancelled in Bitrix24; null while open. */
  readonly closed: 'paid' | 'cancelled' | null
}

/** One difference between what was expected (the preview, the deal) and what the portal has now. */
export type InvoiceChange
  = | { readonly field: 'amount', readonly expected: Money, readonly actual: Money }
    | { readonly field: 'dueDate', readonly expected: CalendarDate | null, readonly actual: CalendarDate | null }
    | { readonly field: 'client' }
    | { readonly field: 'closed', readonly actual: 'paid' | 'cancelled' }
    /** The deal's sum changed between the preview and the confirm (read when the invoice was created). */
    | { readonly field: 'dealAmount', readonly expected: Money, readonly actual: Money }

/**
 * The differences between `expected` and `actual`, in the order the manager reads them. Pure:
 * amounts compare in minor units and currency, dates as calendar days, the client by its ids.
 */
export function invoiceChanges(expected: InvoiceFacts, actual: InvoiceFacts): InvoiceChange[] {
  const changes: InvoiceChange[] = []
  if (actual.closed !== null && expected.closed === null)
    changes.push({ field: 'closed', actual: actual.closed })
  if (expected.amount.amountMinor !== actual.amount.amountMinor || expected.amount.currency !== actual.amount.currency)
    changes.push({ field: 'amount', expected: expected.amount, actual: actual.amount })
  if (expected.dueDate !== actual.dueDate)
    changes.push({ field: 'dueDate', expected: expected.dueDate, actual: actual.dueDate })
  if ((expected.companyId ?? 0) !== (actual.companyId ?? 0) || (expected.contactId ?? 0) !== (actual.contactId ?? 0))
    changes.push({ field: 'client' })
  return changes
}

/** Changes after which the chain must not send or move anything by itself: closed, or another client. */
export function blocksSending(changes: readonly InvoiceChange[]): boolean {
  return changes.some(change => change.field === 'closed' || change.field === 'client')
}
