// crm.activity.add/get/list/delete: the e-mail really "sends" only with TYPE_ID 4 + DIRECTION 2 + COMPLETED Y.
import { describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../server.ts'
import { useDemoPortal, type RestClient } from './rest-client.ts'

let emulator: RunningEmulator
let client: RestClient
let invoiceOf2: number
let invoiceOf3: number

function email(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    OWNER_TYPE_ID: 31, OWNER_ID: invoiceOf2, TYPE_ID: 4, DIRECTION: 2, COMPLETED: 'Y', RESPONSIBLE_ID: 2,
    SUBJECT: 'Счёт СЧ-00001', DESCRIPTION: '<p>Здравствуйте!</p>', DESCRIPTION_TYPE: 3,
    COMMUNICATIONS: [{ VALUE: 'client@example.com', ENTITY_ID: 5, ENTITY_TYPE_ID: 3 }],
    SETTINGS: { MESSAGE_FROM: 'Иван Петров <ivan.petrov@invoice-desk.example>' },
    ...overrides,
  }
}

useDemoPortal(portal => ({ emulator, client, invoiceOf2, invoiceOf3 } = portal))

describe('crm.activity.add', () => {
  it('TYPE_ID 4 + DIRECTION 2 + COMPLETED Y: result is the id, the e-mail is in the outbox with its FILES (STORAGE_ELEMENT_IDS ignored on add)', async () => {
    const pdf = Buffer.from('%PDF-1.4 test').toString('base64')
    const reply = await client.app(2, 'crm.activity.add', { fields: email({ FILES: [{ fileData: ['invoice.pdf', pdf] }], STORAGE_ELEMENT_IDS: [5604] }) })
    expect([reply.status, reply.body.result]).toEqual([200, 1])
    const outbox = await client.journal('outbox')
    expect(outbox).toHaveLength(1)
    expect(outbox[0]).toMatchObject({ kind: 'outbox', title: 'Счёт СЧ-00001' })
    expect(outbox[0]?.details).toMatchObject({
      method: 'crm.activity.add', activityId: 1, userId: 2, to: ['client@example.com'], from: 'Иван Петров <ivan.petrov@invoice-desk.example>',
      copyTo: 'ivan.petrov@invoice-desk.example', subject: 'Счёт СЧ-00001', body: '<p>Здравствуйте!</p>', descriptionType: 3,
      owner: { typeId: 31, id: invoiceOf2 }, responsibleId: 2,
      files: [{ name: 'invoice.pdf', size: 13, head: '%PDF-1.4' }],
    })
    expect((outbox[0]?.details as { files: unknown[] }).files).toHaveLength(1)
    const stored = await client.hook('crm.activity.list', { filter: { ID: 1 }, select: ['ID', 'STORAGE_ELEMENT_IDS'] })
    expect((stored.body.result as Array<{ STORAGE_ELEMENT_IDS: string[] }>)[0]?.STORAGE_ELEMENT_IDS).not.toContain('5604')
  })

  it('without MESSAGE_FROM the sender is the responsible employee\'s CRM mailbox; DISABLE_SENDING_MESSAGE_COPY drops the copy', async () => {
    await client.hook('crm.activity.add', { fields: email({ SETTINGS: { DISABLE_SENDING_MESSAGE_COPY: 'Y' } }) })
    const [sent] = await client.journal('outbox')
    expect(sent?.details).toMatchObject({ from: 'Иван Петров <ivan.petrov@invoice-desk.example>', copyTo: null, userId: 1 })
  })

  it('COMPLETED N stores a scheduled e-mail and sends nothing', async () => {
    const reply = await client.hook('crm.activity.add', { fields: email({ COMPLETED: 'N' }) })
    expect(reply.status).toBe(200)
    expect(await client.journal('outbox')).toEqual([])
    const stored = await client.hook('crm.activity.get', { id: reply.body.result })
    expect(stored.body.result).toMatchObject({ ID: '1', COMPLETED: 'N', TYPE_ID: '4', DIRECTION: '2', OWNER_TYPE_ID: '31', PROVIDER_ID: 'CRM_EMAIL', STATUS: '1' })
  })

  it('send errors: the activity is created but not sent', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ COMMUNICATIONS: [{ VALUE: '   ' }] }, 'Email send error. "To" is not found'],
      [{ COMMUNICATIONS: [{ VALUE: 'not-an-address' }] }, 'Email send error. Invalid email is specified'],
      [{ SETTINGS: { MESSAGE_FROM: 'Иван Петров' } }, 'Email send error. Invalid email is specified'],
    ]
    for (const [overrides, description] of cases) {
      const reply = await client.hook('crm.activity.add', { fields: email(overrides) })
      expect([reply.status, reply.body.error, reply.body.error_description]).toEqual([400, '', description])
    }
    // Мария Смирнова (3) has no mailbox connected to CRM and the portal no shared one: no sender without MESSAGE_FROM.
    expect(emulator.state.users.find(user => user.id === 3)?.crmMailbox).toBe(false)
    const noFrom = await client.hook('crm.activity.add', { fields: email({ OWNER_ID: invoiceOf3, RESPONSIBLE_ID: 3, SETTINGS: {} }) })
    expect(noFrom.body.error_description).toBe('Email send error. "From" is not found')
    expect(await client.journal('outbox')).toEqual([])
    const created = await client.hook('crm.activity.list', { filter: { 'OWNER_TYPE_ID': 31, '@OWNER_ID': [invoiceOf2, invoiceOf3] } })
    expect(created.body.total).toBe(4)
    // The same e-mail with a sender goes out, from that sender.
    const withFrom = await client.hook('crm.activity.add', { fields: email({ OWNER_ID: invoiceOf3, RESPONSIBLE_ID: 3, SETTINGS: { MESSAGE_FROM: 'ООО «Инвойс Деск» <billing@invoice-desk.example>' } }) })
    expect(withFrom.status).toBe(200)
    expect((await client.journal('outbox'))[0]?.details).toMatchObject({ from: 'ООО «Инвойс Деск» <billing@invoice-desk.example>', copyTo: 'billing@invoice-desk.example' })
  })

  it('validation errors: empty code, HTTP 400, nothing created', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ SUBJECT: '' }, 'The field SUBJECT is not defined or empty'],
      [{ COMMUNICATIONS: [] }, 'The field COMMUNICATIONS is not defined or invalid'],
      [{ COMMUNICATIONS: [{ VALUE: '' }] }, 'The field COMMUNICATIONS is not defined or invalid'],
      [{ COMMUNICATIONS: [{ VALUE: '+79001234567', TYPE: 'PHONE' }] }, 'The field COMMUNICATIONS is not defined or invalid'],
      [{ RESPONSIBLE_ID: 999 }, 'The field RESPONSIBLE_ID is not defined or invalid'],
      [{ TYPE_ID: 3 }, 'The field TYPE_ID is not defined or invalid'],
      [{ OWNER_ID: 999_999 }, 'Could not find \'SMART_INVOICE\' with ID: 999999'],
      [{ OWNER_TYPE_ID: undefined }, 'Could not build binding. Please ensure that owner info and communications are defined correctly'],
    ]
    for (const [overrides, description] of cases) {
      const reply = await client.hook('crm.activity.add', { fields: email(overrides) })
      expect([reply.status, reply.body.error, reply.body.error_description]).toEqual([400, '', description])
    }
    const denied = await client.app(2, 'crm.activity.add', { fields: email({ OWNER_ID: invoiceOf3 }) })
    expect([denied.status, denied.body.error, denied.body.error_description]).toEqual([400, '', 'Access denied.'])
    expect((await client.hook('crm.activity.list', {})).body.total).toBe(0)
  })
})

