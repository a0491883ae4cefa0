import type { PortalClient } from '../portal-client.ts'
import type { OAuthTokenAnswer } from './oauth-token-request.ts'
import { Agent } from 'node:https'
import { ApiVersion, B24OAuth, EnumAppStatus } from '@bitrix24/b24jssdk'
import { createSdkPortalClient, SAFE_RESTRICTION_PARAMS } from '../sdk-portal-client.ts'
import { requestTokenRefresh } from './oauth-token-request.ts'

/** The app's OAuth tokens for one portal. */
export interface OAuthTokens {
  readonly accessToken: string
  readonly refreshToken: string
  /** Expiry of the access token, ms since the epoch. */
  readonly expiresAtMs: number
  readonly userId: number
}

/** The portal an OAuth session talks to. */
export interface OAuthPortal {
  readonly memberId: string
  readonly domain: string
  /** `https://<portal>/rest/` */
  readonly clientEndpoint: string
  readonly serverEndpoint: string
  readonly applicationToken: string
}

/** Where a portal's tokens are kept: read before each refresh, written after it. */
export interface OAuthTokenKeeper {
  read: (memberId: string) => Promise<OAuthTokens | null>
  save: (memberId: string, tokens: OAuthTokens, portal: Pick<OAuthPortal, 'clientEndpoint' | 'serverEndpoint'>) => Promise<void>
}

/** The app's credentials and Bitrix24's OAuth server. */
export interface OAuthAppOptions {
  /** Default `https://oauth.bitrix.info`. */
  readonly oauthUrl: string
  readonly clientId: string
  readonly clientSecret: string
  /** Extra PEM CA to trust (test portals, on-premise). */
  readonly caCertificate?: string
  /** Refresh this long before expiry. Default 60 s. */
  readonly refreshMarginMs?: number
  /** Clock for expiry, default `Date.now`. */
  readonly now?: () => number
}

/**
 * Refreshes a portal's tokens, one refresh in flight per portal: concurrent callers (several
 * sessions of one portal, a burst of `expired_token`) share it, and a caller whose token another
 * caller already replaced gets the stored new one instead of spending the used refresh token
 * again (Bitrix24's refresh tokens are single-use, R: settings/oauth/index.md).
 */
export function createTokenRefresher(keeper: OAuthTokenKeeper, app: OAuthAppOptions) {
  const inFlight = new Map<string, Promise<OAuthTokenAnswer>>()
  const now = app.now ?? Date.now
  let refreshes = 0

  async function refreshOnce(portal: OAuthPortal, staleAccessToken: string): Promise<OAuthTokenAnswer> {
    const stored = await keeper.read(portal.memberId)
    if (!stored)
      throw new Error(`No tokens are stored for the portal ${portal.domain}: install the app again`)
    if (stored.accessToken !== staleAccessToken && stored.expiresAtMs > now() + (app.refreshMarginMs ?? 60_000))
      return answerOf(portal, stored)
    refreshes++
    const answer = await requestTokenRefresh(app.oauthUrl, { clientId: app.clientId, clientSecret: app.clientSecret, refreshToken: stored.refreshToken }, app.caCertificate)
    const expiresAtMs = Number(answer.expires) > 0 ? Number(answer.expires) * 1000 : now() + Number(answer.expires_in || 3600) * 1000
    await keeper.save(portal.memberId, { accessToken: answer.access_token, refreshToken: answer.refresh_token, expiresAtMs, userId: Number(answer.user_id ?? stored.userId) }, { clientEndpoint: answer.client_endpoint || portal.clientEndpoint, serverEndpoint: answer.server_endpoint || portal.serverEndpoint })
    return answer
  }

  return {
    /** New tokens for the portal whose access token `staleAccessToken` expired or was refused. */
    refresh(portal: OAuthPortal, staleAccessToken: string): Promise<OAuthTokenAnswer> {
      const running = inFlight.get(portal.memberId)
      if (running)
        return running
      const refresh = refreshOnce(portal, staleAccessToken).finally(() => inFlight.delete(portal.memberId))
      inFlight.set(portal.memberId, refresh)
      return refresh
    },
    /** Refreshes made against the OAuth server so far (tests assert one per expiry). */
    refreshes: () => refreshes,
    keeper,
    app,
  }
}

export type TokenRefresher = ReturnType<typeof createTokenRefresher>

function answerOf(portal: OAuthPortal, tokens: OAuthTokens): OAuthTokenAnswer {
  return {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    expires: Math.floor(tokens.expiresAtMs / 1000),
    expires_in: Math.max(0, Math.floor((tokens.expiresAtMs - Date.now()) / 1000)),
    client_endpoint: portal.clientEndpoint,
    server_endpoint: portal.serverEndpoint,
    member_id: portal.memberId,
    domain: portal.domain,
    scope: '',
    status: 'L',
    user_id: tokens.userId,
  }
}

/**
 * A `PortalClient` acting as the application on one portal with its OAuth tokens (`B24OAuth`):
 * application context, so `app.option.get`, `bizproc.robot.*`, `event.*` work. When Bitrix24
 * answers `expired_token` the SDK refreshes through `refresher` (one refresh in flight per portal,
 * new tokens persisted) and repeats the call once: a call refused for its token did nothing, so
 * the repeat cannot do anything twice. Tokens near expiry are refreshed before the call.
 */
export function connectWithOAuth(portal: OAuthPortal, tokens: OAuthTokens, refresher: TokenRefresher): PortalClient {
  const margin = refresher.app.refreshMarginMs ?? 60_000
  const b24 = new B24OAuth({
    applicationToken: portal.applicationToken,
    userId: tokens.userId,
    memberId: portal.memberId,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    // The SDK refreshes when `expires` has passed; refreshing a minute early avoids a refused call.
    expires: Math.floor((tokens.expiresAtMs - margin) / 1000),
    expiresIn: 3600,
    scope: '',
    domain: portal.domain,
    clientEndpoint: portal.clientEndpoint,
    serverEndpoint: portal.serverEndpoint,
    status: EnumAppStatus.Local,
  }, { clientId: refresher.app.clientId, clientSecret: refresher.app.clientSecret }, { restrictionParams: SAFE_RESTRICTION_PARAMS })
  let current = tokens.accessToken
  b24.setCustomRefreshAuth(async () => {
    const answer = await refresher.refresh(portal, current)
    current = answer.access_token
    const expires = Number(answer.expires) > 0 ? Number(answer.expires) : Math.floor(Date.now() / 1000) + Number(answer.expires_in)
    return { ...answer, expires: String(expires - Math.floor(margin / 1000)), expires_in: String(answer.expires_in), status: EnumAppStatus.Local } as never
  })
  if (refresher.app.caCertificate) {
    const agent = new Agent({ ca: refresher.app.caCertificate, keepAlive: true })
    for (const version of [ApiVersion.v2, ApiVersion.v3])
      b24.getHttpClient(version).ajaxClient.defaults.httpsAgent = agent
  }
  return createSdkPortalClient(b24)
}
