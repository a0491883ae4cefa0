import { describe, expect, it } from 'vitest'
import { foldCollection, parseRecord, taggedText } from '../../../src/domain/collection/collection-record.ts'

describe('domain/collection: the payment record\'s optional bankRef', () => {
  const withRef = { kind: 'payment', amountMinor: 150_000, currency: 'RUB', paidOn: '2026-11-20', bankRef: '40702810900000000001/2026-11-20/512/150000/7701000026' } as const

  it('round-trips through the tag line and reaches the folded payment', () => {
    const text = taggedText('Оплата', withRef)
    expect(parseRecord(text)).toEqual(withRef)
    expect(foldCollection(7, [{ id: 3, created: '2026-11-20T10:00:00+03:00', title: '', text }]).payments).toEqual([
      { logId: 3, amount: { amountMinor: 150_000, currency: 'RUB' }, paidOn: '2026-11-20', bankRef: withRef.bankRef },
    ])
  })

  it('leaves records without one (or with a non-string one) as they were', () => {
    expect(parseRecord(taggedText('x', { kind: 'payment', amountMinor: 1, currency: 'RUB', paidOn: '2026-11-20' }))).toEqual({ kind: 'payment', amountMinor: 1, currency: 'RUB', paidOn: '2026-11-20' })
    expect(parseRecord('x\n#invoice-desk {"kind":"payment","amountMinor":1,"currency":"RUB","paidOn":"2026-11-20","bankRef":5}')).not.toHaveProperty('bankRef')
  })
})
