/**
 * List semantics shared by every list method (R: settings/how-to-call-rest-api/list-methods-pecularities.md,
 * settings/performance/huge-data.md, api-reference/crm/universal/crm-item-list.md):
 * - 50 rows a page; `start` is an offset; `next` only when more rows match; `total` counts all matches;
 * - `start = -1`: no count (`total` 0, no `next`), meant for keyset paging with `>id`;
 * - filter prefixes `=` (default), `!=`/`!`, `>`, `>=`, `<`, `<=`, `@` (IN), `!@`, `%`/`!%` (LIKE),
 *   `=%`/`%=`/`!=%`/`!%=` (LIKE with your own `%`), `logic: 'OR'` blocks;
 * - values compared loosely like PHP (`5 == '5'`), date fields by calendar date, datetime fields as instants.
 */
import { parsePortalDate, parsePortalInstant } from '../core/portal-time.ts'
import { lowerBoundById } from '../data/portal-state.ts'
import { systemErrors } from './rest-error.ts'

export const PAGE_SIZE = 50

export type Row = Record<string, unknown>
export type FieldTemporalKind = 'date' | 'datetime'

export interface ListOptions {
  /** Date and datetime fields: compared as dates / instants. */
  temporalFields?: ReadonlyMap<string, FieldTemporalKind>
  /** When given, other filter/order fields are refused with INVALID_ARG_VALUE (as crm.item.list does). */
  allowedFields?: ReadonlySet<string>
  /** The rows are sorted by this numeric key ascending (enables binary search for `>id`). */
  sortedByKey?: string
  /** Order when the caller gives none. */
  defaultOrder?: Record<string, 'ASC' | 'DESC'>
  /** Field names are matched case-insensitively (crm.status.list uses UPPER_CASE but accepts any case). */
  caseInsensitiveFields?: boolean
  pageSize?: number
}

export interface ListPage<T> {
  rows: T[]
  /** Matches counted (0 in `start = -1` mode, as the portal does). */
  total: number
  next?: number
  /** Rows looked at: drives the simulated cost. */
  scanned: number
}

type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '@' | '!@' | '%' | '!%' | '=%' | '!=%'

interface Condition { kind: 'condition', field: string, operator: Operator, value: unknown }
interface Group { kind: 'group', logic: 'AND' | 'OR', parts: Predicate[] }
type Predicate = Condition | Group

const PREFIXES: readonly [string, Operator][] = [
  ['!=%', '!=%'], ['!%=', '!=%'], ['>=', '>='], ['<=', '<='], ['!=', '!='], ['!@', '!@'], ['!%', '!%'],
  ['=%', '=%'], ['%=', '=%'], ['>', '>'], ['<', '<'], ['@', '@'], ['%', '%'], ['!', '!='], ['=', '='],
]

/** Splits `>=createdTime` into operator and field. */
export function parseFilterKey(key: string): { operator: Operator, field: string } {
  for (const [prefix, operator] of PREFIXES) {
    if (key.startsWith(prefix)) return { operator, field: key.slice(prefix.length) }
  }
  return { operator: '=', field: key }
}

/** qs turns long arrays into `{ '0': …, '1': … }`: read both as a list. */
export function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (value !== null && typeof value === 'object') return Object.values(value)
  if (value === undefined || value === null || value === '') return []
  return [value]
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

export function parseFilter(filter: unknown, options: ListOptions = {}): Group {
  if (filter === undefined || filter === null || filter === '' || (Array.isArray(filter) && filter.length === 0)) {
    return { kind: 'group', logic: 'AND', parts: [] }
  }
  // `filter[0][logic]=OR&filter[0][>=updatedTime]=…` (the nested OR block of crm-item-list.md's example, sent as a
  // form) is one PHP array: qs reads it as a list, the portal as a map with the key 0.
  if (Array.isArray(filter) && filter.every(isPlainObject)) return parseFilter(Object.fromEntries(filter.map((part, index) => [String(index), part])), options)
  if (!isPlainObject(filter)) throw systemErrors.invalidArg('Invalid filter: filter must be an object')
  const logic = String(filter.logic ?? filter.LOGIC ?? 'AND').toUpperCase() === 'OR' ? 'OR' : 'AND'
  const parts: Predicate[] = []
  for (const [key, value] of Object.entries(filter)) {
    if (key.toLowerCase() === 'logic') continue
    if (/^\d+$/.test(key) || key === '') {
      if (isPlainObject(value)) parts.push(parseFilter(value, options))
      continue
    }
    const { operator, field } = parseFilterKey(key)
    const name = resolveField(field, options, 'filter')
    parts.push({ kind: 'condition', field: name, operator, value })
  }
  return { kind: 'group', logic, parts }
}

