/**
 * crm.timeline.logmessage.add/get/list/delete (R: api-reference/crm/timeline/logmessage/*.md) and
 * crm.timeline.comment.add/list/delete (R: api-reference/crm/timeline/comments/crm-timeline-comment-{add,list,delete}.md).
 * - All failures HTTP 400. logmessage: `100` (missing parameters), `OWNER_NOT_FOUND`, `ACCESS_DENIED`,
 *   `NOT_FOUND` ("Timeline logmessage not found for id N"), `REMOVING_DISABLED` (another creator's entry).
 * - logmessage.list answers a plain array (as the page's example), 10 a page, `start = (N-1)*10`,
 *   ordered by `id` or `created` only (default `id` desc); other order keys are ignored.
 * - "Only the creating app may delete": the creator is the application (app tokens) or the webhook.
 * - comment.add takes only the lower-case `fields` key; ENTITY_TYPE `deal`, `contact`, `company`,
 *   `smart_invoice` (the last is an assumption: the docs name no string for invoices).
 * - comment.delete: `id` required (`100`), `NOT_FOUND` "Not found." when no such comment (also when it is
 *   gone already: deleting twice fails), `ACCESS_DENIED` without modify rights on the owner; answers
 *   `result: null`. The deleted comment leaves the timeline, and its `timeline` journal entry with it.
 * - comment.list: `filter.ENTITY_ID` + `filter.ENTITY_TYPE` required, 50 a page, read rights on the owner.
 * Both add methods write a `timeline` journal entry.
 */
import { formatPortalDateTime } from '../core/portal-time.ts'
import { invoiceFlow, type LogMessage } from '../data/invoice-flow-state.ts'
import { addJournalEntry, type CrmEntityTypeId } from '../data/portal-state.ts'
import { asList } from '../rest/list-query.ts'
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'
import { canRead, canWrite } from './crm-permissions.ts'
import { crmTypeOf, findOwner, isBlank, isObject, positiveInt } from './crm-owner.ts'

const PAGE = 10
const fail = (code: string, description: string): RestError => new RestError(400, code, description)
const missingParameter = (name: string): RestError => fail('100', `Could not find value for parameter {${name}}`)

const creatorOf = (ctx: CallContext): string => (ctx.authType === 'app' ? 'app' : 'webhook')

function view(message: LogMessage): Record<string, unknown> {
  return { id: message.id, created: message.created, authorId: message.authorId, title: message.title, text: message.text, iconCode: message.iconCode }
}

function owner(ctx: CallContext, typeValue: unknown, idValue: unknown, access: 'read' | 'write'): { typeId: CrmEntityTypeId, id: number } {
  const typeId = crmTypeOf(typeValue)
  const id = positiveInt(idValue)
  const item = typeId === null || id === null ? undefined : findOwner(ctx.state, typeId, id)
  if (typeId === null || id === null || !item) throw fail('OWNER_NOT_FOUND', 'The provided CRM object was not found')
  if (!(access === 'read' ? canRead(ctx, typeId, item) : canWrite(ctx, typeId, item))) throw fail('ACCESS_DENIED', 'Access denied')
  return { typeId, id }
}

function requireMessage(params: Params, ctx: CallContext, access: 'read' | 'write'): LogMessage {
  if (isBlank(params.id)) throw missingParameter('id')
  const message = invoiceFlow(ctx.state).logMessages.find(entry => entry.id === Number(params.id))
  if (!message) throw fail('NOT_FOUND', `Timeline logmessage not found for id ${String(params.id)}`)
  owner(ctx, message.entityTypeId, message.entityId, access)
  return message
}

