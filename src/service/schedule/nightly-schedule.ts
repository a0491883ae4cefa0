import type { EmailAttachment } from '../../portal/email-activity.ts'
import type { IssuedDocument } from '../../portal/issue/issue-write.ts'
import type { ServiceStore } from '../store/service-store.ts'
import type { PortalSessions } from '../portal/portal-sessions.ts'
import type { ServiceLog } from '../service-log.ts'
import { portalClockOf } from '../../domain/portal-clock.ts'
import { runNightly } from '../../flows/nightly-run.ts'
import { newRunnerId } from '../../flows/run-reminders.ts'
import { readServerTime } from '../../portal/server-time.ts'
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
    const clock = portalClockOf(await readServerTime(client))
    if (!clock || await deps.store.lastNightlyDay(memberId) === clock.today)
      return
    const settings = await loadPortalSettings(client)
    if (clock.hour < settings.reminders.sendHour)
      return
    if (!await deps.store.claimNightly(memberId, clock.today))
      return
    deps.log.info('nightly.start', { memberId, day: clock.today, hour: clock.hour })
    const report = await runNightly(client, settings, { locale: deps.locale, dryRun: settings.testMode, runnerId: newRunnerId(), fetchPdf: deps.fetchPdf, isAdmin: true })
    deps.log.info('nightly.done', { memberId, day: clock.today, dryRun: report.dryRun, sent: report.sweep?.outcomes.length ?? 0, followUps: report.followUps.length, subscriptions: report.subscriptions.length, failed: report.failed })
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
