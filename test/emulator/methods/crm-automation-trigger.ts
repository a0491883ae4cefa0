/**
 * crm.automation.trigger.add/list/delete (R: api-reference/crm/automation/triggers/*.md): administrator,
 * application context; every documented failure is HTTP 400. `add` with an existing CODE renames the
 * trigger (R: trigger-add.md, CODE). `execute` lives in crm-automation-trigger-execute.ts.
 */
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'

const CODE_PATTERN = /^[a-z0-9.\-_]+$/

function checkAccess(ctx: CallContext): void {
  if (ctx.authType !== 'app') throw new RestError(400, 'ACCESS_DENIED', 'Access denied! Application context required')
  if (!ctx.isAdmin) throw new RestError(400, 'ACCESS_DENIED', 'Access denied! Admin permissions required')
}

function codeParam(params: Params): string {
  const code = params.CODE === undefined || params.CODE === null ? '' : String(params.CODE)
  if (code === '') throw new RestError(400, '', 'Empty trigger code!')
  if (!CODE_PATTERN.test(code)) throw new RestError(400, '', 'Wrong trigger code!')
  return code
}

const add: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    checkAccess(ctx)
    const code = codeParam(params)
    const name = params.NAME === undefined || params.NAME === null ? '' : String(params.NAME)
    if (name === '') throw new RestError(400, '', 'Empty trigger name!')
    const existing = ctx.state.app.triggers.find(trigger => trigger.CODE === code)
    if (existing) existing.NAME = name
    else ctx.state.app.triggers.push({ CODE: code, NAME: name })
    return { result: true }
  },
}

const list: MethodDefinition = {
  scope: 'crm',
  handler(_params, ctx) {
    checkAccess(ctx)
    return { result: ctx.state.app.triggers.map(trigger => ({ NAME: trigger.NAME, CODE: trigger.CODE })) }
  },
}

const remove: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    checkAccess(ctx)
    const code = codeParam(params)
    const index = ctx.state.app.triggers.findIndex(trigger => trigger.CODE === code)
    if (index < 0) throw new RestError(400, '', 'Trigger not found')
    ctx.state.app.triggers.splice(index, 1)
    return { result: true }
  },
}

export const crmAutomationTriggerMethods: Record<string, MethodDefinition> = {
  'crm.automation.trigger.add': add,
  'crm.automation.trigger.list': list,
  'crm.automation.trigger.delete': remove,
}
