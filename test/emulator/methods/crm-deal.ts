/**
 * crm.deal.update (R: api-reference/crm/deals/crm-deal-update.md, deprecated in favour of crm.item.update):
 * `{ id*, fields, params }` → `true`. The legacy UPPER_CASE fields map onto the deal's crm.item fields and the
 * change runs through crm.item.update (so ONCRMDEALUPDATE and stage robots follow); "an incorrect field in fields
 * will be ignored". Errors have an EMPTY code, HTTP 400: "ID is not defined or invalid", "Not found",
 * "Parameter 'fields' must be array.", "Parameter 'params' must be array", "Access denied". Only the fields
 * listed in MAP are written (the emulator's deal has no others); CATEGORY_ID is not changed here (the page sends
 * a pipeline change to crm.item.update).
 */
import type { MethodDefinition } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'
import { crmItemMethods } from './crm-item.ts'

const MAP: Readonly<Record<string, string>> = {
  TITLE: 'title', TYPE_ID: 'typeId', STAGE_ID: 'stageId', OPPORTUNITY: 'opportunity', IS_MANUAL_OPPORTUNITY: 'isManualOpportunity',
  CURRENCY_ID: 'currencyId', PROBABILITY: 'probability', COMPANY_ID: 'companyId', CONTACT_ID: 'contactId', BEGINDATE: 'begindate',
  CLOSEDATE: 'closedate', OPENED: 'opened', CLOSED: 'closed', COMMENTS: 'comments', ASSIGNED_BY_ID: 'assignedById',
  SOURCE_ID: 'sourceId', SOURCE_DESCRIPTION: 'sourceDescription',
}

const empty = (description: string): RestError => new RestError(400, '', description)

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

const update: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const id = Number(params.id ?? params.ID)
    if (!Number.isInteger(id) || id <= 0) throw empty('ID is not defined or invalid')
    const given = params.fields ?? params.FIELDS ?? {}
    if (!isObject(given)) throw empty('Parameter \'fields\' must be array.')
    if (params.params !== undefined && !isObject(params.params)) throw empty('Parameter \'params\' must be array')
    const fields: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(given)) {
      const name = MAP[key.toUpperCase()]
      if (name) fields[name] = value
    }
    try {
      crmItemMethods['crm.item.update']?.handler({ entityTypeId: 2, id, fields }, ctx)
    }
    catch (error) {
      if (error instanceof RestError && error.code === 'NOT_FOUND') throw empty('Not found')
      if (error instanceof RestError && error.code === 'ACCESS_DENIED') throw empty('Access denied')
      throw error
    }
    return { result: true, rowsTouched: 1 }
  },
}

export const crmDealMethods: Record<string, MethodDefinition> = {
  'crm.deal.update': update,
}
