import type { PortalClient } from './portal-client.ts'
import { PortalError } from './portal-error.ts'

/**
 * The portal's clock: ONE `server.time` call (R: api-reference/common/system/server-time.md — any
 * user, no parameters, the portal's date and time as `YYYY-MM-DDThh:mm:ss±hh:mm` in its own offset).
 * Returns that string as the portal wrote it (read it with `portalClockOf`); throws a `PortalError`
 * when the call fails or the answer is not text.
 */
export async function readServerTime(client: PortalClient): Promise<string> {
  const answer = await client.call<unknown>('server.time')
  if (typeof answer !== 'string' || answer === '')
    throw new PortalError('server.time', 'PORTAL_ERROR', `server.time answered no time: ${JSON.stringify(answer)}`, 200, true)
  return answer
}
