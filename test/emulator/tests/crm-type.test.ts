// Smart processes: crm.type.* and crm.item.* on a created type's entityTypeId, through the real HTTP API.
import { describe, expect, it } from 'vitest'
import { useDemoPortal, type DemoPortal } from './rest-client.ts'

let portal: DemoPortal
useDemoPortal((ready) => {
  portal = ready
})

type Item = Record<string, unknown> & { id: number }
const resultOf = <T>(body: Record<string, unknown>): T => body.result as T

async function addJournalType(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const reply = await portal.client.hook('crm.type.add', {
    fields: { title: 'Журнал выполнения', relations: { parent: [{ entityTypeId: 2, isChildrenListEnabled: 'true' }] }, ...extra },
  })
  expect(reply.status).toBe(200)
  return resultOf<{ type: Record<string, unknown> }>(reply.body).type
}

describe('crm.type.*', () => {
  it('add generates even entityTypeIds from 1032 and answers the documented type object', async () => {
    const type = await addJournalType({ isBeginCloseDatesEnabled: 'Y' })
    expect(type.entityTypeId).toBe(1032)
    expect(type).toMatchObject({
      id: 1, title: 'Журнал выполнения', code: '', createdBy: 1, customSectionId: null, isSetOpenPermissions: 'Y',
      isBeginCloseDatesEnabled: 'Y', isClientEnabled: 'N', isPaymentsEnabled: 'N', updatedBy: 1, customSections: [],
      createdTime: '2026-03-15T10:00:00+03:00',
      relations: { parent: [{ entityTypeId: 2, isChildrenListEnabled: 'Y', isPredefined: 'N' }], child: [] },
    })
    expect(Object.keys(type).slice(0, 6)).toEqual(['id', 'title', 'code', 'createdBy', 'entityTypeId', 'customSectionId'])
    const second = await addJournalType({ title: 'Второй' })
    expect(second.entityTypeId).toBe(1034)
  })

  it('add validates a given entityTypeId: range and uniqueness', async () => {
    for (const bad of [1031, 1029, 200, 127, 31]) {
      const reply = await portal.client.hook('crm.type.add', { fields: { title: 'x', entityTypeId: bad } })
      expect([reply.status, reply.body.error, reply.body.error_description]).toEqual([400, 'INVALID_ARG_VALUE', 'entityTypeId is out of allowed range'])
    }
    expect((await addJournalType({ entityTypeId: 150 })).entityTypeId).toBe(150)
    expect((await addJournalType({ entityTypeId: 2024 })).entityTypeId).toBe(2024)
    const duplicate = await portal.client.hook('crm.type.add', { fields: { title: 'y', entityTypeId: 2024 } })
    expect([duplicate.status, duplicate.body.error]).toEqual([400, 'INVALID_ARG_VALUE'])
    const noFields = await portal.client.hook('crm.type.add', {})
    expect([noFields.status, noFields.body.error]).toEqual([400, '100'])
  })

  it('only CRM admins add, list, delete and read the type fields; everyone reads an open type', async () => {
    for (const userId of [2, 4]) {
      const reply = await portal.client.app(userId, 'crm.type.add', { fields: { title: 'x' } })
      expect([reply.status, reply.body.error, reply.body.error_description]).toEqual([400, 'ACCESS_DENIED', 'Access denied'])
      expect((await portal.client.app(userId, 'crm.type.list')).body.error).toBe('ACCESS_DENIED')
      expect((await portal.client.app(userId, 'crm.type.fields')).body.error).toBe('ACCESS_DENIED')
    }
    const type = await addJournalType()
    expect((await portal.client.app(2, 'crm.type.delete', { id: type.id })).body.error).toBe('ACCESS_DENIED')
    const byEntity = await portal.client.app(2, 'crm.type.getByEntityTypeId', { entityTypeId: type.entityTypeId })
    expect(resultOf<{ type: { id: number } }>(byEntity.body).type.id).toBe(type.id)
    const fields = await portal.client.hook('crm.type.fields')
    expect(Object.keys(resultOf<{ fields: object }>(fields.body).fields)).toContain('isSetOpenPermissions')
  })

  it('list pages with total/next and filters; get, getByEntityTypeId; delete', async () => {
    for (let index = 0; index < 52; index++) await addJournalType({ title: `Процесс ${index}` })
    const first = await portal.client.hook('crm.type.list', {})
    expect(resultOf<{ types: unknown[] }>(first.body).types).toHaveLength(50)
    expect([first.body.total, first.body.next]).toEqual([52, 50])
    const filtered = await portal.client.hook('crm.type.list', { filter: { '%title': 'цесс 5' }, order: { id: 'DESC' } })
    expect(resultOf<{ types: { title: string }[] }>(filtered.body).types.map(type => type.title)).toEqual(['Процесс 51', 'Процесс 50', 'Процесс 5'])
    const row = resultOf<{ types: Record<string, unknown>[] }>(first.body).types[0]!
    expect(row).not.toHaveProperty('relations')
    const get = await portal.client.hook('crm.type.get', { id: 3 })
    expect(resultOf<{ type: { entityTypeId: number, relations: object } }>(get.body).type).toMatchObject({ entityTypeId: 1036, relations: { child: [] } })
    const missing = await portal.client.hook('crm.type.get', { id: 999 })
    expect([missing.status, missing.body.error, missing.body.error_description]).toEqual([400, 0, 'Smart process not found'])
    expect((await portal.client.hook('crm.type.getByEntityTypeId', { entityTypeId: 4000 })).body.error).toBe(0)
    expect((await portal.client.hook('crm.type.delete', { id: 3 })).body.result).toEqual([])
    expect((await portal.client.hook('crm.type.get', { id: 3 })).body.error).toBe(0)
    expect((await portal.client.hook('crm.item.list', { entityTypeId: 1036 })).body.error_description).toBe('Smart process not found')
    expect((await portal.client.hook('crm.type.list', {})).body.total).toBe(51)
  })

  it('delete is refused while the type has items (R: crm-type-delete.md), then works', async () => {
    const type = await addJournalType()
    const item = await portal.client.hook('crm.item.add', { entityTypeId: type.entityTypeId, fields: { title: 'запись' } })
    const refused = await portal.client.hook('crm.type.delete', { id: type.id })
    expect([refused.status, refused.body.error, refused.body.error_description]).toEqual([400, 'BX_ERROR', 'You cannot delete an entity type that has elements'])
    await portal.client.hook('crm.item.delete', { entityTypeId: type.entityTypeId, id: resultOf<{ item: Item }>(item.body).item.id })
    expect((await portal.client.hook('crm.type.delete', { id: type.id })).status).toBe(200)
    expect(portal.emulator.state.entities[Number(type.entityTypeId)]).toBeUndefined()
    expect(portal.emulator.state.categories.some(category => category.entityTypeId === type.entityTypeId)).toBe(false)
  })

  it('a reset drops the types', async () => {
    await addJournalType()
    await portal.client.control('/emulator/reset', { data: 'demo' })
    expect(portal.emulator.state.crmTypes).toEqual([])
    expect((await portal.client.hook('crm.item.list', { entityTypeId: 1032 })).body.error).toBe('NOT_FOUND')
  })
})

