import type { PortalRecord, ServiceStore } from '../store/service-store.ts'
import { timingSafeEqual } from 'node:crypto'

/**
 * The portal an incoming call (event or robot) comes from, when its `auth[application_token]` equals
 * the one stored at install for its `auth[member_id]` (R: api-reference/events/safe-event-handlers.md);
 * null for anything else. Compared in constant time.
 */
export async function verifyCall(store: ServiceStore, auth: Readonly<Record<string, string>>): Promise<PortalRecord | null> {
  const memberId = auth.member_id ?? ''
  const given = auth.application_token ?? ''
  if (!memberId || !given)
    return null
  const portal = await store.getPortal(memberId)
  if (!portal)
    return null
  const a = Buffer.from(given)
  const b = Buffer.from(portal.applicationToken)
  return a.length === b.length && timingSafeEqual(a, b) ? portal : null
}
