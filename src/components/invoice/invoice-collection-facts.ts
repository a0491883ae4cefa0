import type { CalendarDate } from '../../domain/calendar-date.ts'
import type { Money } from '../../domain/money.ts'
import type { DealInvoiceRow } from '../../flows/load-deal-invoices.ts'
import { balanceOf, paidAmount } from '../../domain/collection/collection-state.ts'

/** What a row shows of its records; all null when they are not (yet) known. */
export interface CollectionFacts {
  /** Paid so far, only when some but not all of the sum is (minor units). */
  readonly paid: Money | null
  /** Left to pay; null when the records are unknown (the sum is offered then, and the flow checks). */
  readonly balance: Money | null
  readonly promisedOn: CalendarDate | null
  readonly disputed: boolean
}

/** The row's payment, promise and dispute facts from its collection state. */
export function collectionFacts(row: DealInvoiceRow): CollectionFacts {
  if (row.collection.status !== 'ready')
    return { paid: null, balance: null, promisedOn: null, disputed: false }
  const state = row.collection.state
  const paid = paidAmount(state, row.invoice.amount.currency)
  const partly = paid.amountMinor > 0 && paid.amountMinor < row.invoice.amount.amountMinor
  return { paid: partly ? paid : null, balance: balanceOf(row.invoice.amount, state), promisedOn: state.promisedOn, disputed: state.dispute !== null }
}
