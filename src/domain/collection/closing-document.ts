import type { Locale } from '../format.ts'
import type { Invoice } from '../invoice.ts'
import type { EmailText } from '../settings/settings.ts'
import type { TemplateValues } from '../template/template-variables.ts'
import type { ClosingRecord } from './collection-state.ts'
import { renderTemplateHtml, renderTemplateText } from '../template/render-template.ts'

/**
 * The closing document of a B2B invoice paid in full (README «Closing documents for B2B»): made
 * once from the admin's template and e-mailed once. Attempts leave records in the invoice's
 * timeline — `claim` before anything, `sent` after the e-mail, `failed` when the portal refused —
 * and the e-mail carries the attempt's `ORIGIN_ID`, so a later run can tell what happened.
 */

/** How long a claim blocks other attempts when its window never finished (closed tab, lost answer). */
export const CLOSING_CLAIM_LEASE_MS = 10 * 60_000

/** The e-mail's `ORIGIN_ID` of one attempt: found by a later run, an e-mail that may have gone out. */
export function closingOrigin(invoiceId: number, runner: string): string {
  return `invoice-desk|closing|${invoiceId}|${runner}`
}

/**
 * What the records say before an attempt: `sent` (done, never again), `unconfirmed` (an attempt's
 * e-mail exists without its `sent` record: the portal may have sent it; a person looks, the app
 * never sends again by itself), `inProgress` (another attempt claimed it within the lease), or `go`.
 */
export type ClosingDecision
  = | { readonly kind: 'sent', readonly documentId: number | null }
    | { readonly kind: 'unconfirmed', readonly runner: string }
    | { readonly kind: 'inProgress' }
    | { readonly kind: 'go' }

/** Claims not settled by a `sent` or `failed` record of the same attempt. */
function openClaims(closings: readonly ClosingRecord[]): ClosingRecord[] {
  const settled = new Set(closings.filter(record => record.status !== 'claim').map(record => record.runner))
  return closings.filter(record => record.status === 'claim' && !settled.has(record.runner))
}

/**
 * Decides from the invoice's closing records, the `ORIGIN_ID`s of its e-mail activities and the
 * portal's clock (`nowMs`) whether an attempt may start. Pure.
 */
export function closingDecision(closings: readonly ClosingRecord[], emailOrigins: ReadonlySet<string>, invoiceId: number, nowMs: number, leaseMs: number = CLOSING_CLAIM_LEASE_MS): ClosingDecision {
  const sent = closings.find(record => record.status === 'sent')
  if (sent)
    return { kind: 'sent', documentId: sent.documentId }
  const open = openClaims(closings)
  const emailed = open.find(claim => emailOrigins.has(closingOrigin(invoiceId, claim.runner)))
  if (emailed)
    return { kind: 'unconfirmed', runner: emailed.runner }
  return open.some(claim => nowMs - Date.parse(claim.at) < leaseMs) ? { kind: 'inProgress' } : { kind: 'go' }
}

/**
 * Who goes on when several attempts claimed at once (two tabs, the runner and a tab): among the
 * open claims younger than the lease, the LOWEST log id — ids ascend in the order the portal
 * stored them, so every attempt that reads the same timeline elects the same one (the rule of
 * `payment-claim.ts`). Null when none is open.
 */
export function closingClaimWinner(closings: readonly ClosingRecord[], nowMs: number, leaseMs: number = CLOSING_CLAIM_LEASE_MS): ClosingRecord | null {
  return openClaims(closings)
    .filter(claim => nowMs - Date.parse(claim.at) < leaseMs)
    .sort((a, b) => a.logId - b.logId)[0] ?? null
}

/**
 * The closing document e-mail from the admin's template in the e-mail's language (settings
 * `invoice.closingDocumentEmail`, defaults `DEFAULT_CLOSING_EMAIL`): subject as text, body as
 * escaped HTML. `document`: the closing template's name («Акт»), put where `{document.name}` stands.
 */
export function closingEmail(template: EmailText, document: string, values: TemplateValues): { subject: string, html: string } {
  // The document's name is the admin's template name: escaped like any value, and never a placeholder itself.
  const named = (text: string) => text.replaceAll('{document.name}', document.replace(/[{}]/g, ''))
  return { subject: renderTemplateText(named(template.subject), values), html: renderTemplateHtml(named(template.body), values) }
}

const LOG = {
  ru: {
    claim: 'Invoice Desk: закрывающий документ готовится',
    sent: 'Invoice Desk: закрывающий документ отправлен',
    failed: 'Invoice Desk: закрывающий документ не отправлен',
    claimText: (n: string) => `Счёт ${n} оплачен полностью: готовим закрывающий документ.`,
    sentText: (n: string, to: string, document: string) => `Закрывающий документ «${document}» по счёту ${n} отправлен на ${to}.`,
    failedText: (n: string, why: string) => `Закрывающий документ по счёту ${n} не отправлен: ${why}`,
  },
  en: {
    claim: 'Invoice Desk: closing document being prepared',
    sent: 'Invoice Desk: closing document sent',
    failed: 'Invoice Desk: closing document not sent',
    claimText: (n: string) => `Invoice ${n} is paid in full: preparing the closing document.`,
    sentText: (n: string, to: string, document: string) => `Closing document «${document}» for invoice ${n} e-mailed to ${to}.`,
    failedText: (n: string, why: string) => `The closing document for invoice ${n} was not sent: ${why}`,
  },
} as const

/** The invoice's timeline entry (title and sentence) of a closing record; `why`: the portal's words for `failed`. */
export function closingLogEntry(invoice: Invoice, status: ClosingRecord['status'], locale: Locale, details: { to?: string, document?: string, why?: string } = {}): { title: string, text: string } {
  const texts = LOG[locale]
  const n = invoice.number || `#${invoice.id}`
  if (status === 'claim')
    return { title: texts.claim, text: texts.claimText(n) }
  if (status === 'sent')
    return { title: texts.sent, text: texts.sentText(n, details.to ?? '', details.document ?? '') }
  return { title: texts.failed, text: texts.failedText(n, details.why ?? '') }
}
