import type { RunningEmulator } from '../emulator/server.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { ServiceStore } from '../../src/service/store/service-store.ts'
import type { TestService } from './support/service-harness.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { saveSettings } from '../../src/portal/app-settings.ts'
import { createEventWatch } from '../../src/service/auto/event-watch.ts'
import { readServiceConfig } from '../../src/service/config.ts'
import { createServiceLog } from '../../src/service/service-log.ts'
import { startEmulator } from '../emulator/server.ts'
import { portalRecord } from './store-contract.ts'
import { emulatorControl, freePort } from './support/emulator-control.ts'
import { openTestStore, startTestService, storeKinds, testConfig } from './support/service-harness.ts'

const GRACE_MS = 120_000

describe.each(storeKinds())('polling by itself while the portal cannot deliver events (%s store)', (kind) => {
  let emulator: RunningEmulator
  let store: ServiceStore
  let running: TestService
  let control: ReturnType<typeof emulatorControl>
  let memberId: string

  beforeAll(async () => {
    const port = await freePort()
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 100, appServerUrl: `http://127.0.0.1:${port}` })
    control = emulatorControl(emulator.origin, await readFile(emulator.caCertPath!, 'utf8'))
    ;({ store } = await openTestStore(kind))
    running = await startTestService(await testConfig(emulator, { port, publicUrl: `http://127.0.0.1:${port}`, poll: 'auto', eventGraceMs: GRACE_MS }), store)
    await control('POST', '/emulator/app-server/install', { userId: 1 })
    memberId = (await store.listPortals())[0]!.memberId
    const base = defaultSettings()
    await saveSettings((await running.service.sessions.clientFor(memberId))!, { ...base, deal: { ...base.deal, readyStageIds: ['FINAL_INVOICE'], autoIssue: { ...base.deal.autoIssue, enabled: true } } })
  })
  afterAll(async () => {
    await control('POST', '/emulator/app-server/reachable', { reachable: true })
    await running.stop()
    await store.close()
    await emulator.close()
  })

  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await emulator.engine.appServer.idle()
      await running.service.queue.idle()
      await new Promise(resolve => setTimeout(resolve, 200))
    }
  }
  const invoicesOf = (dealId: number) => emulator.state.entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
  const emailsOf = (invoiceId: number) => emulator.state.journal.filter(entry => entry.kind === 'outbox' && Number((entry.details as { owner?: { id?: number } }).owner?.id) === invoiceId)
  const issuableDeal = (): number => {
    const withMailbox = new Set(emulator.state.users.filter(user => user.crmMailbox).map(user => user.id))
    const deal = emulator.state.entities[2]!.items.find(d => Number(d.categoryId ?? 0) === 0 && d.stageId !== 'FINAL_INVOICE' && d.currencyId === 'RUB' && Number(d.opportunity) > 0 && invoicesOf(Number(d.id)).length === 0 && withMailbox.has(Number(d.assignedById)) && d.contactId)
    return Number(deal!.id)
  }
  const waitFor = async (probe: () => boolean | Promise<boolean>) => {
    for (let i = 0; i < 100 && !await probe(); i++)
      await new Promise(resolve => setTimeout(resolve, 100))
  }
  const health = async () => (await fetch(`${running.url}/health`)).json() as Promise<{ ok: boolean, poll: string, portals: Array<{ delivery: string, reason: string | null }> }>
  const portalLater = (ms: number) => emulator.engine.clock.set(new Date(emulator.engine.clock.now() + ms))

  it('switches a portal to polling when a deal changed and its event did not come, says so in the log and /health, and issues the deal', async () => {
    expect((await health()).portals).toEqual([expect.objectContaining({ delivery: 'events', reason: null })])
    await control('POST', '/emulator/app-server/reachable', { reachable: false })
    // A second after the install (the portal's times are whole seconds).
    portalLater(1000)
    const dealId = issuableDeal()
    await control('POST', `/emulator/deals/${dealId}/stage`, { userId: 1, stageId: 'FINAL_INVOICE' })
    await settle()
    expect(invoicesOf(dealId)).toHaveLength(0)
    // Within the grace nothing is decided: the event may still come.
    await running.service.poller.tick()
    expect((await store.getPortal(memberId))?.pollMode).toBe(false)
    expect(invoicesOf(dealId)).toHaveLength(0)
    portalLater(GRACE_MS + 60_000)
    await running.service.poller.tick()
    expect((await store.getPortal(memberId))?.pollMode).toBe(true)
    expect(running.lines.filter(line => line.includes('"poll.on"') && line.includes('"reason":"events-missed"') && line.includes(`"dealId":${dealId}`))).toHaveLength(1)
    expect((await health()).portals).toEqual([expect.objectContaining({ delivery: 'poll', reason: 'events-missed' })])
    // Anyone who reaches the service may read /health: it names no portal.
    expect(Object.keys((await health()).portals[0]!)).not.toContain('domain')
    expect(invoicesOf(dealId)).toHaveLength(1)
    expect(emailsOf(Number(invoicesOf(dealId)[0]!.id))).toHaveLength(1)
    // Polling goes on while the events stay away; the deal is not issued twice.
    await running.service.poller.tick()
    expect(invoicesOf(dealId)).toHaveLength(1)
  })

  it('goes back to events when they arrive again, after the next poll; the deal of that event gets one invoice and one e-mail', async () => {
    // A portal the service polls (as the test before left it, or as a restart finds it).
    await store.setPollMode(memberId, true)
    await control('POST', '/emulator/app-server/reachable', { reachable: true })
    const dealId = issuableDeal()
    await control('POST', `/emulator/deals/${dealId}/stage`, { userId: 1, stageId: 'FINAL_INVOICE' })
    await settle()
    // The poll may overlap the event's own run of the chain (the deal moved after the cursor).
    const poll = running.service.poller.tick()
    await waitFor(() => invoicesOf(dealId).length === 1 && running.lines.some(line => line.includes('"auto.issue"') && line.includes(`"dealId":${dealId},`)))
    await poll
    await running.service.poller.tick()
    expect(running.lines.filter(line => line.includes('"poll.events-back"'))).toHaveLength(1)
    expect((await store.getPortal(memberId))?.pollMode).toBe(false)
    expect(running.lines.filter(line => line.includes('"poll.off"') && line.includes('"reason":"events-arrive"'))).toHaveLength(1)
    expect((await health()).portals).toEqual([expect.objectContaining({ delivery: 'events', reason: null })])
    await settle()
    expect(invoicesOf(dealId)).toHaveLength(1)
    expect(emailsOf(Number(invoicesOf(dealId)[0]!.id))).toHaveLength(1)
    // On events again: a later tick within the grace changes nothing.
    await running.service.poller.tick()
    expect((await store.getPortal(memberId))?.pollMode).toBe(false)
  })
})

