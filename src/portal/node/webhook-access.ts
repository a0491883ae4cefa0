import type { PortalClient } from '../portal-client.ts'

/** What the runner's incoming webhook may do: its scopes and whether its user is an administrator. */
export interface WebhookAccess {
  readonly scopes: readonly string[]
  readonly isAdmin: boolean
}

/**
 * Reads the webhook's scopes (`scope`, R: api-reference/common/system/scope.md: the token's
 * permissions as an array) and its user's admin flag (`profile`, R: api-reference/common/users/profile.md)
 * in ONE batched round trip. Throws `PortalError` when either is refused.
 */
export async function readWebhookAccess(client: PortalClient): Promise<WebhookAccess> {
  const outcomes = await client.batch({ scope: { method: 'scope' }, profile: { method: 'profile' } })
  for (const outcome of Object.values(outcomes)) {
    if (!outcome.ok)
      throw outcome.error
  }
  const scopes = outcomes.scope?.ok ? outcomes.scope.result : []
  const profile = outcomes.profile?.ok ? outcomes.profile.result as { ADMIN?: boolean | string } : {}
  return {
    scopes: Array.isArray(scopes) ? scopes.map(String) : [],
    isAdmin: profile.ADMIN === true || profile.ADMIN === 'Y' || profile.ADMIN === 'true',
  }
}
