import { describe, expect, it } from 'vitest'
import { headlineFigures } from '../../../src/components/receivables/receivables-headline.ts'
import { periodOf } from '../../../src/domain/receivables/period.ts'
import { receivablesReport } from '../../../src/domain/receivables/report.ts'
import { createTranslator } from '../../../src/i18n/translate.ts'
import { receivable } from '../../domain/receivables/receivable-fixtures.ts'

describe('components/receivables/receivables-headline', () => {
  it.each([
    ['ru', 'с 01.01.2026 по 04.12.2026'],
    ['en', '01/01/2026 – 04/12/2026'],
  ] as const)('(%s) names the DSO period by its dates, not «период 338 дней»', (locale, text) => {
    const report = receivablesReport([receivable({ id: 1, issueDate: '2026-11-01', dueDate: '2026-11-15', rubles: 1000 })], { currency: 'RUB', categoryId: null, responsibleId: null }, { asOf: '2026-12-04', period: periodOf('last12Months', '2026-12-04') })
    const dso = headlineFigures(report, createTranslator(locale)).find(figure => figure.figure === 'dso')!
    expect(dso.hint).toContain(text)
    expect(dso.hint).not.toMatch(/338/)
  })
})
