import type { ErrorEntry, MetricsInputs } from '../../../src/domain/receivables/key-metrics.ts'
import { describe, expect, it } from 'vitest'
import { dealsFirstInvoicedIn, keyMetrics, originOfActor } from '../../../src/domain/receivables/key-metrics.ts'
import { paidReceivable, receivable } from './receivable-fixtures.ts'

const PERIOD = { from: '2026-10-01', to: '2026-11-30' }
const ALL = { categoryId: null, responsibleId: null }

const error = (id: number, day: string, invoiceId: number | null): ErrorEntry => ({ id, at: `${day}T10:00:00+03:00`, day, action: 'email', invoiceId, dealId: null, summary: `ошибка ${id}`, code: 'PORTAL_ERROR', message: 'crm.activity.add: Email send error' })

const invoices = [
  // Deal 1: first invoice 2026-10-05 (created 2026-10-01 → 4 days); its later invoice is not a first one.
  receivable({ id: 1, dealId: 1, issueDate: '2026-10-05', responsibleId: 2 }),
  paidReceivable('2026-11-10', { id: 2, dealId: 1, issueDate: '2026-11-01', responsibleId: 2 }),
  // Deal 2: first invoice in November, 10 days after the deal; manager 3, pipeline 7.
  receivable({ id: 3, dealId: 2, issueDate: '2026-11-20', responsibleId: 3, categoryId: 7 }),
  // Deal 3: first invoice before the period — not counted, even with another one inside.
  receivable({ id: 4, dealId: 3, issueDate: '2026-09-20' }),
  receivable({ id: 5, dealId: 3, issueDate: '2026-10-20' }),
  // Drafts and cancelled invoices count nowhere; an invoice without a deal counts only as issued.
  receivable({ id: 6, dealId: 4, issueDate: '2026-10-02', status: 'draft' }),
  receivable({ id: 7, dealId: 5, issueDate: '2026-10-02', status: 'cancelled' }),
  receivable({ id: 8, issueDate: '2026-11-02' }),
]

const inputs: MetricsInputs = {
  dealCreated: new Map([[1, '2026-10-01'], [2, '2026-11-10'], [3, '2026-09-01']]),
  origins: new Map([[1, 'automatic'], [2, 'manual'], [3, 'automatic'], [5, 'manual']]),
  errors: [error(100, '2026-10-03', 1), error(101, '2026-11-21', 3), error(102, '2026-11-22', null)],
}

describe('domain/receivables/key-metrics', () => {
  it.each([
    ['user', 'manual'],
    ['robot', 'automatic'],
    ['auto', 'automatic'],
    ['poll', 'automatic'],
    ['runner', 'automatic'],
    ['someone', null],
  ] as const)('the journal actor %s means %s', (by, origin) => {
    expect(originOfActor(by)).toBe(origin)
  })

  it('asks for the creation day of the deals first invoiced in the period only', () => {
    expect(dealsFirstInvoicedIn(invoices, PERIOD).sort()).toEqual([1, 2])
  })

  it('time to first invoice: (4 + 10) ÷ 2 = 7 days, median 7; per month 4 and 10', () => {
    const metrics = keyMetrics(invoices, ALL, PERIOD, inputs)
    expect(metrics.firstInvoice).toEqual({ averageDays: 7, medianDays: 7, totalDays: 14, count: 2 })
    expect(metrics.months.map(m => [m.month, m.firstInvoices, m.averageDaysToFirstInvoice])).toEqual([['2026-10', 1, 4], ['2026-11', 1, 10]])
  })

  it('origin: sent and paid invoices of the period, automatic ÷ (automatic + manual), unknown apart', () => {
    const metrics = keyMetrics(invoices, ALL, PERIOD, inputs)
    // Issued in the period: 1 (auto), 2 (manual), 3 (auto), 5 (manual), 8 (unknown); 6 draft and 7 cancelled left out.
    expect(metrics.origin).toEqual({ automatic: 2, manual: 2, unknown: 1, automaticShare: 0.5 })
    expect(metrics.months.map(m => [m.issued, m.automatic, m.manual, m.unknown])).toEqual([[2, 1, 1, 0], [3, 1, 1, 1]])
  })

  it('errors per month, newest first; the ones about no invoice only without a manager or pipeline filter', () => {
    expect(keyMetrics(invoices, ALL, PERIOD, inputs).errorEntries.map(e => e.id)).toEqual([102, 101, 100])
    const manager3 = keyMetrics(invoices, { categoryId: null, responsibleId: 3 }, PERIOD, inputs)
    expect(manager3.errorEntries.map(e => e.id)).toEqual([101])
    expect(manager3.months.map(m => m.errors)).toEqual([0, 1])
    expect(manager3.firstInvoice.count).toBe(1)
    expect(keyMetrics(invoices, { categoryId: 7, responsibleId: null }, PERIOD, inputs).origin).toEqual({ automatic: 1, manual: 0, unknown: 0, automaticShare: 1 })
  })

  it('an unreadable journal leaves origins unknown and errors null (never 0); days to pay as the headline computes it', () => {
    const metrics = keyMetrics(invoices, ALL, PERIOD, { ...inputs, origins: null, errors: null })
    expect(metrics.errors).toBeNull()
    expect(metrics.months.every(m => m.errors === null)).toBe(true)
    expect(metrics.origin).toEqual({ automatic: 0, manual: 0, unknown: 5, automaticShare: null })
    expect(metrics.daysToPay).toEqual({ averageDays: 9, count: 1 })
  })
})
