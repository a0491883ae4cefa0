/**
 * Business processes (scope `bizproc`, administrator only, R: api-reference/bizproc/):
 * - `bizproc.workflow.template.list { SELECT (default ['ID']), FILTER, ORDER (default {ID:'ASC'}), start }` →
 *   rows of the selected fields, `total`, `next`; 50 a page. A non-admin gets HTTP **400** `ACCESS_DENIED` "Access denied!"
 *   (template/bizproc-workflow-template-list.md).
 * - `bizproc.workflow.start { TEMPLATE_ID*, DOCUMENT_ID* [module, entity, element], PARAMETERS }` → the workflow id
 *   (`"66e81a641752f8.56521481"`). Errors (bizproc-workflow-start.md): 403 `ACCESS_DENIED` "Access denied!"; 400
 *   `ERROR_WRONG_WORKFLOW_ID` "Empty TEMPLATE_ID" / "Template not found"; 400 with an empty code "Wrong DOCUMENT_ID!"
 *   (not a [module, entity, element] triple), "Incorrect document type!" (the portal cannot tell the document's type:
 *   an unknown entity, an element id of another type, or a document that does not exist), "Template type and
 *   DOCUMENT_ID mismatch!" (a deal template on an invoice …). Start "only on paid plans, demo licenses, and NFR
 *   licenses": the page names no error for that, so on the emulator's `basic` plan an administrator gets the page's
 *   one documented refusal, 403 `ACCESS_DENIED` "Access denied!" (the app cannot tell it from a rights refusal).
 * - `bizproc.workflow.instances` (alias `bizproc.workflow.instance.list`) `{ SELECT (default ID, MODIFIED, OWNED_UNTIL),
 *   FILTER, ORDER (default {MODIFIED:'desc'}), start }` → the RUNNING workflows; 403 `ACCESS_DENIED` for non-admins.
 * - `bizproc.workflow.terminate { ID*, STATUS }` → `true`, the workflow stops and keeps its data;
 *   `bizproc.workflow.kill { ID* }` → `true`, it also goes from the portal. 403 `ACCESS_DENIED`; 400
 *   `ERROR_WRONG_WORKFLOW_ID` "Empty workflow instance ID"; an unknown or finished id: 400, empty code, "Workflow not found".
 * Parameter names are read in upper or lower case (the docs' own examples send `select`/`filter`/`order`); filter and
 * order field names in any case. Every start, approval and stop is written to the journal `workflows`.
 */
import type { BizprocState, WorkflowInstance, WorkflowTemplate } from '../data/bizproc-state.ts'
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { formatPortalDateTime } from '../core/portal-time.ts'
import { bizproc, BIZPROC_ENTITIES, journalWorkflow, nextWorkflowId } from '../data/bizproc-state.ts'
import { asList, projectRow, runListQuery } from '../rest/list-query.ts'
import { RestError } from '../rest/rest-error.ts'

const TEMPLATE_FIELDS = ['ID', 'MODULE_ID', 'ENTITY', 'DOCUMENT_TYPE', 'AUTO_EXECUTE', 'NAME', 'TEMPLATE', 'PARAMETERS', 'VARIABLES', 'CONSTANTS', 'MODIFIED', 'IS_MODIFIED', 'USER_ID', 'SYSTEM_CODE'] as const
const INSTANCE_FIELDS = ['ID', 'MODIFIED', 'OWNED_UNTIL', 'MODULE_ID', 'ENTITY', 'DOCUMENT_ID', 'STARTED', 'STARTED_BY', 'TEMPLATE_ID'] as const
const TEMPORAL = new Map([['MODIFIED', 'datetime' as const], ['STARTED', 'datetime' as const], ['OWNED_UNTIL', 'datetime' as const]])

/** Which CRM table holds the documents of an entity, and how their element ids look. */
const DOCUMENT_KINDS: Record<string, { prefix: string, documentType: string, entityTypeId: 1 | 2 | 3 | 4 | 31 }> = {
  [BIZPROC_ENTITIES.deal]: { prefix: 'DEAL_', documentType: 'DEAL', entityTypeId: 2 },
  [BIZPROC_ENTITIES.lead]: { prefix: 'LEAD_', documentType: 'LEAD', entityTypeId: 1 },
  [BIZPROC_ENTITIES.contact]: { prefix: 'CONTACT_', documentType: 'CONTACT', entityTypeId: 3 },
  [BIZPROC_ENTITIES.company]: { prefix: 'COMPANY_', documentType: 'COMPANY', entityTypeId: 4 },
  [BIZPROC_ENTITIES.invoice]: { prefix: 'SMART_INVOICE_', documentType: 'SMART_INVOICE', entityTypeId: 31 },
}

