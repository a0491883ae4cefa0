import type { PollSetting } from '../config.ts'
import type { PortalClient } from '../../portal/portal-client.ts'
import type { PortalRecord, ServiceStore } from '../store/service-store.ts'
import type { ServiceLog } from '../service-log.ts'
import { listDealsChangedBetween } from '../../portal/node/changed-deals.ts'

/** Why a portal is polled: `forced` by `INVOICE_DESK_POLL=1`, `events-missed` found by the watch. */
export type PollReason = 'forced' | 'events-missed'

/**
 * What `/health` shows per portal. `/health` answers anyone who can reach the service, so it names
 * no portal (no domain, no member id): which portal is polled, and why, is in the service's log (`poll.on`).
 */
export interface PortalDelivery {
  readonly delivery: 'events' | 'poll'
  readonly reason: PollReason | null
  /** Since when (ISO, service clock) the portal is polled by the watch's decision, when known. */
  readonly since: string | null
}

function instantOf(text: string): number | null {
  const ms = Date.parse(text)
  return Number.isFinite(ms) ? ms : null
}

/**
 * Watches whether a portal's deal events reach the service (README «The Invoice Desk service» ›
 * «Events or polling»). Every deal change raises ONCRMDEALUPDATE (R:
 * api-reference/crm/deals/events/on-crm-deal-update.md), and its `ts` is the portal's time of the
 * change. So a deal whose `updatedTime` is later than the newest event received, and older than
 * `graceMs` by the portal's clock, is a change whose event never came: the portal cannot deliver to
 * the service (a firewall, a wrong public URL, the service down when it was sent). Then the portal is
 * polled (`pollMode`), its cursor set to the last event received, so the poll looks at exactly the
 * deals whose events were lost. When an event arrives again, the next poll that handles every deal
 * covers the gap and the portal goes back to events. A deal changed only by its creation is not counted (ONCRMDEALADD is
 * not bound). With `INVOICE_DESK_POLL=1` every portal is polled, with `=0` none: the watch decides nothing.
 */
export function createEventWatch(deps: { store: ServiceStore, log: ServiceLog, poll: PollSetting, graceMs: number, now: () => number }) {
  /** The portal's time (ms) of the newest verified event received, or of the first look when none came yet. */
  const lastEventAt = new Map<string, number>()
  const pollingSince = new Map<string, number>()
  /** Polled portals whose events arrive again: they go back to events after their next clean poll. */
  const returning = new Set<string>()

  /** Whether the poller polls this portal now. */
  function polls(portal: PortalRecord): boolean {
    return deps.poll === 'on' || (deps.poll === 'auto' && portal.pollMode)
  }

  return {
    polls,
    /** Whether the watch looks for lost events at all (`INVOICE_DESK_POLL` unset). */
    watches: deps.poll === 'auto',
    /** Counts changes from `portalNowMs` on when nothing is known yet of the portal (install). */
    watchFrom(memberId: string, portalNowMs: number): void {
      if (!lastEventAt.has(memberId))
        lastEventAt.set(memberId, portalNowMs)
    },
    /** A verified event of the portal arrived; `ts` is its `ts` (the portal's unix seconds). */
    async eventArrived(portal: PortalRecord, ts: string): Promise<void> {
      const at = Number(ts) * 1000
      if (Number.isFinite(at) && at > 0)
        lastEventAt.set(portal.memberId, Math.max(at, lastEventAt.get(portal.memberId) ?? 0))
      if (deps.poll === 'auto' && portal.pollMode && !returning.has(portal.memberId)) {
        returning.add(portal.memberId)
        deps.log.info('poll.events-back', { memberId: portal.memberId })
      }
    },
    /**
     * After a poll of the portal: when its events arrive again and the poll handled every deal (the
     * cursor moved past the time they were lost), it goes back to events. A poll with deals left over
     * (another run still holds one) keeps polling: the next one looks again.
     */
    async afterPoll(portal: PortalRecord, clean: boolean): Promise<void> {
      if (!clean || !returning.has(portal.memberId) || deps.poll !== 'auto')
        return
      await deps.store.setPollMode(portal.memberId, false)
      returning.delete(portal.memberId)
      pollingSince.delete(portal.memberId)
      deps.log.info('poll.off', { memberId: portal.memberId, reason: 'events-arrive' })
    },
    /**
     * For a portal on events (`auto` only): looks for a deal change whose event did not come within
     * the grace; when found, switches the portal to polling. `portalNowMs` is the portal's clock.
     * Answers true when the portal is polled from now on.
     */
    async check(portal: PortalRecord, client: PortalClient, portalNowMs: number): Promise<boolean> {
      if (deps.poll !== 'auto' || portal.pollMode)
        return false
      const since = lastEventAt.get(portal.memberId)
      if (since === undefined) {
        // Nothing known yet (a start, an install): changes from now on count.
        lastEventAt.set(portal.memberId, portalNowMs)
        return false
      }
      const until = portalNowMs - deps.graceMs
      if (until <= since)
        return false
      const changes = await listDealsChangedBetween(client, new Date(since), new Date(until))
      const missed = changes.find(change => change.updatedTime !== change.createdTime && (instantOf(change.updatedTime) ?? 0) > since)
      if (!missed)
        return false
      await deps.store.setPollCursor(portal.memberId, since)
      await deps.store.setPollMode(portal.memberId, true)
      pollingSince.set(portal.memberId, deps.now())
      deps.log.warn('poll.on', { memberId: portal.memberId, reason: 'events-missed', dealId: missed.id, changedAt: missed.updatedTime, lastEventAt: new Date(since).toISOString() })
      return true
    },
    /** Each portal's delivery for `/health`. */
    delivery(portal: PortalRecord): PortalDelivery {
      const polled = polls(portal)
      const since = pollingSince.get(portal.memberId)
      return {
        delivery: polled ? 'poll' : 'events',
        reason: !polled ? null : deps.poll === 'on' ? 'forced' : 'events-missed',
        since: polled && since !== undefined ? new Date(since).toISOString() : null,
      }
    },
  }
}

export type EventWatch = ReturnType<typeof createEventWatch>