describe('crm.activity.get / list / delete', () => {
  it('list: UPPER_CASE string fields, filter by owner and TYPE_ID, COMMUNICATIONS only when selected, 50 a page', async () => {
    for (let index = 0; index < 52; index++) await client.hook('crm.activity.add', { fields: email({ COMPLETED: 'N' }) })
    await client.hook('crm.activity.add', { fields: email({ OWNER_ID: invoiceOf3, COMPLETED: 'N' }) })
    const page = await client.hook('crm.activity.list', { filter: { OWNER_TYPE_ID: 31, OWNER_ID: invoiceOf2, TYPE_ID: 4 }, order: { ID: 'DESC' } })
    const rows = page.body.result as Record<string, unknown>[]
    expect([rows.length, page.body.total, page.body.next]).toEqual([50, 52, 50])
    expect(rows[0]).toMatchObject({ ID: '52', OWNER_ID: String(invoiceOf2), TYPE_ID: '4', SUBJECT: 'Счёт СЧ-00001', RESPONSIBLE_ID: '2' })
    expect(rows[0]).not.toHaveProperty('COMMUNICATIONS')
    const withComms = await client.hook('crm.activity.list', { filter: { ID: 1 }, select: ['*', 'COMMUNICATIONS'] })
    expect((withComms.body.result as Record<string, unknown>[])[0]?.COMMUNICATIONS).toEqual([
      { ID: '1', TYPE: 'EMAIL', VALUE: 'client@example.com', ENTITY_ID: '5', ENTITY_TYPE_ID: '3' },
    ])
    const asManager3 = await client.app(3, 'crm.activity.list', {})
    expect(asManager3.body.total).toBe(1)
  })

  it('get and delete: not found and access errors', async () => {
    const id = (await client.hook('crm.activity.add', { fields: email({ OWNER_ID: invoiceOf3, COMPLETED: 'N' }) })).body.result
    expect((await client.app(2, 'crm.activity.get', { id })).body.error_description).toBe('Access denied.')
    expect((await client.app(2, 'crm.activity.delete', { id })).body.error_description).toBe('Access denied.')
    expect((await client.hook('crm.activity.delete', { id })).body.result).toBe(true)
    const gone = await client.hook('crm.activity.get', { id })
    expect([gone.status, gone.body.error, gone.body.error_description]).toEqual([400, '', 'Activity is not found'])
  })
})
