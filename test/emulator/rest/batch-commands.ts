/**
 * batch sub-commands (R: settings/how-to-call-rest-api/batch.md): `cmd` is an object or an array of
 * `"method?url-encoded params"` strings; `$result[key][path…]` in a value refers to an earlier result.
 */
import qs from 'qs'
import type { Params } from './method-types.ts'

export const MAX_BATCH_COMMANDS = 50

export interface BatchCommand { key: string, method: string, params: Params }

export const QS_OPTIONS = { depth: 20, arrayLimit: 1000, parameterLimit: 10_000, allowDots: false } as const

export function parseQuery(query: string): Params {
  return qs.parse(query, QS_OPTIONS) as Params
}

/** `cmd` → commands in order. Keys are the object's keys, or '0', '1', … for an array. */
export function parseBatchCommands(cmd: unknown): BatchCommand[] {
  if (cmd === null || typeof cmd !== 'object') return []
  return Object.entries(cmd as Record<string, unknown>).map(([key, value]) => {
    const text = String(value ?? '')
    const mark = text.indexOf('?')
    const method = (mark === -1 ? text : text.slice(0, mark)).trim().toLowerCase().replace(/\.json$/, '')
    return { key, method, params: mark === -1 ? {} : parseQuery(text.slice(mark + 1)) }
  })
}

export function parseHalt(halt: unknown): boolean {
  return halt === true || halt === 1 || halt === '1' || halt === 'true' || halt === 'Y' || halt === 'y'
}

export class UnresolvedReferenceError extends Error {
  constructor(readonly reference: string) {
    super(`Cannot resolve batch reference ${reference}`)
  }
}

const REFERENCE = /\$result\[([^\]]*)\]((?:\[[^\]]*\])*)/g

function resolvePath(results: ReadonlyMap<string, unknown>, key: string, path: string, reference: string): unknown {
  if (!results.has(key)) throw new UnresolvedReferenceError(reference)
  let value: unknown = results.get(key)
  for (const [, segment] of path.matchAll(/\[([^\]]*)\]/g)) {
    if (value === null || typeof value !== 'object' || segment === undefined || !(segment in value)) {
      throw new UnresolvedReferenceError(reference)
    }
    value = (value as Record<string, unknown>)[segment]
  }
  return value
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'boolean') return value ? '1' : ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Replaces `$result[...]` references anywhere in the value; a value that is exactly one reference takes the referenced value as is. */
export function substituteReferences(value: unknown, results: ReadonlyMap<string, unknown>): unknown {
  if (typeof value === 'string') {
    if (!value.includes('$result[')) return value
    const whole = /^\$result\[([^\]]*)\]((?:\[[^\]]*\])*)$/.exec(value)
    if (whole) return resolvePath(results, whole[1] ?? '', whole[2] ?? '', value)
    return value.replace(REFERENCE, (reference, key: string, path: string) => stringify(resolvePath(results, key, path, reference)))
  }
  if (Array.isArray(value)) return value.map(item => substituteReferences(item, results))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteReferences(item, results)]))
  }
  return value
}

/** PHP's json_encode of an array: `[]` when empty, a list when keys are 0..n-1, else an object. */
export function phpArray(entries: ReadonlyMap<string, unknown>): unknown[] | Record<string, unknown> {
  if (entries.size === 0) return []
  const keys = [...entries.keys()]
  if (keys.every((key, index) => key === String(index))) return [...entries.values()]
  return Object.fromEntries(entries)
}
