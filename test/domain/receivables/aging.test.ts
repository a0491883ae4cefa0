import { describe, expect, it } from 'vitest'
import { agingBucketOf, agingBuckets } from '../../../src/domain/receivables/aging.ts'
import { dayNumberOf } from '../../../src/domain/receivables/day-number.ts'
import { paidReceivable, receivable } from './receivable-fixtures.ts'

const asOf = dayNumberOf('2026-12-01')

describe('domain/receivables/aging', () => {
  it.each([
    [-5, 'current'], [0, 'current'], [1, 'd1to30'], [30, 'd1to30'], [31, 'd31to60'], [60, 'd31to60'],
    [61, 'd61to90'], [90, 'd61to90'], [91, 'd90plus'], [400, 'd90plus'],
  ] as const)('puts an invoice %i days overdue in %s', (days, bucket) => {
    expect(agingBucketOf(days)).toBe(bucket)
  })

  it('ages by the due date at the end of the as-of day: due 1.11 is 30 days overdue on 1.12, due 31.10 is 31', () => {
    const rows = agingBuckets([
      receivable({ id: 1, dueDate: '2026-11-01', rubles: 100 }),
      receivable({ id: 2, dueDate: '2026-10-31', rubles: 200 }),
      receivable({ id: 3, dueDate: '2026-12-01', rubles: 300 }), // due today: not overdue
      receivable({ id: 4, dueDate: null, rubles: 400 }), // no due date: current
      receivable({ id: 5, dueDate: '2026-08-01', issueDate: '2026-07-01', rubles: 500 }), // 122 days
    ], asOf)
    expect(rows).toEqual([
      { bucket: 'current', count: 2, balanceMinor: 70_000 },
      { bucket: 'd1to30', count: 1, balanceMinor: 10_000 },
      { bucket: 'd31to60', count: 1, balanceMinor: 20_000 },
      { bucket: 'd61to90', count: 0, balanceMinor: 0 },
      { bucket: 'd90plus', count: 1, balanceMinor: 50_000 },
    ])
  })

  it('leaves out drafts, cancelled and paid invoices, and counts a partly paid one with what is left', () => {
    const rows = agingBuckets([
      receivable({ id: 1, status: 'draft' }),
      receivable({ id: 2, status: 'cancelled' }),
      paidReceivable('2026-11-20', { id: 3 }),
      receivable({ id: 4, rubles: 1000, paid: [[300, '2026-11-10'], [200, '2026-11-25']] }),
      receivable({ id: 5, rubles: 1000, paid: [[400, '2026-12-02']] }), // paid after the as-of day: still owed in full
      receivable({ id: 6, issueDate: '2026-12-05', dueDate: '2026-12-20' }), // issued later
    ], asOf)
    expect(rows.find(row => row.bucket === 'd1to30')).toEqual({ bucket: 'd1to30', count: 2, balanceMinor: 50_000 + 100_000 })
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(2)
  })
})
