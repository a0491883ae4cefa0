import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { ServiceConfig } from './config.ts'
import type { ServiceLog } from './service-log.ts'
import type { ServiceStore } from './store/service-store.ts'
import type { RunUnattended } from './service-env.ts'
import { createServer } from 'node:http'
import { DEFAULT_EVENT_GRACE_MS } from './config.ts'
import { portalClockOf } from '../domain/portal-clock.ts'
import { issueUnattended } from '../flows/unattended-issue.ts'
import { pdfFetcher } from '../portal/node/document-pdf.ts'
import { readServerTime } from '../portal/server-time.ts'
import { authOf, field, readRequestBody } from './http/read-request.ts'
import { serveStatic } from './http/static-files.ts'
import { createForgedCallReporter } from './forged-call.ts'
import { bindServiceEvents, EVENTS_PATH } from './portal/deal-events.ts'
import { readInstallAuth, verifyInstallTokens } from './portal/install-portal.ts'
import { loadPortalSettings } from './portal/load-settings.ts'
import { readPortalTimeZone } from './portal/portal-time-zone.ts'
import { createPortalSessions } from './portal/portal-sessions.ts'
import { verifyCall } from './portal/verify-call.ts'
import { ISSUE_ROBOT_CODE, ISSUE_ROBOT_PATH, registerIssueRobot } from './robot/issue-robot.ts'
import { createRobotCallQueue } from './robot/robot-calls.ts'
import { createDealEventHandler } from './auto/deal-events-handler.ts'
import { createPoller } from './auto/poller.ts'
import { createEventWatch } from './auto/event-watch.ts'
import { createNightlySchedule } from './schedule/nightly-schedule.ts'

export interface ServiceDeps {
  readonly config: ServiceConfig
  readonly store: ServiceStore
  readonly log: ServiceLog
  /** Clock, default `Date.now`. */
  readonly now?: () => number
}

/** `DEAL_123` (a robot's `document_id[2]`) → 123; null for other documents. */
function dealIdOf(documentId: unknown): number | null {
  const id = Array.isArray(documentId) ? documentId[2] : typeof documentId === 'object' && documentId ? (documentId as Record<string, unknown>)['2'] : null
  const match = /^DEAL_(\d+)$/.exec(String(id ?? ''))
  return match ? Number(match[1]) : null
}

/**
 * The Invoice Desk service: the app's server for any number of portals. Serves the built app for
 * placements, receives the install event, events and robot calls (each verified by its portal's
 * application token), runs robot calls through a durable queue, auto-issue on events or by polling,
 * and the nightly run per portal. `start()` listens and resumes unanswered robot calls.
 */
