// A tiny "application server" for emulator tests: records every form-encoded POST the portal sends it.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AjaxError, B24OAuth, EnumAppStatus } from '@bitrix24/b24jssdk'
import qs from 'qs'
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from '../control/oauth-token.ts'
import type { RunningEmulator } from '../server.ts'

// A parsed form is arbitrarily nested; tests read it by the documented key paths.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FormBody = Record<string, any>

export interface ReceivedPost { path: string, contentType: string, raw: string, body: FormBody }

export interface FakeAppServer {
  url: string
  posts: ReceivedPost[]
  /** HTTP status the server answers with (200 by default). */
  status: number
  close(): Promise<void>
  /** Resolves when `count` POSTs matching `match` have arrived. */
  waitFor(match: (post: ReceivedPost) => boolean, count?: number): Promise<ReceivedPost[]>
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export async function startFakeAppServer(): Promise<FakeAppServer> {
  const posts: ReceivedPost[] = []
  const waiters: (() => void)[] = []
  const app: FakeAppServer = {
    url: '',
    posts,
    status: 200,
    close: () => new Promise(resolve => server.close(() => resolve())),
    async waitFor(match, count = 1) {
      const deadline = Date.now() + 5000
      for (;;) {
        const found = posts.filter(match)
        if (found.length >= count) return found
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} POST(s); got ${posts.map(post => post.path).join(', ')}`)
        await new Promise<void>(resolve => waiters.push(resolve) && setTimeout(resolve, 50))
      }
    },
  }
  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      posts.push({ path: req.url ?? '/', contentType: String(req.headers['content-type'] ?? ''), raw, body: qs.parse(raw) as FormBody })
      res.writeHead(app.status, { 'Content-Type': 'application/json' })
      res.end('{"ok":true}')
      for (const wake of waiters.splice(0)) wake()
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return app
}

export async function control<T>(emulator: RunningEmulator, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<{ status: number, body: T }> {
  const response = await fetch(`${emulator.url}${path}`, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: response.status, body: await response.json() as T }
}

/** The SDK client a server app builds from the install event's `auth`. */
export function oauthFromInstall(emulator: RunningEmulator, auth: Record<string, string>): B24OAuth {
  const client = new B24OAuth({
    applicationToken: auth.application_token ?? '', userId: Number(auth.user_id), memberId: auth.member_id ?? '', accessToken: auth.access_token ?? '',
    refreshToken: auth.refresh_token ?? '', expires: Number(auth.expires), expiresIn: Number(auth.expires_in), scope: auth.scope ?? '',
    domain: auth.domain ?? '', clientEndpoint: `${emulator.url}/rest/`, serverEndpoint: `${emulator.url}/rest/`, status: EnumAppStatus.Local,
  }, { clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET }, { restrictionParams: { maxRetries: 1 } })
  client.offClientSideWarning()
  return client
}

/** The incoming webhook over plain HTTP (the SDK's B24Hook insists on https; the emulator here is http). */
export async function hookCall(emulator: RunningEmulator, method: string, params: Record<string, unknown> = {}): Promise<{ result?: unknown, error?: string, description?: string, status?: number }> {
  const response = await fetch(`${emulator.webhookUrl}${method}.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) })
  const body = await response.json() as { result?: unknown, error?: string, error_description?: string }
  return body.error === undefined ? { result: body.result } : { error: body.error, description: body.error_description, status: response.status }
}

/** Calls a method; answers `{ result }` or `{ error: code, description }`. */
export async function call<T = unknown>(client: B24OAuth, method: string, params: Record<string, unknown> = {}): Promise<{ result?: T, error?: string, description?: string, status?: number }> {
  try {
    const response = await client.actions.v2.call.make<T>({ method, params })
    if (!response.isSuccess) return { error: response.getErrorMessages().join('; ') }
    return { result: response.getData()?.result as T }
  }
  catch (error) {
    if (error instanceof AjaxError) return { error: error.code, description: error.message, status: error.status }
    throw error
  }
}
