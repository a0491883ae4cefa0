import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'

/** What Bitrix24's OAuth server answers to a refresh (R: settings/oauth/index.md, "Refreshing the token"). */
export interface OAuthTokenAnswer {
  readonly access_token: string
  readonly refresh_token: string
  readonly expires: number | string
  readonly expires_in: number | string
  readonly client_endpoint: string
  readonly server_endpoint: string
  readonly member_id: string
  readonly domain: string
  readonly scope: string
  readonly status: string
  readonly user_id?: number | string
}

/** An OAuth server's refusal: its `error` code (`invalid_grant`, `invalid_client` …, R: settings/oauth/error-codes.md). */
export class OAuthRefreshError extends Error {
  override readonly name = 'OAuthRefreshError'
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message)
  }
}

/**
 * POSTs `grant_type=refresh_token` with the app's client id and secret to `${oauthUrl}/oauth/token/`
 * (R: settings/oauth/index.md) and answers the new tokens. The body carries the secrets, so it is
 * never logged; an error names only the server's code.
 */
export function requestTokenRefresh(oauthUrl: string, form: { clientId: string, clientSecret: string, refreshToken: string }, caCertificate?: string): Promise<OAuthTokenAnswer> {
  const url = new URL('oauth/token/', oauthUrl.endsWith('/') ? oauthUrl : `${oauthUrl}/`)
  const body = new URLSearchParams({ grant_type: 'refresh_token', client_id: form.clientId, client_secret: form.clientSecret, refresh_token: form.refreshToken }).toString()
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      timeout: 30_000,
      ...(caCertificate ? { ca: caCertificate } : {}),
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        let answer: Record<string, unknown> = {}
        try {
          answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
        }
        catch {
          // not JSON: reported below as a refusal without a code
        }
        if (res.statusCode === 200 && typeof answer.access_token === 'string' && typeof answer.refresh_token === 'string')
          resolve(answer as unknown as OAuthTokenAnswer)
        else reject(new OAuthRefreshError(String(answer.error || 'OAUTH_REFRESH_FAILED'), `The OAuth server refused to refresh the tokens: ${String(answer.error_description || answer.error || res.statusCode)}`, res.statusCode ?? 0))
      })
    })
    req.on('timeout', () => req.destroy(new Error('The OAuth server did not answer in 30 s')))
    req.on('error', reject)
    req.end(body)
  })
}
