import { describe, expect, it } from 'vitest'
import { paymentLines } from '../../../src/domain/collection/payment-lines.ts'

describe('domain/collection/payment-lines', () => {
  const rows = [{ id: 1, price: 1000, quantity: 3 }, { id: 2, price: 250.5, quantity: 2 }] // 3 000,00 + 501,00

  it('a whole payment takes every row whole', () => {
    expect(paymentLines(rows, [], 350_100)).toEqual([{ rowId: 1, quantity: 3 }, { rowId: 2, quantity: 2 }])
  })

  it('a part payment takes the next part of the rows, a fraction of a row\'s quantity', () => {
    expect(paymentLines(rows, [], 150_000)).toEqual([{ rowId: 1, quantity: 1.5 }])
    expect(paymentLines(rows, [150_000], 175_050)).toEqual([{ rowId: 1, quantity: 1.5 }, { rowId: 2, quantity: 1 }])
  })

  it('the last payment takes exactly the rest of each row, so a row is never used beyond its quantity', () => {
    const odd = [{ id: 7, price: 100, quantity: 1 }]
    const earlier = [3_333, 3_333]
    const used = [...earlier.map((_, i) => paymentLines(odd, earlier.slice(0, i), earlier[i]!)[0]!.quantity)]
    const last = paymentLines(odd, earlier, 3_334)[0]!.quantity
    expect(used[0]! + used[1]! + last).toBeLessThanOrEqual(1)
    expect(Math.abs(used[0]! + used[1]! + last - 1)).toBeLessThan(1e-12)
  })

  it('no line for what lies beyond the rows, none for rows of no value', () => {
    expect(paymentLines([{ id: 1, price: 0, quantity: 5 }], [], 10_000)).toEqual([])
    expect(paymentLines(rows, [350_100], 10_000)).toEqual([])
  })
})