export function createInvoiceDeskService(deps: ServiceDeps) {
  const { config, store, log } = deps
  const now = deps.now ?? Date.now
  const sessions = createPortalSessions(store, { oauthUrl: config.oauthUrl, clientId: config.clientId, clientSecret: config.clientSecret, ...(config.caCertificate ? { caCertificate: config.caCertificate } : {}) })
  const fetchPdf = pdfFetcher(config.caCertificate ? { caCertificate: config.caCertificate } : {})
  const runUnattended: RunUnattended = async (memberId, dealId, source, attemptId) => {
    const client = await sessions.clientFor(memberId)
    const portal = await store.getPortal(memberId)
    if (!client || !portal)
      return null
    const settings = await loadPortalSettings(client)
    // attemptId (stable per robot call) lets the chain resume its own invoice at once after a restart.
    const env = { now: new Date(now()), sleep: (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)), locale: config.locale, fetchPdf, isAdmin: true, timeZone: portal.timeZone ?? 'UTC', attemptId: attemptId ?? null }
    return issueUnattended(client, { dealId, source }, settings, env)
  }
  const queue = createRobotCallQueue({ store, sessions, log, run: runUnattended, now, locale: config.locale, ...(config.answerRetry ? { policy: config.answerRetry } : {}) })
  const reportForged = createForgedCallReporter({ sessions, log, locale: config.locale, now })
  const dealEvents = createDealEventHandler({ store, sessions, log, run: runUnattended })
  const watch = createEventWatch({ store, log, poll: config.poll, graceMs: config.eventGraceMs ?? DEFAULT_EVENT_GRACE_MS, now })
  const poller = createPoller({ store, sessions, log, run: runUnattended, now, decider: watch })
  const nightly = createNightlySchedule({ store, sessions, log, locale: config.locale, fetchPdf })
  const timers: NodeJS.Timeout[] = []
  let server: Server | null = null

  async function setUpPortal(memberId: string, userId: number, installedAtMs: number): Promise<void> {
    const client = await sessions.clientFor(memberId)
    if (!client)
      return
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['robot', () => registerIssueRobot(client, `${config.publicUrl}${ISSUE_ROBOT_PATH}`, userId)],
      ['events', () => bindServiceEvents(client, config.publicUrl, config.poll === 'on')],
      ['timeZone', async () => store.setTimeZone(memberId, await readPortalTimeZone(client))],
      // The poll looks at deals moved from the install on, not at every deal already in a ready stage.
      ['pollCursor', async () => (await store.getPollCursor(memberId)) ?? store.setPollCursor(memberId, portalClockOf(await readServerTime(client))?.instantMs ?? now())],
      // Deal changes from the install on (the portal's time of ONAPPINSTALL) count when the watch looks for lost events.
      ['eventWatch', async () => watch.watchFrom(memberId, installedAtMs)],
    ]
    for (const [step, run] of steps) {
      try {
        const outcome = await run()
        log.info('install.step', { memberId, step, outcome: Array.isArray(outcome) ? outcome.join(', ') : typeof outcome === 'string' ? outcome : 'ok' })
      }
      catch (error) {
        log.warn('install.step.failed', { memberId, step, error: error instanceof Error ? error.message : String(error) })
      }
    }
  }

  async function onInstall(body: Record<string, unknown>, remote: string): Promise<[number, unknown]> {
    const install = readInstallAuth(authOf(body), now())
    if (!install) {
      log.warn('install.refused', { remote, reason: 'incomplete auth' })
      return [400, { error: 'INVALID_INSTALL' }]
    }
    const verified = await verifyInstallTokens(install, sessions.refresher.app)
    if (!verified) {
      await reportForged('install', install.portal.memberId, remote, null)
      return [401, { error: 'INVALID_TOKEN' }]
    }
    const previous = await store.getPortal(install.portal.memberId)
    await store.savePortal({ ...install.portal, timeZone: previous?.timeZone ?? null, pollMode: config.poll === 'on' })
    await store.saveTokens(install.portal.memberId, { accessToken: install.accessToken, refreshToken: install.refreshToken, expiresAtMs: install.expiresAtMs, userId: verified.userId })
    log.info('install.accepted', { memberId: install.portal.memberId, domain: install.portal.domain, reinstall: previous !== null, admin: verified.isAdmin })
    const ts = Number(field(body, 'ts'))
    await setUpPortal(install.portal.memberId, verified.userId, Number.isFinite(ts) && ts > 0 ? ts * 1000 : now())
    return [200, { status: 'installed' }]
  }

  async function onEvent(body: Record<string, unknown>, remote: string): Promise<[number, unknown]> {
    const event = field(body, 'event').toUpperCase()
    if (event === 'ONAPPINSTALL')
      return onInstall(body, remote)
    const auth = authOf(body)
    const portal = await verifyCall(store, auth)
    if (!portal) {
      await reportForged('event', auth.member_id ?? '', remote, null)
      return [401, { error: 'INVALID_APPLICATION_TOKEN' }]
    }
    if (event === 'ONAPPUNINSTALL') {
      await store.deletePortal(portal.memberId)
      log.info('uninstall', { memberId: portal.memberId })
      return [200, { status: 'forgotten' }]
    }
    void watch.eventArrived(portal, field(body, 'ts'))
    void dealEvents.handle(portal, event, body)
    return [200, { status: 'accepted' }]
  }

  async function onRobot(body: Record<string, unknown>, remote: string): Promise<[number, unknown]> {
    const auth = authOf(body)
    const dealId = dealIdOf(body.document_id)
    const portal = await verifyCall(store, auth)
    if (!portal) {
      await reportForged('robot', auth.member_id ?? '', remote, dealId)
      return [401, { error: 'INVALID_APPLICATION_TOKEN' }]
    }
    const eventToken = field(body, 'event_token')
    if (!eventToken || dealId === null) {
      log.warn('robot.refused', { memberId: portal.memberId, reason: 'no event_token or not a deal' })
      return [400, { error: 'INVALID_ROBOT_CALL' }]
    }
    const outcome = await queue.accept({ eventToken, memberId: portal.memberId, code: field(body, 'code') || ISSUE_ROBOT_CODE, dealId, acceptedAtMs: now() })
    log.info('robot.call', { memberId: portal.memberId, dealId, outcome })
    return [200, { status: outcome }]
  }

  /** `GET /health`: the poll setting and, per portal, whether its deals come by events or by polling (and why). */
  async function health(): Promise<Record<string, unknown>> {
    const portals = await store.listPortals()
    return { ok: true, poll: config.poll, portals: portals.map(portal => watch.delivery(portal)) }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://service')
    const remote = req.socket.remoteAddress ?? ''
    const json = ([status, body]: [number, unknown]) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    if (req.method === 'GET' && url.pathname === '/health') {
      json([200, await health()])
      return
    }
    if (req.method === 'POST') {
      const body = await readRequestBody(req)
      if (url.pathname === ISSUE_ROBOT_PATH) {
        json(await onRobot(body, remote))
        return
      }
      // Events come to /events; the install event to the install path (or the handler path, as some portals do).
      if (url.pathname === EVENTS_PATH || field(body, 'event') !== '') {
        json(await onEvent(body, remote))
        return
      }
    }
    if (req.method === 'GET' || req.method === 'POST' || req.method === 'HEAD') {
      // Placements (and the install page) open with a POST: the app's page, as for a GET.
      await serveStatic(config.distDir, url.pathname === '/install' ? '/' : url.pathname, res)
      return
    }
    res.writeHead(405).end()
  }

  return {
    handle,
    queue,
    sessions,
    poller,
    watch,
    nightly,
    /** Listens on `config.port` (0 = any free port), resumes unanswered robot calls, starts the timers. */
    async start(): Promise<{ port: number }> {
      server = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          log.warn('http.error', { path: req.url?.split('?')[0], error: error instanceof Error ? error.message : String(error) })
          if (!res.headersSent)
            res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"INTERNAL"}')
        })
      })
      await new Promise<void>(resolve => server!.listen(config.port, '0.0.0.0', resolve))
      const port = (server.address() as { port: number }).port
      log.info('service.started', { port, publicUrl: config.publicUrl, store: config.databaseUrl ? 'postgresql' : 'sqlite', poll: config.poll })
      void queue.resume()
      timers.push(setInterval(() => void queue.resume(), 60_000))
      timers.push(setInterval(() => void poller.tick(), config.pollIntervalMs))
      timers.push(setInterval(() => void nightly.tick(), config.scheduleTickMs))
      void nightly.tick()
      return { port }
    },
    async stop(): Promise<void> {
      timers.splice(0).forEach(clearInterval)
      await new Promise<void>(resolve => server ? server.close(() => resolve()) : resolve())
      server?.closeAllConnections()
    },
  }
}

export type InvoiceDeskService = ReturnType<typeof createInvoiceDeskService>
