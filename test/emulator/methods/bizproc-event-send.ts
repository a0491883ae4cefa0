/**
 * bizproc.event.send (R: api-reference/bizproc/bizproc-robot/bizproc-event-send.md): `EVENT_TOKEN*`,
 * `RETURN_VALUES`, `LOG_MESSAGE` (the page's examples send them lower case: both are read) → `true`.
 * An invalid or no longer current token is 403 ACCESS_DENIED "Access denied!": an unknown token, a call already
 * answered (a second send), a robot registered with USE_SUBSCRIPTION=N (the page: an event can be sent only
 * with 'Y'). The token belongs to the application that owns the robot: a webhook (no application) gets the same
 * ACCESS_DENIED. RETURN_VALUES keeps the keys the robot declared in RETURN_PROPERTIES. The answer completes the
 * robot call (journal `robots`: state `answered`, returnValues, logMessage).
 */
import type { MethodDefinition } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'
import { appServerOf } from './event.ts'

const denied = (): RestError => new RestError(403, 'ACCESS_DENIED', 'Access denied!')

const send: MethodDefinition = {
  scope: 'bizproc',
  handler(params, ctx) {
    const token = String(params.EVENT_TOKEN ?? params.event_token ?? '')
    if (ctx.authType !== 'app' || token === '') throw denied()
    const store = appServerOf(ctx)
    const call = store.calls.find(entry => entry.eventToken === token)
    if (!call || call.state !== 'waiting' || !call.useSubscription) throw denied()
    const given = params.RETURN_VALUES ?? params.return_values
    const values = given !== null && typeof given === 'object' && !Array.isArray(given) ? given as Record<string, unknown> : {}
    const robot = store.robots.find(entry => entry.CODE === call.code)
    const declared = robot ? Object.keys(robot.RETURN_PROPERTIES) : Object.keys(values)
    const kept = Object.fromEntries(Object.entries(values).filter(([key]) => declared.includes(key)))
    const logMessage = String(params.LOG_MESSAGE ?? params.log_message ?? '')
    ctx.appServer?.answer(call, kept, logMessage)
    return { result: true }
  },
}

export const bizprocEventSendMethods: Record<string, MethodDefinition> = {
  'bizproc.event.send': send,
}
