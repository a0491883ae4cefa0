import type { BankStatement, StatementEncoding } from './bank-statement.ts'
import type { CsvTable } from './parse-csv-statement.ts'
import { decodeStatement, isBinaryStatement } from './decode-statement.ts'
import { isExchangeText, parse1CStatement } from './parse-1c-statement.ts'
import { parseCsvTable } from './parse-csv-statement.ts'

/** What a file's bytes are: a statement (1C format, or nothing usable), or a table waiting for its column mapping. */
export type OpenedBytes
  = | { readonly kind: 'statement', readonly statement: BankStatement }
    | { readonly kind: 'table', readonly table: CsvTable, readonly encoding: StatementEncoding }

/**
 * Reads a file's bytes (encoding detected, see `decodeStatement`): a 1C exchange file is parsed; a
 * table with a header and rows is a CSV table; anything else is a statement whose only content is
 * the `notStatement` problem — at once for binary bytes (an archive, a PDF, random data), whose
 * decoded "header" would be garbage.
 */
export function openStatementBytes(bytes: Uint8Array): OpenedBytes {
  if (isBinaryStatement(bytes))
    return { kind: 'statement', statement: { format: '1c', encoding: 'utf-8', accounts: [], incoming: [], outgoingCount: 0, problems: [{ line: 0, code: 'notStatement', text: '' }] } }
  const { text, encoding } = decodeStatement(bytes)
  if (isExchangeText(text))
    return { kind: 'statement', statement: parse1CStatement(text, encoding) }
  const table = parseCsvTable(text)
  if (table.header.length < 3 || table.rows.length === 0)
    return { kind: 'statement', statement: parse1CStatement(text, encoding) }
  return { kind: 'table', table, encoding }
}
