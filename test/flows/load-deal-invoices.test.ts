import type { RestParams } from '../../src/portal/portal-client.ts'
import { describe, expect, it } from 'vitest'
import { loadDealInvoices, loadPendingCollections } from '../../src/flows/load-deal-invoices.ts'
import { PortalError } from '../../src/portal/portal-error.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const deal = { id: 42, title: 'Поставка серверов', stageId: 'EXECUTING', categoryId: 0, opportunity: 150000, currencyId: 'RUB', companyId: 3, contactId: 0, assignedById: 2 }
const stageRows = [
  { ENTITY_ID: 'SMART_INVOICE_STAGE_5', STATUS_ID: 'DT31_5:N', NAME: 'Новый', SORT: '10', CATEGORY_ID: '5', SEMANTICS: null },
  { ENTITY_ID: 'SMART_INVOICE_STAGE_5', STATUS_ID: 'DT31_5:S', NAME: 'Отправлен', SORT: '20', CATEGORY_ID: '5', SEMANTICS: null },
  { ENTITY_ID: 'SMART_INVOICE_STAGE_5', STATUS_ID: 'DT31_5:P', NAME: 'Оплачен', SORT: '30', CATEGORY_ID: '5', SEMANTICS: 'S' },
  { ENTITY_ID: 'SMART_INVOICE_STAGE_5', STATUS_ID: 'DT31_5:D', NAME: 'Отклонён', SORT: '40', CATEGORY_ID: '5', SEMANTICS: 'F' },
]
const profile = { ID: '2', ADMIN: false, NAME: 'Иван', LAST_NAME: 'Петров', TIME_ZONE: 'Europe/Moscow' }

function invoice(id: number, stageId: string, closedate: string, categoryId = 5) {
  return { id, title: `Счёт #${id}`, accountNumber: `СЧ-${id}`, stageId, categoryId, begindate: '2026-11-01T00:00:00+03:00', closedate, opportunity: '50000.50', currencyId: 'RUB', parentId2: 42, companyId: 3, contactId: 0, assignedById: 2 }
}

