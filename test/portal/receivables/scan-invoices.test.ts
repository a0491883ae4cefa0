import type { RestParams } from '../../../src/portal/portal-client.ts'
import { describe, expect, it } from 'vitest'
import { scanInvoices } from '../../../src/portal/receivables/scan-invoices.ts'
import { coveredBy, idsPerPage, planBounds, subtractCovered } from '../../../src/portal/receivables/scan-plan.ts'
import { createFakePortalClient } from '../../support/fake-portal-client.ts'

describe('portal/receivables/scan-plan', () => {
  it('steps 50 ids while ids are dense, wider when sparse', () => {
    expect(idsPerPage(1000, 1, 1000)).toBe(50)
    expect(idsPerPage(700, 1, 1000)).toBe(50)
    expect(idsPerPage(333, 1, 1000)).toBe(135)
  })

  it('plans bounds through each range and subtracts what pages covered', () => {
    expect(planBounds([{ from: 51, to: 200 }], 50)).toEqual([51, 101, 151])
    expect(coveredBy(51, Array.from({ length: 50 }, (_, i) => 60 + i))).toEqual({ from: 51, to: 109 })
    expect(coveredBy(151, [151, 152])).toEqual({ from: 151, to: Infinity })
    expect(subtractCovered([{ from: 51, to: 300 }], [{ from: 51, to: 90 }, { from: 101, to: 160 }, { from: 151, to: Infinity }]))
      .toEqual([{ from: 91, to: 100 }])
  })
})

/** A portal whose invoices have the given ids, answering crm.item.list like Bitrix24 (50 a page, keyset with start = -1). */
function portalWithIds(ids: number[]) {
  const sorted = [...ids].sort((a, b) => a - b)
  const row = (id: number) => ({ id, stageId: 'DT31_5:S', categoryId: 5, opportunity: 100, currencyId: 'RUB', begindate: '2026-11-01T00:00:00+03:00' })
  const list = (params: RestParams) => {
    const order = (params.order as Record<string, string> | undefined)?.id ?? 'ASC'
    const bound = Number((params.filter as Record<string, unknown> | undefined)?.['>=id'] ?? -Infinity)
    const matching = (order === 'DESC' ? [...sorted].reverse() : sorted).filter(id => id >= bound)
    const start = Number(params.start ?? 0)
    const page = matching.slice(Math.max(0, start), Math.max(0, start) + 50).map(row)
    return { result: { items: page }, total: start === -1 ? 0 : matching.length }
  }
  return createFakePortalClient({
    'profile': { result: { ID: 4, ADMIN: false, NAME: 'Ольга', TIME_ZONE: 'Europe/Moscow' } },
    'crm.currency.list': { result: [{ CURRENCY: 'RUB', BASE: 'Y' }, { CURRENCY: 'USD', BASE: 'N' }] },
    'crm.currency.base.get': { result: 'RUB' },
    'crm.category.list': { result: { categories: [{ id: 5, name: 'Счета' }] } },
    'crm.status.list': { result: [{ STATUS_ID: 'DT31_5:S', ENTITY_ID: 'SMART_INVOICE_STAGE_5', NAME: 'Отправлен', SORT: 20, CATEGORY_ID: 5 }] },
    'crm.item.list': list,
  })
}

describe('portal/receivables/scan-invoices', () => {
  it('reads 5,000 invoices with dense ids in 3 HTTP requests: one to count, two batches of 50 pages', async () => {
    const { client, requests } = portalWithIds(Array.from({ length: 5000 }, (_, i) => i + 1))
    const progress: number[] = []
    const scan = await scanInvoices(client, { onProgress: p => progress.push(p.loaded) })
    expect(scan.rows.map(row => Number(row.id))).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1))
    expect(scan.total).toBe(5000)
    expect(requests.map(r => [r.kind, r.calls.length])).toEqual([['batch', 8], ['batch', 50], ['batch', 49]])
    expect(progress.at(-1)).toBe(5000)
    expect(scan.baseCurrency).toBe('RUB')
  })

  it('finds every invoice when ids are sparse and uneven, filling holes in another round', async () => {
    const ids = [...Array.from({ length: 3000 }, (_, i) => 1 + i * 3), ...Array.from({ length: 400 }, (_, i) => 20_000 + i)]
    const { client, requests } = portalWithIds(ids)
    const scan = await scanInvoices(client)
    expect(scan.rows.map(row => Number(row.id))).toEqual(ids)
    expect(requests.length).toBeLessThanOrEqual(Math.ceil(ids.length / 2500) + 4)
  })

  it('needs one request for a portal without invoices, and one for up to 50', async () => {
    expect((await scanInvoices(portalWithIds([]).client)).rows).toEqual([])
    const small = portalWithIds([3, 9, 27])
    expect((await scanInvoices(small.client)).rows).toHaveLength(3)
    expect(small.requests).toHaveLength(1)
  })
})
