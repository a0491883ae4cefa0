import { describe, expect, it } from 'vitest'
import { addMoney, moneyFromDecimal, moneyToDecimal } from '../../src/domain/money.ts'

describe('domain/money', () => {
  it.each<[number | string, string, number]>([
    [1234.5, 'RUB', 123_450],
    ['1234.50', 'RUB', 123_450],
    ['99,99', 'RUB', 9_999],
    [1.005, 'RUB', 101],
    [0.1 + 0.2, 'USD', 30],
    [-10.015, 'EUR', -1_002],
    [1500, 'JPY', 1_500],
    [0, 'RUB', 0],
  ])('reads %s %s as %i minor units', (value, currency, minor) => {
    expect(moneyFromDecimal(value, currency)).toEqual({ amountMinor: minor, currency })
  })

  it.each([null, undefined, '', 'abc', Number.NaN])('refuses %s', (value) => {
    expect(moneyFromDecimal(value as never, 'RUB')).toBeNull()
  })

  it('converts back to the decimal Bitrix24 expects', () => {
    expect(moneyToDecimal({ amountMinor: 123_450, currency: 'RUB' })).toBe(1234.5)
  })

  it('adds one currency and refuses to mix currencies', () => {
    expect(addMoney({ amountMinor: 1, currency: 'RUB' }, { amountMinor: 2, currency: 'RUB' })).toEqual({ amountMinor: 3, currency: 'RUB' })
    expect(() => addMoney({ amountMinor: 1, currency: 'RUB' }, { amountMinor: 2, currency: 'USD' })).toThrow(/RUB and USD/)
  })
})
