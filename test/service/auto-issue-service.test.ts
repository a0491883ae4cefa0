import type { RunningEmulator } from '../emulator/server.ts'
import type { ServiceStore } from '../../src/service/store/service-store.ts'
import type { TestService } from './support/service-harness.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { saveSettings } from '../../src/portal/app-settings.ts'
import { startEmulator } from '../emulator/server.ts'
import { emulatorControl, freePort } from './support/emulator-control.ts'
import { openTestStore, startTestService, storeKinds, testConfig } from './support/service-harness.ts'

describe.each(storeKinds())('auto-issue by the settings (%s store)', (kind) => {
  let emulator: RunningEmulator
  let store: ServiceStore
  let running: TestService
  let control: ReturnType<typeof emulatorControl>
  let memberId: string
  let minimum = 0

  beforeAll(async () => {
    const port = await freePort()
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 150, appServerUrl: `http://127.0.0.1:${port}` })
    control = emulatorControl(emulator.origin, await readFile(emulator.caCertPath!, 'utf8'))
    ;({ store } = await openTestStore(kind))
    running = await startTestService(await testConfig(emulator, { port, publicUrl: `http://127.0.0.1:${port}` }), store)
    await control('POST', '/emulator/app-server/install', { userId: 1 })
    memberId = (await store.listPortals())[0]!.memberId
  })
  afterAll(async () => {
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
  const dealWhere = (test: (amount: number) => boolean, skip: number[] = []): number => {
    const withMailbox = new Set(emulator.state.users.filter(user => user.crmMailbox).map(user => user.id))
    const deal = emulator.state.entities[2]!.items.find(d => !skip.includes(Number(d.id)) && Number(d.categoryId ?? 0) === 0 && d.stageId !== 'FINAL_INVOICE' && d.currencyId === 'RUB' && test(Number(d.opportunity)) && invoicesOf(Number(d.id)).length === 0 && withMailbox.has(Number(d.assignedById)) && d.contactId)
    return Number(deal!.id)
  }
  const waitFor = async (probe: () => boolean) => {
    for (let i = 0; i < 100 && !probe(); i++)
      await new Promise(resolve => setTimeout(resolve, 100))
  }

  it('issues a qualifying deal that enters a ready stage once (the event), and leaves one under the minimum sum', async () => {
    const amountOf = (id: number) => Number(emulator.state.entities[2]!.byId.get(id)!.opportunity)
    const small = dealWhere(amount => amount > 0)
    const big = dealWhere(amount => amount > amountOf(small), [small])
    minimum = amountOf(small)
    // The admin turns auto-issue on for «Финальный счёт», from just above the small deal's sum (minor units).
    const base = defaultSettings()
    const client = await running.service.sessions.clientFor(memberId)
    await saveSettings(client!, { ...base, deal: { ...base.deal, readyStageIds: ['FINAL_INVOICE'], autoIssue: { ...base.deal.autoIssue, enabled: true, minAmount: { amountMinor: Math.round(amountOf(small) * 100) + 1, currency: 'RUB' } } } })
    await control('POST', `/emulator/deals/${big}/stage`, { userId: 1, stageId: 'FINAL_INVOICE' })
    await control('POST', `/emulator/deals/${small}/stage`, { userId: 1, stageId: 'FINAL_INVOICE' })
    await settle()
    await waitFor(() => invoicesOf(big).length === 1 && running.lines.some(line => line.includes('"auto.issue"') && line.includes(`"dealId":${big}`)))
    expect(invoicesOf(big)).toHaveLength(1)
    expect(invoicesOf(small)).toHaveLength(0)
    // Another edit of the deal (the event again) makes nothing new.
    await control('POST', `/emulator/deals/${big}/stage`, { userId: 1, stageId: 'PREPARATION' })
    await control('POST', `/emulator/deals/${big}/stage`, { userId: 1, stageId: 'FINAL_INVOICE' })
    await settle()
    expect(invoicesOf(big)).toHaveLength(1)
  })

  it('polls where Bitrix24 cannot reach the service: the deal is found by the list query and issued, the cursor advances', async () => {
    await store.setPollMode(memberId, true)
    await control('POST', '/emulator/app-server/reachable', { reachable: false })
    const cursorBefore = await store.getPollCursor(memberId)
    const dealId = dealWhere(amount => amount > minimum)
    await control('POST', `/emulator/deals/${dealId}/stage`, { userId: 1, stageId: 'FINAL_INVOICE' })
    await settle()
    expect(invoicesOf(dealId)).toHaveLength(0)
    await running.service.poller.tick()
    expect(invoicesOf(dealId)).toHaveLength(1)
    // The emulator's clock stands still: the cursor is the portal's time of the poll.
    expect(cursorBefore).not.toBeNull()
    expect(await store.getPollCursor(memberId)).toBeGreaterThanOrEqual(cursorBefore!)
    await running.service.poller.tick()
    expect(invoicesOf(dealId)).toHaveLength(1)
    await control('POST', '/emulator/app-server/reachable', { reachable: true })
  })
})
