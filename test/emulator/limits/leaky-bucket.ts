/**
 * Request-rate limit, per portal (R: settings/performance/limits.md): every request adds 1 to a counter
 * that drains by `drainPerSecond`; once the counter is above `burst` the request is refused (503
 * QUERY_LIMIT_EXCEEDED) and does not add to the counter.
 */
export interface LeakyBucketSettings { burst: number, drainPerSecond: number }

export const RATE_LIMITS = {
  cloud: { burst: 50, drainPerSecond: 2 },
  enterprise: { burst: 250, drainPerSecond: 5 },
} as const satisfies Record<string, LeakyBucketSettings>

export interface LeakyBucket {
  /** True when the request may pass (and is counted). */
  tryAcquire(): boolean
  level(): number
  reset(): void
}

export function createLeakyBucket(settings: LeakyBucketSettings, now: () => number = Date.now): LeakyBucket {
  let counter = 0
  let updatedAt = now()
  const drain = (): void => {
    const at = now()
    counter = Math.max(0, counter - ((at - updatedAt) / 1000) * settings.drainPerSecond)
    updatedAt = at
  }
  return {
    tryAcquire() {
      drain()
      if (counter + 1 > settings.burst) return false
      counter += 1
      return true
    },
    level() {
      drain()
      return counter
    },
    reset() {
      counter = 0
      updatedAt = now()
    },
  }
}
