import type { BatchOutcome } from './portal-client.ts'
import { PortalError } from './portal-error.ts'

/** CRM entity type ids used across the portal layer (R: api-reference/crm/data-types.md). */
export const ENTITY = { deal: 2, contact: 3, company: 4, invoice: 31 } as const

/** The error for a command a halted batch never ran. */
export function notRun(method: string): PortalError {
  return new PortalError(method, 'NOT_RUN', 'The batch stopped before this command', 200, true)
}

/** A command's payload; throws its error (or NOT_RUN) when it failed. */
export function required<T>(outcome: BatchOutcome | undefined, method: string): T {
  if (!outcome)
    throw notRun(method)
  if (!outcome.ok)
    throw outcome.error
  return outcome.result as T
}

/** A command's payload, or `fallback` when it failed: only for reads whose absence is harmless. */
export function optional<T>(outcome: BatchOutcome | undefined, fallback: T): T {
  return outcome?.ok ? outcome.result as T : fallback
}

/** A command's error, NOT_RUN when it never ran, null when it worked. */
export function errorOf(outcome: BatchOutcome | undefined, method: string): PortalError | null {
  if (!outcome)
    return notRun(method)
  return outcome.ok ? null : outcome.error
}
