/**
 * im.notify.system.add / im.notify.personal.add (R: api-reference/chats/notifications/im-notify-system-add.md,
 * im-notify-personal-add.md): `USER_ID`*, `MESSAGE`* (trimmed), `MESSAGE_OUT`, `TAG`, `SUB_TAG`, `ATTACH`
 * (object or JSON, ≤ 60,000 characters), `CLIENT_ID` (webhooks: TAG/SUB_TAG count only with it).
 * Result: the notification id; `false` when the recipient does not exist (the page allows `false`).
 * Errors HTTP 400: USER_ID_EMPTY, MESSAGE_EMPTY, ATTACH_OVERSIZE, ATTACH_ERROR.
 * A TAG already used removes the older notifications with that tag (for every user: tags are unique per
 * application); their journal entries get `details.replacedBy`.
 */
import { formatPortalDateTime } from '../core/portal-time.ts'
import { invoiceFlow, type Notification } from '../data/invoice-flow-state.ts'
import { addJournalEntry, findUser } from '../data/portal-state.ts'
import type { CallContext, MethodDefinition, Params } from '../rest/method-types.ts'
import { RestError } from '../rest/rest-error.ts'
import { isBlank } from './crm-owner.ts'

const ATTACH_LIMIT = 60_000

function readAttach(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null
  let text: string
  let parsed: unknown = value
  if (typeof value === 'string') {
    text = value
    try {
      parsed = JSON.parse(value)
    }
    catch {
      throw new RestError(400, 'ATTACH_ERROR', 'Incorrect attach params')
    }
  }
  else {
    text = JSON.stringify(value)
  }
  if (text.length > ATTACH_LIMIT) throw new RestError(400, 'ATTACH_OVERSIZE', 'You have exceeded the maximum allowable size of attach')
  if (parsed === null || typeof parsed !== 'object') throw new RestError(400, 'ATTACH_ERROR', 'Incorrect attach params')
  return parsed
}

function notify(kind: 'system' | 'personal', params: Params, ctx: CallContext): unknown {
  const userId = Number(params.USER_ID)
  if (isBlank(params.USER_ID) || !Number.isFinite(userId) || userId <= 0) throw new RestError(400, 'USER_ID_EMPTY', 'User ID can\'t be empty')
  const message = params.MESSAGE === undefined || params.MESSAGE === null ? '' : String(params.MESSAGE).trim()
  if (message === '') throw new RestError(400, 'MESSAGE_EMPTY', 'Message can\'t be empty')
  const attach = readAttach(params.ATTACH)
  if (!findUser(ctx.state, userId)) return false
  const tagsCount = ctx.authType === 'app' || !isBlank(params.CLIENT_ID)
  const tag = tagsCount && !isBlank(params.TAG) ? String(params.TAG) : ''
  const subTag = tagsCount && !isBlank(params.SUB_TAG) ? String(params.SUB_TAG) : ''
  const flow = invoiceFlow(ctx.state)
  const id = flow.nextNotificationId++
  const replaced = tag === '' ? [] : flow.notifications.filter(entry => entry.tag === tag)
  flow.notifications = flow.notifications.filter(entry => !replaced.includes(entry))
  for (const entry of ctx.state.journal) {
    if (entry.kind === 'notifications' && replaced.some(old => old.id === entry.details.notificationId)) entry.details.replacedBy = id
  }
  const notification: Notification = {
    id, kind, userId, fromUserId: kind === 'personal' ? ctx.userId : null, message,
    messageOut: isBlank(params.MESSAGE_OUT) ? '' : String(params.MESSAGE_OUT), tag, subTag, attach, created: formatPortalDateTime(ctx.now),
  }
  flow.notifications.push(notification)
  addJournalEntry(ctx.state, new Date(ctx.now).toISOString(), 'notifications', message.slice(0, 100), {
    method: `im.notify.${kind}.add`, notificationId: id, type: kind, toUserId: userId, fromUserId: notification.fromUserId, userId: ctx.userId,
    message, messageOut: notification.messageOut, tag, subTag, attach, replaced: replaced.map(entry => entry.id), replacedBy: null,
  })
  return id
}

export const imNotifyMethods: Record<string, MethodDefinition> = {
  'im.notify.system.add': { scope: 'im', handler: (params, ctx) => ({ result: notify('system', params, ctx), rowsTouched: 1 }) },
  'im.notify.personal.add': { scope: 'im', handler: (params, ctx) => ({ result: notify('personal', params, ctx), rowsTouched: 1 }) },
}
