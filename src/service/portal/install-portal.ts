import type { PortalRecord } from '../store/service-store.ts'
import type { OAuthAppOptions } from '../../portal/node/oauth-session.ts'
import { readInstallAdmin } from '../../portal/node/install-check.ts'
import { connectWithOAuth, createTokenRefresher } from '../../portal/node/oauth-session.ts'

/** What ONAPPINSTALL carries in `auth` (R: api-reference/common/events/on-app-install.md). */
export interface InstallAuth {
  readonly portal: PortalRecord
  readonly accessToken: string
  readonly refreshToken: string
  readonly expiresAtMs: number
  readonly userId: number
}

/** Reads ONAPPINSTALL's `auth`; null when a required field is missing or the endpoint is not the domain's. */
export function readInstallAuth(auth: Readonly<Record<string, string>>, nowMs: number): InstallAuth | null {
  const required = ['member_id', 'application_token', 'access_token', 'refresh_token', 'domain', 'client_endpoint'] as const
  if (required.some(key => !auth[key]))
    return null
  let endpoint: URL
  try {
    endpoint = new URL(auth.client_endpoint!)
  }
  catch {
    return null
  }
  // The tokens must be for the portal the event names: its REST endpoint is on its domain.
  if (endpoint.host !== auth.domain!.replace(/^https?:\/\//, '').replace(/\/.*$/, ''))
    return null
  const expiresIn = Number(auth.expires_in || 3600)
  const expires = Number(auth.expires || 0)
  return {
    portal: {
      memberId: auth.member_id!,
      domain: endpoint.host,
      clientEndpoint: auth.client_endpoint!,
      serverEndpoint: auth.server_endpoint || 'https://oauth.bitrix.info/rest/',
      applicationToken: auth.application_token!,
      timeZone: null,
      pollMode: false,
    },
    accessToken: auth.access_token!,
    refreshToken: auth.refresh_token!,
    expiresAtMs: expires > 0 ? expires * 1000 : nowMs + expiresIn * 1000,
    userId: Number(auth.user_id || 0),
  }
}

/**
 * Checks the install's tokens the way the docs advise (R: api-reference/events/safe-event-handlers.md:
 * "verify the validity of the received access_token"): `app.info` on the portal's own endpoint must
 * answer with them. Answers the admin's user id (from `profile`) or null when the portal refused.
 */
export async function verifyInstallTokens(install: InstallAuth, app: OAuthAppOptions): Promise<{ userId: number, isAdmin: boolean } | null> {
  // A refresher that never refreshes: the install's token is checked as it came.
  const refresher = createTokenRefresher({ read: async () => null, save: async () => {} }, app)
  const client = connectWithOAuth({ ...install.portal }, { accessToken: install.accessToken, refreshToken: install.refreshToken, expiresAtMs: install.expiresAtMs, userId: install.userId }, refresher)
  try {
    const admin = await readInstallAdmin(client)
    return admin && { userId: admin.userId ?? install.userId, isAdmin: admin.isAdmin }
  }
  catch {
    return null
  }
}