/** A parameter under its documented UPPER_CASE name or in lower case. */
function param(params: Params, name: string): unknown {
  return params[name] ?? params[name.toLowerCase()]
}

const accessDenied = (status: 400 | 403) => new RestError(status, 'ACCESS_DENIED', 'Access denied!')

function requireAdmin(ctx: CallContext, status: 400 | 403): BizprocState {
  if (!ctx.isAdmin)
    throw accessDenied(status)
  return bizproc(ctx.state, ctx.now)
}

function templateRow(row: WorkflowTemplate): Record<string, unknown> {
  return {
    ID: String(row.ID), MODULE_ID: row.MODULE_ID, ENTITY: row.ENTITY, DOCUMENT_TYPE: row.DOCUMENT_TYPE, AUTO_EXECUTE: String(row.AUTO_EXECUTE),
    NAME: row.NAME, TEMPLATE: row.TEMPLATE, PARAMETERS: row.PARAMETERS, VARIABLES: row.VARIABLES, CONSTANTS: row.CONSTANTS,
    MODIFIED: row.MODIFIED, IS_MODIFIED: row.IS_MODIFIED, USER_ID: String(row.USER_ID), SYSTEM_CODE: row.SYSTEM_CODE,
  }
}

function instanceRow(row: WorkflowInstance): Record<string, unknown> {
  return {
    ID: row.ID, MODIFIED: row.MODIFIED, OWNED_UNTIL: row.OWNED_UNTIL, MODULE_ID: row.MODULE_ID, ENTITY: row.ENTITY,
    DOCUMENT_ID: row.DOCUMENT_ID, STARTED: row.STARTED, STARTED_BY: String(row.STARTED_BY), TEMPLATE_ID: String(row.TEMPLATE_ID),
  }
}

/** SELECT with unknown fields dropped; the default when nothing is asked. */
function selection(params: Params, known: readonly string[], fallback: readonly string[]): string[] {
  const asked = asList(param(params, 'SELECT')).map(field => String(field).toUpperCase()).filter(field => known.includes(field))
  return asked.length > 0 ? asked : [...fallback]
}

function listRows(rows: Record<string, unknown>[], params: Params, defaultOrder: Record<string, 'ASC' | 'DESC'>, select: string[]) {
  const page = runListQuery(rows, { filter: param(params, 'FILTER'), order: param(params, 'ORDER'), start: params.start ?? params.START }, { caseInsensitiveFields: true, defaultOrder, temporalFields: TEMPORAL })
  return { result: page.rows.map(row => projectRow(row, select)), total: page.total, ...(page.next === undefined ? {} : { next: page.next }), rowsTouched: page.scanned }
}

const templateList: MethodDefinition = {
  scope: 'bizproc',
  handler(params, ctx) {
    const store = requireAdmin(ctx, 400)
    return listRows(store.templates.map(templateRow), params, { ID: 'ASC' }, selection(params, TEMPLATE_FIELDS, ['ID']))
  },
}

/** The [module, entity, element] triple, checked as the portal checks it. */
function documentOf(params: Params, ctx: CallContext): { module: string, entity: string, element: string, documentType: string } {
  const parts = asList(param(params, 'DOCUMENT_ID')).map(String)
  if (parts.length !== 3 || parts.some(part => part === ''))
    throw new RestError(400, '', 'Wrong DOCUMENT_ID!')
  const [module, entity, element] = parts as [string, string, string]
  const kind = DOCUMENT_KINDS[entity]
  const id = kind && element.startsWith(kind.prefix) ? Number(element.slice(kind.prefix.length)) : Number.NaN
  const table = kind && kind.entityTypeId !== 1 ? ctx.state.entities[kind.entityTypeId] : undefined
  if (module !== 'crm' || !kind || !Number.isInteger(id) || !table?.byId.has(id))
    throw new RestError(400, '', 'Incorrect document type!')
  return { module, entity, element, documentType: kind.documentType }
}

function parametersOf(params: Params): Record<string, unknown> {
  const raw = param(params, 'PARAMETERS')
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { ...raw as Record<string, unknown> } : {}
}

