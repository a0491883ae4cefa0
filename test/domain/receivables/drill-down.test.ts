import { describe, expect, it } from 'vitest'
import { dayNumberOf } from '../../../src/domain/receivables/day-number.ts'
import { drillDown } from '../../../src/domain/receivables/drill-down.ts'
import { paidReceivable, receivable } from './receivable-fixtures.ts'

const asOf = dayNumberOf('2026-12-01')
const period = { from: '2026-10-01', to: '2026-12-01' }
const invoices = [
  receivable({ id: 1, dueDate: '2026-11-01', issueDate: '2026-10-20', client: { kind: 'company', id: 10 } }), // 30 days
  receivable({ id: 2, dueDate: '2026-10-31', issueDate: '2026-10-01', client: { kind: 'company', id: 10 } }), // 31 days
  receivable({ id: 3, dueDate: '2026-10-15', issueDate: '2026-10-01', client: { kind: 'contact', id: 7 }, paid: [[250, '2026-11-01']] }), // 47 days
  paidReceivable('2026-11-05', { id: 4, issueDate: '2026-11-01', dueDate: '2026-11-10', client: { kind: 'company', id: 10 } }),
  receivable({ id: 5, status: 'cancelled', issueDate: '2026-11-02' }),
]
const ids = (rows: ReturnType<typeof drillDown>) => rows.map(row => row.invoice.id)

describe('domain/receivables/drill-down', () => {
  it('lists a bucket\'s invoices with their balances, most overdue first', () => {
    const rows = drillDown(invoices, { kind: 'bucket', bucket: 'd31to60' }, asOf, period)
    expect(rows.map(row => [row.invoice.id, row.daysOverdue, row.balanceMinor])).toEqual([[3, 47, 75_000], [2, 31, 100_000]])
  })

  it('lists a debtor\'s overdue invoices and a month\'s issued ones (cancelled left out)', () => {
    expect(ids(drillDown(invoices, { kind: 'debtor', clientKey: 'company:10' }, asOf, period))).toEqual([2, 1])
    expect(ids(drillDown(invoices, { kind: 'month', month: '2026-11' }, asOf, period))).toEqual([4])
    expect(ids(drillDown(invoices, { kind: 'month', month: '2026-10' }, asOf, period))).toEqual([3, 2, 1])
  })

  it('lists a manager\'s unpaid invoices', () => {
    expect(ids(drillDown(invoices, { kind: 'manager', responsibleId: 2 }, asOf, period))).toEqual([3, 2, 1])
    expect(ids(drillDown(invoices, { kind: 'manager', responsibleId: 3 }, asOf, period))).toEqual([])
  })
})
