/** The `time` object (R: api-reference/data-types.md #time, settings/performance/limits.md). Real wall-clock time. */
import { formatPortalDateTime } from '../core/portal-time.ts'

export interface TimeInfo {
  start: number
  finish: number
  duration: number
  processing: number
  date_start: string
  date_finish: string
  operating_reset_at?: number
  operating?: number
}

export function timeInfo(startMs: number, processingSeconds: number, operating?: { operating: number, resetAt: number }): TimeInfo {
  const finishMs = Math.max(Date.now(), startMs + processingSeconds * 1000)
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration: (finishMs - startMs) / 1000,
    processing: processingSeconds,
    date_start: formatPortalDateTime(startMs),
    date_finish: formatPortalDateTime(finishMs),
    ...(operating ? { operating_reset_at: operating.resetAt, operating: operating.operating } : {}),
  }
}
