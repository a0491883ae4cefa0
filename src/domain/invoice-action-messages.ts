import type { CalendarDate } from './calendar-date.ts'
import type { Locale } from './format.ts'
import type { Invoice } from './invoice.ts'
import type { Money } from './money.ts'
import { formatCalendarDate, formatMoney } from './format.ts'
import { escapeBbCode } from './text/bb-code.ts'

/** A timeline entry: title and text, plain; the invoice number and a typed reason BB-inert (`escapeBbCode`). */
export interface LogEntry {
  readonly title: string
  readonly text: string
}

const numberOf = (invoice: Invoice): string => escapeBbCode(invoice.number || String(invoice.id))

const TEXTS = {
  ru: {
    paidTitle: 'Invoice Desk: счёт оплачен',
    paid: (i: Invoice, on: CalendarDate) => `Счёт № ${numberOf(i)} на ${formatMoney(i.amount, 'ru')} оплачен полностью ${formatCalendarDate(on, 'ru')}.`,
    cancelledTitle: 'Invoice Desk: счёт отменён',
    cancelled: (i: Invoice) => `Счёт № ${numberOf(i)} на ${formatMoney(i.amount, 'ru')} отменён.`,
    lastPayment: (m: Money) => ` Последний платёж: ${formatMoney(m, 'ru')}.`,
    claimTitle: 'Invoice Desk: проводится платёж',
    claim: (i: Invoice, m: Money) => `Счёт № ${numberOf(i)}: проводится платёж ${formatMoney(m, 'ru')}.`,
    releaseTitle: 'Invoice Desk: платёж не проведён',
    release: (i: Invoice, m: Money) => `Счёт № ${numberOf(i)}: платёж ${formatMoney(m, 'ru')} не проведён — по счёту тем временем записан другой платёж.`,
    partTitle: 'Invoice Desk: частичная оплата',
    part: (i: Invoice, m: Money, on: CalendarDate, left: Money) => `Счёт № ${numberOf(i)}: оплачено ${formatMoney(m, 'ru')} из ${formatMoney(i.amount, 'ru')} (${formatCalendarDate(on, 'ru')}), остаток ${formatMoney(left, 'ru')}.`,
    promiseTitle: 'Invoice Desk: обещание оплаты',
    promise: (on: CalendarDate) => `Клиент обещал оплатить до ${formatCalendarDate(on, 'ru')}: напоминания приостановлены до этой даты.`,
    promiseCleared: 'Обещанная дата оплаты снята: напоминания снова идут по графику.',
    disputeTitle: 'Invoice Desk: спор по счёту',
    disputeOpen: (reason: string) => `Клиент оспаривает счёт: ${reason}. Напоминания приостановлены, пока спор не снят.`,
    disputeClosed: (reason: string) => `Спор по счёту снят${reason ? `: ${reason}` : ''}. Напоминания снова идут по графику.`,
  },
  en: {
    paidTitle: 'Invoice Desk: invoice paid',
    paid: (i: Invoice, on: CalendarDate) => `Invoice ${numberOf(i)} for ${formatMoney(i.amount, 'en')} was paid in full on ${formatCalendarDate(on, 'en')}.`,
    cancelledTitle: 'Invoice Desk: invoice cancelled',
    cancelled: (i: Invoice) => `Invoice ${numberOf(i)} for ${formatMoney(i.amount, 'en')} was cancelled.`,
    lastPayment: (m: Money) => ` Last payment: ${formatMoney(m, 'en')}.`,
    claimTitle: 'Invoice Desk: recording a payment',
    claim: (i: Invoice, m: Money) => `Invoice ${numberOf(i)}: recording a payment of ${formatMoney(m, 'en')}.`,
    releaseTitle: 'Invoice Desk: payment not recorded',
    release: (i: Invoice, m: Money) => `Invoice ${numberOf(i)}: the payment of ${formatMoney(m, 'en')} was not recorded — another payment was recorded on the invoice meanwhile.`,
    partTitle: 'Invoice Desk: part payment',
    part: (i: Invoice, m: Money, on: CalendarDate, left: Money) => `Invoice ${numberOf(i)}: ${formatMoney(m, 'en')} of ${formatMoney(i.amount, 'en')} paid (${formatCalendarDate(on, 'en')}), ${formatMoney(left, 'en')} left to pay.`,
    promiseTitle: 'Invoice Desk: promise to pay',
    promise: (on: CalendarDate) => `The client promised to pay by ${formatCalendarDate(on, 'en')}: reminders are paused until then.`,
    promiseCleared: 'The promised payment date was removed: reminders follow the schedule again.',
    disputeTitle: 'Invoice Desk: invoice disputed',
    disputeOpen: (reason: string) => `The client disputes the invoice: ${reason}. Reminders are paused until the dispute is closed.`,
    disputeClosed: (reason: string) => `The dispute was closed${reason ? `: ${reason}` : ''}. Reminders follow the schedule again.`,
  },
} as const