function resolveField(field: string, options: ListOptions, where: 'filter' | 'order'): string {
  const name = options.caseInsensitiveFields ? field.toUpperCase() : field
  if (options.allowedFields && !options.allowedFields.has(name)) {
    throw systemErrors.invalidArg(`Invalid ${where}: field '${field}' is not allowed in ${where}`)
  }
  return name
}

// ---- comparison, PHP-like ----

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/

function toNumberIfNumeric(value: unknown): number | null {
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value)
  return null
}

/** A value made comparable for one field: numbers stay numbers, dates become days/instants. */
function comparable(value: unknown, temporal: FieldTemporalKind | undefined): string | number | null {
  if (value === null || value === undefined || value === '') return null
  if (temporal === 'date') return parsePortalDate(value)
  if (temporal === 'datetime') return parsePortalInstant(value)
  const numeric = toNumberIfNumeric(value)
  if (numeric !== null) return numeric
  return String(value)
}

/** -1/0/1, or NaN when the two cannot be ordered (e.g. one is null). */
export function compareLoose(left: unknown, right: unknown, temporal?: FieldTemporalKind): number {
  const a = comparable(left, temporal)
  const b = comparable(right, temporal)
  if (a === null && b === null) return 0
  if (a === null || b === null) return Number.NaN
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1
  const sa = String(a)
  const sb = String(b)
  return sa === sb ? 0 : sa < sb ? -1 : 1
}

function equalsLoose(left: unknown, right: unknown, temporal?: FieldTemporalKind): boolean {
  if (Array.isArray(left)) return left.some(item => equalsLoose(item, right, temporal))
  const a = comparable(left, temporal)
  const b = comparable(right, temporal)
  if (a === null || b === null) {
    // 0 and '' and null are "empty" for the ORM: `companyId = 0` matches an unlinked item.
    const emptyA = a === null || a === 0
    const emptyB = b === null || b === 0
    return emptyA && emptyB
  }
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase()
  return a === b
}

function likePattern(pattern: string, userWildcards: boolean): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const body = userWildcards ? escaped.replace(/%/g, '.*').replace(/_/g, '.') : `.*${escaped}.*`
  return new RegExp(`^${body}$`, 'is')
}

function testCondition(row: Row, condition: Condition, temporalFields: ReadonlyMap<string, FieldTemporalKind> | undefined): boolean {
  const actual = row[condition.field]
  const temporal = temporalFields?.get(condition.field)
  const { operator, value } = condition
  switch (operator) {
    case '=':
      return Array.isArray(value) || isPlainObject(value)
        ? asList(value).some(item => equalsLoose(actual, item, temporal))
        : equalsLoose(actual, value, temporal)
    case '!=':
      return Array.isArray(value) || isPlainObject(value)
        ? !asList(value).some(item => equalsLoose(actual, item, temporal))
        : !equalsLoose(actual, value, temporal)
    case '@': return asList(value).some(item => equalsLoose(actual, item, temporal))
    case '!@': return !asList(value).some(item => equalsLoose(actual, item, temporal))
    case '>': return compareLoose(actual, value, temporal) > 0
    case '>=': return compareLoose(actual, value, temporal) >= 0
    case '<': return compareLoose(actual, value, temporal) < 0
    case '<=': return compareLoose(actual, value, temporal) <= 0
    case '%':
    case '!%': {
      const matches = actual !== null && actual !== undefined && likePattern(String(value ?? ''), false).test(String(actual))
      return operator === '%' ? matches : !matches
    }
    case '=%':
    case '!=%': {
      const matches = actual !== null && actual !== undefined && likePattern(String(value ?? ''), true).test(String(actual))
      return operator === '=%' ? matches : !matches
    }
  }
}

export function matchesFilter(row: Row, predicate: Predicate, temporalFields?: ReadonlyMap<string, FieldTemporalKind>): boolean {
  if (predicate.kind === 'condition') return testCondition(row, predicate, temporalFields)
  if (predicate.parts.length === 0) return true
  return predicate.logic === 'OR'
    ? predicate.parts.some(part => matchesFilter(row, part, temporalFields))
    : predicate.parts.every(part => matchesFilter(row, part, temporalFields))
}

// ---- order ----

export interface OrderKey { field: string, direction: 1 | -1 }

export function parseOrder(order: unknown, options: ListOptions = {}): OrderKey[] {
  const source = order === undefined || order === null || order === '' || (Array.isArray(order) && order.length === 0)
    ? options.defaultOrder ?? {}
    : order
  if (!isPlainObject(source)) throw systemErrors.invalidArg('Invalid order: order must be an object')
  return Object.entries(source).map(([field, direction]) => {
    const name = resolveField(field, options, 'order')
    const text = String(direction).toUpperCase()
    if (text !== 'ASC' && text !== 'DESC') {
      throw systemErrors.invalidArg(`Invalid order: allowed sort directions are ASC, DESC. But got '${String(direction)}' for field '${field}'`)
    }
    return { field: name, direction: text === 'ASC' ? 1 : -1 }
  })
}

