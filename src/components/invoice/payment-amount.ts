import type { Locale } from '../../domain/format.ts'
import type { Money } from '../../domain/money.ts'
import { minorUnitDigits, moneyFromDecimal, moneyToDecimal } from '../../domain/money.ts'

/**
 * The amount typed into the payment form, in minor units of `currency`: digits with an optional
 * `,` or `.` and at most the currency's decimals (`1 500,50`, `1500.5`); spaces are ignored.
 * Null for anything else, including more decimals than the currency has (no silent rounding).
 */
export function parseAmountInput(text: string, currency: string): Money | null {
  const compact = text.replace(/[\s\u00A0\u202F]/g, '')
  const digits = minorUnitDigits(currency)
  const pattern = digits === 0 ? /^\d+$/ : new RegExp(`^\\d+(?:[.,]\\d{0,${digits}})?$`)
  return pattern.test(compact) ? moneyFromDecimal(compact, currency) : null
}

/** The amount as the form offers it: `3500,00` in Russian, `3500.00` in English, no grouping. */
export function amountInputOf(money: Money, locale: Locale): string {
  const text = moneyToDecimal(money).toFixed(minorUnitDigits(money.currency))
  return locale === 'ru' ? text.replace('.', ',') : text
}
