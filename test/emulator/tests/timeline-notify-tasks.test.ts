// crm.timeline.logmessage.* / comment.add/list/delete, im.notify.*.add, tasks.task.*: shapes, errors, journal entries.
import { describe, expect, it } from 'vitest'
import { useDemoPortal, type RestClient } from './rest-client.ts'

let client: RestClient
let invoiceOf2: number
let invoiceOf3: number
let dealOf2: number

useDemoPortal(portal => ({ client, invoiceOf2, invoiceOf3, dealOf2 } = portal))

const logFields = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  entityTypeId: 31, entityId: invoiceOf2, title: 'Счёт отправлен', text: 'client@example.com', iconCode: 'info', ...overrides,
})

describe('crm.timeline.logmessage', () => {
  it('add → { logMessage }, journal timeline; get returns the same', async () => {
    const reply = await client.app(2, 'crm.timeline.logmessage.add', { fields: logFields() })
    const expected = { id: 1, created: '2026-03-15T10:00:00+03:00', authorId: 2, title: 'Счёт отправлен', text: 'client@example.com', iconCode: 'info' }
    expect(reply.body.result).toEqual({ logMessage: expected })
    expect((await client.app(2, 'crm.timeline.logmessage.get', { id: 1 })).body.result).toEqual({ logMessage: expected })
    const [entry] = await client.journal('timeline')
    expect(entry).toMatchObject({ kind: 'timeline', title: 'Счёт отправлен', details: { method: 'crm.timeline.logmessage.add', logMessageId: 1, owner: { typeId: 31, id: invoiceOf2 }, userId: 2 } })
  })

  it('errors: 100, OWNER_NOT_FOUND, ACCESS_DENIED, NOT_FOUND, REMOVING_DISABLED', async () => {
    const missing = await client.hook('crm.timeline.logmessage.add', { fields: logFields({ title: '' }) })
    expect([missing.status, missing.body.error, missing.body.error_description]).toEqual([400, '100', 'Required fields: title'])
    expect((await client.hook('crm.timeline.logmessage.add', {})).body.error_description).toBe('Could not find value for parameter {fields}')
    expect((await client.hook('crm.timeline.logmessage.add', { fields: logFields({ entityId: 999_999 }) })).body.error).toBe('OWNER_NOT_FOUND')
    const denied = await client.app(2, 'crm.timeline.logmessage.add', { fields: logFields({ entityId: invoiceOf3 }) })
    expect([denied.status, denied.body.error]).toEqual([400, 'ACCESS_DENIED'])
    const notFound = await client.hook('crm.timeline.logmessage.get', { id: 77 })
    expect([notFound.body.error, notFound.body.error_description]).toEqual(['NOT_FOUND', 'Timeline logmessage not found for id 77'])
    await client.hook('crm.timeline.logmessage.add', { fields: logFields() })
    expect((await client.app(1, 'crm.timeline.logmessage.delete', { id: 1 })).body.error).toBe('REMOVING_DISABLED')
    expect((await client.hook('crm.timeline.logmessage.delete', { id: 1 })).body.result).toBe(true)
    expect((await client.hook('crm.timeline.logmessage.list', { entityTypeId: 31 })).body.error_description).toBe('Could not find value for parameter {entityId}')
  })

  it('list: a plain array, 10 a page, newest first; order by id asc', async () => {
    for (let index = 1; index <= 12; index++) await client.app(2, 'crm.timeline.logmessage.add', { fields: logFields({ title: `#${index}` }) })
    const first = await client.app(2, 'crm.timeline.logmessage.list', { entityTypeId: 31, entityId: invoiceOf2 })
    expect((first.body.result as { id: number }[]).map(entry => entry.id)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3])
    expect([first.body.total, first.body.next]).toEqual([12, 10])
    const second = await client.app(2, 'crm.timeline.logmessage.list', { entityTypeId: 31, entityId: invoiceOf2, start: 10, order: { id: 'asc' } })
    expect((second.body.result as { id: number }[]).map(entry => entry.id)).toEqual([11, 12])
  })

  it('comment.add takes lower-case fields and ENTITY_TYPE deal', async () => {
    const reply = await client.hook('crm.timeline.comment.add', { fields: { ENTITY_ID: dealOf2, ENTITY_TYPE: 'deal', COMMENT: 'Счёт выставлен' } })
    expect([reply.status, reply.body.result]).toEqual([200, 1])
    expect((await client.hook('crm.timeline.comment.add', { FIELDS: { ENTITY_ID: dealOf2, ENTITY_TYPE: 'deal', COMMENT: 'x' } })).body.error).toBe('100')
    expect((await client.hook('crm.timeline.comment.add', { fields: { ENTITY_ID: dealOf2, ENTITY_TYPE: 'deal', COMMENT: '' } })).body.error).toBe('INVALID_ARG_VALUE')
    const [entry] = await client.journal('timeline')
    expect(entry?.details).toMatchObject({ method: 'crm.timeline.comment.add', owner: { typeId: 2, id: dealOf2 }, comment: 'Счёт выставлен' })
  })

  it('comment.delete answers null, then NOT_FOUND for the same id; needs modify rights on the owner; the comment leaves the timeline journal', async () => {
    const id = (await client.app(2, 'crm.timeline.comment.add', { fields: { ENTITY_ID: invoiceOf2, ENTITY_TYPE: 'smart_invoice', COMMENT: 'token' } })).body.result
    const listed = await client.app(2, 'crm.timeline.comment.list', { filter: { ENTITY_ID: invoiceOf2, ENTITY_TYPE: 'smart_invoice' } })
    expect(listed.body.result).toEqual([expect.objectContaining({ ID: String(id), COMMENT: 'token', AUTHOR_ID: '2' })])
    expect((await client.app(3, 'crm.timeline.comment.delete', { id })).body.error).toBe('ACCESS_DENIED')
    expect((await client.app(2, 'crm.timeline.comment.delete', {})).body.error).toBe('100')
    const first = await client.app(2, 'crm.timeline.comment.delete', { id, ownerTypeId: 31, ownerId: invoiceOf2 })
    expect([first.status, first.body.result]).toEqual([200, null])
    const again = await client.app(2, 'crm.timeline.comment.delete', { id })
    expect([again.status, again.body.error, again.body.error_description]).toEqual([400, 'NOT_FOUND', 'Not found.'])
    expect((await client.journal('timeline')).filter(entry => entry.details.commentId === id)).toHaveLength(0)
  })
})

