import type { BankDocument, BankStatement, StatementEncoding, StatementProblem } from './bank-statement.ts'
import { bankDocumentKey } from './bank-document-key.ts'
import { STATEMENT_CURRENCY } from './bank-statement.ts'
import { innInText, innOf, statementAmount, statementDate } from './statement-values.ts'

/** What a CSV column can hold. `date`, `amount` and `purpose` are required. */
export const CSV_FIELDS = ['date', 'number', 'amount', 'payerInn', 'payerName', 'payerAccount', 'recipientAccount', 'purpose'] as const
export type CsvField = typeof CSV_FIELDS[number]
export const REQUIRED_CSV_FIELDS: readonly CsvField[] = ['date', 'amount', 'purpose']

/**
 * Which column holds what, by the column's header text — so the mapping the accountant chose
 * once still fits next month's export even when the bank reorders its columns.
 */
export type CsvMapping = Partial<Record<CsvField, string>>

export interface CsvRow {
  /** 1-based line of the file where the row starts (a quoted cell may span lines). */
  readonly line: number
  readonly cells: readonly string[]
}

export interface CsvTable {
  readonly delimiter: string
  readonly header: readonly string[]
  readonly rows: readonly CsvRow[]
}

/** The delimiter used most in the header line: `;` (Russian Excel), `,` or a tab. */
function delimiterOf(firstLine: string): string {
  const counts = [';', ',', '\t'].map(d => [d, firstLine.split(d).length] as const)
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0]
}

/** RFC 4180 with any delimiter: quoted cells may hold the delimiter, `""` and line breaks. */
export function parseCsvTable(text: string): CsvTable {
  const source = text.replace(/^\uFEFF/, '')
  const delimiter = delimiterOf(source.split(/\r?\n/, 1)[0] ?? '')
  const records: CsvRow[] = []
  let cells: string[] = []
  let cell = ''
  let quoted = false
  let line = 1
  let rowLine = 1
  const endRow = () => {
    cells.push(cell)
    if (cells.some(c => c.trim() !== ''))
      records.push({ line: rowLine, cells: cells.map(c => c.trim()) })
    cells = []
    cell = ''
  }
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!
    if (quoted) {
      if (char === '"' && source[i + 1] === '"')
        cell += source[i++]
      else if (char === '"')
        quoted = false
      else
        cell += char
      if (char === '\n')
        line++
      continue
    }
    if (char === '"' && cell.trim() === '')
      quoted = true
    else if (char === delimiter) {
      cells.push(cell)
      cell = ''
    }
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n')
        i++
      endRow()
      rowLine = ++line
    }
    else {
      cell += char
    }
  }
  if (cell !== '' || cells.length > 0)
    endRow()
  const [header, ...rows] = records
  return { delimiter, header: header?.cells ?? [], rows }
}

const GUESSES: ReadonlyArray<readonly [CsvField, RegExp]> = [
  ['payerInn', /инн|inn|tax ?id/i],
  ['payerAccount', /сч[её]т плательщика|payer account/i],
  ['recipientAccount', /сч[её]т получателя|recipient account/i],
  ['purpose', /назначение|purpose|описание|description/i],
  ['payerName', /плательщик|контрагент|payer|counterparty/i],
  ['amount', /приход|поступлени|кредит|credit|сумма|amount/i],
  ['date', /дата|date/i],
  ['number', /номер|№|number|no\.?$/i],
]

/** A first guess at the mapping from the header's words, for the accountant to correct. */
export function guessCsvMapping(header: readonly string[]): CsvMapping {
  const mapping: CsvMapping = {}
  const taken = new Set<string>()
  for (const [field, pattern] of GUESSES) {
    const column = header.find(name => pattern.test(name) && !taken.has(name))
    if (column) {
      mapping[field] = column
      taken.add(column)
    }
  }
  return mapping
}

/** The required fields the mapping leaves out, or whose column the file does not have. */
export function missingCsvFields(header: readonly string[], mapping: CsvMapping): CsvField[] {
  return REQUIRED_CSV_FIELDS.filter(field => !mapping[field] || !header.includes(mapping[field]))
}

/** FNV-1a of the purpose: a stable stand-in for the order number in a CSV without one. */
function shortHash(text: string): string {
  let hash = 0x811C9DC5
  for (let i = 0; i < text.length; i++)
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(36)
}

type Cell = (field: CsvField) => string

function rowDocument(row: CsvRow, cell: Cell, problems: StatementProblem[]): BankDocument | 'outgoing' | null {
  const rawAmount = cell('amount').replace(/[\s\u00A0]|₽|руб\.?|RUB/gi, '')
  if (rawAmount === '' || rawAmount.startsWith('-') || /^0+(?:[.,]0+)?$/.test(rawAmount))
    return 'outgoing'
  const amountMinor = statementAmount(rawAmount.replace(/^\+/, ''))
  const date = statementDate(cell('date').split(' ')[0] ?? '')
  if (!date || amountMinor === null) {
    problems.push({ line: row.line, code: date ? 'badAmount' : 'badDate', text: date ? cell('amount') : cell('date') })
    return null
  }
  const purpose = cell('purpose')
  const payerName = cell('payerName')
  const payerInn = innOf(cell('payerInn')) || innInText(payerName)
  const number = cell('number') || `#${shortHash(purpose)}`
  const recipientAccount = cell('recipientAccount')
  return {
    line: row.line,
    number,
    date,
    receivedOn: date,
    amount: { amountMinor, currency: STATEMENT_CURRENCY },
    payerAccount: cell('payerAccount'),
    payerInn,
    payerName,
    recipientAccount,
    purpose,
    key: bankDocumentKey({ recipientAccount, date, number, amountMinor, payerInn }),
  }
}

/**
 * The statement a CSV holds under `mapping`: rows with a positive amount are incoming payments;
 * empty, zero or negative amounts are money going out (counted, not listed). Rows with an
 * unreadable date or amount are reported with their line; so is a row listed twice.
 */
export function csvStatement(table: CsvTable, mapping: CsvMapping, encoding: StatementEncoding = 'utf-8'): BankStatement {
  const index = new Map(CSV_FIELDS.map(field => [field, mapping[field] ? table.header.indexOf(mapping[field]) : -1]))
  const problems: StatementProblem[] = []
  const incoming: BankDocument[] = []
  const seen = new Set<string>()
  let outgoingCount = 0
  for (const row of table.rows) {
    const cell: Cell = field => row.cells[index.get(field) ?? -1] ?? ''
    const document = rowDocument(row, cell, problems)
    if (document === 'outgoing')
      outgoingCount++
    else if (document && seen.has(document.key))
      problems.push({ line: row.line, code: 'duplicate', text: document.number })
    else if (document) {
      incoming.push(document)
      seen.add(document.key)
    }
  }
  return { format: 'csv', encoding, accounts: [], incoming, outgoingCount, problems }
}
