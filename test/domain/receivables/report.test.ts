import { describe, expect, it } from 'vitest'
import { agingBuckets } from '../../../src/domain/receivables/aging.ts'
import { breakdownBy } from '../../../src/domain/receivables/breakdown.ts'
import { dayNumberOf } from '../../../src/domain/receivables/day-number.ts'
import { topDebtors } from '../../../src/domain/receivables/debtors.ts'
import { averageDaysToPay, collectionEffectiveness, daysSalesOutstanding, issuedInPeriod, receivablesOn } from '../../../src/domain/receivables/headline.ts'
import { filterInvoices } from '../../../src/domain/receivables/period.ts'
import { receivablesReport } from '../../../src/domain/receivables/report.ts'
import { monthlyTrends } from '../../../src/domain/receivables/trends.ts'
import { paidReceivable, receivable } from './receivable-fixtures.ts'

describe('domain/receivables/report', () => {
  const invoices = Array.from({ length: 60 }, (_, i) => {
    const issueDate = `2026-${String(1 + (i % 11)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`
    const overrides = { id: i + 1, issueDate, dueDate: `2026-${String(1 + ((i + 1) % 11)).padStart(2, '0')}-10`, responsibleId: 1 + (i % 3), client: { kind: 'company' as const, id: i % 5 }, rubles: 100 + i, currency: i % 13 === 0 ? 'USD' : 'RUB' }
    if (i % 4 === 0)
      return paidReceivable(`2026-${String(1 + ((i + 2) % 11)).padStart(2, '0')}-15`, overrides)
    return receivable({ ...overrides, status: i % 9 === 0 ? 'cancelled' : i % 10 === 0 ? 'draft' : 'open', paid: i % 5 === 0 ? [[50, '2026-10-01']] : [] })
  })

  it('computes in one pass exactly what the per-figure functions compute', () => {
    const filter = { currency: 'RUB', categoryId: null, responsibleId: 2 }
    const period = { from: '2026-03-01', to: '2026-11-20' }
    const report = receivablesReport(invoices, filter, { asOf: '2026-11-20', period })
    const mine = filterInvoices(invoices, filter)
    const [asOf, from, to] = [dayNumberOf('2026-11-20'), dayNumberOf(period.from), dayNumberOf(period.to)]
    const issued = issuedInPeriod(mine, from, to, asOf)
    const now = receivablesOn(mine, asOf)
    expect(report.invoiceCount).toBe(mine.length)
    expect(report.now).toEqual(now)
    expect(report.issued).toEqual(issued)
    expect(report.daysToPay).toEqual(averageDaysToPay(mine, from, to))
    expect(report.dso).toEqual(daysSalesOutstanding(now.outstandingMinor, issued.sumMinor, 265))
    expect(report.cei).toEqual(collectionEffectiveness(receivablesOn(mine, from - 1).outstandingMinor, issued.sumMinor, now.outstandingMinor, now.currentMinor))
    expect(report.aging).toEqual(agingBuckets(mine, asOf))
    expect(report.trends).toEqual(monthlyTrends(mine, period))
    expect(report.debtors).toEqual(topDebtors(mine, asOf))
    expect(report.byManager).toEqual(breakdownBy(mine, 'responsibleId', asOf, from, to))
    expect(report.byPipeline).toEqual(breakdownBy(mine, 'categoryId', asOf, from, to))
    expect(report.now.outstandingCount).toBeGreaterThan(0)
  })
})
