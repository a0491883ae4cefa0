import type { BankDocument, BankStatement, StatementEncoding, StatementProblem } from './bank-statement.ts'
import { bankDocumentKey } from './bank-document-key.ts'
import { STATEMENT_CURRENCY } from './bank-statement.ts'
import { innInText, innOf, statementAmount, statementDate } from './statement-values.ts'

/** The first line of every file in the 1C exchange format. */
export const EXCHANGE_HEADER = '1CClientBankExchange'

type Fields = ReadonlyMap<string, string>

interface OpenSection {
  readonly line: number
  readonly fields: Map<string, string>
}

interface Reading {
  readonly accounts: string[]
  readonly sections: Array<{ line: number, fields: Fields }>
  readonly problems: StatementProblem[]
  ended: boolean
}

/** Splits `Ключ=Значение`; the value may itself contain `=`. Null for a line without a key. */
function keyValue(line: string): readonly [string, string] | null {
  const at = line.indexOf('=')
  return at > 0 ? [line.slice(0, at).trim(), line.slice(at + 1).trim()] : null
}

/** One line outside or inside a document section; returns the section still open. */
function readLine(reading: Reading, open: OpenSection | null, text: string, line: number): OpenSection | null {
  if (text === 'КонецДокумента') {
    if (open)
      reading.sections.push({ line: open.line, fields: open.fields })
    else
      reading.problems.push({ line, code: 'badLine', text })
    return null
  }
  if (text === 'КонецФайла') {
    reading.ended = true
    return unclosed(reading, open)
  }
  if (text === 'КонецРасчСчет' || text === 'СекцияРасчСчет')
    return open
  const pair = keyValue(text)
  if (!pair) {
    reading.problems.push({ line, code: 'badLine', text })
    return open
  }
  const [key, value] = pair
  if (key === 'СекцияДокумент') {
    unclosed(reading, open)
    return { line, fields: new Map() }
  }
  if (open)
    open.fields.set(key, value)
  else if (key === 'РасчСчет' && value && !reading.accounts.includes(value))
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
  return Boolean(fields.get('ДатаПоступило')) && !fields.get('ДатаСписано')
}

/** Ours to a client: the recipient is one of our accounts and the payer is not (a transfer between our accounts is no payment). */
function isIncoming(fields: Fields, accounts: readonly string[]): boolean {
  if (accounts.length === 0)
    return incomingByDates(fields)
  return accounts.includes(fields.get('ПолучательСчет') ?? '') && !accounts.includes(fields.get('ПлательщикСчет') ?? '')
}

function documentOf(line: number, fields: Fields, problems: StatementProblem[]): BankDocument | null {
  const number = fields.get('Номер') ?? ''
  const date = statementDate(fields.get('Дата') ?? '')
  const amountMinor = statementAmount(fields.get('Сумма') ?? '')
  const problem: StatementProblem | null = !number
    ? { line, code: 'missingField', text: 'Номер' }
    : !date
        ? { line, code: 'badDate', text: `Дата=${fields.get('Дата') ?? ''}` }
        : amountMinor === null || amountMinor === 0 ? { line, code: 'badAmount', text: `Сумма=${fields.get('Сумма') ?? ''}` } : null
  if (problem || !date || amountMinor === null) {
    problems.push(problem ?? { line, code: 'badLine', text: 'СекцияДокумент' })
    return null
  }
  const payerName = fields.get('Плательщик1') || fields.get('Плательщик') || ''
  const payerInn = innOf(fields.get('ПлательщикИНН') ?? '') || innInText(fields.get('Плательщик') ?? '')
  const recipientAccount = fields.get('ПолучательСчет') ?? ''
  return {
    line,
    number,
    date,
    receivedOn: statementDate(fields.get('ДатаПоступило') ?? '') ?? date,
    amount: { amountMinor, currency: STATEMENT_CURRENCY },
    payerAccount: fields.get('ПлательщикСчет') ?? '',
    payerInn,
    payerName,
    recipientAccount,
    purpose: fields.get('НазначениеПлатежа') ?? '',
    key: bankDocumentKey({ recipientAccount, date, number, amountMinor, payerInn }),
  }
}

/**
 * Reads a statement in the 1C exchange format (`1CClientBankExchange`, the export of Russian
 * banks and of 1C): our accounts from `РасчСчет`, then every `СекцияДокумент … КонецДокумента`.
 * Keeps the incoming payments — `ПолучательСчет` is one of our accounts (or, in a file that names
 * none, `ДатаПоступило` is set and `ДатаСписано` is not); counts the rest. Lines it cannot read,
 * documents without a valid number, date or amount, an unclosed section, a missing `КонецФайла`
 * (a cut-off file) and a document listed twice are reported with their line numbers.
 */
export function parse1CStatement(text: string, encoding: StatementEncoding = 'utf-8'): BankStatement {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)
  if ((lines[0] ?? '').trim() !== EXCHANGE_HEADER)
    return { format: '1c', encoding, accounts: [], incoming: [], outgoingCount: 0, problems: [{ line: 1, code: 'notStatement', text: (lines[0] ?? '').slice(0, 60) }] }
  const reading: Reading = { accounts: [], sections: [], problems: [], ended: false }
  let open: OpenSection | null = null
  for (let index = 1; index < lines.length && !reading.ended; index++) {
    const line = (lines[index] ?? '').trim()
    if (line)
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
    const document = documentOf(section.line, section.fields, reading.problems)
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
