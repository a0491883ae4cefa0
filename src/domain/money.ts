/** ISO 4217 currency code as Bitrix24 stores it in `currencyId`, e.g. `RUB`. */
export type CurrencyCode = string

/** An amount of money in integer minor units (kopecks, cents) of one currency. */
export interface Money {
  readonly amountMinor: number
  readonly currency: CurrencyCode
}

/** Currencies whose minor unit is not 1/100; everything else has two decimals. */
const MINOR_UNIT_DIGITS: Readonly<Record<string, number>> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, BHD: 3, KWD: 3, OMR: 3, TND: 3 }

/** Number of decimal digits of the currency's minor unit (default 2). */
export function minorUnitDigits(currency: CurrencyCode): number {
  return MINOR_UNIT_DIGITS[currency.toUpperCase()] ?? 2
}

/**
 * Converts a decimal amount as Bitrix24 sends it (`opportunity: 1234.5` or `"1234.50"`) to integer
 * minor units, rounding half away from zero. Non-numeric input gives `null`.
 */
export function moneyFromDecimal(value: number | string | null | undefined, currency: CurrencyCode): Money | null {
  if (value === null || value === undefined || value === '')
    return null
  const decimal = typeof value === 'number' ? value : Number(String(value).replace(',', '.'))
  if (!Number.isFinite(decimal))
    return null
  const scale = 10 ** minorUnitDigits(currency)
  // toFixed on the scaled value avoids 1.005 * 100 = 100.49999 style errors.
  // An already whole product (most amounts) is what the round trip through toFixed would give back.
  const product = Math.abs(decimal) * scale
  const scaled = Number.isSafeInteger(product) ? product : Number(product.toFixed(6))
  const amountMinor = Math.sign(decimal) * Math.round(scaled)
  return { amountMinor: amountMinor === 0 ? 0 : amountMinor, currency: currency.toUpperCase() }
}

/** The decimal value of the money, for display and for writing back to Bitrix24. */
export function moneyToDecimal(money: Money): number {
  return money.amountMinor / 10 ** minorUnitDigits(money.currency)
}

/** Adds amounts of one currency; throws on a currency mix, which must never be summed silently. */
export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency)
    throw new Error(`Cannot add ${a.currency} and ${b.currency}`)
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency }
}
