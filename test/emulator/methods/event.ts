/**
 * event.bind, event.unbind, event.get, events (R: api-reference/events/event-bind.md, event-unbind.md,
 * event-get.md, events.md). Application context only (a webhook gets WRONG_AUTH_TYPE: the pages say "works only
 * within the context of application authorization" and name no code). Any user: a non-admin binds on his own
 * behalf, no offline events, no foreign `auth_type` (403 ACCESS_DENIED with the pages' texts); event.get shows a
 * non-admin only his own handlers. Not on the pages, chosen strictly: a missing `event` is ERROR_EVENT_NOT_FOUND,
 * a missing `handler` 400 ERROR_ARGUMENT, and the same event + handler + auth_type bound twice 400
 * ERROR_HANDLER_ALREADY_BINDED "Handler already binded". The portal knows the events it raises (deals) and the
 * application events; any other name is ERROR_EVENT_NOT_FOUND.
 */
import type { AppServerState } from '../app-server/app-server-state.ts'
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { RestError, systemErrors } from '../rest/rest-error.ts'

/** Events this portal raises or the application lifecycle has (names upper-case, as event.get answers them). */
export const KNOWN_EVENTS: readonly string[] = ['ONAPPUNINSTALL', 'ONAPPINSTALL', 'ONAPPUPDATE', 'ONCRMDEALADD', 'ONCRMDEALUPDATE', 'ONCRMDEALDELETE']

export function appServerOf(ctx: CallContext): AppServerState {
  if (!ctx.appServer) throw systemErrors.internal('no app server')
  return ctx.appServer.data
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value)
}

/** Parameters come in lower case on the pages; PHP CRest examples send them upper case. */
function param(params: Params, name: string): unknown {
  return params[name] ?? params[name.toUpperCase()]
}

function isOffline(params: Params): boolean {
  return text(param(params, 'event_type')).toLowerCase() === 'offline'
}

const bind: MethodDefinition = {
  scope: 'basic',
  appContextOnly: true,
  handler(params, ctx) {
    const event = text(param(params, 'event')).toUpperCase()
    if (!KNOWN_EVENTS.includes(event)) throw new RestError(400, 'ERROR_EVENT_NOT_FOUND', 'Event not found')
    const handler = text(param(params, 'handler'))
    if (!handler) throw new RestError(400, 'ERROR_ARGUMENT', 'Argument \'handler\' is null or empty')
    const offline = isOffline(params)
    const authTypeGiven = Number(param(params, 'auth_type') ?? 0) || 0
    if (!ctx.isAdmin && offline) throw new RestError(403, 'ACCESS_DENIED', 'Access denied! Offline events binding requires administrator access rights')
    if (!ctx.isAdmin && authTypeGiven !== 0 && authTypeGiven !== ctx.userId) throw new RestError(403, 'ACCESS_DENIED', 'Access denied! Event binding with AUTH_TYPE requires administrator access rights')
    const authType = ctx.isAdmin ? authTypeGiven : ctx.userId
    const store = appServerOf(ctx)
    if (store.bindings.some(entry => entry.event === event && entry.handler === handler && entry.authType === authType && entry.offline === offline)) {
      throw new RestError(400, 'ERROR_HANDLER_ALREADY_BINDED', 'Handler already binded')
    }
    store.bindings.push({ id: store.nextBindingId++, event, handler, authType, offline, authConnector: text(param(params, 'auth_connector')) })
    return { result: true }
  },
}

const unbind: MethodDefinition = {
  scope: 'basic',
  appContextOnly: true,
  handler(params, ctx) {
    const offline = isOffline(params)
    const authTypeGiven = param(params, 'auth_type')
    if (!ctx.isAdmin && offline) throw new RestError(403, 'ACCESS_DENIED', 'Access denied! Offline events unbinding requires administrator access rights')
    if (!ctx.isAdmin && authTypeGiven !== undefined && Number(authTypeGiven) !== ctx.userId && text(authTypeGiven) !== '') {
      throw new RestError(403, 'ACCESS_DENIED', 'Access denied! Event unbinding with AUTH_TYPE requires administrator access rights')
    }
    const event = text(param(params, 'event')).toUpperCase()
    const handler = text(param(params, 'handler'))
    const store = appServerOf(ctx)
    const matches = (entry: AppServerState['bindings'][number]): boolean => entry.offline === offline
      && (event === '' || entry.event === event)
      && (handler === '' || entry.handler === handler)
      && (!ctx.isAdmin ? entry.authType === ctx.userId : authTypeGiven === undefined || entry.authType === (Number(authTypeGiven) || 0))
    const before = store.bindings.length
    store.bindings = store.bindings.filter(entry => !matches(entry))
    return { result: { count: before - store.bindings.length } }
  },
}

const get: MethodDefinition = {
  scope: 'basic',
  appContextOnly: true,
  handler(_params, ctx) {
    const visible = appServerOf(ctx).bindings.filter(entry => ctx.isAdmin || entry.authType === ctx.userId)
    return { result: visible.map(entry => ({ event: entry.event, handler: entry.handler, auth_type: String(entry.authType), offline: entry.offline ? 1 : 0 })) }
  },
}

const events: MethodDefinition = {
  scope: 'basic',
  handler(params) {
    const scope = text(param(params, 'scope')).toLowerCase()
    if (scope === 'crm') return { result: KNOWN_EVENTS.filter(name => name.startsWith('ONCRM')) }
    return { result: [...KNOWN_EVENTS] }
  },
}

export const eventMethods: Record<string, MethodDefinition> = {
  'event.bind': bind,
  'event.unbind': unbind,
  'event.get': get,
  'events': events,
}
