/** placement.bind/unbind/get/list (R: api-reference/widgets/placement-*.md). App context only. */
import type { BoundPlacement } from '../data/portal-state.ts'
import type { MethodDefinition, Params } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'

/** Codes placement.list answers (R: api-reference/widgets/placements.md, the CRM subset this portal offers). */
export const AVAILABLE_PLACEMENTS = [
  'DEFAULT', 'LEFT_MENU', 'REST_APP_URI', 'CRM_ANALYTICS_MENU', 'CRM_ANALYTICS_TOOLBAR',
  'CRM_DEAL_DETAIL_TAB', 'CRM_DEAL_LIST_MENU', 'CRM_DEAL_LIST_TOOLBAR', 'CRM_DEAL_DETAIL_TOOLBAR', 'CRM_DEAL_DETAIL_ACTIVITY',
  'CRM_DEAL_DOCUMENTGENERATOR_BUTTON', 'CRM_SMART_INVOICE_DETAIL_TAB', 'CRM_SMART_INVOICE_LIST_MENU',
  'CRM_SMART_INVOICE_LIST_TOOLBAR', 'CRM_SMART_INVOICE_DETAIL_TOOLBAR', 'CRM_SMART_INVOICE_DETAIL_ACTIVITY',
  'CRM_SMART_INVOICE_DOCUMENTGENERATOR_BUTTON', 'CRM_SMART_INVOICE_ROBOT_DESIGNER_TOOLBAR', 'CRM_SMART_INVOICE_FUNNELS_TOOLBAR',
  'CRM_FUNNELS_TOOLBAR', 'CRM_COMPANY_DETAIL_TAB', 'CRM_CONTACT_DETAIL_TAB',
]

/** Documented as HTTP 200 with an error body (R: placement-bind.md, "Possible Error Codes"). */
const argumentError = (name: string): RestError => new RestError(200, 'ERROR_ARGUMENT', `Argument '${name}' is null or empty`, { argument: name })

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value)
}

function langAllOf(params: Params, title: string, description: string, groupName: string): BoundPlacement['langAll'] {
  const given = params.LANG_ALL
  const langAll: BoundPlacement['langAll'] = {}
  if (given && typeof given === 'object') {
    for (const [lang, value] of Object.entries(given as Record<string, Record<string, unknown>>)) {
      langAll[lang] = { TITLE: text(value?.TITLE), DESCRIPTION: text(value?.DESCRIPTION), GROUP_NAME: text(value?.GROUP_NAME) }
    }
  }
  if (Object.keys(langAll).length === 0) langAll.ru = { TITLE: title, DESCRIPTION: description, GROUP_NAME: groupName }
  return langAll
}

const bind: MethodDefinition = {
  scope: 'placement',
  adminOnly: true,
  appContextOnly: true,
  handler(params, ctx) {
    const placement = text(params.PLACEMENT)
    const handler = text(params.HANDLER)
    if (!placement) throw argumentError('PLACEMENT')
    if (!handler) throw argumentError('HANDLER')
    if (!AVAILABLE_PLACEMENTS.includes(placement)) throw new RestError(400, 'ERROR_PLACEMENT_NOT_FOUND', 'Placement not found')
    const bound = ctx.state.app.placements
    if (bound.some(entry => entry.placement === placement && entry.handler === handler)) {
      // Not in the docs; a real portal answers a duplicate bind with an error like this one.
      throw new RestError(400, 'ERROR_PLACEMENT_HANDLER_ALREADY_BINDED', 'Handler already binded')
    }
    const title = text(params.TITLE)
    const description = text(params.DESCRIPTION)
    const groupName = text(params.GROUP_NAME)
    bound.push({
      placement, userId: Number(params.USER_ID ?? 0) || 0, handler, title, description, groupName,
      options: params.OPTIONS && typeof params.OPTIONS === 'object' ? params.OPTIONS as Record<string, unknown> : [],
      langAll: langAllOf(params, title, description, groupName),
    })
    return { result: true }
  },
}

const unbind: MethodDefinition = {
  scope: 'placement',
  adminOnly: true,
  appContextOnly: true,
  handler(params, ctx) {
    const placement = text(params.PLACEMENT)
    if (!placement) throw argumentError('PLACEMENT')
    const handler = text(params.HANDLER)
    const before = ctx.state.app.placements.length
    ctx.state.app.placements = ctx.state.app.placements.filter(entry => !(entry.placement === placement && (!handler || entry.handler === handler)))
    return { result: { count: before - ctx.state.app.placements.length } }
  },
}

const get: MethodDefinition = {
  scope: 'placement',
  adminOnly: true,
  appContextOnly: true,
  handler(_params, ctx) {
    const result = ctx.state.app.placements.map(entry => ({
      placement: entry.placement, userId: entry.userId, handler: entry.handler, options: entry.options,
      title: entry.title, description: entry.description, langAll: entry.langAll,
    }))
    return { result }
  },
}

const list: MethodDefinition = {
  scope: 'placement',
  appContextOnly: true,
  handler() {
    return { result: [...AVAILABLE_PLACEMENTS] }
  },
}

export const placementMethods: Record<string, MethodDefinition> = {
  'placement.bind': bind,
  'placement.unbind': unbind,
  'placement.get': get,
  'placement.list': list,
}
