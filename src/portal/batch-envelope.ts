import qs from 'qs'
import type { BatchOutcome, RestCall } from './portal-client.ts'
import { notRun } from './batch-outcome.ts'
import { PortalError } from './portal-error.ts'

/**
 * The `batch` method's answer as Bitrix24 sends it (R: settings/how-to-call-rest-api/batch.md): each
 * part keyed by command name, and an empty part is `[]` (PHP's empty array), a list when the names are 0…n-1.
 */
export interface BatchEnvelope {
  readonly result?: unknown
  readonly result_error?: unknown
  readonly result_total?: unknown
}

/** One command as the `cmd` value Bitrix24 expects: `method?url-encoded params`, brackets for nesting (as the SDK builds it). */
export function batchCommandLine(call: RestCall): string {
  return `${call.method}?${qs.stringify(call.params ?? {})}`
}

function partOf(part: unknown, name: string): unknown {
  if (part === null || typeof part !== 'object')
    return undefined
  return Object.hasOwn(part, name) ? (part as Record<string, unknown>)[name] : undefined
}

/**
 * A command's entry in `result_error`, whatever its code. Several methods fail with an EMPTY code
 * (`"error": ""`: crm.activity.add's `Email send error…` and `Access denied.`, bizproc.workflow.start's
 * `Wrong DOCUMENT_ID!`, crm.automation.trigger.execute for an unregistered code — R: the methods' pages);
 * such an entry is a failure all the same. Its code becomes `PORTAL_ERROR`, as for a single call.
 */
function commandError(entry: unknown, method: string): PortalError {
  const raw = typeof entry === 'string' ? { error: entry } : (entry ?? {}) as { error?: unknown, error_description?: unknown }
  const code = typeof raw.error === 'string' && raw.error !== '' && raw.error !== '0' ? raw.error : 'PORTAL_ERROR'
  const description = typeof raw.error_description === 'string' && raw.error_description !== '' ? raw.error_description : code
  // The portal answered and refused this command: nothing of it was done, so repeating it is safe.
  return new PortalError(method, code, description, 400, true)
}

/**
 * Each named command's outcome from the raw envelope. A command with an entry in `result_error` failed
 * (even with an empty code and no result); one with neither a result nor an error never ran (`halt`).
 */
export function readBatchEnvelope(envelope: BatchEnvelope | null | undefined, commands: ReadonlyArray<readonly [string, string]>): Record<string, BatchOutcome> {
  const outcomes: Record<string, BatchOutcome> = {}
  for (const [name, method] of commands) {
    const error = partOf(envelope?.result_error, name)
    const result = partOf(envelope?.result, name)
    if (error !== undefined)
      outcomes[name] = { ok: false, error: commandError(error, method) }
    else if (result === undefined)
      outcomes[name] = { ok: false, error: notRun(method) }
    else
      outcomes[name] = { ok: true, result, total: Number(partOf(envelope?.result_total, name) ?? 0) || 0 }
  }
  return outcomes
}
