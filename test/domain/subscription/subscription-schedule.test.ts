import type { SubscriptionDraft } from '../../../src/domain/subscription/subscription-schedule.ts'
import { describe, expect, it } from 'vitest'
import { foldSubscription, periodPurposeOfKey, subscriptionText } from '../../../src/domain/subscription/subscription-record.ts'
import { draftOf, validateSubscription } from '../../../src/domain/subscription/subscription-schedule.ts'

const draft = (overrides: Partial<SubscriptionDraft> = {}): SubscriptionDraft => ({
  frequency: 'monthly', everyDays: '30', startDate: '2026-03-01', endKind: 'never', endDate: '', endCount: '12', amountKind: 'deal', fixedSum: '', currency: 'RUB', renewOnPayment: false, ...overrides,
})

describe('domain/subscription/validate', () => {
  it.each<[Partial<SubscriptionDraft>, string[]]>([
    [{ frequency: 'days', everyDays: '-5' }, ['everyDaysInvalid']],
    [{ frequency: 'days', everyDays: '0' }, ['everyDaysInvalid']],
    [{ frequency: 'days', everyDays: '2.5' }, ['everyDaysInvalid']],
    [{ startDate: '2026-02-30' }, ['startInvalid']],
    [{ endKind: 'date', endDate: '2026-02-28' }, ['endBeforeStart']],
    [{ endKind: 'date', endDate: '' }, ['endDateInvalid']],
    [{ endKind: 'count', endCount: '0' }, ['countInvalid']],
    [{ amountKind: 'fixed', fixedSum: '0' }, ['fixedSumNotPositive']],
    [{ amountKind: 'fixed', fixedSum: '-100' }, ['fixedSumNotPositive']],
    [{ amountKind: 'fixed', fixedSum: '12,345' }, ['fixedSumInvalid']],
    [{ frequency: 'days', everyDays: 'x', amountKind: 'fixed', fixedSum: '0', endKind: 'count', endCount: '-1' }, ['everyDaysInvalid', 'countInvalid', 'fixedSumNotPositive']],
  ])('refuses %o with %o', (overrides, problems) => {
    expect(validateSubscription(draft(overrides))).toEqual({ ok: false, problems })
  })

  it('builds the schedule from valid values, the fixed sum in minor units', () => {
    expect(validateSubscription(draft({ amountKind: 'fixed', fixedSum: '1 500,5', endKind: 'count', endCount: '3' }))).toEqual({
      ok: true,
      schedule: { frequency: 'monthly', everyDays: null, startDate: '2026-03-01', end: { kind: 'count', periods: 3 }, amount: { kind: 'fixed', amount: { amountMinor: 150050, currency: 'RUB' } }, renewOnPayment: false },
    })
  })

  it('round-trips a schedule through the form values', () => {
    const result = validateSubscription(draft({ frequency: 'days', everyDays: '14', amountKind: 'fixed', fixedSum: '990.00', endKind: 'date', endDate: '2026-12-31' }))
    expect(result.ok).toBe(true)
    if (result.ok)
      expect(validateSubscription(draftOf(result.schedule, '2026-01-01', 'RUB'))).toEqual(result)
  })
})

describe('domain/subscription/subscription-record', () => {
  const schedule = { frequency: 'monthly', everyDays: null, startDate: '2026-03-01', end: { kind: 'never' }, amount: { kind: 'deal' }, renewOnPayment: false } as const
  const entry = (id: number, text: string) => ({ id, created: '', title: 'Invoice Desk: подписка', text })

  it('the newest entry wins: set, changed, stopped', () => {
    const set = entry(5, subscriptionText('Подписка', { kind: 'subscription', schedule, by: 2 }))
    const changed = entry(9, subscriptionText('Подписка', { kind: 'subscription', schedule: { ...schedule, frequency: 'quarterly' }, by: 2 }))
    const stopped = entry(12, subscriptionText('Стоп', { kind: 'subscriptionStopped', by: 1 }))
    expect(foldSubscription([set])).toMatchObject({ status: 'active', schedule, logId: 5 })
    expect(foldSubscription([changed, set])).toMatchObject({ status: 'active', schedule: { frequency: 'quarterly' } })
    expect(foldSubscription([set, stopped, changed])).toMatchObject({ status: 'stopped', logId: 12 })
  })

  it('ignores other entries and damaged tags', () => {
    expect(foldSubscription([entry(1, 'text'), entry(2, '#invoice-desk {"kind":"payment"}'), entry(3, '#invoice-desk {"kind":"subscription","schedule":{"frequency":"days","startDate":"2026-01-01"}}')])).toEqual({ status: 'none' })
  })

  it('reads the period of an invoice key', () => {
    expect(periodPurposeOfKey(7, 'invoice-desk:deal:7:period-2026-03')).toBe('period-2026-03')
    expect(periodPurposeOfKey(7, 'invoice-desk:deal:7:deal')).toBeNull()
    expect(periodPurposeOfKey(7, 'invoice-desk:deal:71:period-2026-03')).toBeNull()
  })
})
