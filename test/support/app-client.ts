// A PortalClient with an APP token of one demo user, through the real SDK (B24OAuth): what a frame's
// session calls with, so rights that depend on the user (admin, manager) and on the application context apply.
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { B24OAuth, EnumAppStatus } from '@bitrix24/b24jssdk'
import { createSdkPortalClient } from '../../src/portal/sdk-portal-client.ts'
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from '../emulator/control/oauth-token.ts'

/** An app-token client for `userId` on an http emulator (the SDK's OAuth client needs no CA then). */
export async function appClient(emulator: RunningEmulator, userId: number): Promise<PortalClient> {
  const response = await fetch(`${emulator.url}/emulator/frame-session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, placement: 'DEFAULT', placementOptions: {}, lang: 'ru' }),
  })
  const init = await response.json() as { AUTH_ID: string, REFRESH_ID: string, MEMBER_ID: string, DOMAIN: string }
  const oauth = new B24OAuth({
    applicationToken: 'app-token', userId, memberId: init.MEMBER_ID, accessToken: init.AUTH_ID, refreshToken: init.REFRESH_ID,
    expires: Math.floor(Date.now() / 1000) + 3600, expiresIn: 3600, scope: 'crm,placement,user_basic', domain: init.DOMAIN,
    clientEndpoint: `${emulator.url}/rest/`, serverEndpoint: `${emulator.url}/rest/`, status: EnumAppStatus.Local,
  }, { clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET }, { restrictionParams: { maxRetries: 1 } })
  oauth.offClientSideWarning()
  return createSdkPortalClient(oauth)
}
