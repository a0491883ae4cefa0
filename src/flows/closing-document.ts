import type { Locale } from '../domain/format.ts'
import type { Invoice } from '../domain/invoice.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { LogWrite } from '../portal/collection/collection-log.ts'
import type { ClosingContext } from '../portal/collection/closing-document.ts'
import { taggedText } from '../domain/collection/collection-record.ts'
import { balanceOf } from '../domain/collection/collection-state.ts'
import { closingClaimWinner, closingDecision, closingEmail, closingLogEntry, closingOrigin } from '../domain/collection/closing-document.ts'
import { messageSender } from '../domain/email-sender.ts'
import { DEFAULT_CLOSING_EMAIL } from '../domain/settings/default-settings.ts'
import { formatMoney } from '../domain/format.ts'
import { claimClosing, closingDocument, readClosingContext, sendClosingEmail, writeClosingRecord } from '../portal/collection/closing-document.ts'
import { releaseGuard } from '../portal/replay-guard.ts'
import { newRunnerId } from './run-reminders.ts'

/**
 * Why no closing document was made: none configured, not a company's invoice (B2C), not paid in
 * full by the app's records, already sent, another attempt under way, an attempt's e-mail that may
 * have gone out (a person looks in the card; never sent again by the app), or the client has no address.
 */
export type ClosingSkip = 'notConfigured' | 'notB2B' | 'notPaidInFull' | 'alreadySent' | 'inProgress' | 'unconfirmed' | 'noEmail'

/** What `sendClosingDocument` did. `unknown`: the e-mail batch got no answer — it may have gone; the next run finds its e-mail and does not send again. */
export type ClosingOutcome
  = | { readonly status: 'sent', readonly invoice: Invoice, readonly documentId: number, readonly to: string }
    | { readonly status: 'skipped', readonly invoice: Invoice, readonly reason: ClosingSkip }
    | { readonly status: 'failed', readonly invoice: Invoice, readonly part: 'read' | 'claim' | 'document' | 'email', readonly error: unknown }
    | { readonly status: 'unknown', readonly invoice: Invoice, readonly error: unknown }

/** Where the closing document's texts go, and in which language. */
export interface ClosingEnvironment {
  readonly locale: Locale
  /** The attempt's id (claim, e-mail origin, records); a random one by default. */
  readonly runner?: string
}

function recordWrite(invoice: Invoice, status: 'claim' | 'sent' | 'failed', runner: string, locale: Locale, details: { to?: string, document?: string, why?: string, documentId?: number | null } = {}): LogWrite {
  const entry = closingLogEntry(invoice, status, locale, details)
  return { entityTypeId: 31, entityId: invoice.id, title: entry.title, text: taggedText(entry.text, { kind: 'closing', status, runner, documentId: details.documentId ?? null }) }
}

function wordsOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * The closing document (act, УПД) of a B2B invoice paid in full, once (README «Closing documents
 * for B2B»): called by `recordPayment` when a payment closes the invoice and by the nightly
 * `followUpPayments` for invoices paid outside the app. Nothing is read for an invoice without a
 * company or without a configured template. Otherwise:
 * 1. ONE read (records, client, sender, documents, e-mails, clock, token); a `sent` record, an
 *    attempt's e-mail without one (`unconfirmed`) or a live claim of another attempt stops here;
 * 2. a `claim` record, read back: the lowest open claim goes on (two tabs, the runner and a tab);
 * 3. the document from `settings.invoice.closingDocumentTemplateId` with its public link (a
 *    former attempt's document is reused);
 * 4. ONE halted, guarded batch: the e-mail (same sender rules as the invoice, `ORIGIN_ID` of this
 *    attempt) and its `sent` record. A refusal writes `failed` (the next run may try again); no
 *    answer leaves the claim open and the e-mail findable: never sent twice.
 */
export async function sendClosingDocument(portal: PortalClient, invoice: Invoice, settings: InvoiceDeskSettings, env: ClosingEnvironment): Promise<ClosingOutcome> {
  const templateId = settings.invoice.closingDocumentTemplateId ?? null
  if (templateId === null)
    return { status: 'skipped', invoice, reason: 'notConfigured' }
  if (invoice.companyId === null)
    return { status: 'skipped', invoice, reason: 'notB2B' }
  let context: ClosingContext
  try {
    context = await readClosingContext(portal, invoice, templateId, settings.invoice.myCompanyId)
  }
  catch (error) {
    return { status: 'failed', invoice, part: 'read', error }
  }
  const skip = skipReason(invoice, context)
  if (skip) {
    await releaseGuard(portal, context.guard)
    return { status: 'skipped', invoice, reason: skip }
  }
  return claimAndSend(portal, invoice, templateId, settings, context, { locale: env.locale, runner: env.runner ?? newRunnerId() })
}

function skipReason(invoice: Invoice, context: ClosingContext): ClosingSkip | null {
  if (balanceOf(invoice.amount, context.state).amountMinor > 0 || context.state.payments.length === 0)
    return 'notPaidInFull'
  const decision = closingDecision(context.state.closings ?? [], context.emailOrigins, invoice.id, context.nowMs)
  if (decision.kind === 'sent')
    return 'alreadySent'
  if (decision.kind !== 'go')
    return decision.kind
  return context.client?.email && context.client.emailOwner ? null : 'noEmail'
}

async function claimAndSend(portal: PortalClient, invoice: Invoice, templateId: number, settings: InvoiceDeskSettings, context: ClosingContext, env: Required<ClosingEnvironment>): Promise<ClosingOutcome> {
  const { runner, locale } = env
  const { guard } = context
  let back
  try {
    back = await claimClosing(portal, guard, recordWrite(invoice, 'claim', runner, locale))
  }
  catch (error) {
    return { status: 'failed', invoice, part: 'claim', error }
  }
  const mine = [...back.closings ?? []].reverse().find(record => record.status === 'claim' && record.runner === runner)
  const winner = mine ? closingClaimWinner(back.closings ?? [], Date.parse(mine.at)) : null
  if (!winner || winner.runner !== runner) {
    await releaseGuard(portal, guard)
    // Settles this attempt's claim, so it never holds up a later one.
    await writeClosingRecord(portal, recordWrite(invoice, 'failed', runner, locale, { why: locale === 'ru' ? 'его отправляет другое окно' : 'another window sends it' }))
    return { status: 'skipped', invoice, reason: 'inProgress' }
  }
  const name = settings.invoice.closingDocumentTemplateName ?? `#${templateId}`
  const failed = async (part: 'document' | 'email', error: unknown): Promise<ClosingOutcome> => {
    await writeClosingRecord(portal, recordWrite(invoice, 'failed', runner, locale, { why: wordsOf(error) }))
    return { status: 'failed', invoice, part, error }
  }
  let document
  try {
    document = await closingDocument(portal, invoice.id, templateId, context.document, guard)
  }
  catch (error) {
    return failed('document', error)
  }
  const client = context.client!
  const to = client.email!
  const text = closingEmail((settings.invoice.closingDocumentEmail ?? DEFAULT_CLOSING_EMAIL)[locale], name, {
    'invoice.number': invoice.number || `#${invoice.id}`,
    'invoice.sum': formatMoney(invoice.amount, locale),
    'client.name': client.name,
    'manager.name': context.manager?.name ?? '',
    'company.name': context.companyName,
    'document.link': document.publicUrl ?? '',
  })
  const sent = recordWrite(invoice, 'sent', runner, locale, { to, document: name, documentId: document.id })
  const result = await sendClosingEmail(portal, guard, {
    owner: { entityTypeId: 31, id: invoice.id },
    originId: closingOrigin(invoice.id, runner),
    to,
    recipient: client.emailOwner!,
    subject: text.subject,
    html: text.html,
    responsibleId: invoice.responsibleId ?? context.manager?.id ?? 1,
    sender: messageSender(settings.email.sender, context.manager),
    attachment: null,
  }, sent)
  if (result.status === 'refused')
    return failed('email', result.error)
  if (result.status === 'unknown')
    return { status: 'unknown', invoice, error: result.error }
  // The portal answered that the e-mail went: its record is written once more if it failed (a repeat harms nothing).
  if (result.recordError)
    await writeClosingRecord(portal, sent)
  return { status: 'sent', invoice, documentId: document.id, to }
}
