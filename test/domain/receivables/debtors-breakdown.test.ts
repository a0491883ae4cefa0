import { describe, expect, it } from 'vitest'
import { breakdownBy } from '../../../src/domain/receivables/breakdown.ts'
import { dayNumberOf } from '../../../src/domain/receivables/day-number.ts'
import { topDebtors } from '../../../src/domain/receivables/debtors.ts'
import { paidReceivable, receivable } from './receivable-fixtures.ts'

const asOf = dayNumberOf('2026-12-01')
const company = (id: number) => ({ kind: 'company' as const, id })
const contact = (id: number) => ({ kind: 'contact' as const, id })

describe('domain/receivables/debtors', () => {
  const invoices = [
    receivable({ id: 1, client: company(10), dueDate: '2026-11-20', rubles: 500 }),
    receivable({ id: 2, client: company(10), dueDate: '2026-10-01', issueDate: '2026-09-01', rubles: 700, paid: [[200, '2026-10-15']] }),
    receivable({ id: 3, client: contact(7), dueDate: '2026-11-01', rubles: 1500 }),
    receivable({ id: 4, client: company(11), dueDate: '2026-12-10', rubles: 9000 }), // not yet due
    paidReceivable('2026-11-30', { id: 5, client: company(12), dueDate: '2026-11-01' }),
  ]

  it('lists the clients with the most overdue money, with their oldest due date', () => {
    expect(topDebtors(invoices, asOf)).toEqual([
      { clientKey: 'contact:7', client: contact(7), overdueMinor: 150_000, overdueCount: 1, oldestDueDate: '2026-11-01', lastReminderOn: null },
      { clientKey: 'company:10', client: company(10), overdueMinor: 100_000, overdueCount: 2, oldestDueDate: '2026-10-01', lastReminderOn: null },
    ])
  })

  it('shows the latest reminder of any of the client\'s invoices when reminders are known', () => {
    const reminders = new Map([[1, '2026-11-25'], [2, '2026-11-28'], [4, '2026-11-29']])
    expect(topDebtors(invoices, asOf, { lastReminderOn: reminders, limit: 1 })).toEqual([expect.objectContaining({ clientKey: 'contact:7', lastReminderOn: null })])
    expect(topDebtors(invoices, asOf, { lastReminderOn: reminders })[1]?.lastReminderOn).toBe('2026-11-28')
  })
})

describe('domain/receivables/breakdown', () => {
  it('sums receivables and the period\'s invoicing per manager, largest receivables first', () => {
    const invoices = [
      receivable({ id: 1, responsibleId: 2, issueDate: '2026-11-01', dueDate: '2026-11-15', rubles: 1000 }),
      paidReceivable('2026-11-20', { id: 2, responsibleId: 2, issueDate: '2026-11-10', rubles: 500 }),
      receivable({ id: 3, responsibleId: 3, issueDate: '2026-11-25', dueDate: '2026-12-25', rubles: 3000, paid: [[1000, '2026-11-30']] }),
      receivable({ id: 4, responsibleId: null, issueDate: '2026-06-01', dueDate: '2026-06-10', status: 'cancelled' }),
    ]
    expect(breakdownBy(invoices, 'responsibleId', asOf, dayNumberOf('2026-11-01'), dayNumberOf('2026-11-30'))).toEqual([
      { key: 3, outstandingMinor: 200_000, overdueMinor: 0, issuedCount: 1, issuedMinor: 300_000, paidMinor: 100_000 },
      { key: 2, outstandingMinor: 100_000, overdueMinor: 100_000, issuedCount: 2, issuedMinor: 150_000, paidMinor: 50_000 },
    ])
  })
})