describe('im.notify.system.add / im.notify.personal.add', () => {
  it('result is the id; journal notifications; TAG replaces the older notification', async () => {
    const first = await client.app(2, 'im.notify.system.add', { USER_ID: 3, MESSAGE: '  Счёт [b]СЧ-00001[/b] оплачен ', TAG: 'invoice-1' })
    expect([first.status, first.body.result]).toEqual([200, 1])
    const second = await client.app(2, 'im.notify.personal.add', { USER_ID: 3, MESSAGE: 'Повтор', TAG: 'invoice-1' })
    expect(second.body.result).toBe(2)
    const journal = await client.journal('notifications')
    expect(journal.map(entry => entry.details.notificationId)).toEqual([2, 1])
    expect(journal[0]?.details).toMatchObject({ method: 'im.notify.personal.add', type: 'personal', toUserId: 3, fromUserId: 2, tag: 'invoice-1', replaced: [1] })
    expect(journal[1]?.details).toMatchObject({ message: 'Счёт [b]СЧ-00001[/b] оплачен', fromUserId: null, replacedBy: 2 })
  })

  it('errors: USER_ID_EMPTY, MESSAGE_EMPTY, ATTACH_OVERSIZE, ATTACH_ERROR (HTTP 400); unknown user → false', async () => {
    const noUser = await client.hook('im.notify.system.add', { MESSAGE: 'x' })
    expect([noUser.status, noUser.body.error, noUser.body.error_description]).toEqual([400, 'USER_ID_EMPTY', 'User ID can\'t be empty'])
    expect((await client.hook('im.notify.system.add', { USER_ID: 2, MESSAGE: '   ' })).body.error).toBe('MESSAGE_EMPTY')
    expect((await client.hook('im.notify.system.add', { USER_ID: 2, MESSAGE: 'x', ATTACH: [{ MESSAGE: 'y'.repeat(60_001) }] })).body.error).toBe('ATTACH_OVERSIZE')
    expect((await client.hook('im.notify.system.add', { USER_ID: 2, MESSAGE: 'x', ATTACH: '{oops' })).body.error).toBe('ATTACH_ERROR')
    expect((await client.hook('im.notify.system.add', { USER_ID: 99, MESSAGE: 'x' })).body.result).toBe(false)
  })

  it('a webhook TAG counts only together with CLIENT_ID', async () => {
    await client.hook('im.notify.system.add', { USER_ID: 2, MESSAGE: 'a', TAG: 't' })
    await client.hook('im.notify.system.add', { USER_ID: 2, MESSAGE: 'b', TAG: 't', CLIENT_ID: 'app.1' })
    const [withClient, withoutClient] = await client.journal('notifications')
    expect([withoutClient?.details.tag, withClient?.details.tag, withClient?.details.replaced]).toEqual(['', 't', []])
  })
})

