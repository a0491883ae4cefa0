// Whether an error of the SDK-backed portal client says "a retry cannot do anything twice" only when
// that is true: a read, or a write the portal refused outright. Against the emulator over https with the real SDK.
import type { PortalClient } from '../../src/portal/portal-client.ts'
import { beforeAll, describe, expect, it } from 'vitest'
import { useHookEmulator } from '../support/hook-emulator.ts'
import { PortalError } from '../../src/portal/portal-error.ts'
import { isReadOnlyBatch, isReadOnlyMethod } from '../../src/portal/read-only-method.ts'

const INVOICE = 31

async function failure(promise: Promise<unknown>): Promise<PortalError> {
  const error = await promise.then(() => null, (caught: unknown) => caught)
  expect(error).toBeInstanceOf(PortalError)
  return error as PortalError
}

describe('portal/read-only-method', () => {
  it.each(['crm.item.get', 'crm.item.list', 'crm.item.fields', 'CRM.Item.List', 'profile', 'server.time', 'user.current', 'app.info', 'crm.currency.base.get', 'bizproc.workflow.instances', 'app.option.get', 'crm.item.productrow.list'])('%s only reads', (method) => {
    expect(isReadOnlyMethod(method)).toBe(true)
  })

  it.each(['crm.item.add', 'crm.item.update', 'crm.item.delete', 'crm.activity.add', 'crm.item.payment.pay', 'crm.documentgenerator.document.enablepublicurl', 'app.option.set', 'im.notify.system.add', 'batch', 'get', 'list', ''])('%s counts as a write', (method) => {
    expect(isReadOnlyMethod(method)).toBe(false)
  })

  it('a batch only reads when every command does', () => {
    expect(isReadOnlyBatch({ a: { method: 'crm.item.list' }, b: { method: 'server.time' } })).toBe(true)
    expect(isReadOnlyBatch({ a: { method: 'crm.item.list' }, b: { method: 'crm.timeline.comment.add' } })).toBe(false)
    expect(isReadOnlyBatch({})).toBe(false)
  })
})

describe('portal/sdk-portal-client: retrySafe against the emulator, through the SDK', () => {
  const hook = useHookEmulator()
  let portal: PortalClient
  beforeAll(() => {
    portal = hook.portal()
  })

  const invoices = () => hook.emulator.state.entities[INVOICE]!.items
  const anInvoice = () => Number(invoices()[0]!.id)

  it('a write whose answer was lost after the portal ran it is not retry-safe: the invoice exists', async () => {
    const before = invoices().length
    hook.emulator.engine.faults.add({ method: 'crm.item.add', times: 1, kind: 'drop-after', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
    const error = await failure(portal.call('crm.item.add', { entityTypeId: INVOICE, fields: { title: 'Lost answer' } }))
    expect(error).toMatchObject({ method: 'crm.item.add', status: 0, retrySafe: false })
    // The portal did create it: repeating the call would have made a second one.
    expect(invoices()).toHaveLength(before + 1)
  })

  it('a write whose connection dropped before any answer is not retry-safe (the client cannot tell which drop it was)', async () => {
    hook.emulator.engine.faults.add({ method: 'crm.item.update', times: 1, kind: 'drop', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
    const error = await failure(portal.call('crm.item.update', { entityTypeId: INVOICE, id: anInvoice(), fields: { title: 'Dropped' } }))
    expect(error).toMatchObject({ method: 'crm.item.update', status: 0, retrySafe: false })
  })

  it('a write answered by a gateway error (502) is not retry-safe', async () => {
    hook.emulator.engine.faults.add({ method: 'crm.item.update', times: 1, kind: 'error', status: 502, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
    const error = await failure(portal.call('crm.item.update', { entityTypeId: INVOICE, id: anInvoice(), fields: { title: 'Gateway' } }))
    expect(error).toMatchObject({ method: 'crm.item.update', status: 502, retrySafe: false })
  })

  it('a write the portal refused outright (4xx) is retry-safe: nothing was done', async () => {
    hook.emulator.engine.faults.add({ method: 'crm.item.add', times: 1, kind: 'error', status: 400, code: 'ACCESS_DENIED', description: 'Access denied' })
    const before = invoices().length
    const error = await failure(portal.call('crm.item.add', { entityTypeId: INVOICE, fields: { title: 'Refused' } }))
    expect(error).toMatchObject({ method: 'crm.item.add', code: 'ACCESS_DENIED', status: 400, retrySafe: true })
    expect(invoices()).toHaveLength(before)
  })

  it('a read whose answer was lost is retry-safe', async () => {
    hook.emulator.engine.faults.add({ method: 'crm.item.list', times: 1, kind: 'drop-after', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
    const error = await failure(portal.call('crm.item.list', { entityTypeId: INVOICE, select: ['id'] }))
    expect(error).toMatchObject({ method: 'crm.item.list', status: 0, retrySafe: true })
  })

  it('a batch with a write whose answer was lost is not retry-safe: the write ran', async () => {
    const before = invoices().length
    hook.emulator.engine.faults.add({ method: 'crm.item.add', times: 1, kind: 'drop-after', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
    const error = await failure(portal.batch({
      read: { method: 'crm.item.list', params: { entityTypeId: INVOICE, select: ['id'] } },
      write: { method: 'crm.item.add', params: { entityTypeId: INVOICE, fields: { title: 'Lost batch answer' } } },
    }, { haltOnError: true }))
    expect(error).toMatchObject({ method: 'batch', status: 0, retrySafe: false })
    expect(invoices()).toHaveLength(before + 1)
  })

  it('a batch of reads only whose answer was lost is retry-safe', async () => {
    hook.emulator.engine.faults.add({ method: 'crm.item.list', times: 1, kind: 'drop-after', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
    const error = await failure(portal.batch({
      list: { method: 'crm.item.list', params: { entityTypeId: INVOICE, select: ['id'] } },
      clock: { method: 'server.time' },
    }))
    expect(error).toMatchObject({ method: 'batch', status: 0, retrySafe: true })
  })

  it('a write the portal refused inside a batch is refused and retry-safe, as before', async () => {
    hook.emulator.engine.faults.add({ method: 'crm.item.update', times: 1, kind: 'error', status: 400, code: 'ACCESS_DENIED', description: 'Access denied' })
    const outcomes = await portal.batch({ write: { method: 'crm.item.update', params: { entityTypeId: INVOICE, id: anInvoice(), fields: { title: 'Refused in batch' } } } })
    expect(outcomes.write).toMatchObject({ ok: false, error: { method: 'crm.item.update', code: 'ACCESS_DENIED', retrySafe: true } })
  })
})
