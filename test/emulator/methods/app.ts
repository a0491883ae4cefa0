/**
 * app.info, app.option.get/set, user.option.get/set, server.time
 * (R: api-reference/common/system/app-info.md, common/settings/app-option-*.md, user-option-*.md,
 * common/system/server-time.md: any user, no parameters, `YYYY-MM-DDThh:mm:ss±hh:mm` in the portal's offset).
 */
import { formatPortalDateTime } from '../core/portal-time.ts'
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'

export const APP_CODE = 'local.invoice-desk'

const appContextRequired = (): RestError => new RestError(400, 'AccessException', 'Application context required')

function optionsParam(params: Params): Record<string, unknown> {
  const options = params.options
  if (options === null || typeof options !== 'object' || Array.isArray(options) || Object.keys(options).length === 0) {
    throw new RestError(400, 'ArgumentNullException', 'options is empty')
  }
  return options as Record<string, unknown>
}

function readOption(store: Record<string, unknown>, params: Params): unknown {
  if (params.option === undefined || params.option === '') return { ...store }
  return store[String(params.option)] ?? null
}

function userStore(ctx: CallContext): Record<string, unknown> {
  let store = ctx.state.userOptions.get(ctx.userId)
  if (!store) {
    store = {}
    ctx.state.userOptions.set(ctx.userId, store)
  }
  return store
}

const info: MethodDefinition = {
  scope: 'basic',
  handler(_params, ctx) {
    const enterprise = ctx.limitsMode === 'enterprise'
    return {
      result: {
        ID: 17,
        CODE: APP_CODE,
        VERSION: 1,
        STATUS: 'L',
        INSTALLED: ctx.state.app.installed,
        PAYMENT_EXPIRED: 'N',
        DAYS: null,
        LANGUAGE_ID: 'ru',
        LICENSE: enterprise ? 'ru_ent250' : 'ru_pro100',
        LICENSE_TYPE: enterprise ? 'ent250' : 'pro100',
        LICENSE_FAMILY: enterprise ? 'ent' : 'pro',
      },
    }
  },
}

const appOptionGet: MethodDefinition = {
  scope: 'basic',
  handler(params, ctx) {
    if (ctx.authType !== 'app') throw appContextRequired()
    return { result: readOption(ctx.state.app.options, params) }
  },
}

/** Admin only (R: app-option-set.md: AccessException "Administrator authorization required", HTTP 400). */
const appOptionSet: MethodDefinition = {
  scope: 'basic',
  handler(params, ctx) {
    if (ctx.authType !== 'app') throw appContextRequired()
    if (!ctx.isAdmin) throw new RestError(400, 'AccessException', 'Administrator authorization required')
    Object.assign(ctx.state.app.options, optionsParam(params))
    return { result: true }
  },
}

const userOptionGet: MethodDefinition = {
  scope: 'basic',
  handler(params, ctx) {
    if (ctx.authType !== 'app') throw appContextRequired()
    return { result: readOption(userStore(ctx), params) }
  },
}

const userOptionSet: MethodDefinition = {
  scope: 'basic',
  handler(params, ctx) {
    if (ctx.authType !== 'app') throw appContextRequired()
    Object.assign(userStore(ctx), optionsParam(params))
    return { result: true }
  },
}

const serverTime: MethodDefinition = {
  scope: 'basic',
  handler: (_params, ctx) => ({ result: formatPortalDateTime(ctx.now) }),
}

export const appMethods: Record<string, MethodDefinition> = {
  'server.time': serverTime,
  'app.info': info,
  'app.option.get': appOptionGet,
  'app.option.set': appOptionSet,
  'user.option.get': userOptionGet,
  'user.option.set': userOptionSet,
}
