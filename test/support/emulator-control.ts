import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'

/**
 * A tiny JSON client for the emulator's `/emulator/*` control API (see test/emulator/CONTRACT.md),
 * over http or over https with the emulator's self-signed CA.
 */
export interface EmulatorControl {
  get: <T>(path: string) => Promise<T>
  post: <T>(path: string, body?: unknown) => Promise<T>
}

export interface EmulatorStats {
  httpRequests: number
  restRequests: Record<string, number>
  batchCommands: number
  /** Refusals by error code (`OPERATION_TIME_LIMIT`, `QUERY_LIMIT_EXCEEDED` …). */
  errors?: Record<string, number>
}

export function emulatorControl(origin: string, caCertificate?: string): EmulatorControl {
  function send<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = new URL(path, origin)
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    return new Promise<T>((resolve, reject) => {
      const req = send(url, {
        method,
        ca: caCertificate,
        // A fresh connection per call: a kept-alive one may be closed by the server while a bench waits.
        agent: false,
        headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {},
      }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', chunk => chunks.push(chunk as Buffer))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          if ((res.statusCode ?? 500) >= 400)
            reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${text}`))
          else
            resolve((text ? JSON.parse(text) : undefined) as T)
        })
      })
      req.on('error', reject)
      req.end(payload)
    })
  }
  return { get: path => send('GET', path), post: (path, body) => send('POST', path, body ?? {}) }
}
