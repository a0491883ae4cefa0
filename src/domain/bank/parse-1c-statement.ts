import type { BankDocument, BankStatement, StatementEncoding, StatementProblem } from './bank-statement.ts'
import { bankDocumentKey } from './bank-document-key.ts'
import { STATEMENT_CURRENCY } from './bank-statement.ts'
import { innInText, innOf, statementAmount, statementDate } from './statement-values.ts'

/** The first line of every file in the 1C exchange format. */
export const EXCHANGE_HEADER = '1CClientBankExchange'

/**
 * Whether `text` is a 1C exchange file: its first line is the header. Markers and keys are read
 * without regard to case — some banks write `КОНЕЦДОКУМЕНТА`, and other readers of the format take it.
 */
export function isExchangeText(text: string): boolean {
  return same(text.replace(/^\uFEFF/, '').trimStart().split(/\r\n|\n|\r/, 1)[0] ?? '', EXCHANGE_HEADER)
}

function same(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.toLowerCase()
}

type Fields = ReadonlyMap<string, string>

interface OpenSection {
  readonly line: number
  /** Keys in lower case: `fieldOf` reads them without regard to case. */
  readonly fields: Map<string, string>
}

/** A document's field by its name in the format (`ПолучательСчет`), whatever case the bank wrote it in. */
function fieldOf(fields: Fields, name: string): string {
  return fields.get(name.toLowerCase()) ?? ''
}

interface Reading {
  readonly accounts: string[]
  readonly sections: Array<{ line: number, fields: Fields }>
  readonly problems: StatementProblem[]
  /** After `КонецФайла`: only a second statement's header may follow. */
  ended: boolean
}

/** Splits `Ключ=Значение`; the value may itself contain `=`. Null for a line without a key. */
function keyValue(line: string): readonly [string, string] | null {
  const at = line.indexOf('=')
  return at > 0 ? [line.slice(0, at).trim(), line.slice(at + 1).trim()] : null
}

/** One line outside or inside a document section; returns the section still open. */
function readLine(reading: Reading, open: OpenSection | null, text: string, line: number): OpenSection | null {
  if (same(text, 'КонецДокумента')) {
    if (open)
      reading.sections.push({ line: open.line, fields: open.fields })
    else
      reading.problems.push({ line, code: 'badLine', text })
    return null
  }
  if (same(text, 'КонецФайла')) {
    reading.ended = true
    return unclosed(reading, open)
  }
  if (same(text, 'КонецРасчСчет') || same(text, 'СекцияРасчСчет'))
    return open
  const pair = keyValue(text)
  if (!pair) {
    reading.problems.push({ line, code: 'badLine', text })
    return open
  }
  const [key, value] = pair
  if (same(key, 'СекцияДокумент')) {
    unclosed(reading, open)
    return { line, fields: new Map() }
  }
  if (open)
    open.fields.set(key.toLowerCase(), value)
  else if (same(key, 'РасчСчет') && value && !reading.accounts.includes(value))
    reading.accounts.push(value)
  return open
}

function unclosed(reading: Reading, open: OpenSection | null): null {
  if (open)
    reading.problems.push({ line: open.line, code: 'unclosedDocument', text: 'СекцияДокумент' })
  return null
}

/** `ДатаПоступило` set and `ДатаСписано` empty: the bank's own mark of money coming in. */
function incomingByDates(fields: Fields): boolean {
  return Boolean(fieldOf(fields, 'ДатаПоступило')) && !fieldOf(fields, 'ДатаСписано')
}

/**
 * The side's account that is one of ours, else its `…Счет`. In indirect settlements `…Счет` holds
 * the bank's correspondent account and `…РасчСчет` the client's own (1CClientBankExchange 1.03,
 * v8.1c.ru/edi/edi_stnd/100/101.htm), so both are looked at.
 */
function accountOf(fields: Fields, side: 'Плательщик' | 'Получатель', accounts: readonly string[]): string {
  const direct = fieldOf(fields, `${side}Счет`)
  const settlement = fieldOf(fields, `${side}РасчСчет`)
  return !accounts.includes(direct) && accounts.includes(settlement) ? settlement : direct
}

/** Ours to a client: the recipient is one of our accounts and the payer is not (a transfer between our accounts is no payment). */
function isIncoming(fields: Fields, accounts: readonly string[]): boolean {
  if (accounts.length === 0)
    return incomingByDates(fields)
  return accounts.includes(accountOf(fields, 'Получатель', accounts)) && !accounts.includes(accountOf(fields, 'Плательщик', accounts))
}

