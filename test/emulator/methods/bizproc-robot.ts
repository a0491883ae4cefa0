/**
 * bizproc.robot.add / update / delete / list (R: api-reference/bizproc/bizproc-robot/bizproc-robot-add.md,
 * bizproc-robot-update.md, bizproc-robot-delete.md, bizproc-robot-list.md). Scope bizproc; administrator and
 * application context only: every refusal is HTTP 400 with the pages' codes and texts (ACCESS_DENIED
 * "Application context required" / "Access denied!", ERROR_ACTIVITY_VALIDATION_FAILURE …,
 * ERROR_ACTIVITY_ALREADY_INSTALLED, ERROR_ACTIVITY_NOT_FOUND, ERROR_UNSUPPORTED_PROTOCOL, ERROR_WRONG_HANDLER_URL).
 * HANDLER "must have the same domain where the application is installed": its host name must be the app
 * server's (start option `appServerUrl`). Not on the pages, chosen strictly: USE_PLACEMENT=Y without
 * PLACEMENT_HANDLER is ERROR_ACTIVITY_VALIDATION_FAILURE "Empty PLACEMENT_HANDLER!"; delete also removes the
 * robot from the deal stages it was placed on.
 */
import type { AppRobot, RobotProperty } from '../app-server/app-server-state.ts'
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'
import { appServerOf } from './event.ts'

const CODE_PATTERN = /^[a-zA-Z0-9._-]+$/
const PROPERTY_KEY = /^[a-zA-Z][a-zA-Z0-9_]*$/

const validation = (description: string): RestError => new RestError(400, 'ERROR_ACTIVITY_VALIDATION_FAILURE', description)

function requireAppAdmin(ctx: CallContext): void {
  if (ctx.authType !== 'app') throw new RestError(400, 'ACCESS_DENIED', 'Application context required')
  if (!ctx.isAdmin) throw new RestError(400, 'ACCESS_DENIED', 'Access denied!')
}

