/**
 * How the portal's queue server reaches the application's server: a form-encoded POST
 * (`application/x-www-form-urlencoded`, R: api-reference/events/index.md «What Comes to the Handler»),
 * PHP-style nested keys (`auth[application_token]`, `document_id[0]`). Any 2xx answer counts as delivered;
 * a network error, a timeout or another status is a failed delivery.
 */
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import qs from 'qs'

export interface DeliveryOutcome {
  ok: boolean
  /** HTTP status of the handler's answer, null when none came. */
  status: number | null
  error: string | null
}

const TIMEOUT_MS = 10_000

/** The exact body the portal sends (kept so a redelivery repeats it byte for byte). */
export function encodeForm(payload: Record<string, unknown>): string {
  return qs.stringify(payload, { arrayFormat: 'indices' })
}

export function postForm(url: string, body: string): Promise<DeliveryOutcome> {
  return new Promise((resolve) => {
    let target: URL
    try {
      target = new URL(url)
    }
    catch {
      resolve({ ok: false, status: null, error: 'Wrong handler URL' })
      return
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), 'User-Agent': 'Bitrix24 Webhook Engine' },
      // The emulator's app servers use self-signed certificates in tests.
      rejectUnauthorized: false,
      // One connection per delivery (Connection: close): nothing keeps the app server's sockets open.
      agent: false,
      timeout: TIMEOUT_MS,
    }, (res) => {
      res.resume()
      res.on('end', () => {
        const status = res.statusCode ?? 0
        resolve({ ok: status >= 200 && status < 300, status, error: status >= 200 && status < 300 ? null : `HTTP ${status}` })
      })
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', error => resolve({ ok: false, status: null, error: error.message }))
    req.end(body)
  })
}