/**
 * The timeline entry (on the invoice and the deal) for a full payment received on `paidOn`;
 * `lastPayment` (minor units) is named when earlier part payments made it less than the sum.
 */
export function paidLogEntry(invoice: Invoice, paidOn: CalendarDate, locale: Locale, lastPayment: Money | null = null): LogEntry {
  const last = lastPayment && lastPayment.amountMinor !== invoice.amount.amountMinor ? TEXTS[locale].lastPayment(lastPayment) : ''
  return { title: TEXTS[locale].paidTitle, text: `${TEXTS[locale].paid(invoice, paidOn)}${last}` }
}

/** The timeline entry for a part payment of `payment` on `paidOn` that leaves `balance` to pay (both in minor units). */
export function partPaymentLogEntry(invoice: Invoice, payment: Money, paidOn: CalendarDate, balance: Money, locale: Locale): LogEntry {
  return { title: TEXTS[locale].partTitle, text: TEXTS[locale].part(invoice, payment, paidOn, balance) }
}

/**
 * The invoice's timeline entry of a claim to record a payment of `amount` (`payment-claim.ts`),
 * or of its release when nothing was recorded after all.
 */
export function paymentClaimLogEntry(invoice: Invoice, amount: Money, status: 'claim' | 'release', locale: Locale): LogEntry {
  return status === 'claim'
    ? { title: TEXTS[locale].claimTitle, text: TEXTS[locale].claim(invoice, amount) }
    : { title: TEXTS[locale].releaseTitle, text: TEXTS[locale].release(invoice, amount) }
}

/** The invoice's timeline entry for a promised payment day (null: the promise was removed). */
export function promiseLogEntry(on: CalendarDate | null, locale: Locale): LogEntry {
  return { title: TEXTS[locale].promiseTitle, text: on === null ? TEXTS[locale].promiseCleared : TEXTS[locale].promise(on) }
}

/** The invoice's timeline entry for a dispute opened (reason required) or closed (reason optional). */
export function disputeLogEntry(open: boolean, reason: string, locale: Locale): LogEntry {
  const trimmed = escapeBbCode(reason.trim())
  return { title: TEXTS[locale].disputeTitle, text: open ? TEXTS[locale].disputeOpen(trimmed) : TEXTS[locale].disputeClosed(trimmed) }
}

/** The manager's notification of a full payment: the same sentence as the timeline's. */
export function paidNotificationText(invoice: Invoice, paidOn: CalendarDate, locale: Locale): string {
  return TEXTS[locale].paid(invoice, paidOn)
}

/** The timeline entry on the invoice when it is cancelled. */
export function cancelledLogEntry(invoice: Invoice, locale: Locale): LogEntry {
  return { title: TEXTS[locale].cancelledTitle, text: TEXTS[locale].cancelled(invoice) }
}
