import type { CalendarDate } from './calendar-date.ts'
import type { Invoice } from './invoice.ts'
import type { StageIndex } from './stage.ts'
import { daysBetween } from './calendar-date.ts'
import { isInitialStage } from './stage.ts'

/**
 * Where an invoice stands for the people chasing it:
 * - `draft`: still in the pipeline's first stage, not sent to the client;
 * - `sent`: out with the client, `daysLeft` until the due date (0 = due today, `null` = no due date);
 * - `overdue`: sent and unpaid `days` calendar days after its due date;
 * - `paid` / `cancelled`: the stage has success / failure semantics.
 */
export type InvoiceState
  = | { readonly kind: 'draft' }
    | { readonly kind: 'sent', readonly daysLeft: number | null }
    | { readonly kind: 'overdue', readonly days: number }
    | { readonly kind: 'paid' }
    | { readonly kind: 'cancelled' }

/**
 * Computes the state of `invoice` on the calendar day `today` (the portal's day, see
 * `calendarDateIn`). A stage missing from `stages` counts as an open, already sent stage:
 * an unknown custom stage must not hide that an invoice is overdue.
 */
export function invoiceState(invoice: Invoice, stages: StageIndex, today: CalendarDate): InvoiceState {
  const stage = stages.get(invoice.stageId)
  if (stage?.semantics === 'success')
    return { kind: 'paid' }
  if (stage?.semantics === 'failure')
    return { kind: 'cancelled' }
  if (stage && isInitialStage(stage, stages))
    return { kind: 'draft' }
  if (!invoice.dueDate)
    return { kind: 'sent', daysLeft: null }
  const daysLeft = daysBetween(today, invoice.dueDate)
  return daysLeft < 0 ? { kind: 'overdue', days: -daysLeft } : { kind: 'sent', daysLeft }
}
