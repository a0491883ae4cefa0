import type { PortalClient } from '../../portal/portal-client.ts'
import { readZoneHints } from '../../portal/node/zone-hints.ts'

/**
 * The portal's time zone for texts and due dates: the installing administrator's profile zone
 * (`profile` TIME_ZONE, R: api-reference/common/users/profile.md), else a fixed-offset zone from
 * `server.time` (R: api-reference/common/system/server-time.md), else UTC. The nightly schedule
 * does not depend on it: it reads the portal's hour from `server.time` on every tick.
 */
export async function readPortalTimeZone(client: PortalClient): Promise<string> {
  const hints = await readZoneHints(client)
  if (hints.profileTimeZone)
    return hints.profileTimeZone
  const time = hints.serverTime ?? ''
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(time)
  if (match && match[3] === '00') {
    const hours = Number(match[2])
    // Etc/GMT zones have the sign inverted (Etc/GMT-3 is UTC+3).
    return hours === 0 ? 'UTC' : `Etc/GMT${match[1] === '+' ? '-' : '+'}${hours}`
  }
  return 'UTC'
}
