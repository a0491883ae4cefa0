/**
 * The Bitrix24 cloud portal emulator: plain node:http(s). Routes
 * - `/rest/<method>` (app token in `auth`), `/rest/<userId>/<secret>/<method>` (webhook), incl. `batch`;
 * - `/emulator/*` control API (CONTRACT.md), `/oauth/token/` (token refresh);
 * - everything else → the host page (`host/index.ts`).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import qs from 'qs'
import { handleAppServerControl } from './control/app-server-control.ts'
import { handleControl, MEMBER_ID } from './control/control-api.ts'
import { handleOAuthToken } from './control/oauth-token.ts'
import { handleDocgenRequest, portalSessionCookie } from './docgen/docgen-http.ts'
import type { DataSetName } from './data/generate.ts'
import type { PortalState } from './data/portal-state.ts'
import { PortalEngine, type LimitsMode, type PortalPlan, type Stats } from './engine.ts'
import { handleHostRequest } from './host/index.ts'
import { createSelfSignedCertificate } from './https-certificate.ts'
import { QS_OPTIONS } from './rest/batch-commands.ts'
import type { Params } from './rest/method-types.ts'

export interface EmulatorOptions {
  /** 0 = a free port. */
  port?: number
  host?: string
  data?: DataSetName
  limits?: LimitsMode
  latencyMs?: number
  https?: boolean
  webhookSecret?: string
  /** The user the incoming webhook belongs to (a webhook acts with its user's rights); default 1, the admin. */
  webhookUserId?: number
  appUrl?: string
  /** Initial emulator clock; default real now. */
  now?: Date
  /** Real-time delay before a generated document's PDF is ready (pdfUrl appears); default 3000. */
  pdfDelayMs?: number
  /** The incoming webhook's scopes; default `crm, im, task, user_basic` (the README's list without `bizproc`). */
  webhookScopes?: readonly string[]
  /** The portal's plan: `professional` (default) or `basic` (no smart processes, no business processes through REST). */
  plan?: PortalPlan
  /**
   * Base URL of the application's server (a local application with a server): handler `${appServerUrl}/`,
   * initial installation path `${appServerUrl}/install`. Event and robot handlers are whatever the app binds.
   */
  appServerUrl?: string
}

export interface RunningEmulator {
  /** Origin, e.g. http://127.0.0.1:8080 */
  url: string
  /** Same as `url`. */
  origin: string
  webhookUrl: string
  caCertPath?: string
  /** The live in-memory portal (replaced on /emulator/reset: read it through this getter each time). */
  readonly state: PortalState
  readonly stats: Stats
  engine: PortalEngine
  close(): Promise<void>
}

const WEBHOOK_USER_ID = 1
const MAX_BODY_BYTES = 10 * 1024 * 1024

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function parseBody(text: string, contentType: string | undefined): Params {
  if (!text) return {}
  if (contentType?.includes('application/json')) {
    const parsed: unknown = JSON.parse(text)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Params : {}
  }
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text) as Params
    }
    catch {
      // not JSON: fall through to form encoding
    }
  }
  return qs.parse(text, QS_OPTIONS) as Params
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

function applyCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*')
  res.setHeader('Vary', 'Origin')
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS')
  res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'content-type')
  res.setHeader('Access-Control-Max-Age', '600')
}

