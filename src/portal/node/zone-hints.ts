import type { ProfileDto } from '../crm/crm-dto.ts'
import type { PortalClient } from '../portal-client.ts'

/** What the portal says about its time zone; each part null when absent or refused. */
export interface ZoneHints {
  /** The current user's profile zone (an IANA name). */
  readonly profileTimeZone: string | null
  /** The portal's clock, ISO 8601 with its offset. */
  readonly serverTime: string | null
}

/**
 * The current user's `profile` TIME_ZONE (R: api-reference/common/users/profile.md) and the
 * portal's `server.time` (R: api-reference/common/system/server-time.md) in ONE batched round
 * trip. A refused part answers null; it does not throw for one.
 */
export async function readZoneHints(client: PortalClient): Promise<ZoneHints> {
  const outcomes = await client.batch({ profile: { method: 'profile' }, time: { method: 'server.time' } })
  const profile = outcomes.profile?.ok ? outcomes.profile.result as ProfileDto : null
  return {
    profileTimeZone: profile?.TIME_ZONE ? profile.TIME_ZONE : null,
    serverTime: outcomes.time?.ok ? String(outcomes.time.result) : null,
  }
}
