import type { PortalClient } from '../../portal/portal-client.ts'
import type { OAuthAppOptions, OAuthPortal } from '../../portal/node/oauth-session.ts'
import type { PortalRecord, ServiceStore } from '../store/service-store.ts'
import { connectWithOAuth, createTokenRefresher } from '../../portal/node/oauth-session.ts'

/**
 * The app's sessions on the portals it is installed on: a `PortalClient` per call, acting as the
 * application with the stored OAuth tokens; refreshed tokens go back to the store (one refresh in
 * flight per portal, see `oauth-session.ts`).
 */
export function createPortalSessions(store: ServiceStore, app: OAuthAppOptions) {
  const refresher = createTokenRefresher({
    read: memberId => store.getTokens(memberId),
    save: async (memberId, tokens) => { await store.saveTokens(memberId, tokens) },
  }, app)

  return {
    refresher,
    /** A client for the portal, or null when the portal or its tokens are unknown. */
    async clientFor(memberId: string): Promise<PortalClient | null> {
      const portal = await store.getPortal(memberId)
      const tokens = await store.getTokens(memberId)
      return portal && tokens ? connectWithOAuth(oauthPortalOf(portal), tokens, refresher) : null
    },
  }
}

export type PortalSessions = ReturnType<typeof createPortalSessions>

/** The fields of a stored portal an OAuth session needs. */
export function oauthPortalOf(portal: PortalRecord): OAuthPortal {
  return { memberId: portal.memberId, domain: portal.domain, clientEndpoint: portal.clientEndpoint, serverEndpoint: portal.serverEndpoint, applicationToken: portal.applicationToken }
}