const add: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    if (!isObject(params.fields)) throw missingParameter('fields')
    const fields = params.fields
    const required = ['entityTypeId', 'entityId', 'title', 'text', 'iconCode']
    const missing = required.filter(name => isBlank(fields[name]))
    if (missing.length > 0) throw fail('100', `Required fields: ${missing.join(', ')}`)
    const target = owner(ctx, fields.entityTypeId, fields.entityId, 'write')
    const flow = invoiceFlow(ctx.state)
    const message: LogMessage = {
      id: flow.nextLogMessageId++, entityTypeId: target.typeId, entityId: target.id, created: formatPortalDateTime(ctx.now),
      authorId: ctx.userId, title: String(fields.title), text: String(fields.text), iconCode: String(fields.iconCode), creator: creatorOf(ctx),
    }
    flow.logMessages.push(message)
    addJournalEntry(ctx.state, new Date(ctx.now).toISOString(), 'timeline', message.title, {
      method: 'crm.timeline.logmessage.add', type: 'logmessage', logMessageId: message.id, owner: { typeId: target.typeId, id: target.id },
      userId: ctx.userId, title: message.title, text: message.text, iconCode: message.iconCode,
    })
    return { result: { logMessage: view(message) }, rowsTouched: 1 }
  },
}

const get: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    return { result: { logMessage: view(requireMessage(params, ctx, 'read')) } }
  },
}

const list: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    if (isBlank(params.entityTypeId)) throw missingParameter('entityTypeId')
    if (isBlank(params.entityId)) throw missingParameter('entityId')
    const target = owner(ctx, params.entityTypeId, params.entityId, 'read')
    const order = isObject(params.order) ? params.order : {}
    const key = Object.keys(order).find(name => name === 'id' || name === 'created') ?? 'id'
    const direction = String(order[key] ?? 'desc').toLowerCase() === 'asc' ? 1 : -1
    const found = invoiceFlow(ctx.state).logMessages
      .filter(message => message.entityTypeId === target.typeId && message.entityId === target.id)
      .sort((a, b) => direction * (key === 'created' ? a.created.localeCompare(b.created) || a.id - b.id : a.id - b.id))
    const start = Math.max(0, Math.floor(Number(params.start) || 0))
    const page = found.slice(start, start + PAGE).map(view)
    const next = start + PAGE < found.length ? start + PAGE : undefined
    return { result: page, total: found.length, ...(next === undefined ? {} : { next }), rowsTouched: found.length }
  },
}

const remove: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const message = requireMessage(params, ctx, 'write')
    if (message.creator !== creatorOf(ctx)) throw fail('REMOVING_DISABLED', 'The timeline logmessage was created by another application')
    const messages = invoiceFlow(ctx.state).logMessages
    messages.splice(messages.indexOf(message), 1)
    return { result: true }
  },
}

const COMMENT_TYPES: Readonly<Record<string, CrmEntityTypeId>> = { deal: 2, contact: 3, company: 4, smart_invoice: 31 }

const commentAdd: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    if (!isObject(params.fields)) throw missingParameter('fields')
    const fields = params.fields
    const missing = ['ENTITY_ID', 'ENTITY_TYPE'].filter(name => isBlank(fields[name]))
    if (missing.length > 0) throw fail('100', `Required fields: ${missing.join(', ')}`)
    const typeId = COMMENT_TYPES[String(fields.ENTITY_TYPE).toLowerCase()]
    const id = positiveInt(fields.ENTITY_ID)
    const item = typeId === undefined || id === null ? undefined : findOwner(ctx.state, typeId, id)
    if (typeId === undefined || id === null || !item) throw fail('OWNER_NOT_FOUND', 'Owner of the item not found')
    if (!canWrite(ctx, typeId, item)) throw fail('ACCESS_DENIED', 'Insufficient permissions')
    if (isBlank(fields.COMMENT)) throw fail('INVALID_ARG_VALUE', 'Empty comment')
    const flow = invoiceFlow(ctx.state)
    const files = asList(fields.FILES).flatMap(entry => (Array.isArray(entry) && typeof entry[0] === 'string'
      ? [{ name: entry[0], size: typeof entry[1] === 'string' ? Buffer.from(entry[1], 'base64').length : 0 }]
      : []))
    const comment = { id: flow.nextCommentId++, entityType: String(fields.ENTITY_TYPE).toLowerCase(), entityId: id, comment: String(fields.COMMENT), authorId: ctx.userId, created: formatPortalDateTime(ctx.now), files }
    flow.comments.push(comment)
    addJournalEntry(ctx.state, new Date(ctx.now).toISOString(), 'timeline', comment.comment.slice(0, 100), {
      method: 'crm.timeline.comment.add', type: 'comment', commentId: comment.id, owner: { typeId, id }, userId: ctx.userId,
      comment: comment.comment, files,
    })
    return { result: comment.id, rowsTouched: 1 }
  },
}

