import type { AjaxResult, RestrictionParams, TypeB24 } from '@bitrix24/b24jssdk'
import type { BatchOptions, BatchOutcome, PortalClient, RestCall, RestParams } from './portal-client.ts'
import { batchCommandLine, readBatchEnvelope, type BatchEnvelope } from './batch-envelope.ts'
import { PortalError, toPortalError } from './portal-error.ts'
import { isReadOnlyBatch, isReadOnlyMethod } from './read-only-method.ts'

/** Bitrix24 refuses batches of more than 50 commands (ERROR_BATCH_LENGTH_EXCEEDED). */
const MAX_BATCH_COMMANDS = 50

function firstError(result: AjaxResult<unknown>, method: string, readOnly: boolean): PortalError {
  const [error] = result.getErrors()
  return toPortalError(method, error ?? { code: 'UNKNOWN_ERROR', message: result.getErrorMessages().join('; ') }, readOnly)
}

/**
 * Transport settings for every SDK client the app creates: the SDK may wait and retry when the
 * portal refuses a request for its rate or operating limits (503/429: nothing was done), but never
 * repeats a request whose answer was lost (network error, timeout, 502/504): the portal may have
 * created the invoice or sent the e-mail already. Reads are repeated by people (retry buttons) and
 * writes are resumed by the flows, which look before they write.
 */
export const SAFE_RESTRICTION_PARAMS: Partial<RestrictionParams> = {
  retryOnNetworkError: false,
  // Node reports a dropped connection as ECONNRESET/EPIPE, a gateway error as ERR_BAD_RESPONSE: the request may have run.
  hardErrorCodes: ['ERR_BAD_RESPONSE', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED'],
}

/**
 * A `PortalClient` over an initialised SDK client: `B24Frame` in the browser, `B24Hook` or
 * `B24OAuth` in Node. Uses the SDK's own rate limiting and retries; adds none of its own.
 */
export function createSdkPortalClient(b24: TypeB24): PortalClient {
  let roundTrips = 0

  /**
   * One round trip. `readOnly`: the request only reads, so an error is retry-safe even when no answer
   * came; a write's error is retry-safe only when the portal refused it outright (`toPortalError`).
   */
  async function send<T>(method: string, params: RestParams, readOnly: boolean): Promise<T> {
    roundTrips++
    let response: AjaxResult<T>
    try {
      response = await b24.actions.v2.call.make<T>({ method, params })
    }
    catch (error) {
      throw toPortalError(method, error, readOnly)
    }
    if (!response.isSuccess)
      throw firstError(response as AjaxResult<unknown>, method, readOnly)
    return response.getData()!.result
  }

  function call<T>(method: string, params: RestParams = {}): Promise<T> {
    return send<T>(method, params, isReadOnlyMethod(method))
  }

  async function batch(calls: Readonly<Record<string, RestCall>>, options: BatchOptions = {}): Promise<Record<string, BatchOutcome>> {
    const names = Object.keys(calls)
    if (names.length === 0 || names.length > MAX_BATCH_COMMANDS)
      throw new PortalError('batch', 'ERROR_BATCH_LENGTH_EXCEEDED', `A batch takes 1 to ${MAX_BATCH_COMMANDS} commands, got ${names.length}`, 400, false)
    // The batch is sent as the plain `batch` method and its envelope read here, not through the SDK's batch
    // helper: SDK 2.2.0 reports a command whose `result_error` has an empty code (every `Email send error…`
    // of crm.activity.add, bizproc's "Wrong DOCUMENT_ID!") as a success with no result.
    const envelope = { halt: options.haltOnError ? 1 : 0, cmd: Object.fromEntries(names.map(name => [name, batchCommandLine(calls[name]!)])) }
    // A batch whose answer was lost is retry-safe only when every command of it only reads.
    const answer = await send<BatchEnvelope>('batch', envelope, isReadOnlyBatch(calls))
    return readBatchEnvelope(answer, names.map(name => [name, calls[name]!.method]))
  }

  return { call, batch, roundTrips: () => roundTrips }
}
