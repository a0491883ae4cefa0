import type { CalendarDate } from './calendar-date.ts'

/** The portal's "now": its calendar day and hour in its own offset, and the instant. */
export interface PortalClock {
  readonly today: CalendarDate
  readonly hour: number
  readonly instantMs: number
}

const SERVER_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):\d{2}:\d{2}(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/

/**
 * Reads `server.time` (`2026-12-01T09:30:00+03:00`, common/system/server-time.md): the day and
 * hour are the portal's own, whatever the clock of the machine running the app says. Null for
 * anything else.
 */
export function portalClockOf(serverTime: string): PortalClock | null {
  const match = SERVER_TIME.exec(serverTime.trim())
  const instantMs = Date.parse(serverTime)
  if (!match || !Number.isFinite(instantMs))
    return null
  return { today: match[1]!, hour: Number(match[2]), instantMs }
}

/**
 * The portal's "now" when the portal gave its time (`server.time` answered in the read's own
 * request), so a screen's day and overdue days are the ones the invoices, the reminders and the
 * runner use; `deviceNow` (the device's clock) otherwise.
 */
export function portalNow(portalTime: string | null | undefined, deviceNow: Date): Date {
  const clock = portalTime ? portalClockOf(portalTime) : null
  return clock ? new Date(clock.instantMs) : deviceNow
}