function compareForOrder(a: Row, b: Row, keys: readonly OrderKey[], temporalFields?: ReadonlyMap<string, FieldTemporalKind>): number {
  for (const key of keys) {
    const left = a[key.field]
    const right = b[key.field]
    let result = compareLoose(left, right, temporalFields?.get(key.field))
    if (Number.isNaN(result)) {
      // NULLs sort first ascending, last descending (MySQL).
      const leftEmpty = comparable(left, temporalFields?.get(key.field)) === null
      result = leftEmpty ? -1 : 1
    }
    if (result !== 0) return result * key.direction
  }
  return 0
}

// ---- paging ----

export function parseStart(start: unknown): number {
  if (start === undefined || start === null || start === '') return 0
  const value = Number(start)
  if (!Number.isFinite(value)) return 0
  if (value < 0) return -1
  return Math.floor(value)
}

/** Lower bound given by a `>key`/`>=key` condition at the top level of an AND filter. */
function keysetLowerBound(filter: Group, key: string): number | null {
  if (filter.logic !== 'AND') return null
  let bound: number | null = null
  for (const part of filter.parts) {
    if (part.kind !== 'condition' || part.field !== key) continue
    const value = toNumberIfNumeric(part.value)
    if (value === null) continue
    const candidate = part.operator === '>' ? Math.floor(value) + 1 : part.operator === '>=' ? Math.ceil(value) : null
    if (candidate !== null && (bound === null || candidate > bound)) bound = candidate
  }
  return bound
}

export interface ListInput { filter?: unknown, order?: unknown, start?: unknown }

/** Filters, orders and pages rows. Rows are returned as they are (projection is the caller's). */
export function runListQuery<T extends Row>(rows: readonly T[], input: ListInput, options: ListOptions = {}): ListPage<T> {
  const pageSize = options.pageSize ?? PAGE_SIZE
  const filter = parseFilter(input.filter, options)
  const order = parseOrder(input.order, options)
  const start = parseStart(input.start)
  const temporal = options.temporalFields
  const sortedKey = options.sortedByKey
  const naturalOrder = order.length === 0 || (order.length === 1 && order[0]?.field === sortedKey && sortedKey !== undefined)
  const descending = naturalOrder && order[0]?.direction === -1

  if (start === -1 && naturalOrder && sortedKey !== undefined) {
    // Keyset mode over an id-sorted array: jump to the bound, stop at a full page.
    const bound = descending ? null : keysetLowerBound(filter, sortedKey)
    const page: T[] = []
    let scanned = 0
    if (descending) {
      for (let index = rows.length - 1; index >= 0 && page.length < pageSize; index--) {
        const row = rows[index] as T
        scanned++
        if (matchesFilter(row, filter, temporal)) page.push(row)
      }
    }
    else {
      const from = bound === null ? 0 : lowerBoundById(rows as unknown as { id: number }[], bound)
      for (let index = from; index < rows.length && page.length < pageSize; index++) {
        const row = rows[index] as T
        scanned++
        if (matchesFilter(row, filter, temporal)) page.push(row)
      }
    }
    return { rows: page, total: 0, scanned }
  }

  let matches = rows.filter(row => matchesFilter(row, filter, temporal))
  if (!naturalOrder || sortedKey === undefined) {
    const keys = sortedKey && !order.some(key => key.field === sortedKey) ? [...order, { field: sortedKey, direction: 1 as const }] : order
    matches = matches.slice().sort((a, b) => compareForOrder(a, b, keys, temporal))
  }
  else if (descending) {
    matches = matches.slice().reverse()
  }
  const offset = start === -1 ? 0 : start
  const page = matches.slice(offset, offset + pageSize)
  if (start === -1) return { rows: page, total: 0, scanned: rows.length }
  const next = matches.length > offset + pageSize ? offset + pageSize : undefined
  return { rows: page, total: matches.length, ...(next === undefined ? {} : { next }), scanned: rows.length }
}

/**
 * Projection for `select`: `['*']`, nothing or an empty list = every field but the star-only ones are
 * added only by `*`; otherwise the listed fields in the item's own key order, plus `id`.
 */
export function projectRow(row: Row, select: unknown, options: { alwaysInclude?: readonly string[], starOnly?: ReadonlySet<string> } = {}): Row {
  const fields = asList(select).map(String)
  if (fields.length === 0 || fields.includes('*')) return { ...row }
  const wanted = new Set([...fields, ...(options.alwaysInclude ?? [])])
  const projected: Row = {}
  for (const [key, value] of Object.entries(row)) {
    if (wanted.has(key) && !options.starOnly?.has(key)) projected[key] = value
  }
  return projected
}
