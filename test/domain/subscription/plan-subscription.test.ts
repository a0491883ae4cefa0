import type { SubscriptionSchedule } from '../../../src/domain/subscription/subscription-schedule.ts'
import { describe, expect, it } from 'vitest'
import { planSubscription } from '../../../src/domain/subscription/plan-subscription.ts'
import { addMonthsClamped, periodAt } from '../../../src/domain/subscription/subscription-period.ts'

function schedule(overrides: Partial<SubscriptionSchedule> = {}): SubscriptionSchedule {
  return { frequency: 'monthly', everyDays: null, startDate: '2026-01-31', end: { kind: 'never' }, amount: { kind: 'deal' }, renewOnPayment: false, ...overrides }
}

describe('domain/subscription/subscription-period', () => {
  it.each<[string, number, string]>([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-01-31', 2, '2026-03-31'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-03-15', 12, '2027-03-15'],
    ['2028-02-29', 12, '2029-02-28'],
  ])('moves %s by %i months to %s (clamped to the month end)', (start, months, expected) => {
    expect(addMonthsClamped(start, months)).toBe(expected)
  })

  it.each<[Partial<SubscriptionSchedule>, number, { start: string, end: string, purpose: string }]>([
    [{}, 1, { start: '2026-02-28', end: '2026-03-30', purpose: 'period-2026-02' }],
    [{}, 2, { start: '2026-03-31', end: '2026-04-29', purpose: 'period-2026-03' }],
    [{ frequency: 'quarterly', startDate: '2026-01-01' }, 1, { start: '2026-04-01', end: '2026-06-30', purpose: 'period-2026-04' }],
    [{ frequency: 'yearly', startDate: '2026-03-01' }, 1, { start: '2027-03-01', end: '2028-02-29', purpose: 'period-2027-03' }],
    [{ frequency: 'days', everyDays: 10, startDate: '2026-12-25' }, 1, { start: '2027-01-04', end: '2027-01-13', purpose: 'period-2027-01-04' }],
  ])('period of %o at index %i', (overrides, index, expected) => {
    expect(periodAt(schedule(overrides), index)).toMatchObject(expected)
  })

  it('has no period past the count or the end day', () => {
    expect(periodAt(schedule({ end: { kind: 'count', periods: 2 } }), 2)).toBeNull()
    expect(periodAt(schedule({ startDate: '2026-01-01', end: { kind: 'date', on: '2026-03-01' } }), 2)?.start).toBe('2026-03-01')
    expect(periodAt(schedule({ startDate: '2026-01-01', end: { kind: 'date', on: '2026-02-28' } }), 2)).toBeNull()
  })
})

describe('domain/subscription/plan-subscription', () => {
  const monthly = schedule({ startDate: '2026-03-01', end: { kind: 'count', periods: 3 } })

  it.each<[string, string[], { due: string | null, next: string | null, ended: boolean, endsSoon: boolean }]>([
    ['2026-02-27', [], { due: null, next: '2026-03-01', ended: false, endsSoon: false }],
    ['2026-03-01', [], { due: 'period-2026-03', next: '2026-04-01', ended: false, endsSoon: false }],
    ['2026-03-20', ['period-2026-03'], { due: null, next: '2026-04-01', ended: false, endsSoon: false }],
    ['2026-04-02', ['period-2026-03'], { due: 'period-2026-04', next: '2026-05-01', ended: false, endsSoon: false }],
    ['2026-05-01', ['period-2026-03', 'period-2026-04'], { due: 'period-2026-05', next: null, ended: false, endsSoon: false }],
    ['2026-05-25', ['period-2026-03', 'period-2026-04', 'period-2026-05'], { due: null, next: null, ended: false, endsSoon: true }],
    ['2026-05-31', ['period-2026-03', 'period-2026-04', 'period-2026-05'], { due: null, next: null, ended: false, endsSoon: true }],
    ['2026-06-01', ['period-2026-03', 'period-2026-04', 'period-2026-05'], { due: null, next: null, ended: true, endsSoon: false }],
  ])('on %s with %o issued', (today, issued, expected) => {
    const plan = planSubscription(monthly, new Set(issued), today)
    expect({ due: plan.due?.purpose ?? null, next: plan.next?.start ?? null, ended: plan.ended, endsSoon: plan.endsSoon }).toEqual(expected)
  })

  it('after downtime issues only the current period and lists the missed ones', () => {
    const plan = planSubscription(schedule({ startDate: '2026-01-10' }), new Set(['period-2026-01']), '2026-04-12')
    expect(plan.due?.purpose).toBe('period-2026-04')
    expect(plan.missed.map(p => p.purpose)).toEqual(['period-2026-02', 'period-2026-03'])
  })

  it('a schedule set with a start in the past begins billing now, with nothing missed', () => {
    const plan = planSubscription(schedule({ startDate: '2026-01-10' }), new Set(), '2026-04-12')
    expect(plan.due?.start).toBe('2026-04-10')
    expect(plan.missed).toEqual([])
  })

  it('still issues the last period late when it started before the end day', () => {
    const plan = planSubscription(schedule({ startDate: '2026-01-01', end: { kind: 'date', on: '2026-03-15' } }), new Set(['period-2026-01', 'period-2026-02']), '2026-04-02')
    expect(plan.due?.purpose).toBe('period-2026-03')
    expect(plan.ended).toBe(false)
    expect(planSubscription(schedule({ startDate: '2026-01-01', end: { kind: 'date', on: '2026-03-15' } }), new Set(['period-2026-01', 'period-2026-02', 'period-2026-03']), '2026-04-02').ended).toBe(true)
  })

  it('every N days: one period per N days, keyed by its first day', () => {
    const every = schedule({ frequency: 'days', everyDays: 14, startDate: '2026-03-01' })
    expect(planSubscription(every, new Set(['period-2026-03-01']), '2026-03-15').due?.purpose).toBe('period-2026-03-15')
    expect(planSubscription(every, new Set(['period-2026-03-01']), '2026-03-14').due).toBeNull()
  })

  it('quarterly and yearly: the next invoice date', () => {
    expect(planSubscription(schedule({ frequency: 'quarterly', startDate: '2026-01-31' }), new Set(['period-2026-01']), '2026-03-01').next?.start).toBe('2026-04-30')
    expect(planSubscription(schedule({ frequency: 'yearly', startDate: '2026-02-28' }), new Set(['period-2026-02']), '2026-12-31').next?.start).toBe('2027-02-28')
  })
})

describe('domain/subscription/plan-subscription with auto-renewal on payment', () => {
  const renewing = schedule({ startDate: '2026-03-01', end: { kind: 'count', periods: 3 }, renewOnPayment: true })

  it.each<[string, string[], string[], string | null]>([
    ['2026-02-20', [], [], null],
    ['2026-03-01', [], [], 'period-2026-03'],
    ['2026-03-10', ['period-2026-03'], [], null],
    ['2026-03-10', ['period-2026-03'], ['period-2026-03'], 'period-2026-04'],
    ['2026-04-05', ['period-2026-03'], [], null],
    ['2026-04-05', ['period-2026-03', 'period-2026-04'], ['period-2026-03'], null],
    ['2026-05-20', ['period-2026-03'], ['period-2026-03'], 'period-2026-05'],
    ['2026-04-20', ['period-2026-03', 'period-2026-04', 'period-2026-05'], ['period-2026-03', 'period-2026-04', 'period-2026-05'], null],
  ])('on %s, issued %o, paid %o: due %s', (today, issued, paid, due) => {
    expect(planSubscription(renewing, new Set(issued), today, new Set(paid)).due?.purpose ?? null).toBe(due)
  })
})
