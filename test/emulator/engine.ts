/**
 * The portal engine: state, clock, auth, limits, faults, stats, and method execution (single calls and
 * batch). Transport-free: server.ts turns HTTP into `handleRest` calls.
 */
import { AppServer, type DealEffect } from './app-server/app-server.ts'
import { createClock, type Clock } from './core/clock.ts'
import { createTokenStore, type TokenStore } from './core/tokens.ts'
import { generatePortal, type DataSetName } from './data/generate.ts'
import { findUser, type PortalState } from './data/portal-state.ts'
import { createFaultBook, type Fault, type FaultBook } from './limits/faults.ts'
import { createLeakyBucket, RATE_LIMITS, type LeakyBucket } from './limits/leaky-bucket.ts'
import { createOperatingTracker, OPERATING_LIMIT_SECONDS, simulatedProcessingSeconds, type OperatingTracker } from './limits/operating-time.ts'
import { methodRegistry } from './methods/index.ts'
import { MAX_BATCH_COMMANDS, parseBatchCommands, parseHalt, phpArray, substituteReferences, UnresolvedReferenceError } from './rest/batch-commands.ts'
import type { CallContext, DocgenSettings, MethodRegistry, Params } from './rest/method-types.ts'
import { RestError, systemErrors } from './rest/rest-error.ts'
import { timeInfo, type TimeInfo } from './rest/time-info.ts'

export type LimitsMode = 'cloud' | 'enterprise' | 'off'

/** The app's scopes. */
export const APP_SCOPES: ReadonlySet<string> = new Set(['crm', 'placement', 'user_basic', 'basic', 'bizproc', 'im', 'task', 'entity', 'userfieldconfig', 'documentgenerator'])
/**
 * The incoming webhook's scopes unless the start option says otherwise: the list the README tells an
 * administrator to tick. A method outside them answers `insufficient_scope` (R: _includes/system-errors.md).
 */
export const DEFAULT_WEBHOOK_SCOPES: readonly string[] = ['crm', 'im', 'task', 'user_basic']
/** `basic` methods (profile, scope, app.info, server.time) answer any token: no webhook form offers the scope (inference). */
const ALWAYS_GRANTED = ['basic']
const USER_SCOPES = ['user', 'user_basic', 'user_brief']

/**
 * The portal's plan, as far as the app can tell: `professional` (default) has business processes and
 * smart processes; `basic` refuses `crm.type.add` with CREATE_DYNAMIC_TYPE_RESTRICTED
 * (R: api-reference/crm/universal/user-defined-object-types/crm-type-add.md) and `bizproc.workflow.start`
 * ("only on paid plans, demo licenses, and NFR licenses", R: api-reference/bizproc/bizproc-workflow-start.md).
 */
export type PortalPlan = 'basic' | 'professional'
export const PORTAL_PLANS: readonly PortalPlan[] = ['basic', 'professional']

export interface EngineSettings {
  data: DataSetName
  limits: LimitsMode
  webhookSecret: string
  webhookUserId: number
  appUrl: string
  now?: Date
  /** Document PDF conversion delay, ms of real time (default 3000). */
  pdfDelayMs?: number
  /** The webhook's scopes (default `DEFAULT_WEBHOOK_SCOPES`). */
  webhookScopes?: readonly string[]
  /** The portal's plan (default `professional`); POST /emulator/plan switches it. */
  plan?: PortalPlan
  /** Base URL of the app's server (handler `${appServerUrl}/`, install path `${appServerUrl}/install`); none by default. */
  appServerUrl?: string
  /** `member_id` of the portal (the control API's MEMBER_ID). */
  memberId?: string
}

export interface Stats {
  httpRequests: number
  restRequests: Record<string, number>
  batchCommands: number
  /** HTTP-level error answers by code (e.g. QUERY_LIMIT_EXCEEDED); an extra beyond CONTRACT.md. */
  errors: Record<string, number>
}

/** Who is calling: resolved from the URL (webhook) or the `auth` parameter (app token). */
export type Caller = { authType: 'webhook', userId: number } | { authType: 'app', userId: number, accessToken: string }

export interface RestReply { status: number, body: Record<string, unknown> }

/** A failure that needs the transport: hang (timeout) or destroy the socket (drop). */
export interface TransportFault { kind: 'timeout' | 'drop' | 'drop-after' }