function documentOf(line: number, fields: Fields, accounts: readonly string[], problems: StatementProblem[]): BankDocument | null {
  const number = fieldOf(fields, 'Номер')
  const date = statementDate(fieldOf(fields, 'Дата'))
  const amountMinor = statementAmount(fieldOf(fields, 'Сумма'))
  const problem: StatementProblem | null = !number
    ? { line, code: 'missingField', text: 'Номер' }
    : !date
        ? { line, code: 'badDate', text: `Дата=${fieldOf(fields, 'Дата')}` }
        : amountMinor === null || amountMinor === 0 ? { line, code: 'badAmount', text: `Сумма=${fieldOf(fields, 'Сумма')}` } : null
  if (problem || !date || amountMinor === null) {
    problems.push(problem ?? { line, code: 'badLine', text: 'СекцияДокумент' })
    return null
  }
  const payerName = fieldOf(fields, 'Плательщик1') || fieldOf(fields, 'Плательщик')
  const payerInn = innOf(fieldOf(fields, 'ПлательщикИНН')) || innInText(fieldOf(fields, 'Плательщик'))
  const recipientAccount = accountOf(fields, 'Получатель', accounts)
  return {
    line,
    number,
    date,
    receivedOn: statementDate(fieldOf(fields, 'ДатаПоступило')) ?? date,
    amount: { amountMinor, currency: STATEMENT_CURRENCY },
    payerAccount: fieldOf(fields, 'ПлательщикСчет'),
    payerInn,
    payerName,
    recipientAccount,
    purpose: fieldOf(fields, 'НазначениеПлатежа'),
    key: bankDocumentKey({ recipientAccount, date, number, amountMinor, payerInn }),
  }
}

/**
 * Reads a statement in the 1C exchange format (`1CClientBankExchange`, the export of Russian
 * banks and of 1C): our accounts from `РасчСчет`, then every `СекцияДокумент … КонецДокумента`.
 * Keeps the incoming payments — `ПолучательСчет` is one of our accounts (or, in a file that names
 * none, `ДатаПоступило` is set and `ДатаСписано` is not); counts the rest. Lines it cannot read,
 * documents without a valid number, date or amount, an unclosed section, a missing `КонецФайла`
 * (a cut-off file) and a document listed twice are reported with their line numbers. A file may hold
 * several statements one after another (one per account): each is read; anything else after
 * `КонецФайла` is reported (`afterEndOfFile`), never dropped silently. Markers and keys in any case.
 */
export function parse1CStatement(text: string, encoding: StatementEncoding = 'utf-8'): BankStatement {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)
  if (!same(lines[0] ?? '', EXCHANGE_HEADER))
    return { format: '1c', encoding, accounts: [], incoming: [], outgoingCount: 0, problems: [{ line: 1, code: 'notStatement', text: (lines[0] ?? '').slice(0, 60) }] }
  const reading: Reading = { accounts: [], sections: [], problems: [], ended: false }
  let open: OpenSection | null = null
  for (let index = 1; index < lines.length; index++) {
    const line = (lines[index] ?? '').trim()
    if (!line)
      continue
    if (reading.ended && !same(line, EXCHANGE_HEADER)) {
      reading.problems.push({ line: index + 1, code: 'afterEndOfFile', text: line.slice(0, 60) })
      break
    }
    if (reading.ended)
      reading.ended = false
    else
      open = readLine(reading, open, line, index + 1)
  }
  if (!reading.ended) {
    unclosed(reading, open)
    reading.problems.push({ line: lines.length, code: 'noEndOfFile', text: 'КонецФайла' })
  }
  return collect(reading, encoding)
}

function collect(reading: Reading, encoding: StatementEncoding): BankStatement {
  const incoming: BankDocument[] = []
  const seen = new Set<string>()
  let outgoingCount = 0
  for (const section of reading.sections) {
    if (!isIncoming(section.fields, reading.accounts)) {
      outgoingCount++
      continue
    }
    const document = documentOf(section.line, section.fields, reading.accounts, reading.problems)
    if (document && seen.has(document.key))
      reading.problems.push({ line: section.line, code: 'duplicate', text: `Номер=${document.number}` })
    else if (document) {
      incoming.push(document)
      seen.add(document.key)
    }
  }
  const problems = [...reading.problems].sort((a, b) => a.line - b.line)
  return { format: '1c', encoding, accounts: reading.accounts, incoming, outgoingCount, problems }
}
