import type { CalendarDate } from '../calendar-date.ts'
import type { IssuePurpose } from '../issue/issue-key.ts'
import type { SubscriptionPlan } from './plan-subscription.ts'
import { daysBetween } from '../calendar-date.ts'

/** A period invoice as the notices need it: when it was due and whether it is closed. */
export interface NoticeInvoice {
  readonly purpose: IssuePurpose
  readonly invoiceId: number
  readonly number: string
  readonly dueDate: CalendarDate | null
  /** paid (success stage), cancelled (failure stage), or null while open. */
  readonly closed: 'paid' | 'cancelled' | null
}

/** What the manager is told about a subscription, once each (`key` is recorded in the deal's timeline). */
export type SubscriptionNotice
  = | { readonly kind: 'endsSoon', readonly key: string, readonly endsOn: CalendarDate }
    | { readonly kind: 'unpaid', readonly key: string, readonly invoice: NoticeInvoice }

/**
 * The notices due on `today` that `sent` (keys already recorded) does not hold: "ends soon" once
 * per end day (from `ENDS_SOON_DAYS` before it), and "failed payment" once per period whose invoice
 * is still open after its due date. The invoice itself is chased by the reminder schedule; this
 * tells the manager that a subscription's payment failed. Pure.
 */
export function dueNotices(plan: SubscriptionPlan, invoices: readonly NoticeInvoice[], today: CalendarDate, sent: ReadonlySet<string>): SubscriptionNotice[] {
  const notices: SubscriptionNotice[] = []
  if (plan.endsSoon && plan.endsOn)
    notices.push({ kind: 'endsSoon', key: `endsSoon:${plan.endsOn}`, endsOn: plan.endsOn })
  for (const invoice of invoices) {
    if (invoice.closed === null && invoice.dueDate !== null && daysBetween(invoice.dueDate, today) > 0)
      notices.push({ kind: 'unpaid', key: `unpaid:${invoice.purpose}`, invoice })
  }
  return notices.filter(notice => !sent.has(notice.key))
}