function requireCode(params: Params): string {
  const code = params.CODE === undefined || params.CODE === null ? '' : String(params.CODE)
  if (code === '') throw validation('Empty activity code!')
  if (!CODE_PATTERN.test(code)) throw validation('Wrong activity code!')
  return code
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function checkHandler(value: unknown, ctx: CallContext): string {
  const text = value === undefined || value === null ? '' : String(value)
  let url: URL
  try {
    url = new URL(text)
  }
  catch {
    throw new RestError(400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RestError(400, 'ERROR_UNSUPPORTED_PROTOCOL', 'Unsupported handler protocol')
  const appHost = ctx.appServer?.handlerUrl ? new URL(ctx.appServer.handlerUrl).hostname : null
  if (appHost !== null && url.hostname !== appHost) throw new RestError(400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL')
  return text
}

function checkLocalized(value: unknown): string | Record<string, string> {
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([lang, text]) => [lang, String(text)]))
  return value === undefined || value === null ? '' : String(value)
}

function checkProperties(value: unknown): Record<string, RobotProperty> {
  if (value === undefined || value === null || value === '') return {}
  if (!isObject(value)) throw validation('Wrong properties array!')
  const properties: Record<string, RobotProperty> = {}
  for (const [key, property] of Object.entries(value)) {
    if (!PROPERTY_KEY.test(key)) throw validation(`Wrong property key ${key}!`)
    if (!isObject(property)) throw validation('Wrong properties array!')
    const name = property.Name ?? property.NAME
    if (name === undefined || name === null || name === '' || (isObject(name) && Object.keys(name).length === 0)) throw validation(`Empty property NAME ${key}!`)
    properties[key] = { ...property, Name: name } as RobotProperty
  }
  return properties
}

function checkFilter(value: unknown): AppRobot['FILTER'] {
  if (value === undefined || value === null || value === '') return {}
  if (!isObject(value) || Object.keys(value).some(key => key !== 'INCLUDE' && key !== 'EXCLUDE')) throw validation('Wrong activity FILTER!')
  const asArray = (rules: unknown): unknown[] | undefined => {
    if (rules === undefined) return undefined
    if (Array.isArray(rules)) return rules
    if (isObject(rules)) return Object.values(rules)
    throw validation('Wrong activity FILTER!')
  }
  return { INCLUDE: asArray(value.INCLUDE), EXCLUDE: asArray(value.EXCLUDE) }
}

function checkDocumentType(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return []
  const parts = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : null
  if (!parts || parts.length !== 3 || parts.some(part => typeof part !== 'string' || part === '')) throw validation('Wrong activity DOCUMENT_TYPE!')
  return parts as string[]
}

function yesNo(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (value === true) return 'Y'
  if (value === false) return 'N'
  return String(value).toUpperCase()
}

/** Applies and validates the given fields onto a robot (add: all; update: only those given). */
function applyFields(robot: AppRobot, fields: Params, ctx: CallContext): void {
  if ('HANDLER' in fields) robot.HANDLER = checkHandler(fields.HANDLER, ctx)
  if ('AUTH_USER_ID' in fields) robot.AUTH_USER_ID = Number(fields.AUTH_USER_ID) || 0
  if ('USE_SUBSCRIPTION' in fields) robot.USE_SUBSCRIPTION = yesNo(fields.USE_SUBSCRIPTION)
  if ('NAME' in fields) robot.NAME = checkLocalized(fields.NAME)
  if ('DESCRIPTION' in fields) robot.DESCRIPTION = checkLocalized(fields.DESCRIPTION)
  if ('PROPERTIES' in fields) robot.PROPERTIES = checkProperties(fields.PROPERTIES)
  if ('RETURN_PROPERTIES' in fields) robot.RETURN_PROPERTIES = checkProperties(fields.RETURN_PROPERTIES)
  if ('DOCUMENT_TYPE' in fields) robot.DOCUMENT_TYPE = checkDocumentType(fields.DOCUMENT_TYPE)
  if ('FILTER' in fields) robot.FILTER = checkFilter(fields.FILTER)
  if ('USE_PLACEMENT' in fields) robot.USE_PLACEMENT = yesNo(fields.USE_PLACEMENT)
  if ('PLACEMENT_HANDLER' in fields) robot.PLACEMENT_HANDLER = fields.PLACEMENT_HANDLER ? checkHandler(fields.PLACEMENT_HANDLER, ctx) : ''
  const emptyName = robot.NAME === '' || (typeof robot.NAME === 'object' && Object.keys(robot.NAME).length === 0)
  if (emptyName) throw validation('Empty activity NAME!')
  if (robot.USE_PLACEMENT === 'Y' && robot.PLACEMENT_HANDLER === '') throw validation('Empty PLACEMENT_HANDLER!')
}

const add: MethodDefinition = {
  scope: 'bizproc',
  handler(params, ctx) {
    requireAppAdmin(ctx)
    const given = Object.keys(params).filter(key => key !== 'auth')
    if (given.length === 0) throw validation('Empty data!')
    const code = requireCode(params)
    if (params.HANDLER === undefined || params.HANDLER === '') throw new RestError(400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL')
    if (params.NAME === undefined) throw validation('Empty activity NAME!')
    const store = appServerOf(ctx)
    const robot: AppRobot = {
      CODE: code, HANDLER: '', AUTH_USER_ID: 0, USE_SUBSCRIPTION: '', NAME: '', DESCRIPTION: '', PROPERTIES: {}, RETURN_PROPERTIES: {},
      DOCUMENT_TYPE: [], FILTER: {}, USE_PLACEMENT: 'N', PLACEMENT_HANDLER: '',
    }
    applyFields(robot, params, ctx)
    if (store.robots.some(entry => entry.CODE === code)) throw new RestError(400, 'ERROR_ACTIVITY_ALREADY_INSTALLED', 'Activity or Automation rule already installed!')
    store.robots.push(robot)
    return { result: true }
  },
}

const update: MethodDefinition = {
  scope: 'bizproc',
  handler(params, ctx) {
    requireAppAdmin(ctx)
    const code = requireCode(params)
    const store = appServerOf(ctx)
    const robot = store.robots.find(entry => entry.CODE === code)
    if (!robot) throw new RestError(400, 'ERROR_ACTIVITY_NOT_FOUND', 'Activity or Automation Rule not found!')
    const fields = isObject(params.FIELDS) ? params.FIELDS : {}
    if (Object.keys(fields).length === 0) throw validation('No fields to update')
    const draft: AppRobot = structuredClone(robot)
    applyFields(draft, fields, ctx)
    Object.assign(robot, draft)
    return { result: true }
  },
}

const remove: MethodDefinition = {
  scope: 'bizproc',
  handler(params, ctx) {
    requireAppAdmin(ctx)
    const code = requireCode(params)
    const store = appServerOf(ctx)
    if (!store.robots.some(entry => entry.CODE === code)) throw new RestError(400, 'ERROR_ACTIVITY_NOT_FOUND', 'Activity or Robot not found!')
    store.robots = store.robots.filter(entry => entry.CODE !== code)
    store.placed = store.placed.filter(entry => entry.code !== code)
    return { result: true }
  },
}

const list: MethodDefinition = {
  scope: 'bizproc',
  handler(_params, ctx) {
    requireAppAdmin(ctx)
    return { result: appServerOf(ctx).robots.map(robot => robot.CODE) }
  },
}

export const bizprocRobotMethods: Record<string, MethodDefinition> = {
  'bizproc.robot.add': add,
  'bizproc.robot.update': update,
  'bizproc.robot.delete': remove,
  'bizproc.robot.list': list,
}
