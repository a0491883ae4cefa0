import type { BatchOutcome, PortalClient, RestCall, RestParams } from '../../src/portal/portal-client.ts'
import { PortalError } from '../../src/portal/portal-error.ts'

/** What the fake answers for one call: a REST payload (with `total` for lists) or an error. */
export type FakeAnswer = { result: unknown, total?: number } | PortalError
type AnswerTable = Record<string, FakeAnswer | ((params: RestParams) => FakeAnswer)>

/**
 * A PortalClient that answers from a table keyed by method name (or a function of the params)
 * and records every round trip, so tests can assert call counts.
 */
export function createFakePortalClient(answers: AnswerTable) {
  const requests: Array<{ kind: 'call' | 'batch', calls: RestCall[] }> = []

  function answer(call: RestCall): FakeAnswer {
    const entry = answers[call.method]
    if (entry === undefined)
      return new PortalError(call.method, 'ERROR_METHOD_NOT_FOUND', 'Method not found', 404, true)
    return typeof entry === 'function' ? entry(call.params ?? {}) : entry
  }

  const client: PortalClient = {
    async call<T>(method: string, params: RestParams = {}): Promise<T> {
      requests.push({ kind: 'call', calls: [{ method, params }] })
      const result = answer({ method, params })
      if (result instanceof PortalError)
        throw result
      return result.result as T
    },
    async batch(calls) {
      requests.push({ kind: 'batch', calls: Object.values(calls) })
      const outcomes: Record<string, BatchOutcome> = {}
      for (const [name, call] of Object.entries(calls)) {
        const result = answer(call)
        outcomes[name] = result instanceof PortalError
          ? { ok: false, error: result }
          : { ok: true, result: result.result, total: result.total ?? 0 }
      }
      return outcomes
    },
    roundTrips: () => requests.length,
  }
  return { client, requests }
}
