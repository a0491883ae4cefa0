/**
 * Bitrix24's own invoice payment (`crm.item.payment.*`) has no sum to set: `crm.item.payment.add`
 * takes only the invoice, `crm.item.payment.update` changes only `paid` and `paySystemId`, and a
 * payment's `sum` is the price × quantity of the product rows put into it with
 * `crm.item.payment.product.add { paymentId, rowId, quantity }` (quantity a `double`; a row's
 * quantity cannot be used up twice). R: api-reference/crm/universal/payment/crm-item-payment-add.md,
 * crm-item-payment-update.md, products-in-payment/index.md, products-in-payment/crm-item-payment-product-add.md.
 *
 * So a payment of X takes the next X of the invoice's rows, in row order: the payments recorded
 * before it took the earlier parts. A part payment takes a fraction of a row's quantity.
 */

/** An invoice product row as the payment sees it: `price` is the final unit price (after discount, with tax), in major units. */
export interface PayableRow {
  readonly id: number
  readonly price: number
  readonly quantity: number
}

/** One `crm.item.payment.product.add`: the row and the quantity of it this payment covers. */
export interface PaymentLine {
  readonly rowId: number
  readonly quantity: number
}

/** A row's total in minor units. */
function rowTotal(row: PayableRow): number {
  return Math.round(row.price * 100 * row.quantity)
}

/** The largest quantity not above `wanted` that still fits the row next to `used` (float sums may overshoot by a unit in the last place). */
function fitting(wanted: number, used: number, quantity: number): number {
  let q = Math.min(wanted, quantity - used)
  while (q > 0 && used + q > quantity)
    q -= Math.max(Number.EPSILON * quantity, Number.MIN_VALUE)
  return Math.max(0, q)
}

/**
 * The rows and quantities of a payment of `amountMinor`, after `earlierMinor` (the payments
 * recorded before it, in the order they were recorded; each took its rows the same way).
 * A row reached to its end gets the rest of its quantity, so the rows' quantities add up
 * exactly; an amount beyond the rows (they sum to less than the invoice) gets no line.
 */
export function paymentLines(rows: readonly PayableRow[], earlierMinor: readonly number[], amountMinor: number): PaymentLine[] {
  const used = rows.map(() => 0)
  let lines: PaymentLine[] = []
  let from = 0
  for (const amount of [...earlierMinor, amountMinor]) {
    const to = from + Math.max(0, amount)
    lines = []
    let start = 0
    rows.forEach((row, i) => {
      const total = rowTotal(row)
      const end = start + total
      const covered = Math.min(to, end) - Math.max(from, start)
      if (total > 0 && covered > 0) {
        const wanted = to >= end ? row.quantity - used[i]! : row.quantity * covered / total
        const quantity = fitting(wanted, used[i]!, row.quantity)
        used[i] = used[i]! + quantity
        if (quantity > 0)
          lines.push({ rowId: row.id, quantity })
      }
      start = end
    })
    from = to
  }
  return lines
}
