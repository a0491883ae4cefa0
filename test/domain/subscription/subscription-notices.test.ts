import type { NoticeInvoice } from '../../../src/domain/subscription/subscription-notices.ts'
import { describe, expect, it } from 'vitest'
import { planSubscription } from '../../../src/domain/subscription/plan-subscription.ts'
import { dueNotices } from '../../../src/domain/subscription/subscription-notices.ts'

const schedule = { frequency: 'monthly', everyDays: null, startDate: '2026-03-01', end: { kind: 'count', periods: 2 }, amount: { kind: 'deal' }, renewOnPayment: false } as const
const invoice = (overrides: Partial<NoticeInvoice> = {}): NoticeInvoice => ({ purpose: 'period-2026-03', invoiceId: 7, number: 'СЧ-7', dueDate: '2026-03-06', closed: null, ...overrides })

describe('domain/subscription/subscription-notices', () => {
  it.each<[string, Partial<NoticeInvoice>, string[], string[]]>([
    ['2026-03-06', {}, [], []],
    ['2026-03-07', {}, [], ['unpaid:period-2026-03']],
    ['2026-03-07', { closed: 'paid' }, [], []],
    ['2026-03-07', { closed: 'cancelled' }, [], []],
    ['2026-03-08', {}, ['unpaid:period-2026-03'], []],
    ['2026-04-23', { closed: 'paid' }, [], ['endsSoon:2026-04-30']],
    ['2026-04-22', { closed: 'paid' }, [], []],
    ['2026-04-30', { closed: 'paid' }, ['endsSoon:2026-04-30'], []],
  ])('on %s with invoice %o and %o already sent', (today, overrides, sent, expected) => {
    const plan = planSubscription(schedule, new Set(['period-2026-03', 'period-2026-04']), today)
    expect(dueNotices(plan, [invoice(overrides)], today, new Set(sent)).map(n => n.key)).toEqual(expected)
  })
})
