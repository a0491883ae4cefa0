/**
 * crm.automation.trigger.execute (R: api-reference/crm/automation/triggers/crm-automation-trigger-execute.md):
 * `{ CODE*, OWNER_TYPE_ID*, OWNER_ID* }` → `true`. Administrator, application context only. Every failure is
 * HTTP 400: `ACCESS_DENIED` "Access denied! Application context required" / "Access denied! Admin permissions
 * required", and with an EMPTY code "Empty trigger code!", "Wrong trigger code!", "Trigger with code {x} is not
 * registered.", "Incorrect parameter OWNER_TYPE_ID.", "Incorrect parameter OWNER_ID.".
 * The registry is `state.app.triggers` (filled by crm.automation.trigger.add, methods/crm-automation-trigger.ts).
 * OWNER_TYPE_ID must be a type CRM defines (1–8, 31, SPAs from 128); the owner's existence is not checked (the page
 * names no such error). A fired trigger goes to the journal `triggers`.
 */
import { addJournalEntry } from '../data/portal-state.ts'
import type { MethodDefinition } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'

const CODE_PATTERN = /^[a-z0-9.\-_]+$/

const definedOwnerType = (id: number): boolean => Number.isInteger(id) && ((id >= 1 && id <= 8) || id === 31 || id >= 128)

const execute: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    if (ctx.authType !== 'app') throw new RestError(400, 'ACCESS_DENIED', 'Access denied! Application context required')
    if (!ctx.isAdmin) throw new RestError(400, 'ACCESS_DENIED', 'Access denied! Admin permissions required')
    const code = params.CODE === undefined || params.CODE === null ? '' : String(params.CODE)
    if (code === '') throw new RestError(400, '', 'Empty trigger code!')
    if (!CODE_PATTERN.test(code)) throw new RestError(400, '', 'Wrong trigger code!')
    const trigger = ctx.state.app.triggers.find(entry => entry.CODE === code)
    if (!trigger) throw new RestError(400, '', `Trigger with code ${code} is not registered.`)
    const ownerTypeId = Number(params.OWNER_TYPE_ID)
    if (!definedOwnerType(ownerTypeId)) throw new RestError(400, '', 'Incorrect parameter OWNER_TYPE_ID.')
    const ownerId = Number(params.OWNER_ID)
    if (!Number.isInteger(ownerId) || ownerId <= 0) throw new RestError(400, '', 'Incorrect parameter OWNER_ID.')
    addJournalEntry(ctx.state, new Date(ctx.now).toISOString(), 'triggers', trigger.NAME, {
      method: 'crm.automation.trigger.execute', code, name: trigger.NAME, ownerTypeId, ownerId, owner: { typeId: ownerTypeId, id: ownerId }, userId: ctx.userId,
    })
    return { result: true, rowsTouched: 1 }
  },
}

export const crmAutomationTriggerExecuteMethods: Record<string, MethodDefinition> = {
  'crm.automation.trigger.execute': execute,
}
