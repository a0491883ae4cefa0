import { describe, expect, it } from 'vitest'
import { dayNumberOf } from '../../../src/domain/receivables/day-number.ts'
import { averageDaysToPay, collectionEffectiveness, daysSalesOutstanding, issuedInPeriod, receivablesOn } from '../../../src/domain/receivables/headline.ts'
import { paidReceivable, receivable } from './receivable-fixtures.ts'

const day = dayNumberOf

describe('domain/receivables/headline', () => {
  const invoices = [
    receivable({ id: 1, issueDate: '2026-11-01', dueDate: '2026-11-15', rubles: 1000 }), // 16 days overdue on 1.12
    receivable({ id: 2, issueDate: '2026-11-20', dueDate: '2026-12-10', rubles: 500, paid: [[200, '2026-11-25']] }), // current, 300 left
    paidReceivable('2026-11-10', { id: 3, issueDate: '2026-11-10', dueDate: '2026-11-17', rubles: 700 }), // issued and paid the same day
    paidReceivable('2026-11-30', { id: 4, issueDate: '2026-10-01', dueDate: '2026-10-31', rubles: 400 }), // paid 60 days after issue
    receivable({ id: 5, status: 'cancelled', issueDate: '2026-11-05', rubles: 9000 }),
    receivable({ id: 6, status: 'draft', issueDate: '2026-11-28', rubles: 8000 }),
  ]

  it('sums outstanding, overdue and current balances at the end of a day', () => {
    expect(receivablesOn(invoices, day('2026-12-01'))).toEqual({
      outstandingMinor: 130_000, outstandingCount: 2, overdueMinor: 100_000, overdueCount: 1, currentMinor: 30_000,
    })
    // On 31.10 only invoice 4 was out, and due that very day: not yet overdue.
    expect(receivablesOn(invoices, day('2026-10-31'))).toEqual({ outstandingMinor: 40_000, outstandingCount: 1, overdueMinor: 0, overdueCount: 0, currentMinor: 40_000 })
  })

  it('counts issued invoices of the period with their mean term and the share paid by count and by sum', () => {
    const summary = issuedInPeriod(invoices, day('2026-11-01'), day('2026-11-30'), day('2026-12-01'))
    expect(summary).toEqual({
      count: 3, // 1, 2, 3 (4 is from October, 5 cancelled, 6 a draft)
      sumMinor: 220_000,
      averageTermDays: (14 + 20 + 7) / 3,
      paidCount: 1,
      paidMinor: 70_000 + 20_000,
      paidShareByCount: 1 / 3,
      paidShareBySum: 90_000 / 220_000,
    })
  })

  it('averages days to pay over invoices fully paid in the period; the same day counts 0', () => {
    expect(averageDaysToPay(invoices, day('2026-11-01'), day('2026-11-30'))).toEqual({ averageDays: (0 + 60) / 2, count: 2 })
    expect(averageDaysToPay(invoices, day('2026-11-11'), day('2026-11-30'))).toEqual({ averageDays: 60, count: 1 })
    expect(averageDaysToPay(invoices, day('2026-12-01'), day('2026-12-31'))).toEqual({ averageDays: null, count: 0 })
  })

  it('takes the day a partial payment completes the sum as the day it was paid', () => {
    const partial = receivable({ issueDate: '2026-11-01', rubles: 1000, paid: [[400, '2026-11-05'], [600, '2026-11-21']] })
    expect(partial.fullyPaidDay).toBe(day('2026-11-21'))
    expect(averageDaysToPay([partial], day('2026-11-01'), day('2026-11-30')).averageDays).toBe(20)
  })

  it('computes DSO = receivables ÷ invoiced × days', () => {
    expect(daysSalesOutstanding(130_000, 220_000, 30).days).toBeCloseTo(17.727, 3)
    expect(daysSalesOutstanding(130_000, 0, 30).days).toBeNull()
  })

  it('computes CEI from opening, invoiced, closing and closing current receivables', () => {
    // Opening 1 000, invoiced 5 000, closing 2 000 of which 1 500 not yet due: (1000+5000−2000)/(1000+5000−1500) = 88.9 %.
    expect(collectionEffectiveness(1000, 5000, 2000, 1500).percent).toBeCloseTo(88.889, 3)
    expect(collectionEffectiveness(0, 0, 0, 0).percent).toBeNull()
  })
})
