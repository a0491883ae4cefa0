/**
 * event.offline.get, event.offline.clear, event.offline.error, event.offline.list (R: api-reference/events/
 * event-offline-get.md, event-offline-clear.md, event-offline-error.md, event-offline-list.md, offline-events.md).
 * Administrator, application context (403 ACCESS_DENIED "Access denied!" otherwise; a webhook gets WRONG_AUTH_TYPE).
 * get: `filter` on ID, TIMESTAMP_X, EVENT_NAME, MESSAGE_ID with `=`, `!`, `>`, `>=`, `<`, `<=` before the name;
 * `order` (default TIMESTAMP_X ASC); `limit` (default 50); `clear` (default 1: the records are deleted and
 * `process_id` is null, as the page's example); `clear=0` reserves them under a new `process_id` that
 * event.offline.clear / .error take; `process_id` re-selects that process's records; `error=1` adds erroneous ones.
 * Not on the pages, chosen strictly: a missing `process_id` for clear/error is 400 ERROR_ARGUMENT; `auth_connector`
 * is stored but filters nothing.
 */
import { randomBytes } from 'node:crypto'
import type { OfflineRecord } from '../app-server/app-server-state.ts'
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'
import { appServerOf } from './event.ts'

const FIELDS = ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'MESSAGE_ID'] as const
type Field = typeof FIELDS[number]

function requireAdmin(ctx: CallContext): void {
  if (!ctx.isAdmin) throw new RestError(403, 'ACCESS_DENIED', 'Access denied!')
}

function sortValue(record: OfflineRecord, field: Field): number | string {
  if (field === 'ID') return record.ID
  if (field === 'TIMESTAMP_X') return record.at
  return record[field]
}

function compare(left: number | string, right: number | string): number {
  return left < right ? -1 : left > right ? 1 : 0
}

function filterPasses(record: OfflineRecord, filter: unknown): boolean {
  if (filter === null || typeof filter !== 'object') return true
  for (const [rawKey, expected] of Object.entries(filter as Record<string, unknown>)) {
    const match = /^(>=|<=|!=|=|!|>|<)?(.+)$/.exec(rawKey)
    const operator = match?.[1] ?? '='
    const field = (match?.[2] ?? '').toUpperCase() as Field
    if (!FIELDS.includes(field)) continue
    const actual = sortValue(record, field)
    const wanted = field === 'ID' ? Number(expected) : field === 'TIMESTAMP_X' ? Date.parse(String(expected)) : field === 'EVENT_NAME' ? String(expected).toUpperCase() : String(expected)
    const order = compare(actual, wanted)
    const ok = operator === '=' ? order === 0 : operator === '!' || operator === '!=' ? order !== 0 : operator === '>' ? order > 0 : operator === '>=' ? order >= 0 : operator === '<' ? order < 0 : order <= 0
    if (!ok) return false
  }
  return true
}

function ordered(records: OfflineRecord[], order: unknown): OfflineRecord[] {
  const entries = order !== null && typeof order === 'object' ? Object.entries(order as Record<string, unknown>) : []
  const keys = entries.map(([field, direction]) => ({ field: field.toUpperCase() as Field, desc: String(direction).toUpperCase() === 'DESC' })).filter(key => FIELDS.includes(key.field))
  if (keys.length === 0) keys.push({ field: 'TIMESTAMP_X', desc: false })
  keys.push({ field: 'ID', desc: false })
  return records.slice().sort((a, b) => {
    for (const key of keys) {
      const result = compare(sortValue(a, key.field), sortValue(b, key.field))
      if (result !== 0) return key.desc ? -result : result
    }
    return 0
  })
}

function publicRecord(record: OfflineRecord, withProcess: boolean): Record<string, unknown> {
  return {
    ID: String(record.ID), TIMESTAMP_X: record.TIMESTAMP_X, EVENT_NAME: record.EVENT_NAME, EVENT_DATA: record.EVENT_DATA,
    EVENT_ADDITIONAL: record.EVENT_ADDITIONAL, MESSAGE_ID: record.MESSAGE_ID,
    ...(withProcess ? { PROCESS_ID: record.PROCESS_ID, ERROR: String(record.ERROR) } : {}),
  }
}

function flag(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback
  return value === true || value === 'Y' || Number(value) === 1
}

function listOf(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return []
  return (Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value) : [value]).map(String)
}

function requireProcessId(params: Params): string {
  const processId = params.process_id ?? params.PROCESS_ID
  if (processId === undefined || processId === null || processId === '') throw new RestError(400, 'ERROR_ARGUMENT', 'Argument \'process_id\' is null or empty')
  return String(processId)
}

const get: MethodDefinition = {
  scope: 'basic',
  appContextOnly: true,
  handler(params, ctx) {
    requireAdmin(ctx)
    const store = appServerOf(ctx)
    const processGiven = params.process_id === undefined || params.process_id === '' ? null : String(params.process_id)
    const withErrors = flag(params.error, false)
    const limit = Math.max(1, Math.min(Number(params.limit ?? 50) || 50, 1000))
    const candidates = store.offline.filter(record => (processGiven === null ? record.PROCESS_ID === '' : record.PROCESS_ID === processGiven)
      && (withErrors || record.ERROR === 0) && filterPasses(record, params.filter))
    const picked = ordered(candidates, params.order).slice(0, limit)
    const events = picked.map(record => publicRecord(record, false))
    if (flag(params.clear, true)) {
      const ids = new Set(picked.map(record => record.ID))
      store.offline = store.offline.filter(record => !ids.has(record.ID))
      return { result: { process_id: null, events }, rowsTouched: picked.length }
    }
    const processId = processGiven ?? randomBytes(16).toString('hex')
    for (const record of picked) record.PROCESS_ID = processId
    return { result: { process_id: processId, events }, rowsTouched: picked.length }
  },
}

const clear: MethodDefinition = {
  scope: 'basic',
  appContextOnly: true,
  handler(params, ctx) {
    requireAdmin(ctx)
    const processId = requireProcessId(params)
    const ids = listOf(params.id)
    const messageIds = listOf(params.message_id)
    const store = appServerOf(ctx)
    store.offline = store.offline.filter(record => !(record.PROCESS_ID === processId
      && (ids.length > 0 ? ids.includes(String(record.ID)) : messageIds.length === 0 || messageIds.includes(record.MESSAGE_ID))))
    return { result: true }
  },
}

const error: MethodDefinition = {
  scope: 'basic',
  appContextOnly: true,
  handler(params, ctx) {
    requireAdmin(ctx)
    const processId = requireProcessId(params)
    const messageIds = listOf(params.message_id)
    for (const record of appServerOf(ctx).offline) {
      if (record.PROCESS_ID === processId && messageIds.includes(record.MESSAGE_ID)) {
        record.ERROR = 1
        record.PROCESS_ID = ''
      }
    }
    return { result: true }
  },
}

const list: MethodDefinition = {
  scope: 'basic',
  appContextOnly: true,
  handler(params, ctx) {
    requireAdmin(ctx)
    const rows = ordered(appServerOf(ctx).offline.filter(record => filterPasses(record, params.filter)), params.order)
    const start = Math.max(0, Number(params.start ?? 0) || 0)
    const page = rows.slice(start, start + 50)
    return { result: page.map(record => publicRecord(record, true)), total: rows.length, ...(start + 50 < rows.length ? { next: start + 50 } : {}) }
  },
}

export const eventOfflineMethods: Record<string, MethodDefinition> = {
  'event.offline.get': get,
  'event.offline.clear': clear,
  'event.offline.error': error,
  'event.offline.list': list,
}
