import type { CalendarDate } from '../calendar-date.ts'
import type { Money } from '../money.ts'
import type { ReminderChannel } from '../settings/settings.ts'
import type { ClosingRecord, ClosingRecordStatus, CollectionState, PaymentClaimRecord, PaymentRecord, ReminderRecord, ReminderRecordStatus } from './collection-state.ts'
import { APPROVAL_LOG_TITLE, APPROVAL_STOPPED, parseProcessLog } from '../bizproc/process-log.ts'
import { calendarDateOf } from '../calendar-date.ts'
import { REMINDER_CHANNELS } from '../settings/settings.ts'
import { machineTagOf, withMachineTag } from '../text/machine-tag.ts'
import { emptyCollectionState } from './collection-state.ts'

/**
 * WHERE THE COLLECTION RECORDS LIVE, AND WHY.
 *
 * Payments, promised dates, disputes and every reminder step are entries the app writes into the
 * invoice's own timeline with `crm.timeline.logmessage.add`: the sentence people read, and the
 * machine-readable record hidden after it (`text/machine-tag.ts`; older entries show it as a last
 * line `#invoice-desk {json}`, still read). We chose the timeline over
 * the two other places the portal offers:
 * - app storage (`entity.item.*`) works only in the application context, so the scheduled runner
 *   on an incoming webhook could not read or write it (R: api-reference/entity/items/entity-item-add.md);
 * - invoice custom fields need an admin to create them, and a field is read-modify-write: two
 *   sweeps writing "step +7 sent" at once overwrite each other, so it cannot arbitrate who sends;
 * - the timeline works with the frame token and with a webhook, people read it in the card (the
 *   history the issue asks for), it is bound to the invoice and goes with it, and it is append-only
 *   with ascending ids: two sweeps that both write a claim can agree that the lower id won
 *   (`reminder-claim.ts`), which no field can offer.
 * The cost: `logmessage.list` pages by 10 per invoice, so the sweep reads the logs of the open
 * invoices that have a step due, 50 invoices per batched request.
 */
export type CollectionRecord
  = | { readonly kind: 'payment', readonly amountMinor: number, readonly currency: string, readonly paidOn: CalendarDate, readonly bankRef?: string }
    | { readonly kind: 'paymentClaim', readonly status: 'claim' | 'release', readonly runner: string, readonly amountMinor: number, readonly currency: string, readonly bankRef?: string }
    | { readonly kind: 'promise', readonly on: CalendarDate | null }
    | { readonly kind: 'promiseBroken', readonly on: CalendarDate }
    | { readonly kind: 'dispute', readonly open: boolean, readonly reason: string }
    | { readonly kind: 'reminder', readonly step: string, readonly status: ReminderRecordStatus, readonly channel: ReminderChannel, readonly runner: string | null, readonly reason: string | null, readonly origin?: string | null }
    | { readonly kind: 'closing', readonly status: ClosingRecordStatus, readonly runner: string, readonly documentId?: number | null }

/** A timeline entry as `crm.timeline.logmessage.list` returns it (only the fields we read). */
export interface TimelineEntry {
  readonly id: number
  readonly created: string
  readonly title: string
  readonly text: string
}

/** The text written to the timeline: the sentence people read, the record hidden after it. */
export function taggedText(sentence: string, record: CollectionRecord): string {
  return withMachineTag(sentence, record)
}

type Raw = Record<string, unknown>

const str = (value: unknown): string | null => typeof value === 'string' ? value : null
const REMINDER_STATUSES: ReadonlySet<string> = new Set<ReminderRecordStatus>(['claim', 'sent', 'skipped', 'failed', 'unknown'])

