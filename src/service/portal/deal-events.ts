import type { PortalClient } from '../../portal/portal-client.ts'

/** The deal event auto-issue listens to (R: api-reference/crm/deals/events/on-crm-deal-update.md). */
export const DEAL_UPDATE_EVENT = 'ONCRMDEALUPDATE'

/** Path of the service's event handler. */
export const EVENTS_PATH = '/events'

interface BoundEvent { event?: string, handler?: string, offline?: number | string }

/**
 * Binds the events the service needs, as the application: the deal update online (delivered to
 * `${publicUrl}/events`) and, when `offline`, also offline (queued for `event.offline.get` when the
 * portal cannot reach the service), plus ONAPPUNINSTALL. Binds only what `event.get` does not list,
 * so a reinstall binds nothing twice (R: api-reference/events/event-bind.md, event-get.md).
 */
export async function bindServiceEvents(client: PortalClient, publicUrl: string, offline: boolean): Promise<string[]> {
  const handler = `${publicUrl}${EVENTS_PATH}`
  const bound = await client.call<BoundEvent[]>('event.get')
  const has = (event: string, isOffline: boolean) => (Array.isArray(bound) ? bound : []).some(b => String(b.event).toUpperCase() === event && (Number(b.offline ?? 0) === 1) === isOffline && (isOffline || b.handler === handler))
  const wanted: Array<{ event: string, offline: boolean }> = [{ event: DEAL_UPDATE_EVENT, offline: false }, { event: 'ONAPPUNINSTALL', offline: false }]
  if (offline)
    wanted.push({ event: DEAL_UPDATE_EVENT, offline: true })
  const done: string[] = []
  for (const want of wanted.filter(w => !has(w.event, w.offline))) {
    await client.call('event.bind', { event: want.event, handler, ...(want.offline ? { event_type: 'offline' } : {}) })
    done.push(`${want.event}${want.offline ? ' (offline)' : ''}`)
  }
  return done
}
