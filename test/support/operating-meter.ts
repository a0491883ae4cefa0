import type { PortalEngine } from '../emulator/engine.ts'

/** What the portal's methods cost, summed from the `time.processing` of every answer (what feeds `time.operating`). */
export interface OperatingMeter {
  /** Seconds of operating time used, all methods or one. */
  seconds(method?: string): number
  /** Calls (batch commands included) of one method. */
  calls(method: string): number
  /** The method that used the most, with its seconds. */
  busiest(): { method: string, seconds: number } | null
  reset(): void
}

/**
 * Meters an in-process emulator's per-method operating time (R: settings/performance/limits.md: a
 * method's operating time is summed per 10 minutes and limited to 480 s): every command run, alone
 * or inside a batch, adds its answer's `time.processing`.
 */
export function meterOperatingTime(engine: PortalEngine): OperatingMeter {
  const used = new Map<string, { seconds: number, calls: number }>()
  const original = engine.execute.bind(engine)
  engine.execute = (method, params, caller) => {
    const outcome = original(method, params, caller)
    const entry = used.get(method) ?? { seconds: 0, calls: 0 }
    used.set(method, { seconds: entry.seconds + outcome.time.processing, calls: entry.calls + 1 })
    return outcome
  }
  return {
    seconds: method => (method === undefined ? [...used.values()].reduce((sum, entry) => sum + entry.seconds, 0) : used.get(method)?.seconds ?? 0),
    calls: method => used.get(method)?.calls ?? 0,
    busiest: () => [...used].map(([method, entry]) => ({ method, seconds: entry.seconds })).sort((a, b) => b.seconds - a.seconds)[0] ?? null,
    reset: () => used.clear(),
  }
}
