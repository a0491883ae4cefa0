import type { CalendarDate } from './calendar-date.ts'
import type { Money } from './money.ts'
import { minorUnitDigits, moneyToDecimal } from './money.ts'

/** The languages money and dates are written in. */
export type Locale = 'ru' | 'en'

const LOCALE_TAGS: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB' }

/** `1 234,50 ₽` in Russian, `RUB 1,234.50` in English. */
export function formatMoney(money: Money, locale: Locale): string {
  const digits = minorUnitDigits(money.currency)
  try {
    return new Intl.NumberFormat(LOCALE_TAGS[locale], { style: 'currency', currency: money.currency, minimumFractionDigits: digits, maximumFractionDigits: digits })
      .format(moneyToDecimal(money))
  }
  catch {
    // An unknown currency code: show the number and the code as Bitrix24 does.
    return `${new Intl.NumberFormat(LOCALE_TAGS[locale], { minimumFractionDigits: digits }).format(moneyToDecimal(money))} ${money.currency}`
  }
}

/** `01.12.2026` in Russian, `01/12/2026` in English; a calendar day never shifts by zone. */
export function formatCalendarDate(date: CalendarDate, locale: Locale): string {
  return new Intl.DateTimeFormat(LOCALE_TAGS[locale], { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' })
    .format(new Date(`${date}T00:00:00Z`))
}
