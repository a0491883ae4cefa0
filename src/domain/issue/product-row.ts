import type { CurrencyCode, Money } from '../money.ts'

/**
 * A product row of a deal or an invoice (`crm.item.productrow.*`). `unitPriceMinor` is the
 * price Bitrix24 stores in `price`: per unit, discounts and taxes already applied.
 */
export interface ProductRow {
  readonly productId: number
  readonly name: string
  readonly unitPriceMinor: number
  readonly quantity: number
  readonly discountTypeId: number
  readonly discountRate: number
  readonly discountSumMinor: number
  readonly taxRate: number | null
  readonly taxIncluded: boolean
  readonly measureCode: number | null
  readonly sort: number
}

/** One row's amount: unit price × quantity, rounded to a whole minor unit (quantities may be 1.5 kg). */
export function rowTotalMinor(row: ProductRow): number {
  return Math.round(row.unitPriceMinor * row.quantity)
}

/** The sum of the rows, in `currency` (rows carry the owner's currency). */
export function rowsTotal(rows: readonly ProductRow[], currency: CurrencyCode): Money {
  return { amountMinor: rows.reduce((sum, row) => sum + rowTotalMinor(row), 0), currency }
}
