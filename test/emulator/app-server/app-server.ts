/**
 * Bitrix24's side of an application with a server: the install callback, event delivery (online and the
 * offline queue), robot calls when a deal enters a stage, and their journal (`events`, `robots`).
 * Deliveries are asynchronous (they start after the REST answer that caused them) and go through
 * `form-post.ts`. Pages: api-reference/events/index.md (what a handler receives, the `auth` keys),
 * api-reference/common/events/on-app-install.md, settings/app-installation/local-apps/installation-callback.md
 * (the install POST goes to the «Initial installation path»), api-reference/events/offline-events.md.
 */
import { randomBytes } from 'node:crypto'
import { formatPortalDateTime } from '../core/portal-time.ts'
import type { TokenStore } from '../core/tokens.ts'
import { addJournalEntry, findUser, type JournalEntry, type PortalState } from '../data/portal-state.ts'
import { createAppServerState, type AppServerState, type DeliveryAttempt, type RobotCall } from './app-server-state.ts'
import { encodeForm, postForm, type DeliveryOutcome } from './form-post.ts'
import { localized, newEventToken, newWorkflowId, robotCallPayload, robotPropertyValues } from './robot-call.ts'

/** A change a REST method (or the host page) made that the portal tells the application about. */
export type DealEffect
  = | { type: 'deal-added', dealId: number, categoryId: number, stageId: string }
    | { type: 'deal-updated', dealId: number, categoryId: number, stageId: string, previousStageId: string }
    | { type: 'deal-deleted', dealId: number }

/** What the app server needs from the engine. */
export interface AppServerHost {
  state(): PortalState
  now(): number
  origin(): string
  readonly tokens: TokenStore
  readonly memberId: string
  /** The app's scopes, comma-separated. */
  readonly scope: string
  /** Base URL of the app's server (start option `appServerUrl`), null when the app has none. */
  readonly appServerUrl: string | null
}

export interface InstallOutcome extends DeliveryOutcome { url: string }

export class AppServer {
  readonly data: AppServerState = createAppServerState()
  private pending = new Set<Promise<unknown>>()
  /** Each call's journal entry (by reference: ids restart after /emulator/reset, calls do not). */
  private callEntries = new Map<number, JournalEntry>()

  constructor(private readonly host: AppServerHost) {}

  /** `${appServerUrl}/`: the local application's handler path. */
  get handlerUrl(): string | null {
    return this.host.appServerUrl === null ? null : new URL('./', withSlash(this.host.appServerUrl)).toString()
  }

  /** `${appServerUrl}/install`: the local application's initial installation path. */
  get installUrl(): string | null {
    return this.host.appServerUrl === null ? null : new URL('install', withSlash(this.host.appServerUrl)).toString()
  }

  /** Resolves once every delivery started so far has finished (tests, `GET /emulator/app-server/idle`). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  /**
   * The `auth` object. `event`: the keys an ordinary event carries (R: api-reference/events/index.md example,
   * _includes/auth-params-in-events.md: no refresh_token). `full`: install and robot calls — the SDK's
   * HandlerAuthParams (access_token, expires, expires_in, scope, domain, server_endpoint, status,
   * client_endpoint, member_id, user_id, refresh_token, application_token).
   */
  authParams(userId: number, kind: 'event' | 'full'): Record<string, string> {
    const token = this.host.tokens.issue(userId)
    const origin = this.host.origin()
    const common = {
      access_token: token.accessToken,
      expires_in: '3600',
      scope: this.host.scope,
      domain: new URL(origin).host,
      server_endpoint: `${origin}/rest/`,
      status: 'L',
      client_endpoint: `${origin}/rest/`,
      member_id: this.host.memberId,
    }
    if (kind === 'event') return { ...common, application_token: this.data.applicationToken }
    return {
      ...common,
      expires: String(Math.floor(token.expiresAt / 1000)),
      user_id: String(userId),
      refresh_token: token.refreshToken,
      application_token: this.data.applicationToken,
    }
  }

