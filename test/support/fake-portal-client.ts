import type { BatchOutcome, PortalClient, RestCall, RestParams } from '../../src/portal/portal-client.ts'
import { PortalError } from '../../src/portal/portal-error.ts'

/** What the fake answers for one call: a REST payload (with `total` for lists) or an error. */
export type FakeAnswer = { result: unknown, total?: number } | PortalError
type AnswerTable = Record<string, FakeAnswer | ((params: RestParams) => FakeAnswer)>

/** The one-time tokens of `replay-guard.ts` (timeline comments), answered like the portal unless a test says otherwise. */
const TOKEN_ANSWERS: AnswerTable = {
  'crm.timeline.comment.add': { result: 900 },
  'crm.timeline.comment.delete': { result: null },
}

const TOKEN_METHODS = new Set(Object.keys(TOKEN_ANSWERS))

/**
 * A PortalClient that answers from a table keyed by method name (or a function of the params)
 * and records every round trip, so tests can assert call counts.
 */
export function createFakePortalClient(table: AnswerTable) {
  const answers: AnswerTable = { ...TOKEN_ANSWERS, ...table }
  const requests: Array<{ kind: 'call' | 'batch', calls: RestCall[] }> = []
  const tokenCalls: RestCall[] = []

  function answer(call: RestCall): FakeAnswer {
    const entry = answers[call.method]
    if (entry === undefined)
      return new PortalError(call.method, 'ERROR_METHOD_NOT_FOUND', 'Method not found', 404, true)
    return typeof entry === 'function' ? entry(call.params ?? {}) : entry
  }

  const client: PortalClient = {
    async call<T>(method: string, params: RestParams = {}): Promise<T> {
      if (TOKEN_METHODS.has(method))
        tokenCalls.push({ method, params })
      else
        requests.push({ kind: 'call', calls: [{ method, params }] })
      const result = answer({ method, params })
      if (result instanceof PortalError)
        throw result
      return result.result as T
    },
    async batch(calls) {
      // The replay guard's token commands ride along in batches; tests read the business calls (`tokenCalls` has the rest).
      const guardKey = (name: string, call: RestCall) => name.startsWith('guard') || TOKEN_METHODS.has(call.method)
      requests.push({ kind: 'batch', calls: Object.entries(calls).filter(([name, call]) => !guardKey(name, call)).map(([, call]) => call) })
      tokenCalls.push(...Object.entries(calls).filter(([name, call]) => guardKey(name, call)).map(([, call]) => call))
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
  return { client, requests, tokenCalls }
}
