import type { PortalClient } from '../../portal/portal-client.ts'
import type { PortalRecord, ServiceStore } from '../store/service-store.ts'
import type { PortalSessions } from '../portal/portal-sessions.ts'
import type { ServiceLog } from '../service-log.ts'
import type { RunUnattended } from '../service-env.ts'
import { portalClockOf } from '../../domain/portal-clock.ts'
import { findAutoIssueCandidates } from '../../flows/auto-issue.ts'
import { readServerTime } from '../../portal/server-time.ts'
import { loadPortalSettings } from '../portal/load-settings.ts'

/** Deals moved this long before the cursor are looked at again: a deal saved while the last poll read is not missed. */
const CURSOR_OVERLAP_MS = 60_000

/** What the poller asks of the event watch (`event-watch.ts`). */
export interface PollDecider {
  polls: (portal: PortalRecord) => boolean
  readonly watches: boolean
  check: (portal: PortalRecord, client: PortalClient, portalNowMs: number) => Promise<boolean>
  afterPoll: (portal: PortalRecord, clean: boolean) => Promise<void>
}

/**
 * Poll mode (Bitrix24 cannot reach the service — found by the event watch — or `INVOICE_DESK_POLL=1`):
 * every interval, per portal polled, the deals that entered a ready stage since the stored cursor
 * (`findAutoIssueCandidates` with `movedSince`) and qualify are issued through the one chain with
 * source `poll`. The cursor (the portal's `server.time` when the poll began, minus an overlap)
 * advances only after every candidate was handled; a deal seen twice finds its invoice issued.
 * Portals on events are checked by the watch on each tick and polled at once when it switches them.
 */
export function createPoller(deps: { store: ServiceStore, sessions: PortalSessions, log: ServiceLog, run: RunUnattended, now: () => number, decider?: PollDecider }) {
  let running: Promise<void> | null = null
  const decider: PollDecider = deps.decider ?? { polls: portal => portal.pollMode, watches: false, check: async () => false, afterPoll: async () => {} }

  /** One poll of a portal; true when every candidate was handled (the cursor moved) or there was nothing to do. */
  async function pollPortal(memberId: string): Promise<boolean> {
    const client = await deps.sessions.clientFor(memberId)
    if (!client)
      return false
    const clock = portalClockOf(await readServerTime(client))
    if (!clock)
      throw new Error('server.time answered no time')
    const settings = await loadPortalSettings(client)
    if (!settings.deal.autoIssue.enabled)
      return true
    const cursor = await deps.store.getPollCursor(memberId)
    const movedSince = cursor === null ? undefined : new Date(cursor - CURSOR_OVERLAP_MS)
    const candidates = await findAutoIssueCandidates(client, settings, movedSince ? { movedSince } : {})
    let failed = 0
    for (const candidate of candidates.filter(c => c.decision.issue && c.invoice === null)) {
      const result = await deps.run(memberId, candidate.dealId, 'poll')
      deps.log.info('poll.issue', { memberId, dealId: candidate.dealId, outcome: result?.outcome ?? 'not-installed', invoiceId: result?.invoiceId ?? null })
      if (!result || result.outcome === 'failed' || result.outcome === 'unknown')
        failed++
    }
    // A failed or unknown deal keeps the cursor where it was: the next poll sees it again.
    if (failed === 0)
      await deps.store.setPollCursor(memberId, clock.instantMs)
    return failed === 0
  }

  /** A portal on events: the watch looks for lost events; when it switches the portal to polling, it is polled now. */
  async function watchPortal(portal: PortalRecord): Promise<void> {
    const client = await deps.sessions.clientFor(portal.memberId)
    if (!client)
      return
    const clock = portalClockOf(await readServerTime(client))
    if (!clock)
      throw new Error('server.time answered no time')
    if (await decider.check(portal, client, clock.instantMs))
      await pollPortal(portal.memberId)
  }

  async function tick(): Promise<void> {
    for (const portal of await deps.store.listPortals()) {
      try {
        if (decider.polls(portal))
          await decider.afterPoll(portal, await pollPortal(portal.memberId))
        else if (decider.watches)
          await watchPortal(portal)
      }
      catch (error) {
        deps.log.warn('poll.failed', { memberId: portal.memberId, error: error instanceof Error ? error.message : String(error) })
      }
    }
  }

  return {
    /** One look at every portal: polled ones are polled, the others checked by the watch; overlapping ticks share the running one. */
    tick(): Promise<void> {
      running ??= tick().finally(() => {
        running = null
      })
      return running
    },
  }
}
