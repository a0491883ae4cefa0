import { Agent } from 'node:https'
import { ApiVersion, B24Hook } from '@bitrix24/b24jssdk'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import { createSdkPortalClient, SAFE_RESTRICTION_PARAMS } from '../../src/portal/sdk-portal-client.ts'
import type { PortalEngine } from '../emulator/engine.ts'

/**
 * A webhook `PortalClient` (as `connectWithWebhook` makes it) that also reads the operating time the
 * portal reports in every answer (R: settings/performance/limits.md; the `time` structure,
 * api-reference/data-types.md): `time.operating` is the method's accumulated execution time in the
 * 10-minute window for this app or webhook, so its growth over the calls measured (from the first
 * call's `operating` less that call's `processing`) is what they cost;
 * inside a batch each command's `result_time` entry is counted against the command's own method.
 */
export interface MeteredPortal {
  readonly portal: PortalClient
  /** Per method: how far `time.operating` grew since the first answer after the last `reset` (seconds). */
  readonly operating: () => ReadonlyMap<string, number>
  /** Summed over methods (seconds). */
  readonly totalSeconds: () => number
  /** The one method closest to its 480 s budget: its name and seconds. */
  readonly busiest: () => { method: string, seconds: number }
  readonly reset: () => void
}

interface TimeEntry { operating?: number, processing?: number }

function commandMethods(data: unknown): Map<string, string> {
  const body = typeof data === 'string' ? (JSON.parse(data) as { cmd?: Record<string, string> }) : (data as { cmd?: Record<string, string> } | undefined)
  return new Map(Object.entries(body?.cmd ?? {}).map(([name, line]) => [name, line.split('?')[0]!]))
}

export function meteredWebhook(webhookUrl: string, caCertificate: string): MeteredPortal {
  const hook = B24Hook.fromWebhookUrl(webhookUrl, { restrictionParams: SAFE_RESTRICTION_PARAMS })
  let seen = new Map<string, number>()
  // What the window held before the first call seen (that call's `operating` less its own `processing`).
  let before = new Map<string, number>()
  const note = (method: string, time: TimeEntry | undefined) => {
    if (typeof time?.operating !== 'number')
      return
    if (!before.has(method))
      before.set(method, Math.max(0, time.operating - (time.processing ?? 0)))
    seen.set(method, Math.max(seen.get(method) ?? 0, time.operating - before.get(method)!))
  }
  const agent = new Agent({ ca: caCertificate, keepAlive: true })
  const client = hook.getHttpClient(ApiVersion.v2).ajaxClient
  client.defaults.httpsAgent = agent
  hook.getHttpClient(ApiVersion.v3).ajaxClient.defaults.httpsAgent = agent
  client.interceptors.response.use((response) => {
    const method = decodeURIComponent(String(response.config.url ?? '').split('?')[0]!.replace(/\.json$/, '').split('/').pop() ?? '')
    const body = response.data as { time?: TimeEntry, result?: { result_time?: Record<string, TimeEntry> | unknown[] } } | undefined
    if (method === 'batch') {
      const methods = commandMethods(response.config.data)
      const times = body?.result?.result_time
      if (times && typeof times === 'object' && !Array.isArray(times)) {
        for (const [name, time] of Object.entries(times))
          note(methods.get(name) ?? name, time)
      }
    }
    else {
      note(method, body?.time)
    }
    return response
  })
  const portal = createSdkPortalClient(hook)
  return {
    portal,
    operating: () => new Map(seen),
    totalSeconds: () => [...seen.values()].reduce((sum, seconds) => sum + seconds, 0),
    busiest: () => [...seen].reduce((top, [method, seconds]) => (seconds > top.seconds ? { method, seconds } : top), { method: '', seconds: 0 }),
    reset: () => {
      seen = new Map()
      before = new Map()
    },
  }
}

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
