/**
 * `POST /oauth/token/` (the oauth.bitrix.info refresh, R: settings/oauth/auto-renewal.md):
 * grant_type=refresh_token&client_id&client_secret&refresh_token → the token JSON; errors
 * `invalid_request`, `invalid_client`, `invalid_grant` (R: settings/oauth/error-codes.md).
 */
import { ACCESS_TOKEN_SECONDS } from '../core/tokens.ts'
import type { PortalEngine } from '../engine.ts'
import { APP_SCOPES } from '../engine.ts'
import { MEMBER_ID, type ControlReply } from './control-api.ts'

export const OAUTH_CLIENT_ID = 'local.invoice-desk'
export const OAUTH_CLIENT_SECRET = 'demo-client-secret'

export function handleOAuthToken(engine: PortalEngine, origin: string, params: Record<string, unknown>): ControlReply {
  const error = (status: number, code: string, description: string): ControlReply => ({ status, body: { error: code, error_description: description } })
  if (params.grant_type !== 'refresh_token') return error(400, 'invalid_request', 'grant_type must be refresh_token')
  if (params.client_id !== OAUTH_CLIENT_ID || params.client_secret !== OAUTH_CLIENT_SECRET) return error(401, 'invalid_client', 'Invalid client credentials')
  const token = engine.tokens.refresh(String(params.refresh_token ?? ''))
  if (!token) return error(400, 'invalid_grant', 'Invalid refresh token')
  return {
    status: 200,
    body: {
      access_token: token.accessToken,
      client_endpoint: `${origin}/rest/`,
      domain: new URL(origin).host,
      expires: Math.floor(token.expiresAt / 1000),
      expires_in: ACCESS_TOKEN_SECONDS,
      member_id: MEMBER_ID,
      refresh_token: token.refreshToken,
      scope: [...APP_SCOPES].join(','),
      server_endpoint: `${origin}/rest/`,
      status: 'L',
      user_id: token.userId,
    },
  }
}
