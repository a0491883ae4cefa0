import type { PortalClient } from '../portal-client.ts'

/** One event handler the application has bound, as `event.get` lists it. */
export interface BoundEvent {
  /** The event's name, upper-cased (`ONCRMDEALUPDATE`). */
  readonly event: string
  readonly handler: string | null
  /** Bound offline (`event_type: 'offline'`): queued for `event.offline.get`. */
  readonly offline: boolean
}

/** An event handler to bind. */
export interface EventBinding {
  readonly event: string
  readonly handler: string
  readonly offline: boolean
}

interface BoundEventDto { event?: string, handler?: string, offline?: number | string }

/**
 * The handlers this application has bound (R: api-reference/events/event-get.md); application
 * context only. Throws `PortalError` when the read fails.
 */
export async function listBoundEvents(client: PortalClient): Promise<BoundEvent[]> {
  const bound = await client.call<BoundEventDto[]>('event.get')
  return (Array.isArray(bound) ? bound : []).map(b => ({
    event: String(b.event).toUpperCase(),
    handler: b.handler ?? null,
    offline: Number(b.offline ?? 0) === 1,
  }))
}

/**
 * Binds one handler to an event, online or offline (R: api-reference/events/event-bind.md);
 * application context only. Throws `PortalError` when the portal refuses.
 */
export async function bindEvent(client: PortalClient, binding: EventBinding): Promise<void> {
  await client.call('event.bind', { event: binding.event, handler: binding.handler, ...(binding.offline ? { event_type: 'offline' } : {}) })
}
