import { describe, expect, it } from 'vitest'
import { monthlyTrends } from '../../../src/domain/receivables/trends.ts'
import { paidReceivable, receivable } from './receivable-fixtures.ts'

describe('domain/receivables/trends', () => {
  it('shows issued vs collected, receivables and overdue at each month end, and the repayment rate', () => {
    const invoices = [
      receivable({ id: 1, issueDate: '2026-09-20', dueDate: '2026-10-05', rubles: 1000 }), // opening balance of October
      paidReceivable('2026-10-20', { id: 2, issueDate: '2026-10-10', dueDate: '2026-10-25', rubles: 600 }),
      receivable({ id: 3, issueDate: '2026-10-15', dueDate: '2026-11-14', rubles: 400, paid: [[100, '2026-11-03']] }),
      receivable({ id: 4, issueDate: '2026-11-10', dueDate: '2026-11-20', rubles: 300, status: 'cancelled' }),
    ]
    expect(monthlyTrends(invoices, { from: '2026-10-01', to: '2026-11-20' })).toEqual([
      {
        month: '2026-10',
        issuedCount: 2,
        issuedMinor: 100_000,
        collectedMinor: 60_000,
        outstandingEndMinor: 140_000, // 1 000 (overdue) + 400
        overdueEndMinor: 100_000,
        collectionRate: 60_000 / (100_000 + 100_000),
      },
      {
        month: '2026-11', // cut at the 20th
        issuedCount: 0,
        issuedMinor: 0,
        collectedMinor: 10_000,
        outstandingEndMinor: 130_000,
        overdueEndMinor: 130_000, // invoice 3 was due on 14.11
        collectionRate: 10_000 / 140_000,
      },
    ])
  })
})
