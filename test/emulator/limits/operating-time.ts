/**
 * Operating-time limit (R: settings/performance/limits.md): per method and per app or webhook, the summed
 * execution time over a 10-minute window; over the limit (480 s in the docs' example) the next call of that
 * method is refused with 429 OPERATION_TIME_LIMIT. `time.operating` reports the sum, `operating_reset_at`
 * the unix time the oldest accounted call leaves the window.
 */
export const OPERATING_WINDOW_MS = 600_000
export const OPERATING_LIMIT_SECONDS = 480

/**
 * The simulated processing time of one call, in seconds: 5 ms plus 0.1 ms per row read or written.
 * (A full 50-row page costs 10 ms; a scan of 100,000 rows costs 10 s.)
 */
export function simulatedProcessingSeconds(rowsTouched: number): number {
  return 0.005 + 0.0001 * rowsTouched
}

interface Usage { at: number, seconds: number }

export interface OperatingTracker {
  /** Seconds used in the window and when the oldest usage expires (unix seconds), for `clientKey` + method. */
  status(clientKey: string, method: string): { operating: number, resetAt: number }
  isBlocked(clientKey: string, method: string): boolean
  record(clientKey: string, method: string, seconds: number): void
  reset(): void
}

export function createOperatingTracker(limitSeconds: number | null, now: () => number = Date.now): OperatingTracker {
  const usages = new Map<string, Usage[]>()
  const live = (key: string): Usage[] => {
    const list = usages.get(key) ?? []
    const from = now() - OPERATING_WINDOW_MS
    let first = 0
    while (first < list.length && (list[first]?.at ?? 0) <= from) first++
    const kept = first === 0 ? list : list.slice(first)
    usages.set(key, kept)
    return kept
  }
  const status = (clientKey: string, method: string): { operating: number, resetAt: number } => {
    const list = live(`${clientKey}|${method}`)
    const operating = list.reduce((sum, usage) => sum + usage.seconds, 0)
    const oldest = list[0]?.at ?? now()
    return { operating, resetAt: Math.floor((oldest + OPERATING_WINDOW_MS) / 1000) }
  }
  return {
    status,
    isBlocked: (clientKey, method) => limitSeconds !== null && status(clientKey, method).operating >= limitSeconds,
    record(clientKey, method, seconds) {
      live(`${clientKey}|${method}`).push({ at: now(), seconds })
    },
    reset: () => usages.clear(),
  }
}