export class PortalEngine {
  state: PortalState
  readonly clock: Clock
  readonly tokens: TokenStore
  readonly faults: FaultBook
  readonly registry: MethodRegistry = methodRegistry
  stats: Stats = { httpRequests: 0, restRequests: {}, batchCommands: 0, errors: {} }
  /** Set by the server once it listens (links in documents are absolute). */
  origin = 'http://127.0.0.1'
  /** Survives /emulator/reset; changed by POST /emulator/docgen. */
  readonly docgen: DocgenSettings
  /** Survives /emulator/reset; changed by POST /emulator/plan. */
  plan: PortalPlan
  readonly webhookScopes: ReadonlySet<string>
  /** The app's server side (events, robots); survives /emulator/reset. */
  readonly appServer: AppServer
  private bucket: LeakyBucket | null
  private operating: OperatingTracker

  constructor(readonly settings: EngineSettings) {
    this.clock = createClock(settings.now)
    this.docgen = { pdfDelayMs: settings.pdfDelayMs ?? 3000, failNext: false }
    this.plan = settings.plan ?? 'professional'
    this.webhookScopes = new Set([...(settings.webhookScopes ?? DEFAULT_WEBHOOK_SCOPES), ...ALWAYS_GRANTED])
    this.tokens = createTokenStore()
    this.faults = createFaultBook()
    this.state = generatePortal(settings.data, this.clock.now(), settings.appUrl)
    this.appServer = new AppServer({
      state: () => this.state,
      now: () => this.clock.now(),
      origin: () => this.origin,
      tokens: this.tokens,
      memberId: settings.memberId ?? '',
      scope: [...APP_SCOPES].join(','),
      appServerUrl: settings.appServerUrl ?? null,
    })
    this.bucket = settings.limits === 'off' ? null : createLeakyBucket(RATE_LIMITS[settings.limits])
    this.operating = createOperatingTracker(settings.limits === 'off' ? null : OPERATING_LIMIT_SECONDS)
  }

  reset(data: DataSetName): void {
    this.settings.data = data
    this.state = generatePortal(data, this.clock.now(), this.settings.appUrl)
    this.faults.clear()
    this.bucket?.reset()
    this.operating.reset()
  }

  resetStats(): void {
    this.stats = { httpRequests: 0, restRequests: {}, batchCommands: 0, errors: {} }
  }

  /** Resolves the caller; throws NO_AUTH_FOUND / expired_token. */
  authenticate(route: { webhook?: { userId: string, secret: string } }, params: Params): Caller {
    if (route.webhook) {
      const userId = Number(route.webhook.userId)
      if (route.webhook.secret !== this.settings.webhookSecret || userId !== this.settings.webhookUserId) throw systemErrors.noAuthFound()
      return { authType: 'webhook', userId }
    }
    const accessToken = typeof params.auth === 'string' ? params.auth : ''
    if (!accessToken) throw systemErrors.noAuthFound()
    const found = this.tokens.check(accessToken)
    if (!found) throw systemErrors.noAuthFound()
    if (found.expired) throw systemErrors.expiredToken()
    return { authType: 'app', userId: found.token.userId, accessToken }
  }

  /** Pending transport fault for the method or any command of a batch (used up here). */
  takeTransportFault(method: string, params: Params): TransportFault | null {
    const methods = method === 'batch' ? parseBatchCommands(params.cmd).map(command => command.method) : [method]
    for (const name of methods) {
      const pending = this.faults.peek(name)
      if (pending && pending.kind !== 'error') {
        this.faults.take(name)
        return { kind: pending.kind }
      }
    }
    return null
  }

  /** One HTTP request to /rest/: rate limit, auth, then the method or batch. */
  handleRest(method: string, params: Params, route: { webhook?: { userId: string, secret: string } }): RestReply {
    const startMs = Date.now()
    this.stats.httpRequests++
    this.stats.restRequests[method] = (this.stats.restRequests[method] ?? 0) + 1
    try {
      if (this.bucket && !this.bucket.tryAcquire()) throw systemErrors.queryLimitExceeded()
      const caller = this.authenticate(route, params)
      const callParams = { ...params }
      delete callParams.auth
      if (method === 'batch') return { status: 200, body: this.runBatch(callParams, caller, startMs) }
      const outcome = this.execute(method, callParams, caller)
      return { status: 200, body: { result: outcome.result, ...this.listExtras(outcome), time: outcome.time } }
    }
    catch (error) {
      const restError = error instanceof RestError ? error : systemErrors.internal(error instanceof Error ? error.message : String(error))
      this.stats.errors[restError.code] = (this.stats.errors[restError.code] ?? 0) + 1
      return { status: restError.status, body: restError.toBody() }
    }
  }

