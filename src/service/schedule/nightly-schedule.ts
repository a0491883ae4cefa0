import type { EmailAttachment } from '../../portal/email-activity.ts'
import type { IssuedDocument } from '../../portal/issue/issue-write.ts'
import type { ServiceStore } from '../store/service-store.ts'
import type { PortalSessions } from '../portal/portal-sessions.ts'
import type { ServiceLog } from '../service-log.ts'
import { portalClockOf } from '../../domain/portal-clock.ts'
import { loadRunNightly } from '../auto/flows-port.ts'
import { newRunnerId } from '../../flows/run-reminders.ts'
import { loadPortalSettings } from '../portal/load-settings.ts'

/**
 * The nightly run per portal: on each tick, the portal's own clock (`server.time`, its day and hour
 * in its zone); from the settings' send hour on, the run is claimed for that portal-day in the store
 * (one claim per day, whatever restarts or second processes do) and `runNightly` runs — reminders,
 * subscriptions, paid follow-ups, broken promises. Test mode in the settings makes it a dry run.
 */
export function createNightlySchedule(deps: { store: ServiceStore, sessions: PortalSessions, log: ServiceLog, locale: 'ru' | 'en', fetchPdf: (document: IssuedDocument) => Promise<EmailAttachment | null> }) {
  let running: Promise<void> | null = null

  async function runPortal(memberId: string): Promise<void> {
    const client = await deps.sessions.clientFor(memberId)
    if (!client)
      return
    const clock = portalClockOf(String(await client.call<string>('server.time')))
    if (!clock || await deps.store.lastNightlyDay(memberId) === clock.today)
      return
    const settings = await loadPortalSettings(client)
    if (clock.hour < settings.reminders.sendHour)
      return
    if (!await deps.store.claimNightly(memberId, clock.today))
      return
    deps.log.info('nightly.start', { memberId, day: clock.today, hour: clock.hour })
    const runNightly = await loadRunNightly()
    const report = await runNightly(client, settings, { locale: deps.locale, dryRun: settings.testMode, runnerId: newRunnerId(), fetchPdf: deps.fetchPdf })
    deps.log.info('nightly.done', { memberId, day: clock.today, summary: JSON.stringify(summaryOf(report)) })
  }

  async function tick(): Promise<void> {
    for (const portal of await deps.store.listPortals()) {
      try {
        await runPortal(portal.memberId)
      }
      catch (error) {
        deps.log.warn('nightly.failed', { memberId: portal.memberId, error: error instanceof Error ? error.message : String(error) })
      }
    }
  }

  return {
    /** Checks every portal once; overlapping ticks share the running one. */
    tick(): Promise<void> {
      running ??= tick().finally(() => {
        running = null
      })
      return running
    },
  }
}

/** A few counts of the report for the log line (no names, no addresses). */
function summaryOf(report: unknown): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const [key, value] of Object.entries(report as Record<string, unknown>)) {
    if (Array.isArray(value))
      counts[key] = value.length
    else if (typeof value === 'number')
      counts[key] = value
  }
  return counts
}
