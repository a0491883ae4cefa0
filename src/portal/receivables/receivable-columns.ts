import type { ReceivableItemDto } from './receivables-dto.ts'
import { RECEIVABLE_SELECT } from './receivables-dto.ts'

/**
 * The kept invoice rows as columns, in chunks of `CHUNK_ROWS` rows, for IndexedDB. Structured clone
 * (the browser's, both ways) costs per value it walks: 100,000 rows as objects or arrays are 1.3
 * million values; as columns, numbers go in a `Float64Array` and repeated values (stages, pipelines,
 * dates, currencies, managers) as a small dictionary and a `Uint16Array` of codes, each copied whole.
 * Only the columns with a value per row (account numbers, ids given as strings) stay plain arrays.
 */
export const CHUNK_ROWS = 10_000

/** The stored field order: every field the dashboard selects (`RECEIVABLE_SELECT`). */
export const ROW_FIELDS: readonly (keyof ReceivableItemDto)[] = RECEIVABLE_SELECT

/** One column of a chunk. */
export type StoredColumn
  = | { readonly kind: 'numbers', readonly values: Float64Array }
    | { readonly kind: 'dictionary', readonly dictionary: readonly unknown[], readonly codes: Uint16Array }
    | { readonly kind: 'plain', readonly values: readonly unknown[] }

/** Up to `CHUNK_ROWS` rows: one column per field of `ROW_FIELDS`, in that order. */
export interface StoredChunk {
  readonly length: number
  readonly columns: readonly StoredColumn[]
}

/** Most distinct values a dictionary column holds (its codes are 16-bit). */
const MAX_DICTIONARY = 0xFFFF

function encodeColumn(values: readonly unknown[]): StoredColumn {
  if (values.every(value => typeof value === 'number'))
    return { kind: 'numbers', values: Float64Array.from(values as number[]) }
  const codes = new Uint16Array(values.length)
  const index = new Map<unknown, number>()
  const dictionary: unknown[] = []
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    let code = index.get(value)
    if (code === undefined) {
      // Mostly distinct values gain nothing from a dictionary.
      if (dictionary.length >= MAX_DICTIONARY || dictionary.length > values.length / 2)
        return { kind: 'plain', values: [...values] }
      code = dictionary.length
      index.set(value, code)
      dictionary.push(value)
    }
    codes[i] = code
  }
  return { kind: 'dictionary', dictionary, codes }
}

/** The rows (as the portal sent them) of one chunk, from `start` (at most `CHUNK_ROWS`), as columns. */
export function encodeChunk(rows: readonly ReceivableItemDto[], start: number): StoredChunk {
  const slice = rows.slice(start, start + CHUNK_ROWS)
  return { length: slice.length, columns: ROW_FIELDS.map(field => encodeColumn(slice.map(row => row[field]))) }
}

/** Rows and the chunks they were decoded from (or encoded to), chunk `i` holding rows `i × CHUNK_ROWS` on. */
export interface EncodedRows {
  readonly rows: readonly ReceivableItemDto[]
  readonly chunks: readonly StoredChunk[]
}

/**
 * The chunk of `rows` from `start` as `before` already holds it, or null: the same length and the
 * very same row objects at the same places (a refresh replaces only the rows that changed,
 * `mergeChangedRows`, so every other chunk is written back as it was read, not encoded again).
 */
export function unchangedChunk(rows: readonly ReceivableItemDto[], start: number, before: EncodedRows | null): StoredChunk | null {
  const chunk = before?.chunks[start / CHUNK_ROWS]
  const length = Math.min(CHUNK_ROWS, rows.length - start)
  if (!before || !chunk || chunk.length !== length || before.rows.length < start + length)
    return null
  for (let i = start; i < start + length; i++) {
    if (rows[i] !== before.rows[i])
      return null
  }
  return chunk
}

/**
 * A column's values by row, or throws when the column is not one `encodeColumn` writes. A numbers
 * column is read in place; a dictionary one is expanded into a preallocated array (`Array.from({ length })`
 * walked an array-like object index by index and was the decode's largest cost).
 */
function columnValues(column: StoredColumn, length: number): ArrayLike<unknown> {
  if (column.kind === 'numbers' && column.values instanceof Float64Array && column.values.length === length)
    return column.values
  if (column.kind === 'dictionary' && column.codes instanceof Uint16Array && column.codes.length === length && Array.isArray(column.dictionary)) {
    const { codes, dictionary } = column
    const values: unknown[] = new Array(length)
    for (let row = 0; row < length; row++) {
      const code = codes[row]!
      if (code >= dictionary.length)
        throw new Error('A dictionary code outside its dictionary')
      values[row] = dictionary[code]
    }
    return values
  }
  if (column.kind === 'plain' && Array.isArray(column.values) && column.values.length === length)
    return column.values as unknown[]
  throw new Error('Not a stored column')
}

/**
 * The rows back from their chunks, in order, as plain objects of one shape. Throws on anything
 * `encodeChunk` did not write (a damaged or foreign record): the caller drops the copy.
 */
export function decodeRows(chunks: unknown): ReceivableItemDto[] {
  if (!Array.isArray(chunks))
    throw new Error('No chunks')
  const rows: ReceivableItemDto[] = []
  for (const chunk of chunks as StoredChunk[]) {
    const length = chunk?.length
    if (!Number.isInteger(length) || length < 0 || !Array.isArray(chunk.columns) || chunk.columns.length !== ROW_FIELDS.length)
      throw new Error('Not a stored chunk')
    const [id, accountNumber, stageId, categoryId, begindate, closedate, opportunity, currencyId, companyId, contactId, assignedById, movedTime, parentId2]
      = chunk.columns.map(column => columnValues(column, length))
    for (let row = 0; row < length; row++) {
      // One literal in `ROW_FIELDS` order: every row of one shape.
      rows.push({
        id: id![row] as ReceivableItemDto['id'],
        accountNumber: accountNumber![row] as ReceivableItemDto['accountNumber'],
        stageId: stageId![row] as ReceivableItemDto['stageId'],
        categoryId: categoryId![row] as ReceivableItemDto['categoryId'],
        begindate: begindate![row] as ReceivableItemDto['begindate'],
        closedate: closedate![row] as ReceivableItemDto['closedate'],
        opportunity: opportunity![row] as ReceivableItemDto['opportunity'],
        currencyId: currencyId![row] as ReceivableItemDto['currencyId'],
        companyId: companyId![row] as ReceivableItemDto['companyId'],
        contactId: contactId![row] as ReceivableItemDto['contactId'],
        assignedById: assignedById![row] as ReceivableItemDto['assignedById'],
        movedTime: movedTime![row] as ReceivableItemDto['movedTime'],
        parentId2: parentId2![row] as ReceivableItemDto['parentId2'],
      })
    }
  }
  return rows
}
