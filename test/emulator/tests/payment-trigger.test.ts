// crm.item.payment.* for invoices and crm.automation.trigger.execute.
import { describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../server.ts'
import { useDemoPortal, type RestClient } from './rest-client.ts'

let emulator: RunningEmulator
let client: RestClient
let invoiceOf2: number
let invoiceOf3: number

useDemoPortal(portal => ({ emulator, client, invoiceOf2, invoiceOf3 } = portal))

describe('crm.item.payment', () => {
  it('add → id; list → the documented short objects; pay/unpay; update paySystemId; delete', async () => {
    const added = await client.app(2, 'crm.item.payment.add', { entityTypeId: 31, entityId: invoiceOf2 })
    expect([added.status, added.body.result]).toEqual([200, 1])
    const unpaid = { id: 1, accountNumber: `${invoiceOf2}/1`, paid: 'N', datePaid: null, empPaidId: null, paySystemId: 6, sum: 0, currency: 'RUB', paySystemName: 'Cash' }
    expect((await client.app(2, 'crm.item.payment.list', { entityTypeId: 31, entityId: invoiceOf2 })).body.result).toEqual([unpaid])
    const stageBefore = emulator.state.entities[31].byId.get(invoiceOf2)?.stageId
    expect((await client.app(2, 'crm.item.payment.pay', { id: 1 })).body.result).toBe(true)
    const paid = (await client.app(2, 'crm.item.payment.get', { id: 1 })).body.result
    expect(paid).toEqual({ ...unpaid, paid: 'Y', datePaid: '2026-03-15T10:00:00+03:00', empPaidId: 2 })
    // Nothing automatic: the invoice keeps its stage (the docs name no such side effect).
    expect(emulator.state.entities[31].byId.get(invoiceOf2)?.stageId).toBe(stageBefore)
    expect((await client.app(2, 'crm.item.payment.unpay', { id: 1 })).body.result).toBe(true)
    expect((await client.app(2, 'crm.item.payment.get', { id: 1 })).body.result).toEqual(unpaid)
    expect((await client.hook('crm.item.payment.update', { id: 1, fields: { paySystemId: 7, sum: 500 } })).body.result).toBe(true)
    expect((await client.hook('crm.item.payment.get', { id: 1 })).body.result).toMatchObject({ paySystemId: 7, paySystemName: 'Bank transfer', sum: 0 })
    expect((await client.hook('crm.item.payment.update', { id: 1, fields: { paySystemId: 99 } })).body.error_description).toBe('Payment system not found')
    expect((await client.hook('crm.item.payment.delete', { id: 1 })).body.result).toBe(true)
    expect((await client.hook('crm.item.payment.list', { entityTypeId: 31, entityId: invoiceOf2 })).body.result).toEqual([])
  })

  it('the sum comes from product items (crm.item.payment.product.add)', async () => {
    await client.hook('crm.item.payment.add', { entityTypeId: 31, entityId: invoiceOf2 })
    const row = emulator.state.productRows.find(entry => entry.ownerType === 'SI' && entry.ownerId === invoiceOf2)
    expect(row).toBeDefined()
    const added = await client.hook('crm.item.payment.product.add', { paymentId: 1, rowId: row?.id, quantity: row?.quantity })
    expect(added.body.result).toBe(1)
    expect((await client.hook('crm.item.payment.get', { id: 1 })).body.result).toMatchObject({ sum: (row?.price ?? 0) * (row?.quantity ?? 0) })
    expect((await client.hook('crm.item.payment.product.add', { paymentId: 1, rowId: row?.id, quantity: 1 })).body.error_description).toBe('Insufficient product quantity to add to payment')
    expect((await client.hook('crm.item.payment.product.list', { paymentId: 1 })).body.result).toEqual([{ id: 1, paymentId: 1, quantity: row?.quantity, rowId: row?.id }])
  })

  it('errors: HTTP 400 with 0 / 100', async () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['crm.item.payment.add', { entityTypeId: 31 }, '100', 'Required fields: entityId'],
      ['crm.item.payment.add', { entityTypeId: 3, entityId: 1 }, '0', 'Invalid CRM object type'],
      ['crm.item.payment.add', { entityTypeId: 31, entityId: 13_123_000 }, '0', 'Entity with identifier №13123000 does not exist'],
      ['crm.item.payment.get', {}, '100', 'Required fields: id'],
      ['crm.item.payment.pay', { id: 42 }, '0', 'Payment not found'],
    ]
    for (const [method, params, code, description] of cases) {
      const reply = await client.hook(method, params)
      expect([reply.status, reply.body.error, reply.body.error_description]).toEqual([400, code, description])
    }
    expect((await client.app(2, 'crm.item.payment.add', { entityTypeId: 31, entityId: invoiceOf3 })).body.error_description).toBe('Access denied')
    await client.hook('crm.item.payment.add', { entityTypeId: 31, entityId: invoiceOf3 })
    expect((await client.app(2, 'crm.item.payment.pay', { id: 1 })).body.error_description).toBe('Insufficient permissions')
    expect((await client.hook('crm.item.payment.list', { entityTypeId: 3, entityId: 1 })).body.result).toEqual([])
  })
})

describe('crm.automation.trigger.execute', () => {
  it('admin in the app context: true, and a triggers journal entry', async () => {
    const reply = await client.app(1, 'crm.automation.trigger.execute', { CODE: 'invoice_sent', OWNER_TYPE_ID: 31, OWNER_ID: invoiceOf2 })
    expect([reply.status, reply.body.result]).toEqual([200, true])
    const [entry] = await client.journal('triggers')
    expect(entry).toMatchObject({ kind: 'triggers', title: 'Счёт отправлен клиенту', details: {
      method: 'crm.automation.trigger.execute', code: 'invoice_sent', owner: { typeId: 31, id: invoiceOf2 }, ownerTypeId: 31, ownerId: invoiceOf2, userId: 1,
    } })
  })

  it('documented errors, all HTTP 400', async () => {
    const app = { CODE: 'invoice_sent', OWNER_TYPE_ID: 31, OWNER_ID: invoiceOf2 }
    const webhook = await client.hook('crm.automation.trigger.execute', app)
    expect([webhook.status, webhook.body.error, webhook.body.error_description]).toEqual([400, 'ACCESS_DENIED', 'Access denied! Application context required'])
    const manager = await client.app(2, 'crm.automation.trigger.execute', app)
    expect([manager.status, manager.body.error, manager.body.error_description]).toEqual([400, 'ACCESS_DENIED', 'Access denied! Admin permissions required'])
    const cases: [Record<string, unknown>, string][] = [
      [{ ...app, CODE: '' }, 'Empty trigger code!'],
      [{ ...app, CODE: 'Bad Code' }, 'Wrong trigger code!'],
      [{ ...app, CODE: 'nope' }, 'Trigger with code nope is not registered.'],
      [{ ...app, OWNER_TYPE_ID: 99 }, 'Incorrect parameter OWNER_TYPE_ID.'],
      [{ ...app, OWNER_ID: 0 }, 'Incorrect parameter OWNER_ID.'],
    ]
    for (const [params, description] of cases) {
      const reply = await client.app(1, 'crm.automation.trigger.execute', params)
      expect([reply.status, reply.body.error, reply.body.error_description]).toEqual([400, '', description])
    }
    expect(await client.journal('triggers')).toEqual([])
  })
})
