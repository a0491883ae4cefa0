import type { PortalClient } from '../portal-client.ts'

/** Who installed the app, as the install's own tokens answer. */
export interface InstallAdmin {
  /** The profile's user id, null when the profile named none. */
  readonly userId: number | null
  readonly isAdmin: boolean
}

/**
 * Checks a client's tokens on the portal's own endpoint: `app.info`
 * (R: api-reference/common/system/app-info.md) and `profile`
 * (R: api-reference/common/users/profile.md) in ONE batched round trip. Answers the profile's
 * user and admin flag, or null when either call was refused.
 */
export async function readInstallAdmin(client: PortalClient): Promise<InstallAdmin | null> {
  const outcomes = await client.batch({ app: { method: 'app.info' }, profile: { method: 'profile' } })
  if (!outcomes.app?.ok || !outcomes.profile?.ok)
    return null
  const profile = outcomes.profile.result as { ID?: unknown, ADMIN?: unknown }
  return {
    userId: profile.ID === undefined || profile.ID === null ? null : Number(profile.ID),
    isAdmin: profile.ADMIN === true || profile.ADMIN === 'Y' || profile.ADMIN === 'true',
  }
}