function parseRaw(raw: Raw): CollectionRecord | null {
  switch (raw.kind) {
    case 'payment': {
      const paidOn = calendarDateOf(str(raw.paidOn))
      if (!Number.isSafeInteger(raw.amountMinor) || (raw.amountMinor as number) <= 0 || !str(raw.currency) || !paidOn)
        return null
      // `bankRef`: the bank document a statement import recorded (`bank-document-key.ts`); older records have none.
      const bankRef = str(raw.bankRef)
      return { kind: 'payment', amountMinor: raw.amountMinor as number, currency: raw.currency as string, paidOn, ...(bankRef ? { bankRef } : {}) }
    }
    case 'paymentClaim': {
      // A claim to record a payment (`payment-claim.ts`): `release` gives up the claims before it.
      if ((raw.status !== 'claim' && raw.status !== 'release') || !str(raw.runner) || !Number.isSafeInteger(raw.amountMinor) || !str(raw.currency))
        return null
      const bankRef = str(raw.bankRef)
      return { kind: 'paymentClaim', status: raw.status, runner: raw.runner as string, amountMinor: raw.amountMinor as number, currency: raw.currency as string, ...(bankRef ? { bankRef } : {}) }
    }
    case 'promise':
      return { kind: 'promise', on: calendarDateOf(str(raw.on)) }
    case 'promiseBroken': {
      const on = calendarDateOf(str(raw.on))
      return on ? { kind: 'promiseBroken', on } : null
    }
    case 'dispute':
      return typeof raw.open === 'boolean' ? { kind: 'dispute', open: raw.open, reason: str(raw.reason) ?? '' } : null
    case 'reminder': {
      const channel = REMINDER_CHANNELS.find(c => c === raw.channel)
      if (!str(raw.step) || !REMINDER_STATUSES.has(String(raw.status)) || !channel)
        return null
      return { kind: 'reminder', step: raw.step as string, status: raw.status as ReminderRecordStatus, channel, runner: str(raw.runner), reason: str(raw.reason), origin: str(raw.origin) }
    }
    case 'closing': {
      // The closing document of a B2B invoice paid in full (`closing-document.ts`).
      if ((raw.status !== 'claim' && raw.status !== 'sent' && raw.status !== 'failed') || !str(raw.runner))
        return null
      const documentId = Number.isSafeInteger(raw.documentId) ? raw.documentId as number : null
      return { kind: 'closing', status: raw.status, runner: raw.runner as string, documentId }
    }
    default:
      return null
  }
}

/** The record tagged in a timeline text, or null for entries that are not ours (or damaged). */
export function parseRecord(text: string): CollectionRecord | null {
  const raw = machineTagOf(text)
  return raw === null ? null : parseRaw(raw as Raw)
}

/**
 * Folds an invoice's timeline into its collection state. Entries are applied in id order (the
 * order they were written): the last promise and the last dispute record win; payments add up.
 */
export function foldCollection(invoiceId: number, entries: readonly TimelineEntry[]): CollectionState {
  const payments: PaymentRecord[] = []
  const reminders: ReminderRecord[] = []
  const brokenPromises: Array<{ on: CalendarDate, logId: number }> = []
  const paymentClaims: PaymentClaimRecord[] = []
  const closings: ClosingRecord[] = []
  let state = emptyCollectionState(invoiceId)
  let approval: 'waiting' | 'stopped' | null = null
  for (const entry of [...entries].sort((a, b) => a.id - b.id)) {
    if (entry.title === APPROVAL_LOG_TITLE) {
      const logged = parseProcessLog(entry.text)
      approval = logged?.event === APPROVAL_STOPPED ? 'stopped' : logged?.event === 'approval' ? 'waiting' : approval
      continue
    }
    const record = parseRecord(entry.text)
    if (!record)
      continue
    switch (record.kind) {
      case 'payment': {
        const amount: Money = { amountMinor: record.amountMinor, currency: record.currency }
        payments.push({ logId: entry.id, amount, paidOn: record.paidOn, ...(record.bankRef ? { bankRef: record.bankRef } : {}) })
        break
      }
      case 'paymentClaim':
        paymentClaims.push({ logId: entry.id, at: entry.created, status: record.status, runner: record.runner, amount: { amountMinor: record.amountMinor, currency: record.currency }, ...(record.bankRef ? { bankRef: record.bankRef } : {}) })
        break
      case 'promise':
        state = { ...state, promisedOn: record.on }
        break
      case 'promiseBroken':
        brokenPromises.push({ on: record.on, logId: entry.id })
        break
      case 'dispute':
        state = { ...state, dispute: record.open ? { since: calendarDateOf(entry.created) ?? '', reason: record.reason } : null }
        break
      case 'reminder':
        reminders.push({ logId: entry.id, stepKey: record.step, status: record.status, channel: record.channel, at: entry.created, runner: record.runner, reason: record.reason, origin: record.origin ?? null })
        break
      case 'closing':
        closings.push({ logId: entry.id, at: entry.created, status: record.status, runner: record.runner, documentId: record.documentId ?? null })
        break
    }
  }
  return { ...state, payments, reminders, ...(brokenPromises.length > 0 ? { brokenPromises } : {}), ...(paymentClaims.length > 0 ? { paymentClaims } : {}), ...(closings.length > 0 ? { closings } : {}), ...(approval ? { approval } : {}) }
}
