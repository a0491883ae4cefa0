import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { taggedText } from '../../src/domain/collection/collection-record.ts'
import { readPendingCollections } from '../../src/portal/collection/invoice-collection.ts'
import { loadDealTabSnapshot } from '../../src/portal/deal-tab.ts'
import { loadInvoiceTabSnapshot } from '../../src/portal/invoice-tab.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'

describe('portal/deal-tab against the emulator, through the SDK\'s webhook client', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'cloud' })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())

  function invoicesOf(dealId: number) {
    return emulator.state.entities[31]!.items.filter(item => Number(item.parentId2) === dealId)
  }

  function dealWithMostInvoices(): number {
    const deals = emulator.state.entities[2]!.items
    return Number(deals.reduce((best, deal) => (invoicesOf(Number(deal.id)).length > invoicesOf(Number(best.id)).length ? deal : best)).id)
  }

  it('reads deal, invoices, stages and user in one HTTP request', async () => {
    const dealId = dealWithMostInvoices()
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    emulator.engine.resetStats()

    const snapshot = await loadDealTabSnapshot(portal, dealId)

    expect(emulator.stats.httpRequests).toBe(1)
    expect(portal.roundTrips()).toBe(1)
    expect(snapshot.deal?.id).toBe(dealId)
    expect(snapshot.invoices.map(i => i.id).sort()).toEqual(invoicesOf(dealId).map(i => Number(i.id)).sort())
    expect(snapshot.stages.map(s => s.id)).toContain('DT31_5:P')
    expect(snapshot.stages.find(s => s.id === 'DT31_5:P')?.semantics).toBe('success')
    expect(snapshot.stages.find(s => s.id === 'DT31_5:D')?.semantics).toBe('failure')
    expect(snapshot.user).toMatchObject({ id: 1, isAdmin: true })
  })

  it('reads the first log page of each invoice in the same request through $result[invoices][items][i][id]', async () => {
    const dealId = dealWithMostInvoices()
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    // Newest first, as the tab lists them: index 0 is the highest id.
    const ids = invoicesOf(dealId).map(i => Number(i.id)).sort((a, b) => b - a)
    expect(ids.length, 'the demo deal has at least 3 invoices').toBeGreaterThanOrEqual(3)
    const log = (id: number, n: number) => portal.call('crm.timeline.logmessage.add', { fields: { entityTypeId: 31, entityId: id, title: 't', iconCode: 'info', text: taggedText('Оплата', { kind: 'payment', amountMinor: n, currency: 'RUB', paidOn: '2026-11-01' }) } })
    await log(ids[1]!, 100)
    for (let n = 1; n <= 11; n++)
      await log(ids[2]!, n)
    emulator.engine.resetStats()

    const snapshot = await loadDealTabSnapshot(portal, dealId)

    expect(emulator.stats.httpRequests).toBe(1)
    expect(snapshot.collections.get(ids[0]!)).toMatchObject({ status: 'ready', state: { payments: [] } })
    expect(snapshot.collections.get(ids[1]!)).toMatchObject({ status: 'ready', state: { payments: [{ amount: { amountMinor: 100 } }] } })
    // 11 entries: the second page comes after the first paint.
    expect(snapshot.collections.get(ids[2]!)).toEqual({ status: 'pending' })
    const rest = (await readPendingCollections(portal, [ids[2]!])).get(ids[2]!)
    expect(rest?.status === 'ready' ? rest.state.payments : null).toHaveLength(11)
  })

  it('gives an empty list, not an error, for a deal without invoices', async () => {
    const bare = emulator.state.entities[2]!.items.find(deal => invoicesOf(Number(deal.id)).length === 0)
    expect(bare, 'the demo data has a deal without invoices').toBeDefined()
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    const snapshot = await loadDealTabSnapshot(portal, Number(bare!.id))
    expect(snapshot.invoices).toEqual([])
    expect(portal.roundTrips()).toBe(1)
  })

  it('surfaces a missing deal as PortalError NOT_FOUND naming crm.item.get', async () => {
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    await expect(loadDealTabSnapshot(portal, 987_654)).rejects.toMatchObject({ name: 'PortalError', method: 'crm.item.get', code: 'NOT_FOUND' })
  })
})

describe('portal/invoice-tab against the emulator', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off' })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())

  it('reads one invoice with its deal, stages and user in one HTTP request', async () => {
    const invoice = emulator.state.entities[31]!.items.find(item => Number(item.parentId2) > 0)!
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    emulator.engine.resetStats()
    const snapshot = await loadInvoiceTabSnapshot(portal, Number(invoice.id))
    expect(emulator.stats.httpRequests).toBe(1)
    expect(snapshot.invoices.map(i => i.id)).toEqual([Number(invoice.id)])
    expect(snapshot.deal?.id).toBe(Number(invoice.parentId2))
    expect(snapshot.stages.find(s => s.id === invoice.stageId)).toBeDefined()
  })

  it('reads the invoice\'s first log page in the same request', async () => {
    const invoice = emulator.state.entities[31]!.items.find(item => Number(item.parentId2) > 0)!
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    await portal.call('crm.timeline.logmessage.add', { fields: { entityTypeId: 31, entityId: Number(invoice.id), title: 't', iconCode: 'info', text: taggedText('Обещал', { kind: 'promise', on: '2026-12-10' }) } })
    emulator.engine.resetStats()
    const snapshot = await loadInvoiceTabSnapshot(portal, Number(invoice.id))
    expect(emulator.stats.httpRequests).toBe(1)
    expect(snapshot.collections.get(Number(invoice.id))).toMatchObject({ status: 'ready', state: { promisedOn: '2026-12-10' } })
  })

  it('gives no deal, not an error, for an invoice issued without one', async () => {
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    const created = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 31, fields: { title: 'Без сделки', opportunity: 100, currencyId: 'RUB' } })
    const snapshot = await loadInvoiceTabSnapshot(portal, created.item.id)
    expect(snapshot.deal).toBeNull()
    expect(snapshot.invoices).toHaveLength(1)
  })
})
