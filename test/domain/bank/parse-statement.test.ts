import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeStatement } from '../../../src/domain/bank/decode-statement.ts'
import { parse1CStatement } from '../../../src/domain/bank/parse-1c-statement.ts'
import { encodeWindows1251 } from '../../fixtures/bank/windows-1251.ts'

const fixture = (name: string) => new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../fixtures/bank', name)))
const read = (name: string) => {
  const { text, encoding } = decodeStatement(fixture(name))
  return parse1CStatement(text, encoding)
}

describe('domain/bank/decodeStatement', () => {
  it('detects Windows-1251 (the 1C default) and reads its Cyrillic', () => {
    const decoded = decodeStatement(fixture('statement-1251.txt'))
    expect(decoded.encoding).toBe('windows-1251')
    expect(decoded.text).toContain('Кодировка=Windows')
    expect(decoded.text).toContain('ООО «Ромашка»')
  })

  it('takes valid UTF-8 as UTF-8 and drops a BOM', () => {
    const bytes = new Uint8Array([0xEF, 0xBB, 0xBF, ...new TextEncoder().encode('1CClientBankExchange\nКодировка=UTF-8')])
    expect(decodeStatement(bytes)).toEqual({ text: '1CClientBankExchange\nКодировка=UTF-8', encoding: 'utf-8' })
  })

  it('reads CP866 when a non-UTF-8 file says Кодировка=DOS', () => {
    const header = [0x8A, 0xAE, 0xA4, 0xA8, 0xE0, 0xAE, 0xA2, 0xAA, 0xA0]
    const file = new Uint8Array([...new TextEncoder().encode('1CClientBankExchange\r\n'), ...header, ...new TextEncoder().encode('=DOS\r\n'), 0x8F, 0xAE])
    expect(decodeStatement(file)).toMatchObject({ encoding: 'ibm866', text: '1CClientBankExchange\r\nКодировка=DOS\r\nПо' })
  })
})

describe('domain/bank/parse1CStatement', () => {
  it('reads a Windows-1251 export: our account, the incoming payments, outgoing ones counted, broken lines with their line numbers', () => {
    const statement = read('statement-1251.txt')
    expect(statement).toMatchObject({ format: '1c', encoding: 'windows-1251', accounts: ['40702810900000000001'], outgoingCount: 1 })
    expect(statement.incoming.map(d => d.number)).toEqual(['512', '1043'])
    expect(statement.incoming[0]).toEqual({
      line: 21,
      number: '512',
      date: '2026-11-21',
      receivedOn: '2026-11-21',
      amount: { amountMinor: 1_200_000, currency: 'RUB' },
      payerAccount: '40702810400000001234',
      payerInn: '7701000026',
      payerName: 'ООО «Ромашка»',
      recipientAccount: '40702810900000000001',
      purpose: 'Оплата по счету № СЧ-00012 от 14.11.2026 за услуги. Сумма 12000-00 В т.ч. НДС (20%) 2000-00',
      key: '40702810900000000001/2026-11-21/512/1200000/7701000026',
    })
    expect(statement.incoming[1]).toMatchObject({ receivedOn: '2026-11-26', date: '2026-11-25', payerInn: '500100732259', payerName: 'ИП Соколова Елена Николаевна' })
    expect(statement.problems).toEqual([
      { line: 71, code: 'badAmount', text: 'Сумма=12,34,5' },
      { line: 79, code: 'badLine', text: 'эта строка испорчена' },
    ])
  })

  it('reads a UTF-8 export with two accounts: a transfer between our accounts is no payment, a repeated document is reported once', () => {
    const statement = read('statement-utf8.txt')
    expect(statement.encoding).toBe('utf-8')
    expect(statement.accounts).toEqual(['40702810900000000001', '40702978000000000002'])
    expect(statement.incoming.map(d => [d.number, d.amount.amountMinor, d.payerInn])).toEqual([
      ['301', 450_050, '7801000012'],
      ['302', 3_000_000, '7801000012'],
      ['903', 250_000, ''],
    ])
    expect(statement.outgoingCount).toBe(1)
    expect(statement.problems).toEqual([{ line: 54, code: 'duplicate', text: 'Номер=301' }])
  })

  it.each([
    ['a file that is not an exchange file', 'Дата;Сумма\n01.12.2026;100', [{ line: 1, code: 'notStatement', text: 'Дата;Сумма' }]],
    ['a file cut off inside a document', '1CClientBankExchange\nРасчСчет=1\nСекцияДокумент=Платежное поручение\nНомер=1', [{ line: 3, code: 'unclosedDocument', text: 'СекцияДокумент' }, { line: 4, code: 'noEndOfFile', text: 'КонецФайла' }]],
    ['a document without a number', '1CClientBankExchange\nРасчСчет=1\nСекцияДокумент=Платежное поручение\nДата=01.12.2026\nСумма=5\nПолучательСчет=1\nКонецДокумента\nКонецФайла', [{ line: 3, code: 'missingField', text: 'Номер' }]],
    ['an impossible date', '1CClientBankExchange\nРасчСчет=1\nСекцияДокумент=Платежное поручение\nНомер=1\nДата=31.02.2026\nСумма=5\nПолучательСчет=1\nКонецДокумента\nКонецФайла', [{ line: 3, code: 'badDate', text: 'Дата=31.02.2026' }]],
    ['a stray end of document', '1CClientBankExchange\nКонецДокумента\nКонецФайла', [{ line: 2, code: 'badLine', text: 'КонецДокумента' }]],
  ])('reports %s', (_name, text, problems) => {
    const statement = parse1CStatement(text)
    expect(statement.incoming).toEqual([])
    expect(statement.problems).toEqual(problems)
  })

  it('without РасчСчет takes ДатаПоступило without ДатаСписано as incoming, and finds the INN in the payer line when ПлательщикИНН is empty', () => {
    const text = [
      '1CClientBankExchange',
      'СекцияДокумент=Платежное поручение', 'Номер=1', 'Дата=01.12.2026', 'Сумма=10.5', 'Плательщик=ИНН 7701000026 ООО «Ромашка»', 'ПлательщикИНН=', 'ДатаПоступило=02.12.2026', 'КонецДокумента',
      'СекцияДокумент=Платежное поручение', 'Номер=2', 'Дата=01.12.2026', 'Сумма=99.00', 'ДатаСписано=01.12.2026', 'КонецДокумента',
      'КонецФайла',
    ].join('\r\n')
    const statement = parse1CStatement(text)
    expect(statement.incoming).toHaveLength(1)
    expect(statement.incoming[0]).toMatchObject({ payerInn: '7701000026', amount: { amountMinor: 1050 }, receivedOn: '2026-12-02' })
    expect(statement.outgoingCount).toBe(1)
  })

  it('round-trips the test encoder against the platform decoder', () => {
    const text = 'Оплата № 5 «счёт» — Ёж'
    expect(new TextDecoder('windows-1251').decode(encodeWindows1251(text))).toBe(text)
  })
})
