/**
 * A stable fingerprint of the whole portal state (`GET /emulator/state-fingerprint`): sha256 of a canonical
 * JSON of every piece of `PortalState` (object keys sorted, Maps and Sets as sorted entry lists, array order
 * kept). The engine's request statistics, clock, tokens, faults and limits are not portal state and not in it.
 * Sub-states the methods create on first use (`invoiceFlow`, `bizproc`) count as their pristine value whether
 * a read has materialized them yet or not, so a read never changes the fingerprint.
 */
import { createHash } from 'node:crypto'
import { invoiceFlow } from '../data/invoice-flow-state.ts'
import type { PortalState } from '../data/portal-state.ts'

function canonical(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $number: String(value) }
  if (typeof value === 'bigint') return { $bigint: value.toString() }
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined
  if (value instanceof Date) return { $date: value.toISOString() }
  if (value instanceof Map) {
    const entries = [...value.entries()].map(([key, entry]) => [canonical(key), canonical(entry)] as const)
    return { $map: entries.map(([key, entry]) => [JSON.stringify(key), key, entry] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, key, entry]) => [key, entry]) }
  }
  if (value instanceof Set) {
    return { $set: [...value].map(canonical).map(entry => [JSON.stringify(entry), entry] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, entry]) => entry) }
  }
  if (Array.isArray(value)) return value.map(entry => canonical(entry) ?? null)
  const result: Record<string, unknown> = {}
  for (const key of Object.keys(value as Record<string, unknown>).sort()) {
    const entry = canonical((value as Record<string, unknown>)[key])
    if (entry !== undefined) result[key] = entry
  }
  return result
}

/** The bizproc sub-state as first use creates it: no workflows, the demo templates (dated by that first use). */
function isPristineBizproc(store: NonNullable<PortalState['bizproc']>): boolean {
  return store.instances.length === 0 && store.started === 0 && store.nextTemplateId === 5 && store.templates.length === 4
    && store.templates.every((template, index) => template.ID === index + 1 && template.IS_MODIFIED === 'N')
}

export function canonicalState(state: PortalState): unknown {
  const pristineFlow = invoiceFlow({} as PortalState)
  const normalized: Record<string, unknown> = { ...state }
  normalized.invoiceFlow = state.invoiceFlow ?? pristineFlow
  normalized.bizproc = state.bizproc === undefined || isPristineBizproc(state.bizproc) ? 'pristine' : state.bizproc
  return canonical(normalized)
}

export function stateFingerprint(state: PortalState): string {
  return createHash('sha256').update(JSON.stringify(canonicalState(state))).digest('hex')
}
