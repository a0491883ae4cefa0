import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { csvStatement, guessCsvMapping, missingCsvFields, parseCsvTable } from '../../../src/domain/bank/parse-csv-statement.ts'

const csv = readFileSync(resolve(import.meta.dirname, '../../fixtures/bank/statement.csv'), 'utf8')

describe('domain/bank/parseCsvTable', () => {
  it('splits on the delimiter the header uses, keeps quoted delimiters, quotes and line breaks, and tracks line numbers', () => {
    const table = parseCsvTable(csv)
    expect(table.delimiter).toBe(';')
    expect(table.header).toEqual(['Дата операции', 'Номер документа', 'Приход', 'Расход', 'ИНН контрагента', 'Контрагент', 'Назначение платежа'])
    expect(table.rows.map(r => r.line)).toEqual([2, 3, 4, 6])
    expect(table.rows[0]!.cells[5]).toBe('ООО "Ромашка"')
    expect(table.rows[2]!.cells[6]).toBe('Оплата сч. 15, 16\nза обучение')
  })

  it.each([
    [',', 'date,amount,purpose\n01.12.2026,"1,5",x'],
    ['\t', 'date\tamount\tpurpose\n01.12.2026\t1,5\tx'],
  ])('detects %j as the delimiter', (delimiter, text) => {
    const table = parseCsvTable(text)
    expect(table.delimiter).toBe(delimiter)
    expect(table.rows[0]!.cells).toEqual(['01.12.2026', '1,5', 'x'])
  })
})

describe('domain/bank/csvStatement', () => {
  it('guesses the mapping of a typical Russian bank export', () => {
    const mapping = guessCsvMapping(parseCsvTable(csv).header)
    expect(mapping).toEqual({
      date: 'Дата операции', number: 'Номер документа', amount: 'Приход', payerInn: 'ИНН контрагента', payerName: 'Контрагент', purpose: 'Назначение платежа',
    })
  })

  it('reads incoming rows, counts rows without incoming money as outgoing, reports unreadable amounts with their line', () => {
    const table = parseCsvTable(csv)
    const statement = csvStatement(table, guessCsvMapping(table.header))
    expect(statement.incoming.map(d => [d.line, d.number, d.amount.amountMinor, d.payerInn])).toEqual([[2, '512', 1_200_000, '7701000026'], [4, '1043', 1_500_000, '500100732259']])
    expect(statement.outgoingCount).toBe(1)
    expect(statement.problems).toEqual([{ line: 6, code: 'badAmount', text: 'двенадцать' }])
    // Without our account in the CSV, the key has an empty account part.
    expect(statement.incoming[0]!.key).toBe('/2026-11-21/512/1200000/7701000026')
  })

  it('names the required fields a mapping leaves out', () => {
    expect(missingCsvFields(['Дата', 'Сумма'], { date: 'Дата', amount: 'Сумма' })).toEqual(['purpose'])
    expect(missingCsvFields(['Дата'], { date: 'Дата', amount: 'Сумма', purpose: 'Дата' })).toEqual(['amount'])
  })

  it('gives rows without a number column a stable key from their purpose', () => {
    const table = parseCsvTable('Дата;Сумма;Назначение\n01.12.2026;100;Оплата сч 5\n01.12.2026;100;Оплата сч 6')
    const [a, b] = csvStatement(table, { date: 'Дата', amount: 'Сумма', purpose: 'Назначение' }).incoming
    expect(a!.key).not.toBe(b!.key)
    expect(csvStatement(table, { date: 'Дата', amount: 'Сумма', purpose: 'Назначение' }).incoming[0]!.key).toBe(a!.key)
  })
})
