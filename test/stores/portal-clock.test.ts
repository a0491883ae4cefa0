// The frame's "now" (`usePortalEnvironment().now`) and the dashboard's «updated … ago» run on the
// portal's clock: the offset between `server.time`, read in the screens' own first request, and this
// machine's clock. The emulator's clock is set hours away from the machine's, as a device clock set
// wrong would be; no request is added for it.
import type { PlacementSession } from '../../src/portal/frame-session.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { IDBFactory } from 'fake-indexeddb'
import { createPinia } from 'pinia'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from 'vue'
import { indexedDbReceivablesCache } from '../../src/browser/receivables-cache.ts'
import { placementSessionKey } from '../../src/composables/usePlacementSession.ts'
import { usePortalEnvironment } from '../../src/composables/usePortalEnvironment.ts'
import { createTranslator } from '../../src/i18n/translate.ts'
import { translatorKey } from '../../src/i18n/use-i18n.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { useDealInvoicesStore } from '../../src/stores/deal-invoices.ts'
import { useReceivablesStore } from '../../src/stores/receivables.ts'
import { startEmulator } from '../emulator/server.ts'
import { invoiceStage } from '../emulator/data/reference-data.ts'

const HOUR = 3_600_000
const MEMBER = 'member-clock'

let emulator: RunningEmulator
let portal: PortalClient
let dealId: number

beforeAll(async () => {
  emulator = await startEmulator({ https: true, limits: 'off', port: 0 })
  portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: await readFile(emulator.caCertPath ?? '', 'utf8') })
  const deal = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: { title: 'Clock', currencyId: 'RUB', opportunity: 1000, assignedById: 1 } })
  dealId = deal.item.id
  await portal.call('crm.item.add', { entityTypeId: 31, fields: { title: 'Clock invoice', stageId: invoiceStage.sent, parentId2: dealId, opportunity: 1000, currencyId: 'RUB', assignedById: 1 } })
})
afterAll(() => emulator.close())
beforeEach(() => emulator.engine.faults.clear())

/** A frame of the app: its own stores (one pinia) and the environment its screens read. */
function frame() {
  const app = createApp({})
  const pinia = createPinia()
  app.use(pinia)
  const session = { client: portal, placement: 'CRM_DEAL_DETAIL_TAB', placementOptions: {}, lang: 'ru', isAdmin: true, memberId: MEMBER } as unknown as PlacementSession
  app.provide(placementSessionKey, session)
  app.provide(translatorKey, createTranslator('ru'))
  return app.runWithContext(() => ({ env: usePortalEnvironment(), deals: useDealInvoicesStore(), receivables: useReceivablesStore() }))
}

const portalNow = (): number => emulator.engine.clock.now()

describe('the frame\'s clock is the portal\'s', () => {
  it('the deal tab\'s batch sets it: now() is the portal\'s time, five hours from this machine\'s, and the tab used ONE request', async () => {
    emulator.engine.clock.set(new Date(Date.now() + 5 * HOUR))
    const { env, deals } = frame()
    const before = emulator.stats.httpRequests
    await deals.load(portal, dealId)
    expect(emulator.stats.httpRequests - before).toBe(1)
    expect(Math.abs(env.now().getTime() - portalNow())).toBeLessThan(5_000)
    expect(Math.abs(env.issueEnvironment().now.getTime() - portalNow())).toBeLessThan(5_000)
    expect(deals.onDeviceClock).toBe(false)
  })

  it('without the portal\'s time (server.time failed in the batch) now() stays this machine\'s, and the tab says so', async () => {
    emulator.engine.clock.set(new Date(Date.now() + 5 * HOUR))
    emulator.engine.faults.add({ method: 'server.time', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Internal error' })
    const { env, deals } = frame()
    await deals.load(portal, dealId)
    expect(deals.onDeviceClock).toBe(true)
    expect(Math.abs(env.now().getTime() - Date.now())).toBeLessThan(5_000)
  })

  it('the dashboard dates «checked» and «all invoices re-read» on the portal\'s clock, though this machine\'s clock was set back between two opens', async () => {
    const cache = indexedDbReceivablesCache(new IDBFactory())
    // First open: the machine's clock agrees with the portal's; everything is read and kept.
    emulator.engine.clock.set(new Date())
    const first = frame()
    await first.receivables.load(portal, { memberId: MEMBER, cache })
    expect(first.receivables.origin?.kind).toBe('full')
    await expect.poll(() => cache.last(MEMBER)).not.toBeNull()

    // Three hours later on the portal; this machine's clock was set back and still shows the same time.
    emulator.engine.clock.set(new Date(Date.now() + 3 * HOUR))
    const again = frame()
    const before = emulator.stats.httpRequests
    await again.receivables.load(portal, { memberId: MEMBER, cache })
    expect(again.receivables.origin?.kind).toBe('incremental')
    expect(emulator.stats.httpRequests - before).toBeLessThanOrEqual(3)
    const now = again.env.now().getTime()
    expect(Math.abs(now - portalNow())).toBeLessThan(5_000)
    // Checked just now; everything read three hours ago, as the portal counts (this machine would say "just now").
    expect(now - again.receivables.checkedAtMs!).toBeLessThan(60_000)
    expect(Math.abs(now - again.receivables.fullReadAtMs! - 3 * HOUR)).toBeLessThan(60_000)
  })
})
