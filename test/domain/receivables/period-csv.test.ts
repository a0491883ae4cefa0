import { describe, expect, it } from 'vitest'
import { csvDecimal, toCsv } from '../../../src/domain/receivables/csv.ts'
import { currenciesInUse, filterInvoices, periodDays, periodOf } from '../../../src/domain/receivables/period.ts'
import { receivable } from './receivable-fixtures.ts'

describe('domain/receivables/period', () => {
  it.each([
    ['month', '2026-05-01'], ['quarter', '2026-04-01'], ['year', '2026-01-01'], ['last30', '2026-04-17'], ['last90', '2026-02-16'], ['last12Months', '2025-06-01'],
  ] as const)('the %s period on 16.05.2026 starts on %s', (preset, from) => {
    expect(periodOf(preset, '2026-05-16')).toEqual({ from, to: '2026-05-16' })
  })

  it('counts both ends of a period', () => {
    expect(periodDays(periodOf('last30', '2026-05-16'))).toBe(30)
  })

  it('keeps one currency, pipeline and manager, and lists currencies by use', () => {
    const invoices = [receivable({ id: 1 }), receivable({ id: 2, currency: 'USD' }), receivable({ id: 3, responsibleId: 3 }), receivable({ id: 4, categoryId: 7 })]
    expect(filterInvoices(invoices, { currency: 'RUB', categoryId: 5, responsibleId: 2 }).map(invoice => invoice.id)).toEqual([1])
    expect(filterInvoices(invoices, { currency: 'RUB', categoryId: null, responsibleId: null }).map(invoice => invoice.id)).toEqual([1, 3, 4])
    expect(currenciesInUse(invoices)).toEqual(['RUB', 'USD'])
  })
})

describe('domain/receivables/csv', () => {
  it('writes UTF-8 with a BOM, «;» between fields, quotes where needed and CRLF line ends', () => {
    const csv = toCsv(['Клиент', 'Сумма'], [['ООО «Ромашка»; филиал', '1234,50'], ['Say "hi"', 5]])
    expect(csv).toBe('\uFEFFКлиент;Сумма\r\n"ООО «Ромашка»; филиал";1234,50\r\n"Say ""hi""";5\r\n')
  })

  it('writes decimals with the locale\'s mark and no grouping', () => {
    expect(csvDecimal(1234567.5, 2, ',')).toBe('1234567,50')
    expect(csvDecimal(1234567.5, 2, '.')).toBe('1234567.50')
  })
})