describe('tasks.task.add / get / list', () => {
  it('add → { task } in camelCase with string ids; journal tasks; ufCrmTask only when selected', async () => {
    const reply = await client.app(2, 'tasks.task.add', { fields: { TITLE: 'Проверить оплату', RESPONSIBLE_ID: 4, DEADLINE: '2026-03-20T18:00:00', DESCRIPTION: 'СЧ-00001', UF_CRM_TASK: [`D_${dealOf2}`] } })
    const task = (reply.body.result as { task: Record<string, unknown> }).task
    expect(task).toMatchObject({ id: '1', title: 'Проверить оплату', responsibleId: '4', createdBy: '2', status: '2', deadline: '2026-03-20T18:00:00+03:00', description: 'СЧ-00001' })
    expect(task.responsible).toMatchObject({ id: '4', name: 'Ольга Бухгалтерова' })
    expect(task).not.toHaveProperty('ufCrmTask')
    const got = await client.app(4, 'tasks.task.get', { taskId: 1, select: ['ID', 'TITLE', 'UF_CRM_TASK'] })
    expect(got.body.result).toEqual({ task: { id: '1', title: 'Проверить оплату', ufCrmTask: [`D_${dealOf2}`] } })
    const [entry] = await client.journal('tasks')
    expect(entry?.details).toMatchObject({ method: 'tasks.task.add', taskId: 1, userId: 2, responsibleId: 4, createdBy: 2, crm: [`D_${dealOf2}`], crmBindings: [{ typeId: 2, id: dealOf2 }] })
  })

  it('ERROR_CORE for a missing title or a wrong responsible; 100 without fields', async () => {
    const noTitle = await client.hook('tasks.task.add', { fields: { RESPONSIBLE_ID: 2 } })
    expect([noTitle.status, noTitle.body.error, noTitle.body.error_description]).toEqual([400, 'ERROR_CORE', 'Task title is not specified<br>'])
    expect((await client.hook('tasks.task.add', { fields: { TITLE: 'x', RESPONSIBLE_ID: 99 } })).body.error_description).toBe('User specified in the "Responsible" field not found<br>')
    expect((await client.hook('tasks.task.add', {})).body.error).toBe('100')
    expect(await client.journal('tasks')).toEqual([])
  })

  it('list: { tasks }, filter by UF_CRM_TASK and RESPONSIBLE_ID, only visible tasks', async () => {
    await client.hook('tasks.task.add', { fields: { TITLE: 'a', RESPONSIBLE_ID: 2, UF_CRM_TASK: ['D_1'] } })
    await client.hook('tasks.task.add', { fields: { TITLE: 'b', RESPONSIBLE_ID: 3, UF_CRM_TASK: ['D_2'] } })
    const byDeal = await client.hook('tasks.task.list', { filter: { UF_CRM_TASK: 'D_2' }, select: ['ID', 'TITLE'] })
    expect(byDeal.body.result).toEqual({ tasks: [{ id: '2', title: 'b' }] })
    expect(byDeal.body.total).toBe(1)
    const asManager2 = await client.app(2, 'tasks.task.list', {})
    expect((asManager2.body.result as { tasks: { id: string }[] }).tasks.map(task => task.id)).toEqual(['1'])
  })
})
