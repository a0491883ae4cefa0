import { describe, expect, it } from 'vitest'
import { foreignStatementAccounts } from '../../../src/domain/bank/bank-statement.ts'
import { isBinaryStatement } from '../../../src/domain/bank/decode-statement.ts'
import { isExchangeText, parse1CStatement } from '../../../src/domain/bank/parse-1c-statement.ts'

const OURS = '40702810900000000001'
const THEIRS = '40702810500000000777'
const BANK_CORR = '30101810400000000225'

/** One `СекцияДокумент` of a statement (1CClientBankExchange 1.03, v8.1c.ru/edi/edi_stnd/100/101.htm). */
function doc(number: string, fields: Record<string, string>): string[] {
  return [
    'СекцияДокумент=Платежное поручение', `Номер=${number}`, 'Дата=02.03.2026', 'Сумма=1500.00', 'ПлательщикИНН=7701234567',
    'Плательщик1=ООО Ромашка', 'НазначениеПлатежа=Оплата по счёту № 12', ...Object.entries(fields).map(([k, v]) => `${k}=${v}`), 'КонецДокумента',
  ]
}

function statement(account: string, docs: string[][], end = 'КонецФайла'): string[] {
  return ['1CClientBankExchange', 'ВерсияФормата=1.03', 'Кодировка=Windows', `РасчСчет=${account}`,
    'СекцияРасчСчет', `РасчСчет=${account}`, 'КонецРасчСчет', ...docs.flat(), end]
}

const incomingTo = (to: string) => ({ ПлательщикСчет: THEIRS, ПолучательСчет: to, ДатаПоступило: '02.03.2026' })

describe('domain/bank: statements as banks really write them', () => {
  it('reads both statements of a file that holds two (one per account), not only the first', () => {
    const second = '40702810900000000002'
    const text = [...statement(OURS, [doc('1', incomingTo(OURS))]), ...statement(second, [doc('2', incomingTo(second))])].join('\r\n')
    const read = parse1CStatement(text)
    expect(read.accounts).toEqual([OURS, second])
    expect(read.incoming.map(d => d.number)).toEqual(['1', '2'])
    expect(read.problems).toEqual([])
  })

  it('reports content after КонецФайла that is not a second statement, with its line', () => {
    const lines = [...statement(OURS, [doc('1', incomingTo(OURS))]), 'СекцияДокумент=Платежное поручение', 'Номер=9']
    const read = parse1CStatement(lines.join('\n'))
    expect(read.incoming.map(d => d.number)).toEqual(['1'])
    expect(read.problems).toEqual([{ line: lines.length - 1, code: 'afterEndOfFile', text: 'СекцияДокумент=Платежное поручение' }])
  })

  it('takes a payment whose recipient is our account only in ПолучательРасчСчет (indirect settlement) as incoming', () => {
    const read = parse1CStatement(statement(OURS, [doc('1', { ПлательщикСчет: THEIRS, ПолучательСчет: BANK_CORR, ПолучательРасчСчет: OURS })]).join('\n'))
    expect(read.outgoingCount).toBe(0)
    expect(read.incoming).toMatchObject([{ number: '1', recipientAccount: OURS }])
  })

  it('takes a payer whose account is ours only in ПлательщикРасчСчет as outgoing', () => {
    const read = parse1CStatement(statement(OURS, [doc('1', { ПлательщикСчет: BANK_CORR, ПлательщикРасчСчет: OURS, ПолучательСчет: THEIRS })]).join('\n'))
    expect(read).toMatchObject({ outgoingCount: 1, incoming: [] })
  })

  it('accepts upper-case markers and keys (КОНЕЦДОКУМЕНТА, КОНЕЦФАЙЛА, ПОЛУЧАТЕЛЬСЧЕТ)', () => {
    const text = statement(OURS, [doc('1', incomingTo(OURS))], 'КОНЕЦФАЙЛА')
      .map(line => (line === 'КонецДокумента' || line === 'СекцияРасчСчет' || line === 'КонецРасчСчет' || line.startsWith('ПолучательСчет=') || line.startsWith('СекцияДокумент=') ? line.replace(/^[^=]+/, key => key.toUpperCase()) : line))
    const read = parse1CStatement(['1CCLIENTBANKEXCHANGE', ...text.slice(1)].join('\r\n'))
    expect(read.problems).toEqual([])
    expect(read.incoming.map(d => d.number)).toEqual(['1'])
    expect(isExchangeText('\uFEFF1cclientbankexchange\r\n')).toBe(true)
  })

  it.each([
    ['a renamed ZIP', new Uint8Array([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x3B, 0x3B, 0x3B, 0x0A, 0x41])],
    ['a PDF', new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj;;;\n')],
    ['random bytes', Uint8Array.from({ length: 512 }, (_, i) => (i * 73 + 41) % 256)],
    ['a file with NUL bytes', new Uint8Array([0x44, 0x61, 0x74, 0x65, 0x00, 0x3B, 0x53, 0x75, 0x6D, 0x3B, 0x0A])],
  ])('knows %s is no statement (no CSV mapping with garbled names)', (_, bytes) => {
    expect(isBinaryStatement(bytes)).toBe(true)
  })

  it.each([
    ['a 1C statement', new TextEncoder().encode(statement(OURS, []).join('\r\n'))],
    ['a CSV in Windows-1251', new Uint8Array([0xC4, 0xE0, 0xF2, 0xE0, 0x3B, 0xD1, 0xF3, 0xEC, 0xEC, 0xE0, 0x0D, 0x0A, 0x31, 0x3B, 0x32, 0x09, 0x0D, 0x0A])],
  ])('reads %s as text', (_, bytes) => {
    expect(isBinaryStatement(bytes)).toBe(false)
  })
})

describe('domain/bank/foreignStatementAccounts', () => {
  it.each([
    ['every account is ours', [OURS], [OURS, THEIRS], { status: 'ours', foreign: [] }],
    ['one account is not ours', [OURS, THEIRS], [OURS], { status: 'foreign', foreign: [THEIRS] }],
    ['the portal lists no bank details', [OURS], [], { status: 'unknown', foreign: [] }],
    ['the bank details could not be read', [OURS], null, { status: 'unknown', foreign: [] }],
    ['the file names no account (a CSV)', [], [OURS], { status: 'unknown', foreign: [] }],
    ['spaces in the portal\'s number', [OURS], ['4070 2810 9000 0000 0001'], { status: 'ours', foreign: [] }],
  ] as const)('%s', (_, accounts, ours, expected) => {
    expect(foreignStatementAccounts(accounts, ours)).toEqual(expected)
  })
})
