import type { PortalClient } from '../../portal/portal-client.ts'
import { bindEvent, listBoundEvents } from '../../portal/node/app-events.ts'

/** The deal event auto-issue listens to (R: api-reference/crm/deals/events/on-crm-deal-update.md). */
export const DEAL_UPDATE_EVENT = 'ONCRMDEALUPDATE'

/** Path of the service's event handler. */
export const EVENTS_PATH = '/events'

/**
 * Binds the events the service needs, as the application: the deal update online (delivered to
 * `${publicUrl}/events`) and, when `offline`, also offline (queued for `event.offline.get` when the
 * portal cannot reach the service), plus ONAPPUNINSTALL. Binds only what `event.get` does not list,
 * so a reinstall binds nothing twice (R: api-reference/events/event-bind.md, event-get.md).
 */
export async function bindServiceEvents(client: PortalClient, publicUrl: string, offline: boolean): Promise<string[]> {
  const handler = `${publicUrl}${EVENTS_PATH}`
  const bound = await listBoundEvents(client)
  const has = (event: string, isOffline: boolean) => bound.some(b => b.event === event && b.offline === isOffline && (isOffline || b.handler === handler))
  const wanted: Array<{ event: string, offline: boolean }> = [{ event: DEAL_UPDATE_EVENT, offline: false }, { event: 'ONAPPUNINSTALL', offline: false }]
  if (offline)
    wanted.push({ event: DEAL_UPDATE_EVENT, offline: true })
  const done: string[] = []
  for (const want of wanted.filter(w => !has(w.event, w.offline))) {
    await bindEvent(client, { event: want.event, handler, offline: want.offline })
    done.push(`${want.event}${want.offline ? ' (offline)' : ''}`)
  }
  return done
}