  /** POSTs ONAPPINSTALL to the installation path and waits for the answer. */
  async install(userId: number): Promise<InstallOutcome> {
    const url = this.installUrl
    if (url === null) throw new Error('no app server')
    const payload = {
      event: 'ONAPPINSTALL',
      data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'ru' },
      ts: String(this.ts()),
      auth: this.authParams(userId, 'full'),
    }
    const entry = this.journal('events', `ONAPPINSTALL → ${url}`, { event: 'ONAPPINSTALL', handler: url, eventHandlerId: null, data: payload.data, offline: false, delivery: 'pending', status: null, error: null, userId })
    const outcome = await this.track(this.post(url, encodeForm(payload)))
    Object.assign(entry.details, { delivery: outcome.ok ? 'delivered' : 'failed', status: outcome.status, error: outcome.error })
    return { ...outcome, url }
  }

  /** Called by the engine after a method (or the host page) changed deals. */
  onDealEffects(effects: readonly DealEffect[], userId: number): void {
    for (const effect of effects) {
      if (effect.type === 'deal-added') {
        this.raiseEvent('ONCRMDEALADD', { FIELDS: { ID: effect.dealId } }, userId)
        this.runStageRobots(effect.dealId, effect.categoryId, effect.stageId, userId)
      }
      else if (effect.type === 'deal-updated') {
        this.raiseEvent('ONCRMDEALUPDATE', { FIELDS: { ID: effect.dealId } }, userId)
        if (effect.stageId !== effect.previousStageId) this.runStageRobots(effect.dealId, effect.categoryId, effect.stageId, userId)
      }
      else {
        this.raiseEvent('ONCRMDEALDELETE', { FIELDS: { ID: effect.dealId } }, userId)
      }
    }
  }

  /**
   * Online handlers get a POST (journaled); offline ones a queue record that keeps only the object's latest
   * change. Events wait for the installation to finish (R: api-reference/common/events/on-app-install.md note).
   */
  raiseEvent(event: string, data: Record<string, unknown>, userId: number): void {
    const state = this.host.state()
    if (!state.app.installed) return
    const objectId = (data.FIELDS as { ID?: unknown } | undefined)?.ID
    for (const binding of this.data.bindings.filter(entry => entry.event === event)) {
      if (binding.offline) {
        this.enqueueOffline(event, data, `${event}:${String(objectId)}:${binding.authConnector}`, userId)
        continue
      }
      const authUser = binding.authType > 0 ? binding.authType : userId
      const payload = { event, event_handler_id: String(binding.id), data, ts: String(this.ts()), auth: this.authParams(authUser, 'event') }
      const entry = this.journal('events', `${event} → ${binding.handler}`, { event, handler: binding.handler, eventHandlerId: binding.id, data, offline: false, delivery: 'pending', status: null, error: null, userId })
      this.later(async () => {
        const outcome = await this.post(binding.handler, encodeForm(payload))
        Object.assign(entry.details, { delivery: outcome.ok ? 'delivered' : 'failed', status: outcome.status, error: outcome.error })
      })
    }
  }

  private enqueueOffline(event: string, data: Record<string, unknown>, objectKey: string, userId: number): void {
    const now = this.host.now()
    const existing = this.data.offline.find(record => record.objectKey === objectKey && record.PROCESS_ID === '' && record.ERROR === 0)
    if (existing) {
      existing.TIMESTAMP_X = formatPortalDateTime(now)
      existing.EVENT_DATA = data
      existing.at = now
    }
    else {
      this.data.offline.push({
        ID: this.data.nextOfflineId++, TIMESTAMP_X: formatPortalDateTime(now), EVENT_NAME: event, EVENT_DATA: data,
        EVENT_ADDITIONAL: { user_id: String(userId) }, MESSAGE_ID: randomBytes(16).toString('hex'), PROCESS_ID: '', ERROR: 0, objectKey, at: now,
      })
    }
    this.journal('events', `${event} → offline`, { event, handler: null, eventHandlerId: null, data, offline: true, delivery: 'queued', status: null, error: null, userId })
  }

  /** A deal entered a stage: every robot placed there runs as a new workflow with a new event token. */
  runStageRobots(dealId: number, categoryId: number, stageId: string, userId: number): void {
    for (const placed of this.data.placed.filter(entry => entry.categoryId === categoryId && entry.stageId === stageId)) {
      const robot = this.data.robots.find(entry => entry.CODE === placed.code)
      if (!robot) continue
      const workflowId = newWorkflowId()
      const eventToken = newEventToken(workflowId)
      const properties = robotPropertyValues(robot, placed)
      const authUser = robot.AUTH_USER_ID > 0 ? robot.AUTH_USER_ID : userId
      const payload = robotCallPayload({ workflowId, eventToken, robot, dealId, properties, ts: this.ts(), auth: this.authParams(authUser, 'full') })
      const call: RobotCall = {
        callId: this.data.nextCallId++, workflowId, eventToken, code: robot.CODE, placedId: placed.id, dealId, categoryId, stageId,
        handler: robot.HANDLER, body: encodeForm(payload), useSubscription: robot.USE_SUBSCRIPTION !== 'N', state: 'waiting',
        delivery: 'pending', attempts: [], properties, returnValues: null, logMessage: null, answeredAt: null, journalId: null,
      }
      this.data.calls.push(call)
      const entry = this.journal('robots', localized(robot.NAME, 'ru'), {})
      call.journalId = entry.id
      this.callEntries.set(call.callId, entry)
      this.syncJournal(call, userId)
      this.later(() => this.deliverCall(call))
    }
  }

  /** `POST /emulator/robots/redeliver`: the same body again (same event token), as the portal's retry. */
  async redeliver(callId: number): Promise<RobotCall | null> {
    const call = this.data.calls.find(entry => entry.callId === callId)
    if (!call) return null
    await this.track(this.deliverCall(call))
    return call
  }

  /** bizproc.event.send accepted: the waiting call completes with its values. */
  answer(call: RobotCall, returnValues: Record<string, unknown>, logMessage: string): void {
    call.state = 'answered'
    call.returnValues = returnValues
    call.logMessage = logMessage
    call.answeredAt = new Date(this.host.now()).toISOString()
    this.syncJournal(call)
  }

  private async deliverCall(call: RobotCall): Promise<void> {
    const outcome = await this.post(call.handler, call.body)
    const attempt: DeliveryAttempt = { at: new Date(this.host.now()).toISOString(), ok: outcome.ok, status: outcome.status, error: outcome.error }
    call.attempts.push(attempt)
    if (outcome.ok) call.delivery = 'delivered'
    else if (call.delivery !== 'delivered') call.delivery = 'failed'
    if (outcome.ok && !call.useSubscription && call.state === 'waiting') call.state = 'completed'
    this.syncJournal(call)
  }

  /** The call's journal entry mirrors the call (no access tokens in it). */
  private syncJournal(call: RobotCall, userId?: number): void {
    const entry = this.callEntries.get(call.callId)
    if (!entry) return
    Object.assign(entry.details, {
      callId: call.callId, workflowId: call.workflowId, eventToken: call.eventToken, code: call.code, dealId: call.dealId,
      documentId: ['crm', 'CCrmDocumentDeal', `DEAL_${call.dealId}`], categoryId: call.categoryId, stageId: call.stageId, handler: call.handler,
      state: call.state, delivery: call.delivery, attempts: call.attempts.map(attempt => ({ ...attempt })), properties: call.properties,
      returnValues: call.returnValues, logMessage: call.logMessage, answeredAt: call.answeredAt,
      ...(userId === undefined ? {} : { userId, userName: userLabel(this.host.state(), userId) }),
    })
  }

  private post(url: string, body: string): Promise<DeliveryOutcome> {
    if (!this.data.reachable) return Promise.resolve({ ok: false, status: null, error: 'app server unreachable' })
    return postForm(url, body)
  }

  /** Starts work after the current REST answer is written. */
  private later(work: () => Promise<void>): void {
    const run = new Promise<void>(resolve => setTimeout(resolve, 0)).then(work).catch(() => undefined)
    this.track(run)
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise)
    void promise.finally(() => this.pending.delete(promise)).catch(() => undefined)
    return promise
  }

  private ts(): number {
    return Math.floor(this.host.now() / 1000)
  }

  private journal(kind: 'events' | 'robots', title: string, details: Record<string, unknown>): JournalEntry {
    return addJournalEntry(this.host.state(), new Date(this.host.now()).toISOString(), kind, title, details)
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`
}

function userLabel(state: PortalState, userId: number): string {
  const user = findUser(state, userId)
  return user ? `${user.name} ${user.lastName}` : ''
}