  private listExtras(outcome: { total?: number, next?: number }): Record<string, unknown> {
    return {
      ...(outcome.total === undefined ? {} : { total: outcome.total }),
      ...(outcome.next === undefined ? {} : { next: outcome.next }),
    }
  }

  private contextFor(caller: Caller, effects: DealEffect[] = []): CallContext {
    const user = findUser(this.state, caller.userId)
    const scopes = caller.authType === 'webhook' ? this.webhookScopes : APP_SCOPES
    return {
      state: this.state,
      now: this.clock.now(),
      userId: caller.userId,
      isAdmin: user?.isAdmin ?? false,
      authType: caller.authType,
      scopes,
      limitsMode: this.settings.limits,
      origin: this.origin,
      docgen: this.docgen,
      plan: this.plan,
      appServer: this.appServer,
      emit: effect => effects.push(effect),
    }
  }

  private clientKey(caller: Caller): string {
    return caller.authType === 'webhook' ? `webhook:${caller.userId}` : 'app'
  }

  /** Runs one method with scope, auth-type, admin, fault and operating-limit checks. Throws RestError. */
  execute(method: string, params: Params, caller: Caller): { result: unknown, total?: number, next?: number, time: TimeInfo } {
    const startMs = Date.now()
    const definition = this.registry[method]
    if (!definition) throw systemErrors.methodNotFound()
    const effects: DealEffect[] = []
    const ctx = this.contextFor(caller, effects)
    const hasScope = definition.scope === 'user_basic' ? USER_SCOPES.some(scope => ctx.scopes.has(scope)) : ctx.scopes.has(definition.scope)
    if (!hasScope) throw systemErrors.insufficientScope()
    if (definition.appContextOnly && caller.authType !== 'app') throw systemErrors.wrongAuthType()
    if (definition.adminOnly && !ctx.isAdmin) throw systemErrors.accessDenied('Access denied! Administrator rights required')
    const fault = this.faults.peek(method)
    if (fault && fault.kind === 'error') {
      this.faults.take(method)
      throw faultError(fault)
    }
    const clientKey = this.clientKey(caller)
    if (this.operating.isBlocked(clientKey, method)) throw systemErrors.operationTimeLimit(method)
    const outcome = definition.handler(params, ctx)
    if (effects.length > 0) this.appServer.onDealEffects(effects, caller.userId)
    const processing = simulatedProcessingSeconds(outcome.rowsTouched ?? 0)
    this.operating.record(clientKey, method, processing)
    const time = timeInfo(startMs, processing, this.operating.status(clientKey, method))
    return { result: outcome.result, total: outcome.total, next: outcome.next, time }
  }

  private runBatch(params: Params, caller: Caller, startMs: number): Record<string, unknown> {
    const commands = parseBatchCommands(params.cmd)
    if (commands.length > MAX_BATCH_COMMANDS) throw systemErrors.batchLengthExceeded()
    const halt = parseHalt(params.halt)
    const results = new Map<string, unknown>()
    const errors = new Map<string, unknown>()
    const totals = new Map<string, unknown>()
    const nexts = new Map<string, unknown>()
    const times = new Map<string, unknown>()
    for (const command of commands) {
      this.stats.batchCommands++
      try {
        if (command.method === 'batch') throw systemErrors.batchMethodNotAllowed()
        let commandParams: Params
        try {
          commandParams = substituteReferences(command.params, results) as Params
        }
        catch (error) {
          if (error instanceof UnresolvedReferenceError) throw systemErrors.invalidArg(error.message)
          throw error
        }
        delete commandParams.auth
        const outcome = this.execute(command.method, commandParams, caller)
        results.set(command.key, outcome.result)
        if (outcome.total !== undefined) totals.set(command.key, outcome.total)
        if (outcome.next !== undefined) nexts.set(command.key, outcome.next)
        times.set(command.key, outcome.time)
      }
      catch (error) {
        const restError = error instanceof RestError ? error : systemErrors.internal(error instanceof Error ? error.message : String(error))
        errors.set(command.key, { error: restError.code, error_description: restError.description })
        if (halt) break
      }
    }
    return {
      result: {
        result: phpArray(results),
        result_error: phpArray(errors),
        result_total: phpArray(totals),
        result_next: phpArray(nexts),
        result_time: phpArray(times),
      },
      time: timeInfo(startMs, (Date.now() - startMs) / 1000),
    }
  }
}

function faultError(fault: Fault): RestError {
  return new RestError(fault.status, fault.code, fault.description)
}
