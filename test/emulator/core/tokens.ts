/** App OAuth tokens: access tokens live 3600 s (real time), refresh tokens 180 days (R: settings/oauth/auto-renewal.md). */
import { randomBytes } from 'node:crypto'

export const ACCESS_TOKEN_SECONDS = 3600
const REFRESH_TOKEN_MS = 180 * 86_400_000

export interface AppToken {
  accessToken: string
  refreshToken: string
  userId: number
  /** Real time, ms. */
  expiresAt: number
  refreshExpiresAt: number
}

export interface TokenStore {
  issue(userId: number): AppToken
  /** 'valid' token, 'expired', or null when unknown. */
  check(accessToken: string): { token: AppToken, expired: boolean } | null
  refresh(refreshToken: string): AppToken | null
  expireAll(): void
  clear(): void
}

export function createTokenStore(now: () => number = Date.now): TokenStore {
  const byAccess = new Map<string, AppToken>()
  const byRefresh = new Map<string, AppToken>()
  const issue = (userId: number): AppToken => {
    const token: AppToken = {
      accessToken: randomBytes(16).toString('hex'),
      refreshToken: randomBytes(16).toString('hex'),
      userId,
      expiresAt: now() + ACCESS_TOKEN_SECONDS * 1000,
      refreshExpiresAt: now() + REFRESH_TOKEN_MS,
    }
    byAccess.set(token.accessToken, token)
    byRefresh.set(token.refreshToken, token)
    return token
  }
  return {
    issue,
    check(accessToken) {
      const token = byAccess.get(accessToken)
      return token ? { token, expired: token.expiresAt <= now() } : null
    },
    refresh(refreshToken) {
      const old = byRefresh.get(refreshToken)
      if (!old || old.refreshExpiresAt <= now()) return null
      byRefresh.delete(refreshToken)
      old.expiresAt = Math.min(old.expiresAt, now())
      return issue(old.userId)
    },
    expireAll() {
      const at = now()
      for (const token of byAccess.values()) token.expiresAt = Math.min(token.expiresAt, at)
    },
    clear() {
      byAccess.clear()
      byRefresh.clear()
    },
  }
}
