// The deal tab and the dashboard count days on the portal's clock (`server.time` in their own first
// request), not on the machine's: the emulator's clock is moved days away from the machine's, and the
// "as of" day and the overdue days follow the portal. The first paint stays one request.
import { readFile } from 'node:fs/promises'
import { IDBFactory } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../emulator/server.ts'
import { invoiceStage } from '../emulator/data/reference-data.ts'
import { indexedDbReceivablesCache } from '../../src/browser/receivables-cache.ts'
import { loadDealInvoices, loadInvoiceOverview } from '../../src/flows/load-deal-invoices.ts'
import { openReceivables } from '../../src/flows/refresh-receivables.ts'
import { scanReceivables } from '../../src/flows/scan-receivables.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'

let emulator: RunningEmulator
let portal: PortalClient
let dealId: number
let invoiceId: number

// The machine's clock says Saturday 05.12; the portal's says Monday 07.12, 10:00 Moscow time.
const MACHINE_NOW = new Date('2026-12-05T09:00:00+03:00')
const PORTAL_NOW = '2026-12-07T10:00:00+03:00'

beforeAll(async () => {
  emulator = await startEmulator({ https: true, limits: 'off', port: 0 })
  portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: await readFile(emulator.caCertPath ?? '', 'utf8') })
  emulator.engine.clock.set(new Date(PORTAL_NOW))
  const deal = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: { title: 'Clock', currencyId: 'RUB', opportunity: 1000, assignedById: 1 } })
  dealId = deal.item.id
  // Issued on 01.12, due on 03.12: overdue 4 days on 07.12 (2 days on the machine's 05.12).
  const invoice = await portal.call<{ item: { id: number } }>('crm.item.add', {
    entityTypeId: 31,
    fields: { title: 'Clock invoice', stageId: invoiceStage.sent, parentId2: dealId, begindate: '2026-12-01T00:00:00+03:00', closedate: '2026-12-03T00:00:00+03:00', opportunity: 1000, currencyId: 'RUB', assignedById: 1 },
  })
  invoiceId = invoice.item.id
})
afterAll(() => emulator.close())

describe('screens on the portal clock', () => {
  it('the deal tab shows the portal\'s day and overdue days, in ONE request', async () => {
    const before = emulator.stats.httpRequests
    const overview = await loadDealInvoices(portal, dealId, MACHINE_NOW, 'UTC')
    expect(emulator.stats.httpRequests - before).toBe(1)
    expect(overview.today).toBe('2026-12-07')
    expect(overview.clock.hour).toBe(10)
    expect(overview.rows.find(row => row.invoice.id === invoiceId)?.state).toEqual({ kind: 'overdue', days: 4 })
    expect(overview.clockSource).toBe('portal')
  })

  it('the deal tab falls back to the machine\'s clock, and says so, when server.time fails inside its batch: still ONE request', async () => {
    emulator.engine.faults.add({ method: 'server.time', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Internal error' })
    const before = emulator.stats.httpRequests
    const overview = await loadDealInvoices(portal, dealId, MACHINE_NOW, 'UTC')
    expect(emulator.stats.httpRequests - before).toBe(1)
    expect(overview.clockSource).toBe('device')
    expect(overview.today).toBe('2026-12-05')
    expect(overview.rows.find(row => row.invoice.id === invoiceId)?.state).toEqual({ kind: 'overdue', days: 2 })
  })

  it('the invoice card\'s tab too', async () => {
    const overview = await loadInvoiceOverview(portal, invoiceId, MACHINE_NOW, 'UTC')
    expect(overview.today).toBe('2026-12-07')
    expect(overview.rows[0]?.state).toEqual({ kind: 'overdue', days: 4 })
  })

  it('the dashboard\'s full read and its re-open from the kept copy are as of the portal\'s day', async () => {
    const scanned = await scanReceivables(portal, { now: MACHINE_NOW, fallbackTimeZone: 'UTC' })
    expect(scanned.asOf).toBe('2026-12-07')
    const cache = indexedDbReceivablesCache(new IDBFactory())
    const options = { memberId: 'member-clock', now: MACHINE_NOW, fallbackTimeZone: 'UTC' }
    const first = await openReceivables(portal, cache, options)
    await first.saved
    expect(first.data.asOf).toBe('2026-12-07')
    // A day later on the portal, the machine's clock unmoved: the re-open counts from the portal's new day.
    emulator.engine.clock.set(new Date('2026-12-08T10:00:00+03:00'))
    const kept: string[] = []
    const again = await openReceivables(portal, cache, { ...options, onKept: opened => kept.push(opened.data.asOf) })
    expect(again.origin.kind).toBe('incremental')
    expect(again.data.asOf).toBe('2026-12-08')
    expect(kept.every(day => day === '2026-12-08')).toBe(true)
  })
})
