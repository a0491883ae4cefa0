import type { BatchOptions, PortalClient, RestCall, RestParams } from './portal-client.ts'
import { PortalError } from './portal-error.ts'

/**
 * The portal refused the whole request for its request rate (503 `QUERY_LIMIT_EXCEEDED`) or a
 * method's operating time (429 `OPERATION_TIME_LIMIT`): nothing of it ran, so sending it again
 * cannot do anything twice (R: settings/performance/limits.md).
 */
export function isLimitRefusal(error: unknown): boolean {
  return error instanceof PortalError
    && (error.code === 'QUERY_LIMIT_EXCEEDED' || error.code === 'OPERATION_TIME_LIMIT' || error.status === 503 || error.status === 429)
}

/** How a client waits out the portal's limits. */
export interface LimitWaitOptions {
  /** Waits `ms` milliseconds; injected so tests can use fake timers. */
  readonly sleep: (ms: number) => Promise<void>
  /** Told before each wait: how long it will be (ms) and which REST method was refused. */
  readonly onWait?: (ms: number, method: string) => void
  /** Told when a request that waited got through. */
  readonly onResume?: () => void
  /** Gives up (throws the portal's refusal) once it has waited this long in all for one request. Default 180 000 ms. */
  readonly maxWaitMs?: number
}

/** The pause before the n-th repeat (0-based): 2, 4, 8, 10, 10 … s — the cloud bucket frees 2 requests a second, an operating block lasts up to 10 minutes. */
function pauseMs(attempt: number, error: PortalError): number {
  const base = error.code === 'OPERATION_TIME_LIMIT' || error.status === 429 ? 10_000 : 2_000
  return Math.min(base * 2 ** attempt, 10_000)
}

/**
 * A client that waits out limit refusals before giving up. The SDK retries them too, but only
 * `maxRetries` times (3 by default, about 4 s in all), which a bucket drained by other apps or the
 * reminder runner outlasts; here the wait is long and visible (`onWait`). Every other error,
 * and any answer at all, goes straight to the caller: only a request the portal refused as a
 * whole is sent again.
 */
export function withLimitWaits(client: PortalClient, options: LimitWaitOptions): PortalClient {
  async function patiently<T>(work: () => Promise<T>): Promise<T> {
    let waited = 0
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await work()
        if (attempt > 0)
          options.onResume?.()
        return result
      }
      catch (error) {
        if (!(error instanceof PortalError) || !isLimitRefusal(error) || waited >= (options.maxWaitMs ?? 180_000))
          throw error
        const pause = pauseMs(attempt, error)
        options.onWait?.(pause, error.method)
        await options.sleep(pause)
        waited += pause
      }
    }
  }
  return {
    call: <T>(method: string, params?: RestParams) => patiently(() => client.call<T>(method, params)),
    batch: (calls: Readonly<Record<string, RestCall>>, batchOptions?: BatchOptions) => patiently(() => client.batch(calls, batchOptions)),
    roundTrips: () => client.roundTrips(),
  }
}
