import type { CalendarDate } from './calendar-date.ts'
import type { Locale } from './format.ts'
import type { Invoice } from './invoice.ts'
import { formatCalendarDate, formatMoney } from './format.ts'

/** A timeline entry: title and text, plain. */
export interface LogEntry {
  readonly title: string
  readonly text: string
}

const numberOf = (invoice: Invoice): string => invoice.number || String(invoice.id)

const TEXTS = {
  ru: {
    paidTitle: 'Invoice Desk: счёт оплачен',
    paid: (i: Invoice, on: CalendarDate) => `Счёт № ${numberOf(i)} на ${formatMoney(i.amount, 'ru')} оплачен полностью ${formatCalendarDate(on, 'ru')}.`,
    cancelledTitle: 'Invoice Desk: счёт отменён',
    cancelled: (i: Invoice) => `Счёт № ${numberOf(i)} на ${formatMoney(i.amount, 'ru')} отменён.`,
  },
  en: {
    paidTitle: 'Invoice Desk: invoice paid',
    paid: (i: Invoice, on: CalendarDate) => `Invoice ${numberOf(i)} for ${formatMoney(i.amount, 'en')} was paid in full on ${formatCalendarDate(on, 'en')}.`,
    cancelledTitle: 'Invoice Desk: invoice cancelled',
    cancelled: (i: Invoice) => `Invoice ${numberOf(i)} for ${formatMoney(i.amount, 'en')} was cancelled.`,
  },
} as const

/** The timeline entry (on the invoice and the deal) for a full payment received on `paidOn`. */
export function paidLogEntry(invoice: Invoice, paidOn: CalendarDate, locale: Locale): LogEntry {
  return { title: TEXTS[locale].paidTitle, text: TEXTS[locale].paid(invoice, paidOn) }
}

/** The manager's notification of a full payment: the same sentence as the timeline's. */
export function paidNotificationText(invoice: Invoice, paidOn: CalendarDate, locale: Locale): string {
  return TEXTS[locale].paid(invoice, paidOn)
}

/** The timeline entry on the invoice when it is cancelled. */
export function cancelledLogEntry(invoice: Invoice, locale: Locale): LogEntry {
  return { title: TEXTS[locale].cancelledTitle, text: TEXTS[locale].cancelled(invoice) }
}