describe('INVOICE_DESK_POLL', () => {
  const env = { INVOICE_DESK_CLIENT_ID: 'id', INVOICE_DESK_CLIENT_SECRET: 'secret' }
  const untouchable = new Proxy({}, {
    get: () => {
      throw new Error('the portal must not be asked')
    },
  }) as PortalClient
  const watchWith = (poll: 'on' | 'off') => createEventWatch({ store: {} as ServiceStore, log: createServiceLog(() => {}), poll, graceMs: GRACE_MS, now: Date.now })

  it('is auto unless set; 1 forces polling, 0 forbids it, anything else is refused', () => {
    expect(readServiceConfig(env)).toMatchObject({ poll: 'auto' })
    expect(readServiceConfig({ ...env, INVOICE_DESK_POLL: '1' })).toMatchObject({ poll: 'on' })
    expect(readServiceConfig({ ...env, INVOICE_DESK_POLL: '0' })).toMatchObject({ poll: 'off' })
    expect(readServiceConfig({ ...env, INVOICE_DESK_POLL: 'yes' })).toContain('INVOICE_DESK_POLL')
  })

  it('=1 polls every portal and never goes back to events; =0 never polls nor looks for lost events', async () => {
    const on = watchWith('on')
    expect(on.polls(portalRecord('a', { pollMode: false }))).toBe(true)
    await on.eventArrived(portalRecord('a', { pollMode: true }), '1764900000')
    await on.afterPoll(portalRecord('a', { pollMode: true }), true)
    expect(on.delivery(portalRecord('a'))).toMatchObject({ delivery: 'poll', reason: 'forced' })
    const off = watchWith('off')
    expect(off.polls(portalRecord('a', { pollMode: true }))).toBe(false)
    off.watchFrom('a', 0)
    expect(await off.check(portalRecord('a'), untouchable, 10 * GRACE_MS)).toBe(false)
  })
})
