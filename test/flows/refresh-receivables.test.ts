// The dashboard's re-open through the real SDK (B24Hook over https) against the emulator, with the
// browser's IndexedDB played by fake-indexeddb: the kept copy, then only what changed since the
// portal's last check — and a full read again when an invoice was deleted or the user's rights changed.
import { readFile } from 'node:fs/promises'
import { IDBFactory } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../emulator/server.ts'
import { formatPortalDateTime } from '../emulator/core/portal-time.ts'
import { insertItem } from '../emulator/data/portal-state.ts'
import { indexedDbReceivablesCache } from '../../src/browser/receivables-cache.ts'
import { openReceivables, snapshotKey, type ReceivablesCache } from '../../src/flows/refresh-receivables.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'

const ACCOUNTANT = 4
let emulator: RunningEmulator
let portal: PortalClient
let cache: ReceivablesCache

beforeAll(async () => {
  emulator = await startEmulator({ https: true, data: 'large:3000', limits: 'off', port: 0, webhookUserId: ACCOUNTANT })
  portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: await readFile(emulator.caCertPath ?? '', 'utf8') })
  cache = indexedDbReceivablesCache(new IDBFactory())
  // The generated invoices moved «now»: ten minutes on, they are older than the changes window's overlap.
  emulator.engine.clock.set(new Date(emulator.engine.clock.now() + 600_000))
})
afterAll(() => emulator.close())

const options = () => ({ memberId: 'member-a', now: new Date(), fallbackTimeZone: 'UTC' })

async function measured<T extends { saved: Promise<void> }>(work: () => Promise<T>): Promise<{ value: T, requests: number }> {
  const before = emulator.stats.httpRequests
  const value = await work()
  const requests = emulator.stats.httpRequests - before
  await value.saved
  return { value, requests }
}

function invoices() {
  return emulator.state.entities[31].items
}

describe('flows/refresh-receivables', () => {
  it('reads everything the first time (⌈N/2500⌉ + 2 requests) and keeps it', async () => {
    const { value, requests } = await measured(() => openReceivables(portal, cache, options()))
    expect(value.origin).toEqual({ kind: 'full', reason: 'no-copy' })
    expect(requests).toBe(4)
    expect(value.data.invoices).toHaveLength(3000)
    expect(await cache.read(snapshotKey('member-a', ACCOUNTANT))).not.toBeNull()
  })

  it('re-opens with nothing changed in ONE request, from the kept copy', async () => {
    const kept: number[] = []
    const { value, requests } = await measured(() => openReceivables(portal, cache, { ...options(), onKept: opened => kept.push(opened.data.invoices.length) }))
    expect(value.origin).toEqual({ kind: 'incremental', changed: 0 })
    expect(requests).toBe(1)
    expect(value.data.invoices).toHaveLength(3000)
    // Complete after that one request: the kept figures are not shown first.
    expect(kept).toEqual([])
  })

  it('merges an invoice paid, an invoice changed and a new invoice for a new client in at most 3 requests', async () => {
    const open = invoices().find(item => !String(item.stageId).endsWith(':P') && !String(item.stageId).endsWith(':D') && !String(item.stageId).endsWith(':N'))!
    const other = invoices().find(item => item.id !== open.id && !String(item.stageId).endsWith(':D'))!
    const paidStage = `${String(open.stageId).split(':')[0]}:P`
    await portal.call('crm.item.update', { entityTypeId: 31, id: open.id, fields: { stageId: paidStage } })
    await portal.call('crm.item.update', { entityTypeId: 31, id: other.id, fields: { opportunity: 123456.78 } })
    // A company the accountant may not create: another user did, so its name is not kept yet.
    const companies = emulator.state.entities[4]
    const companyId = { item: { id: companies.nextId } }
    insertItem(companies, { ...companies.items[0]!, id: companyId.item.id, title: 'ООО «Новый клиент»' })
    const created = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 31, fields: { title: 'new', opportunity: 1000, companyId: companyId.item.id } })
    const { value, requests } = await measured(() => openReceivables(portal, cache, options()))
    expect(value.origin.kind).toBe('incremental')
    expect(requests).toBeLessThanOrEqual(3)
    const byId = new Map(value.data.invoices.map(invoice => [invoice.id, invoice]))
    expect(byId.get(Number(open.id))?.status).toBe('paid')
    expect(byId.get(Number(other.id))?.amount.amountMinor).toBe(12_345_678)
    expect(byId.get(created.item.id)).toBeDefined()
    expect(value.data.clients.get(`company:${companyId.item.id}`)).toBe('ООО «Новый клиент»')
    expect(value.data.invoices.map(invoice => invoice.id)).toEqual(invoices().map(item => Number(item.id)))
  })

  it('catches a write the portal stamped a little before the time it reported (clock skew: the window overlaps)', async () => {
    const kept = await cache.read(snapshotKey('member-a', ACCOUNTANT))
    const item = invoices().filter(candidate => !String(candidate.stageId).endsWith(':D'))[100]!
    expect(Date.parse(String(item.movedTime))).toBeLessThan(Date.parse(kept!.portalTime) - 300_000)
    // Another web node, 2 minutes behind, wrote the invoice after the last check but stamped it before it.
    item.opportunity = 7777
    item.updatedTime = formatPortalDateTime(Date.parse(kept!.portalTime) - 120_000)
    const { value } = await measured(() => openReceivables(portal, cache, options()))
    expect(value.origin.kind).toBe('incremental')
    expect(value.data.invoices.find(invoice => invoice.id === Number(item.id))?.amount.amountMinor).toBe(777_700)
  })

  it('sees a deletion (the portal counts one fewer) and reads everything again', async () => {
    const gone = invoices()[10]!
    await portal.call('crm.item.delete', { entityTypeId: 31, id: gone.id })
    const { value } = await measured(() => openReceivables(portal, cache, options()))
    expect(value.origin).toEqual({ kind: 'full', reason: 'visible-set-changed' })
    expect(value.data.invoices.some(invoice => invoice.id === Number(gone.id))).toBe(false)
    expect(value.data.invoices).toHaveLength(invoices().length)
  })

  it('drops the copy when the user\'s rights change (the accountant becomes a manager: own invoices only)', async () => {
    const user = emulator.state.users.find(candidate => candidate.id === ACCOUNTANT)!
    user.role = 'manager'
    try {
      const { value } = await measured(() => openReceivables(portal, cache, options()))
      expect(value.origin).toEqual({ kind: 'full', reason: 'visible-set-changed' })
      expect(value.data.invoices.every(invoice => invoice.responsibleId === ACCOUNTANT)).toBe(true)
      expect(value.data.invoices.length).toBe(invoices().filter(item => Number(item.assignedById) === ACCOUNTANT).length)
    }
    finally {
      user.role = 'accountant'
    }
  })

  it('never reads another user\'s copy: the key is the portal and the user', async () => {
    expect(await cache.read(snapshotKey('member-a', 2))).toBeNull()
    expect(await cache.read(snapshotKey('member-b', ACCOUNTANT))).toBeNull()
    const { value } = await measured(() => openReceivables(portal, cache, { ...options(), memberId: 'member-b' }))
    expect(value.origin).toEqual({ kind: 'full', reason: 'no-copy' })
  })

  it('the refresh button reads everything', async () => {
    const { value } = await measured(() => openReceivables(portal, cache, { ...options(), full: true }))
    expect(value.origin).toEqual({ kind: 'full', reason: 'asked' })
  })
})
