/**
 * Idempotency keys: each write the issue chain makes carries a key derived from the deal and the
 * purpose, so a retry, a reload or a second tab can find what was already done instead of doing
 * it again. `xmlId` is the invoice's external-id field; `ORIGIN_ID` the activity's.
 */

/** What an invoice is for. One invoice per deal and purpose; subscriptions use `period-YYYY-MM`. */
export type IssuePurpose = string

/** The default purpose: the invoice for the whole deal. */
export const DEAL_PURPOSE: IssuePurpose = 'deal'

/** `xmlId` of the invoice for `dealId` and `purpose`, e.g. `invoice-desk:deal:42:deal`. */
export function invoiceKey(dealId: number, purpose: IssuePurpose = DEAL_PURPOSE): string {
  return `invoice-desk:deal:${dealId}:${purpose}`
}

/** `ORIGIN_ID` of the e-mail that sends invoice `invoiceId`: one such e-mail per invoice. */
export function emailKey(invoiceId: number): string {
  return `invoice-desk:email:${invoiceId}`
}

/** `ORIGIN_ID` of the `n`-th repeat e-mail of invoice `invoiceId` (n = 1, 2, …). */
export function resendKey(invoiceId: number, n: number): string {
  return `${emailKey(invoiceId)}:resend:${n}`
}

/** `TAG` of the manager's notification: Bitrix24 replaces a notification with the same tag. */
export function notifyTag(invoiceId: number, event: 'issued' | 'paid'): string {
  return `INVOICE_DESK|${event.toUpperCase()}|${invoiceId}`
}

/**
 * `CLIENT_ID` sent with every tagged notification: through a webhook (the scheduled runner) Bitrix24
 * honours `TAG` only together with it (im-notify-system-add.md); in an app's context it is ignored.
 */
export const NOTIFY_CLIENT_ID = 'invoice-desk'
