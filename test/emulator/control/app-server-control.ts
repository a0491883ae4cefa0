/**
 * Control calls for the application's server side (see ../CONTRACT.md «Application with a server»): the install
 * callback, reachability, the robot designer (robots placed on deal stages), robot call retries, and the host
 * page's stage move (the same engine path as crm.item.update, so events and robots follow).
 */
import { localized, robotAvailableForDeals } from '../app-server/robot-call.ts'
import { findUser, type PortalState } from '../data/portal-state.ts'
import { APP_SCOPES, type PortalEngine } from '../engine.ts'
import { RestError } from '../rest/rest-error.ts'
import type { ControlReply } from './control-api.ts'

const ok = (body: unknown): ControlReply => ({ status: 200, body })
const fail = (status: number, error: string, description: string): ControlReply => ({ status, body: { error, error_description: description } })

function dealStages(state: PortalState, categoryId: number): { id: string, name: string, sort: number, semantics: string }[] {
  const entityId = categoryId === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${categoryId}`
  return state.statuses.filter(status => status.ENTITY_ID === entityId).sort((a, b) => Number(a.SORT) - Number(b.SORT))
    .map(status => ({ id: status.STATUS_ID, name: status.NAME, sort: Number(status.SORT), semantics: status.SEMANTICS ?? 'P' }))
}

function stringMap(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {}
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, String(item ?? '')]))
}

function param(body: Record<string, unknown>, query: URLSearchParams, name: string): unknown {
  return body[name] ?? query.get(name) ?? undefined
}

/** Answers the app-server and robot control calls; null for any other path. */
export async function handleAppServerControl(engine: PortalEngine, method: string, path: string, query: URLSearchParams, rawBody: unknown): Promise<ControlReply | null> {
  const body = rawBody !== null && typeof rawBody === 'object' && !Array.isArray(rawBody) ? rawBody as Record<string, unknown> : {}
  const appServer = engine.appServer
  const store = appServer.data
  const state = engine.state
  switch (`${method} ${path}`) {
    case 'GET /emulator/app-server':
      return ok({
        appServerUrl: engine.settings.appServerUrl ?? null, handlerUrl: appServer.handlerUrl, installUrl: appServer.installUrl,
        applicationToken: store.applicationToken, scope: [...APP_SCOPES].join(','), reachable: store.reachable, installed: state.app.installed,
        eventHandlers: store.bindings.map(entry => ({ id: entry.id, event: entry.event, handler: entry.handler, authType: entry.authType, offline: entry.offline })),
        offlineQueue: store.offline.length,
      })
    case 'POST /emulator/app-server/install': {
      const user = findUser(state, Number(body.userId ?? 1))
      if (!user) return fail(400, 'USER_NOT_FOUND', 'No such user')
      if (!user.isAdmin) return fail(403, 'ACCESS_DENIED', 'Only an administrator installs applications')
      if (appServer.installUrl === null) return fail(400, 'NO_APP_SERVER', 'Start the emulator with appServerUrl / --app-server')
      const outcome = await appServer.install(user.id)
      return ok({ delivered: outcome.ok, status: outcome.status, error: outcome.error, url: outcome.url })
    }
    case 'POST /emulator/app-server/reachable': {
      const value = body.reachable
      if (typeof value !== 'boolean') return fail(400, 'INVALID_REACHABLE', 'reachable must be true or false')
      store.reachable = value
      return ok({ reachable: value })
    }
    case 'GET /emulator/app-server/idle':
      await appServer.idle()
      return ok({ idle: true })
    case 'GET /emulator/deal-stages':
      return ok(state.categories.filter(category => category.entityTypeId === 2).map(category => ({ categoryId: category.id, name: category.name, stages: dealStages(state, category.id) })))
    case 'GET /emulator/robots': {
      const lang = query.get('lang') === 'en' ? 'en' : 'ru'
      return ok(store.robots.map(robot => ({
        code: robot.CODE, name: localized(robot.NAME, lang), description: localized(robot.DESCRIPTION, lang), handler: robot.HANDLER,
        authUserId: robot.AUTH_USER_ID, useSubscription: robot.USE_SUBSCRIPTION !== 'N', properties: robot.PROPERTIES,
        returnProperties: robot.RETURN_PROPERTIES, availableForDeals: robotAvailableForDeals(robot),
      })))
    }
    case 'GET /emulator/robots/placed':
      return ok(store.placed.map(entry => ({ ...entry })))
    case 'POST /emulator/robots/placed': {
      const user = findUser(state, Number(body.userId ?? 1))
      if (!user?.isAdmin) return fail(403, 'ACCESS_DENIED', 'Only an administrator edits robots')
      const code = String(body.code ?? '')
      const robot = store.robots.find(entry => entry.CODE === code)
      if (!robot) return fail(404, 'ROBOT_NOT_FOUND', `No registered robot ${code}`)
      if (!robotAvailableForDeals(robot)) return fail(400, 'ROBOT_NOT_AVAILABLE', 'The robot is not offered for deals (FILTER)')
      const categoryId = Number(body.categoryId ?? 0)
      const stageId = String(body.stageId ?? '')
      if (!dealStages(state, categoryId).some(stage => stage.id === stageId)) return fail(400, 'INVALID_STAGE', `No stage ${stageId} in deal pipeline ${categoryId}`)
      const properties = stringMap(body.properties)
      const unknown = Object.keys(properties).find(key => !(key in robot.PROPERTIES))
      if (unknown) return fail(400, 'INVALID_PROPERTY', `The robot has no property ${unknown}`)
      const missing = Object.entries(robot.PROPERTIES).find(([key, property]) => property.Required === 'Y' && !properties[key] && (property.Default === undefined || property.Default === ''))
      if (missing) return fail(400, 'PROPERTY_REQUIRED', `Property ${missing[0]} is required`)
      const placed = { id: store.nextPlacedId++, categoryId, stageId, code, properties }
      store.placed.push(placed)
      return ok({ ...placed })
    }
    case 'DELETE /emulator/robots/placed': {
      const user = findUser(state, Number(param(body, query, 'userId') ?? 1))
      if (!user?.isAdmin) return fail(403, 'ACCESS_DENIED', 'Only an administrator edits robots')
      const id = param(body, query, 'id')
      const code = param(body, query, 'code')
      const stageId = param(body, query, 'stageId')
      const categoryId = Number(param(body, query, 'categoryId') ?? 0)
      const before = store.placed.length
      store.placed = store.placed.filter(entry => !(id !== undefined
        ? entry.id === Number(id)
        : entry.categoryId === categoryId && (stageId === undefined || entry.stageId === String(stageId)) && (code === undefined || entry.code === String(code))))
      return ok({ removed: before - store.placed.length })
    }
    case 'GET /emulator/robots/calls': {
      const dealId = query.get('dealId')
      return ok(store.calls.filter(call => dealId === null || call.dealId === Number(dealId)).map(call => ({
        callId: call.callId, workflowId: call.workflowId, eventToken: call.eventToken, code: call.code, dealId: call.dealId,
        categoryId: call.categoryId, stageId: call.stageId, handler: call.handler, state: call.state, delivery: call.delivery,
        attempts: call.attempts, properties: call.properties, returnValues: call.returnValues, logMessage: call.logMessage, answeredAt: call.answeredAt,
      })).reverse())
    }
    case 'POST /emulator/robots/redeliver': {
      const call = await appServer.redeliver(Number(body.callId))
      if (!call) return fail(404, 'NOT_FOUND', 'No such robot call')
      const last = call.attempts.at(-1)
      return ok({ callId: call.callId, eventToken: call.eventToken, state: call.state, delivery: call.delivery, delivered: last?.ok ?? false, status: last?.status ?? null, error: last?.error ?? null })
    }
  }
  const stageMatch = /^\/emulator\/deals\/(\d+)\/stage$/.exec(path)
  if (method === 'POST' && stageMatch) return moveDealStage(engine, Number(stageMatch[1]), body)
  return null
}

/** The deal card's stage move: crm.item.update as that user (his rights), so events and robots fire. */
function moveDealStage(engine: PortalEngine, dealId: number, body: Record<string, unknown>): ControlReply {
  const state = engine.state
  const user = findUser(state, Number(body.userId ?? 1))
  if (!user) return fail(400, 'USER_NOT_FOUND', 'No such user')
  const deal = state.entities[2].byId.get(dealId)
  if (!deal) return fail(404, 'NOT_FOUND', 'Deal not found')
  const stageId = String(body.stageId ?? '')
  if (!dealStages(state, Number(deal.categoryId ?? 0)).some(stage => stage.id === stageId)) return fail(400, 'INVALID_STAGE', `No stage ${stageId} in the deal's pipeline`)
  if (deal.stageId === stageId) return fail(409, 'SAME_STAGE', 'The deal is already at this stage')
  try {
    engine.execute('crm.item.update', { entityTypeId: 2, id: dealId, fields: { stageId } }, { authType: 'app', userId: user.id, accessToken: '' })
  }
  catch (error) {
    if (error instanceof RestError) return fail(error.status, error.code, error.description)
    throw error
  }
  return ok({ id: dealId, stageId })
}