describe('crm.item.* on a smart process', () => {
  it('an item has the documented SPA fields, parentId2 for the deal relation, portal-set times and authors', async () => {
    const type = await addJournalType({ isBeginCloseDatesEnabled: 'Y', isClientEnabled: 'Y', isLinkWithProductsEnabled: 'Y', isStagesEnabled: 'Y' })
    const entityTypeId = Number(type.entityTypeId)
    const deal = portal.dealOf2
    const reply = await portal.client.app(2, 'crm.item.add', {
      entityTypeId, fields: { xmlId: 'run:1', parentId2: deal, opportunity: 1500, createdTime: '2020-01-01T00:00:00+03:00', createdBy: 4, observers: [3] },
    })
    expect(reply.status).toBe(200)
    const item = resultOf<{ item: Item }>(reply.body).item
    for (const name of ['id', 'xmlId', 'title', 'createdBy', 'updatedBy', 'movedBy', 'createdTime', 'updatedTime', 'movedTime', 'categoryId',
      'stageId', 'opened', 'assignedById', 'sourceId', 'sourceDescription', 'begindate', 'closedate', 'companyId', 'contactId', 'opportunity',
      'currencyId', 'observers', 'parentId2', 'entityTypeId']) expect(item).toHaveProperty(name)
    expect(item).toMatchObject({
      id: 1, xmlId: 'run:1', title: 'Журнал выполнения #1', createdBy: 2, updatedBy: 2, assignedById: 2, createdTime: '2026-03-15T10:00:00+03:00',
      parentId2: deal, opportunity: 1500, currencyId: 'RUB', begindate: '2026-03-15T03:00:00+03:00', opened: 'Y', entityTypeId,
      // isObserversEnabled and isSourceEnabled are off: disabled fields are null and not written.
      observers: null, sourceId: null,
    })
    expect(String(item.stageId)).toMatch(new RegExp(`^DT${entityTypeId}_\\d+:NEW$`))
    const fields = resultOf<{ fields: Record<string, { upperName: string, settings?: object }> }>((await portal.client.hook('crm.item.fields', { entityTypeId })).body).fields
    expect(fields.parentId2).toMatchObject({ upperName: 'PARENT_ID_2', settings: { parentEntityTypeId: 2 } })
    expect(fields).not.toHaveProperty('observers')
    const byDeal = await portal.client.hook('crm.item.list', { entityTypeId, filter: { parentId2: deal } })
    expect(byDeal.body.total).toBe(1)
    const categories = resultOf<{ categories: { id: number, isDefault: string }[] }>((await portal.client.hook('crm.category.list', { entityTypeId })).body).categories
    expect(categories).toMatchObject([{ id: item.categoryId, isDefault: 'Y', entityTypeId }])
    const stages = await portal.client.hook('crm.status.list', { filter: { ENTITY_ID: `DYNAMIC_${entityTypeId}_STAGE_${String(item.categoryId)}` } })
    expect((stages.body.result as { STATUS_ID: string }[])[0]!.STATUS_ID).toBe(item.stageId)
    // Batch routes the camelCase method name too.
    const batch = await portal.client.hook('batch', { cmd: { t: `crm.type.getByEntityTypeId?entityTypeId=${entityTypeId}` } })
    expect(((batch.body.result as { result: Record<string, { type: { id: number } }> }).result.t!).type.id).toBe(type.id)
  })

  it('pages 120 items by 50, filters by % on xmlId and >=/< on createdTime, keyset with start=-1', async () => {
    const type = await addJournalType()
    const entityTypeId = Number(type.entityTypeId)
    const clock = (iso: string) => portal.client.control('/emulator/clock', { now: iso })
    for (let index = 1; index <= 120; index++) {
      if (index === 61) await clock('2026-03-16T10:00:00+03:00')
      const reply = await portal.client.hook('crm.item.add', { entityTypeId, fields: { title: `Запуск ${index}`, xmlId: `${index % 2 ? 'remind' : 'import'}:${index}` } })
      expect(reply.status).toBe(200)
    }
    const pages: number[][] = []
    for (let start: number | undefined = 0; start !== undefined;) {
      const reply = await portal.client.hook('crm.item.list', { entityTypeId, select: ['id', 'xmlId'], start })
      pages.push(resultOf<{ items: Item[] }>(reply.body).items.map(item => item.id))
      expect(reply.body.total).toBe(120)
      start = reply.body.next as number | undefined
    }
    expect(pages.map(page => page.length)).toEqual([50, 50, 20])
    expect(pages.flat()).toEqual(Array.from({ length: 120 }, (_, index) => index + 1))

    const remind = await portal.client.hook('crm.item.list', { entityTypeId, filter: { '%xmlId': 'remind:' } })
    expect(remind.body.total).toBe(60)
    const later = await portal.client.hook('crm.item.list', { entityTypeId, filter: { '>=createdTime': '2026-03-16T00:00:00+03:00' }, order: { id: 'DESC' } })
    expect([later.body.total, resultOf<{ items: Item[] }>(later.body).items[0]!.id]).toEqual([60, 120])
    const earlier = await portal.client.hook('crm.item.list', { entityTypeId, filter: { '<createdTime': '2026-03-16T00:00:00+03:00', '%xmlId': 'import' } })
    expect(earlier.body.total).toBe(30)

    const keyset = await portal.client.hook('crm.item.list', { entityTypeId, filter: { '>id': 100 }, start: -1 })
    expect(keyset.body.total).toBe(0)
    expect(keyset.body).not.toHaveProperty('next')
    expect(resultOf<{ items: Item[] }>(keyset.body).items.map(item => item.id)).toEqual(Array.from({ length: 20 }, (_, index) => index + 101))
    const bad = await portal.client.hook('crm.item.list', { entityTypeId, filter: { nope: 1 } })
    expect(bad.body.error).toBe('INVALID_ARG_VALUE')
  })

  it('with open permissions a manager reads, updates and deletes items others made; the accountant writes too', async () => {
    const type = await addJournalType()
    const entityTypeId = Number(type.entityTypeId)
    const made = resultOf<{ item: Item }>((await portal.client.hook('crm.item.add', { entityTypeId, fields: { title: 'админская', assignedById: 1 } })).body).item
    const listed = await portal.client.app(3, 'crm.item.list', { entityTypeId })
    expect(listed.body.total).toBe(1)
    portal.emulator.engine.clock.set(new Date('2026-03-15T12:00:00+03:00'))
    const updated = await portal.client.app(3, 'crm.item.update', { entityTypeId, id: made.id, fields: { title: 'исправлено' } })
    expect(resultOf<{ item: Item }>(updated.body).item).toMatchObject({ title: 'исправлено', updatedBy: 3, createdBy: 1, updatedTime: '2026-03-15T12:00:00+03:00' })
    const byAccountant = await portal.client.app(4, 'crm.item.add', { entityTypeId, fields: { title: 'бухгалтер' } })
    expect(byAccountant.status).toBe(200)
    expect((await portal.client.app(2, 'crm.item.delete', { entityTypeId, id: made.id })).body.result).toEqual([])
    expect((await portal.client.hook('crm.item.get', { entityTypeId, id: made.id })).body.error).toBe('NOT_FOUND')
    // The existing role rules for invoices stay: a manager cannot touch another manager's invoice.
    expect((await portal.client.app(2, 'crm.item.get', { entityTypeId: 31, id: portal.invoiceOf3 })).body.error).toBe('ACCESS_DENIED')
  })

  it('with isSetOpenPermissions N only admins use the type', async () => {
    const type = await addJournalType({ isSetOpenPermissions: 'N' })
    const entityTypeId = Number(type.entityTypeId)
    expect((await portal.client.app(2, 'crm.item.add', { entityTypeId, fields: { title: 'x' } })).body.error).toBe('ACCESS_DENIED')
    expect((await portal.client.app(2, 'crm.item.list', { entityTypeId })).body.error).toBe('ACCESS_DENIED')
    expect((await portal.client.app(2, 'crm.type.get', { id: type.id })).body.error).toBe('ACCESS_DENIED')
    expect((await portal.client.app(1, 'crm.item.add', { entityTypeId, fields: { title: 'x' } })).status).toBe(200)
  })

  it('an unknown entityTypeId still answers NOT_FOUND «Smart process not found»', async () => {
    const reply = await portal.client.hook('crm.item.list', { entityTypeId: 1032 })
    expect([reply.status, reply.body.error, reply.body.error_description]).toEqual([400, 'NOT_FOUND', 'Smart process not found'])
  })
})