describe('flows/load-deal-invoices', () => {
  const now = new Date('2026-11-28T09:00:00Z')

  it('reads the deal, its invoices, their stages and the user in one round trip', async () => {
    const { client, requests } = createFakePortalClient({
      'crm.item.get': { result: { item: deal } },
      'crm.item.list': { result: { items: [invoice(7, 'DT31_5:S', '2026-11-25T00:00:00+03:00'), invoice(6, 'DT31_5:P', '2026-11-10T00:00:00+03:00')] }, total: 2 },
      'crm.status.list': { result: stageRows },
      'profile': { result: profile },
    })
    const result = await loadDealInvoices(client, 42, now, 'UTC')

    expect(requests).toHaveLength(1)
    expect(requests[0]!.kind).toBe('batch')
    expect(result.deal?.title).toBe('Поставка серверов')
    expect(result.today).toBe('2026-11-28')
    expect(result.timeZone).toBe('Europe/Moscow')
    expect(result.rows.map(row => [row.invoice.number, row.state, row.stageName])).toEqual([
      ['СЧ-7', { kind: 'overdue', days: 3 }, 'Отправлен'],
      ['СЧ-6', { kind: 'paid' }, 'Оплачен'],
    ])
    expect(result.rows[0]!.invoice.amount).toEqual({ amountMinor: 5_000_050, currency: 'RUB' })
  })

  it('asks for the stages of the first invoice\'s pipeline through a $result reference', async () => {
    const { client, requests } = createFakePortalClient({
      'crm.item.get': { result: { item: deal } },
      'crm.item.list': { result: { items: [] }, total: 0 },
      'crm.status.list': new PortalError('crm.status.list', 'ERROR_BATCH_REFERENCE', 'unresolved', 400, true),
      'profile': { result: profile },
    })
    const result = await loadDealInvoices(client, 42, now, 'UTC')

    const stageCall = requests[0]!.calls.find(call => call.method === 'crm.status.list')!
    expect((stageCall.params!.filter as RestParams).ENTITY_ID).toBe('SMART_INVOICE_STAGE_$result[invoices][items][0][categoryId]')
    expect(result.rows).toEqual([])
  })

  it('fetches the stages of a second pipeline in one more round trip, only when invoices use it', async () => {
    const { client, requests } = createFakePortalClient({
      'crm.item.get': { result: { item: deal } },
      'crm.item.list': { result: { items: [invoice(7, 'DT31_5:S', '2026-12-01T00:00:00+03:00'), invoice(8, 'DT31_9:P', '2026-12-01T00:00:00+03:00', 9)] }, total: 2 },
      'crm.status.list': (params) => {
        const entity = (params.filter as RestParams).ENTITY_ID
        return { result: entity === 'SMART_INVOICE_STAGE_9'
          ? [{ ENTITY_ID: entity, STATUS_ID: 'DT31_9:P', NAME: 'Оплачен', SORT: '10', CATEGORY_ID: '9', SEMANTICS: 'S' }]
          : stageRows }
      },
      'profile': { result: profile },
    })
    const result = await loadDealInvoices(client, 42, now, 'UTC')

    expect(requests).toHaveLength(2)
    expect(result.rows.map(row => row.state.kind)).toEqual(['sent', 'paid'])
  })

  it('pages beyond 50 invoices with plain list calls', async () => {
    const many = Array.from({ length: 120 }, (_, i) => invoice(200 - i, 'DT31_5:S', '2026-12-01T00:00:00+03:00'))
    const { client, requests } = createFakePortalClient({
      'crm.item.get': { result: { item: deal } },
      'crm.item.list': params => ({ result: { items: many.slice(Number(params.start ?? 0), Number(params.start ?? 0) + 50) }, total: many.length }),
      'crm.status.list': { result: stageRows },
      'profile': { result: profile },
    })
    const result = await loadDealInvoices(client, 42, now, 'UTC')

    expect(result.rows).toHaveLength(120)
    expect(new Set(result.rows.map(row => row.invoice.id)).size).toBe(120)
    expect(requests.map(r => r.kind)).toEqual(['batch', 'call', 'call'])
  })

  it('fails with the portal\'s error when the deal cannot be read', async () => {
    const { client } = createFakePortalClient({
      'crm.item.get': new PortalError('crm.item.get', 'ACCESS_DENIED', 'Access denied', 403, true),
      'crm.item.list': { result: { items: [] } },
      'crm.status.list': { result: [] },
      'profile': { result: profile },
    })
    await expect(loadDealInvoices(client, 42, now, 'UTC')).rejects.toMatchObject({ code: 'ACCESS_DENIED', method: 'crm.item.get' })
  })

  it('falls back to the browser\'s zone when the profile has none', async () => {
    const { client } = createFakePortalClient({
      'crm.item.get': { result: { item: deal } },
      'crm.item.list': { result: { items: [] } },
      'crm.status.list': { result: [] },
      'profile': { result: { ...profile, TIME_ZONE: '' } },
    })
    const result = await loadDealInvoices(client, 42, new Date('2026-11-28T22:30:00Z'), 'Asia/Vladivostok')
    expect(result.timeZone).toBe('Asia/Vladivostok')
    expect(result.today).toBe('2026-11-29')
  })

  it('reads the logs of the newest 10 invoices in the first batch; the rest, and failed ones, are not guessed', async () => {
    const many = Array.from({ length: 12 }, (_, i) => invoice(100 - i, 'DT31_5:S', '2026-12-01T00:00:00+03:00'))
    const { client, requests } = createFakePortalClient({
      'crm.item.get': { result: { item: deal } },
      'crm.item.list': { result: { items: many }, total: many.length },
      'crm.status.list': { result: stageRows },
      'profile': { result: profile },
      'crm.timeline.logmessage.list': (params) => {
        // In the first batch the id is a reference; the 3rd invoice's log is refused.
        const ref = /\[items\]\[(\d+)\]/.exec(String(params.entityId))
        if (ref?.[1] === '2')
          return new PortalError('crm.timeline.logmessage.list', 'ACCESS_DENIED', 'denied', 403, true)
        return { result: [], total: 0 }
      },
    })
    const overview = await loadDealInvoices(client, 42, now, 'UTC')

    expect(requests).toHaveLength(1)
    expect(requests[0]!.calls.filter(call => call.method === 'crm.timeline.logmessage.list').map(call => call.params!.entityId))
      .toEqual(Array.from({ length: 10 }, (_, i) => `$result[invoices][items][${i}][id]`))
    expect(overview.rows.map(row => row.collection.status)).toEqual(['ready', 'ready', 'failed', ...Array(7).fill('ready'), 'pending', 'pending'])

    const filled = await loadPendingCollections(client, overview)
    expect(requests).toHaveLength(2)
    expect(requests[1]!.calls.map(call => call.params!.entityId)).toEqual([90, 89])
    expect(filled.rows.map(row => row.collection.status)).toEqual(['ready', 'ready', 'failed', ...Array(9).fill('ready')])
  })

  it('treats the failed log commands past the end of a short list as no invoice', async () => {
    const { client } = createFakePortalClient({
      'crm.item.get': { result: { item: deal } },
      'crm.item.list': { result: { items: [invoice(7, 'DT31_5:S', '2026-12-01T00:00:00+03:00')] }, total: 1 },
      'crm.status.list': { result: stageRows },
      'profile': { result: profile },
      'crm.timeline.logmessage.list': params => String(params.entityId).includes('[0]') ? { result: [], total: 0 } : new PortalError('crm.timeline.logmessage.list', 'INVALID_ARG_VALUE', 'reference', 400, true),
    })
    const overview = await loadDealInvoices(client, 42, now, 'UTC')
    expect(overview.rows.map(row => row.collection.status)).toEqual(['ready'])
  })
})
