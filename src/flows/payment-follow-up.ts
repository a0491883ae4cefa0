import type { CalendarDate } from '../domain/calendar-date.ts'
import type { Locale } from '../domain/format.ts'
import type { Invoice } from '../domain/invoice.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { Money } from '../domain/money.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { PaidFollowUpWrite } from '../portal/collection/paid-follow-up.ts'
import type { ProcessOutcome } from './business-process.ts'
import type { ClosingOutcome } from './closing-document.ts'
import { addDays } from '../domain/calendar-date.ts'
import { taggedText } from '../domain/collection/collection-record.ts'
import { balanceOf } from '../domain/collection/collection-state.ts'
import { paidLogEntry, paidNotificationText } from '../domain/invoice-action-messages.ts'
import { notifyTag } from '../domain/issue/issue-key.ts'
import { writePaidFollowUps } from '../portal/collection/paid-follow-up.ts'
import { readCollectionStates } from '../portal/collection/collection-log.ts'
import { loadRecentlyPaid } from '../portal/collection/recently-paid.ts'
import { startProcesses, unfinishedOutcomes } from './business-process.ts'
import { sendClosingDocument } from './closing-document.ts'
import { paymentRecipients } from './mark-invoice.ts'

/** How far back the follow-up looks for invoices paid outside the app (a runner down for a week still catches up). */
export const FOLLOW_UP_DAYS = 14

export interface FollowUp {
  readonly invoice: Invoice
  readonly paidOn: CalendarDate
  /** The deal moved to `stageAfterPaid` (false: not configured, no deal, or the deal has other open invoices). */
  readonly dealMoved: boolean
  readonly error: unknown
  /** The "paid" processes and trigger that did not start (the follow-up itself stands). */
  readonly processWarnings: readonly ProcessOutcome[]
  /** The closing document of a B2B invoice (`closing-document.ts`); absent when none was due (B2C, not configured, dry run). */
  readonly closing?: ClosingOutcome
  /** True: the payment was recorded by an earlier run (or in the app); only its closing document was still due. */
  readonly closingOnly?: boolean
}

/**
 * "Paid" marked somewhere else — the kanban, a robot, a payment system — still gets what marking
 * it paid in the app does, once: the balance recorded as paid on the day the invoice reached its
 * paid stage, the deal to `stageAfterPaid` when none of its other invoices is still open, the
 * `onPayment` recipients notified (TAG `INVOICE_DESK|PAID|<id>`, so a repeat replaces rather than
 * adds), and the timelines. An invoice whose records already cover its sum was handled: skipped.
 * One batch per 10 invoices, without halt: one invoice's failure does not stop the others, and
 * what failed is tried again by the next run (the payment record is written last).
 * Then the closing document of each B2B invoice paid in full (`sendClosingDocument`): the ones
 * recorded now, and the recently paid ones whose records show no closing document sent yet (an
 * earlier attempt refused, or paid before the template was chosen) — the flow's records keep it to once.
 */
export async function followUpPayments(portal: PortalClient, settings: InvoiceDeskSettings, today: CalendarDate, locale: Locale, dryRun = false, isAdmin = false): Promise<FollowUp[]> {
  const recent = await loadRecentlyPaid(portal, addDays(today, -FOLLOW_UP_DAYS))
  if (recent.paid.length === 0)
    return []
  const states = await readCollectionStates(portal, recent.paid.map(p => p.invoice.id))
  const withBalance = recent.paid.map(p => ({ ...p, balance: balanceOf(p.invoice.amount, states.get(p.invoice.id)!) }))
  const due = withBalance.filter(p => p.balance.amountMinor > 0)
  const out: FollowUp[] = []
  if (!dryRun && wantsClosing(settings)) {
    // Paid in full by earlier records, no closing document sent yet: the flow decides from its own records.
    const pending = withBalance.filter(p => p.balance.amountMinor === 0 && p.invoice.companyId !== null && !(states.get(p.invoice.id)!.closings ?? []).some(r => r.status === 'sent'))
    for (const p of pending)
      out.push({ invoice: p.invoice, paidOn: p.paidOn, dealMoved: false, error: null, processWarnings: [], closing: await sendClosingDocument(portal, p.invoice, settings, { locale }), closingOnly: true })
  }
  for (let i = 0; i < due.length; i += 10) {
    const chunk = due.slice(i, i + 10)
    const writes = chunk.map(({ invoice, paidOn, balance }) => followUpWrite(invoice, paidOn, balance, recent.openByDeal, settings, locale))
    if (dryRun) {
      chunk.forEach((p, n) => out.push({ invoice: p.invoice, paidOn: p.paidOn, dealMoved: writes[n]!.dealMove !== null, error: null, processWarnings: [] }))
      continue
    }
    try {
      const outcomes = await writePaidFollowUps(portal, writes)
      for (const p of chunk) {
        const id = p.invoice.id
        const outcome = outcomes.get(id)!
        // Recorded once the invoice's entry is written (the next run skips it): only then do its processes start.
        const started = outcome.recorded ? await startProcesses(portal, 'paid', { dealId: p.invoice.dealId, invoiceId: id }, settings, { isAdmin }) : []
        const processWarnings = unfinishedOutcomes(started).filter(o => o.kind === 'process' || o.status !== 'needs-admin')
        const closing = outcome.recorded && wantsClosing(settings) && p.invoice.companyId !== null ? await sendClosingDocument(portal, p.invoice, settings, { locale }) : undefined
        out.push({ invoice: p.invoice, paidOn: p.paidOn, dealMoved: outcome.dealMoved, error: outcome.error, processWarnings, ...(closing ? { closing } : {}) })
      }
    }
    catch (error) {
      chunk.forEach(p => out.push({ invoice: p.invoice, paidOn: p.paidOn, dealMoved: false, error, processWarnings: [] }))
    }
  }
  return out
}

/**
 * What following up one invoice writes: the deal moved to `stageAfterPaid` when none of its other
 * invoices is still open, the `onPayment` recipients notified, the deal's and the invoice's timelines
 * (the invoice's entry records the balance as paid on `paidOn`).
 */
function followUpWrite(invoice: Invoice, paidOn: CalendarDate, balance: Money, openByDeal: ReadonlyMap<number, readonly number[]>, settings: InvoiceDeskSettings, locale: Locale): PaidFollowUpWrite {
  const id = invoice.id
  const log = paidLogEntry(invoice, paidOn, locale)
  const otherOpen = invoice.dealId === null ? [] : (openByDeal.get(invoice.dealId) ?? []).filter(other => other !== id)
  const stageAfterPaid = settings.deal.stageAfterPaid
  return {
    invoiceId: id,
    dealMove: invoice.dealId !== null && stageAfterPaid !== null && otherOpen.length === 0 ? { dealId: invoice.dealId, stageId: stageAfterPaid } : null,
    notify: { userIds: paymentRecipients(settings, invoice), message: paidNotificationText(invoice, paidOn, locale), tag: notifyTag(id, 'paid') },
    dealLog: invoice.dealId === null ? null : { entityTypeId: 2, entityId: invoice.dealId, title: log.title, text: log.text },
    invoiceLog: { entityTypeId: 31, entityId: id, title: log.title, text: taggedText(log.text, { kind: 'payment', amountMinor: balance.amountMinor, currency: balance.currency, paidOn }) },
  }
}

function wantsClosing(settings: InvoiceDeskSettings): boolean {
  return (settings.invoice.closingDocumentTemplateId ?? null) !== null
}