const start: MethodDefinition = {
  scope: 'bizproc',
  handler(params, ctx) {
    const store = requireAdmin(ctx, 403)
    if (ctx.plan === 'basic') throw new RestError(403, 'ACCESS_DENIED', 'Access denied!')
    const templateId = param(params, 'TEMPLATE_ID')
    if (templateId === undefined || templateId === null || templateId === '' || Number(templateId) === 0)
      throw new RestError(400, 'ERROR_WRONG_WORKFLOW_ID', 'Empty TEMPLATE_ID')
    const found = store.templates.find(entry => entry.ID === Number(templateId))
    if (!found)
      throw new RestError(400, 'ERROR_WRONG_WORKFLOW_ID', 'Template not found')
    const document = documentOf(params, ctx)
    if (found.ENTITY !== document.entity || found.DOCUMENT_TYPE !== document.documentType)
      throw new RestError(400, '', 'Template type and DOCUMENT_ID mismatch!')
    const now = formatPortalDateTime(ctx.now)
    const instance: WorkflowInstance = {
      ID: nextWorkflowId(store, ctx.now), MODULE_ID: document.module, ENTITY: document.entity, DOCUMENT_ID: document.element,
      TEMPLATE_ID: found.ID, STARTED: now, STARTED_BY: ctx.userId, MODIFIED: now, OWNED_UNTIL: null,
      status: found.behaviour === 'completes' ? 'completed' : 'running', parameters: parametersOf(params),
    }
    store.instances.push(instance)
    journalWorkflow(ctx.state, ctx.now, instance, found.NAME, { method: 'bizproc.workflow.start', parameters: instance.parameters, userId: ctx.userId })
    return { result: instance.ID, rowsTouched: 1 }
  },
}

const instances: MethodDefinition = {
  scope: 'bizproc',
  handler(params, ctx) {
    const store = requireAdmin(ctx, 403)
    const running = store.instances.filter(instance => instance.status === 'running').map(instanceRow)
    return listRows(running, params, { MODIFIED: 'DESC' }, selection(params, INSTANCE_FIELDS, ['ID', 'MODIFIED', 'OWNED_UNTIL']))
  },
}

function runningInstance(params: Params, ctx: CallContext): WorkflowInstance {
  const store = requireAdmin(ctx, 403)
  const id = param(params, 'ID')
  if (id === undefined || id === null || id === '')
    throw new RestError(400, 'ERROR_WRONG_WORKFLOW_ID', 'Empty workflow instance ID')
  const instance = store.instances.find(entry => entry.ID === String(id) && entry.status === 'running')
  if (!instance)
    throw new RestError(400, '', 'Workflow not found')
  return instance
}

const terminate: MethodDefinition = {
  scope: 'bizproc',
  handler(params, ctx) {
    const instance = runningInstance(params, ctx)
    instance.status = 'terminated'
    instance.MODIFIED = formatPortalDateTime(ctx.now)
    const statusText = param(params, 'STATUS')
    const name = bizproc(ctx.state).templates.find(entry => entry.ID === instance.TEMPLATE_ID)?.NAME ?? ''
    journalWorkflow(ctx.state, ctx.now, instance, `${name}: остановлен`, { method: 'bizproc.workflow.terminate', statusText: statusText === undefined ? null : String(statusText), userId: ctx.userId })
    return { result: true, rowsTouched: 1 }
  },
}

const kill: MethodDefinition = {
  scope: 'bizproc',
  handler(params, ctx) {
    const instance = runningInstance(params, ctx)
    const store = bizproc(ctx.state)
    store.instances.splice(store.instances.indexOf(instance), 1)
    instance.status = 'terminated'
    const name = store.templates.find(entry => entry.ID === instance.TEMPLATE_ID)?.NAME ?? ''
    journalWorkflow(ctx.state, ctx.now, instance, `${name}: удалён`, { method: 'bizproc.workflow.kill', userId: ctx.userId })
    return { result: true, rowsTouched: 1 }
  },
}

export const bizprocWorkflowMethods: Record<string, MethodDefinition> = {
  'bizproc.workflow.template.list': templateList,
  'bizproc.workflow.start': start,
  'bizproc.workflow.instances': instances,
  'bizproc.workflow.instance.list': instances,
  'bizproc.workflow.terminate': terminate,
  'bizproc.workflow.kill': kill,
}