function commentOwner(ctx: CallContext, entityType: unknown, entityId: unknown, access: 'read' | 'write'): { typeId: CrmEntityTypeId, id: number } {
  const typeId = COMMENT_TYPES[String(entityType ?? '').toLowerCase()]
  const id = positiveInt(entityId)
  const item = typeId === undefined || id === null ? undefined : findOwner(ctx.state, typeId, id)
  if (typeId === undefined || id === null || !item) throw fail('OWNER_NOT_FOUND', 'Owner of the item not found')
  if (!(access === 'read' ? canRead(ctx, typeId, item) : canWrite(ctx, typeId, item))) throw fail('ACCESS_DENIED', 'Insufficient permissions')
  return { typeId, id }
}

const commentDelete: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    if (isBlank(params.id)) throw missingParameter('id')
    const flow = invoiceFlow(ctx.state)
    const comment = flow.comments.find(entry => entry.id === Number(params.id))
    if (!comment) throw fail('NOT_FOUND', 'Not found.')
    commentOwner(ctx, comment.entityType, comment.entityId, 'write')
    flow.comments.splice(flow.comments.indexOf(comment), 1)
    const journalIndex = ctx.state.journal.findIndex(entry => entry.kind === 'timeline' && entry.details.method === 'crm.timeline.comment.add' && entry.details.commentId === comment.id)
    if (journalIndex >= 0) ctx.state.journal.splice(journalIndex, 1)
    return { result: null, rowsTouched: 1 }
  },
}

const COMMENT_PAGE = 50

const commentList: MethodDefinition = {
  scope: 'crm',
  handler(params, ctx) {
    const filter = isObject(params.filter) ? params.filter : {}
    if (isBlank(filter.ENTITY_ID) || isBlank(filter.ENTITY_TYPE)) throw missingParameter('filter')
    const target = commentOwner(ctx, filter.ENTITY_TYPE, filter.ENTITY_ID, 'read')
    const order = isObject(params.order) ? params.order : {}
    const direction = String(order.ID ?? order.CREATED ?? 'ASC').toUpperCase() === 'DESC' ? -1 : 1
    const found = invoiceFlow(ctx.state).comments
      .filter(comment => COMMENT_TYPES[comment.entityType] === target.typeId && comment.entityId === target.id)
      .sort((a, b) => direction * (a.id - b.id))
    const start = Math.max(0, Math.floor(Number(params.start) || 0))
    const page = found.slice(start, start + COMMENT_PAGE).map(comment => ({
      ID: String(comment.id), CREATED: comment.created, ENTITY_ID: String(comment.entityId), ENTITY_TYPE: comment.entityType,
      AUTHOR_ID: String(comment.authorId), COMMENT: comment.comment, FILES: comment.files,
    }))
    const next = start + COMMENT_PAGE < found.length ? start + COMMENT_PAGE : undefined
    return { result: page, total: found.length, ...(next === undefined ? {} : { next }), rowsTouched: found.length }
  },
}

export const crmTimelineMethods: Record<string, MethodDefinition> = {
  'crm.timeline.logmessage.add': add,
  'crm.timeline.logmessage.get': get,
  'crm.timeline.logmessage.list': list,
  'crm.timeline.logmessage.delete': remove,
  'crm.timeline.comment.add': commentAdd,
  'crm.timeline.comment.delete': commentDelete,
  'crm.timeline.comment.list': commentList,
}
