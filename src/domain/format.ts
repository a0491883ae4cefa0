import type { CalendarDate } from './calendar-date.ts'
import type { Money } from './money.ts'
import { minorUnitDigits, moneyToDecimal } from './money.ts'

/** The languages money and dates are written in. */
export type Locale = 'ru' | 'en'

const LOCALE_TAGS: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB' }

/**
 * How each language names the currency: the symbol after the amount in Russian (`₽`, `$`); the ISO code in English,
 * because en-GB writes a symbol for some currencies and the code for others (`US$178.00` next to `RUB 34,000.00`).
 */
const CURRENCY_DISPLAY: Record<Locale, 'symbol' | 'code'> = { ru: 'symbol', en: 'code' }

/** `1 234,50 ₽` in Russian, `RUB 1,234.50` (and `USD 178.00`) in English. */
export function formatMoney(money: Money, locale: Locale): string {
  const digits = minorUnitDigits(money.currency)
  try {
    return new Intl.NumberFormat(LOCALE_TAGS[locale], { style: 'currency', currency: money.currency, currencyDisplay: CURRENCY_DISPLAY[locale], minimumFractionDigits: digits, maximumFractionDigits: digits })
      .format(moneyToDecimal(money))
  }
  catch {
    // An unknown currency code: show the number and the code as Bitrix24 does.
    return `${new Intl.NumberFormat(LOCALE_TAGS[locale], { minimumFractionDigits: digits }).format(moneyToDecimal(money))} ${money.currency}`
  }
}

/** A count with the language's thousands separators: `12 345` in Russian (a no-break space), `12,345` in English. */
export function formatCount(n: number, locale: Locale): string {
  return new Intl.NumberFormat(LOCALE_TAGS[locale], { maximumFractionDigits: 0 }).format(n)
}

/** `01.12.2026` in Russian, `01/12/2026` in English; a calendar day never shifts by zone. */
export function formatCalendarDate(date: CalendarDate, locale: Locale): string {
  return new Intl.DateTimeFormat(LOCALE_TAGS[locale], { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' })
    .format(new Date(`${date}T00:00:00Z`))
}

const STAMP_OFFSET = /(Z|([+-])(\d{2}):?(\d{2}))$/

/**
 * A portal timestamp (`2026-12-02T07:35:00+03:00`, as Bitrix24 writes `createdTime`) as day and time
 * in the offset it carries — the portal's own clock, not the browser's: `02.12.2026, 07:35`.
 */
export function formatPortalStamp(stamp: string, locale: Locale): string {
  const instant = Date.parse(stamp)
  const match = STAMP_OFFSET.exec(stamp.trim())
  if (!Number.isFinite(instant))
    return stamp
  const offsetMinutes = !match || match[1] === 'Z' ? 0 : (match[2] === '-' ? -1 : 1) * (Number(match[3]) * 60 + Number(match[4]))
  return new Intl.DateTimeFormat(LOCALE_TAGS[locale], { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(instant + offsetMinutes * 60_000))
}

/** `07:35`: the instant's hour and minute in `timeZone` (an IANA zone). */
export function formatTimeIn(instant: Date, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(LOCALE_TAGS[locale], { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant)
}

/** The IANA zone of a whole-hour offset in a portal timestamp (`+03:00` → `Etc/GMT-3`, `Z` → `UTC`); null for others. */
export function offsetZoneOf(stamp: string): string | null {
  const match = STAMP_OFFSET.exec(stamp.trim())
  if (!match || !/^\d{4}-\d{2}-\d{2}T/.test(stamp.trim()))
    return null
  if (match[1] === 'Z')
    return 'UTC'
  if (match[4] !== '00')
    return null
  const hours = Number(match[3])
  return hours === 0 ? 'UTC' : `Etc/GMT${match[2] === '+' ? '-' : '+'}${hours}`
}