const delay = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** `/rest/crm.item.get.json` → method; `/rest/1/secret/batch` → webhook + method. */
export function parseRestPath(pathname: string): { method: string, webhook?: { userId: string, secret: string } } {
  const parts = pathname.replace(/^\/rest\//, '').split('/').filter(Boolean).map(decodeURIComponent)
  const normalize = (name: string): string => name.toLowerCase().replace(/\.json$/, '')
  if (parts.length >= 3) return { method: normalize(parts.slice(2).join('/')), webhook: { userId: parts[0] ?? '', secret: parts[1] ?? '' } }
  return { method: normalize(parts.join('/')) }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1'
  const latencyMs = options.latencyMs ?? 0
  const webhookSecret = options.webhookSecret ?? 'demo-webhook-secret'
  const engine = new PortalEngine({
    data: options.data ?? 'demo',
    limits: options.limits ?? 'cloud',
    webhookSecret,
    webhookUserId: options.webhookUserId ?? WEBHOOK_USER_ID,
    appUrl: options.appUrl ?? 'http://127.0.0.1:4173/',
    now: options.now,
    pdfDelayMs: options.pdfDelayMs,
    webhookScopes: options.webhookScopes,
    plan: options.plan,
    appServerUrl: options.appServerUrl,
    memberId: MEMBER_ID,
  })
  const certificate = options.https ? await createSelfSignedCertificate() : null
  const address = { origin: '', webhookUrl: '', latencyMs }
  const sockets = new Set<Socket>()

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', address.origin)
    const path = url.pathname
    const isRest = path.startsWith('/rest/')
    const isControl = path.startsWith('/emulator/') || path === '/emulator'
    const isOAuth = path.startsWith('/oauth/')
    if (isRest) applyCors(req, res)
    if (handleDocgenRequest(engine, req, res, url)) return
    if (!isRest && !isControl && !isOAuth) {
      // A shell page is what a logged-in user sees: it carries the portal session the ajax.php document links need.
      res.setHeader('Set-Cookie', portalSessionCookie())
      const served = await handleHostRequest(req, res, url, { origin: address.origin, appUrl: engine.settings.appUrl })
      if (!served && !res.headersSent) sendJson(res, 404, { error: 'NOT_FOUND', error_description: 'Not found' })
      return
    }
    applyCors(req, res)
    if (req.method === 'OPTIONS') {
      res.writeHead(204)
      res.end()
      return
    }
    const text = await readBody(req)
    let body: Params
    try {
      body = parseBody(text, req.headers['content-type'])
    }
    catch {
      sendJson(res, 400, { error: 'INVALID_REQUEST', error_description: 'Malformed request body' })
      return
    }
    if (isControl) {
      const appServerReply = await handleAppServerControl(engine, req.method ?? 'GET', path.replace(/\/$/, ''), url.searchParams, body)
      if (appServerReply) {
        sendJson(res, appServerReply.status, appServerReply.body)
        return
      }
      const reply = handleControl(engine, address, req.method ?? 'GET', path.replace(/\/$/, ''), url.searchParams, body)
      sendJson(res, reply.status, reply.body)
      return
    }
    if (isOAuth) {
      const reply = path.replace(/\/$/, '') === '/oauth/token'
        ? handleOAuthToken(engine, address.origin, { ...qs.parse(url.search.slice(1)), ...body })
        : { status: 404, body: { error: 'NOT_FOUND', error_description: 'Not found' } }
      sendJson(res, reply.status, reply.body)
      return
    }
    const route = parseRestPath(path)
    const query = qs.parse(url.search.slice(1), QS_OPTIONS) as Params
    for (const key of Object.keys(query)) if (key.startsWith('bx24_')) delete query[key]
    const params: Params = { ...query, ...body }
    if (latencyMs > 0) await delay(latencyMs)
    const transportFault = engine.takeTransportFault(route.method, params)
    if (transportFault?.kind === 'drop-after') {
      engine.handleRest(route.method, params, route)
      req.socket.destroy()
      return
    }
    if (transportFault) {
      engine.stats.httpRequests++
      engine.stats.restRequests[route.method] = (engine.stats.restRequests[route.method] ?? 0) + 1
      if (transportFault.kind === 'drop') req.socket.destroy()
      // 'timeout': never answer; the client gives up (the socket is closed on close()).
      return
    }
    const reply = engine.handleRest(route.method, params, route)
    sendJson(res, reply.status, reply.body)
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'INTERNAL_SERVER_ERROR', error_description: error instanceof Error ? error.message : String(error) })
    })
  }
  const server: Server = certificate
    ? createHttpsServer({ key: certificate.key, cert: certificate.cert }, listener)
    : createHttpServer(listener)
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const hostInUrl = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
  address.origin = `${certificate ? 'https' : 'http'}://${hostInUrl}:${port}`
  address.webhookUrl = `${address.origin}/rest/${options.webhookUserId ?? WEBHOOK_USER_ID}/${webhookSecret}/`
  engine.origin = address.origin

  return {
    url: address.origin,
    origin: address.origin,
    webhookUrl: address.webhookUrl,
    ...(certificate ? { caCertPath: certificate.caCertPath } : {}),
    get state() { return engine.state },
    get stats() { return engine.stats },
    engine,
    close: () => new Promise<void>((resolve, reject) => {
      server.close(error => (error ? reject(error) : resolve()))
      for (const socket of sockets) socket.destroy()
    }),
  }
}
