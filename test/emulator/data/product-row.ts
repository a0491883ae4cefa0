/**
 * Product rows as crm.item.productrow.* return them (R: api-reference/crm/data-types.md #crm_item_product_row,
 * crm-item-productrow-set.md). `price` is the final unit price (after discount, with tax); the other prices
 * are derived the way the docs' example shows: price 90000, tax 10 % included, discount 10 % →
 * priceExclusive 81818.18, priceNetto 90909.09, priceBrutto 100000, discountSum 9090.91.
 */
import type { ProductRow } from './portal-state.ts'

export interface ProductRowInput {
  productId?: unknown
  productName?: unknown
  price?: unknown
  quantity?: unknown
  discountTypeId?: unknown
  discountRate?: unknown
  discountSum?: unknown
  taxRate?: unknown
  taxIncluded?: unknown
  measureCode?: unknown
  measureName?: unknown
  sort?: unknown
  xmlId?: unknown
  type?: unknown
}

const round2 = (value: number): number => Math.round(value * 100) / 100
const num = (value: unknown, fallback: number): number => {
  const parsed = Number(value)
  return value === undefined || value === null || value === '' || Number.isNaN(parsed) ? fallback : parsed
}

export function buildProductRow(input: ProductRowInput, id: number, ownerType: string, ownerId: number): ProductRow {
  const price = num(input.price, 0)
  const quantity = num(input.quantity, 1)
  const taxRate = input.taxRate === undefined || input.taxRate === null || input.taxRate === '' ? null : num(input.taxRate, 0)
  const taxIncluded = input.taxIncluded === 'Y' || input.taxIncluded === true ? 'Y' : 'N'
  const discountTypeId = num(input.discountTypeId, 2)
  const rateFactor = 1 + (taxRate ?? 0) / 100
  const priceExclusive = taxIncluded === 'Y' ? price / rateFactor : price
  let discountRate = num(input.discountRate, 0)
  let discountSum = num(input.discountSum, 0)
  let priceNetto: number
  if (discountTypeId === 1) {
    priceNetto = priceExclusive + discountSum
    discountRate = priceNetto === 0 ? 0 : (discountSum / priceNetto) * 100
  }
  else {
    priceNetto = discountRate >= 100 ? priceExclusive : priceExclusive / (1 - discountRate / 100)
    discountSum = priceNetto - priceExclusive
  }
  return {
    id,
    ownerId,
    ownerType,
    productId: num(input.productId, 0),
    productName: input.productName === undefined || input.productName === null ? '' : String(input.productName),
    price: round2(price),
    priceAccount: round2(price),
    priceExclusive: round2(priceExclusive),
    priceNetto: round2(priceNetto),
    priceBrutto: round2(priceNetto * rateFactor),
    quantity,
    discountTypeId,
    discountRate: round2(discountRate),
    discountSum: round2(discountSum),
    taxRate,
    taxIncluded,
    customized: 'Y',
    measureCode: num(input.measureCode, 796),
    measureName: input.measureName === undefined ? 'шт' : String(input.measureName),
    sort: num(input.sort, 10),
    xmlId: input.xmlId === undefined || input.xmlId === null ? '' : String(input.xmlId),
    type: num(input.type, 1),
    storeId: null,
  }
}

/** The owner's amount as the portal recomputes it from rows: Σ price × quantity. */
export function rowsTotal(rows: readonly ProductRow[]): number {
  return round2(rows.reduce((sum, row) => sum + row.price * row.quantity, 0))
}

/** Tax inside the amount: Σ (price − priceExclusive) × quantity. */
export function rowsTax(rows: readonly ProductRow[]): number {
  return round2(rows.reduce((sum, row) => sum + (row.price - row.priceExclusive) * row.quantity, 0))
}
