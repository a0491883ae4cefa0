import type { RunningEmulator } from '../emulator/server.ts'
import type { ServiceStore } from '../../src/service/store/service-store.ts'
import type { TestService } from './support/service-harness.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { ISSUE_ROBOT_CODE } from '../../src/service/robot/issue-robot.ts'
import { startEmulator } from '../emulator/server.ts'
import { emulatorControl, freePort } from './support/emulator-control.ts'
import { openTestStore, startTestService, storeKinds, testConfig } from './support/service-harness.ts'

const FINAL_INVOICE = 'FINAL_INVOICE'

interface RobotCallView { callId: string, eventToken: string, state: string, returnValues: Record<string, unknown> | null }

describe.each(storeKinds())('the robot through the real install (%s store)', (kind) => {
  let emulator: RunningEmulator
  let store: ServiceStore
  let running: TestService
  let control: ReturnType<typeof emulatorControl>

  beforeAll(async () => {
    const port = await freePort()
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 150, appServerUrl: `http://127.0.0.1:${port}` })
    control = emulatorControl(emulator.origin, await readFile(emulator.caCertPath!, 'utf8'))
    ;({ store } = await openTestStore(kind))
    running = await startTestService(await testConfig(emulator, { port, publicUrl: `http://127.0.0.1:${port}` }), store)
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
    }
  }
  const invoicesOf = (dealId: number) => emulator.state.entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
  const emailsOf = (invoiceId: number) => emulator.state.journal.filter(entry => entry.kind === 'outbox' && Number((entry.details as { owner?: { id?: number } }).owner?.id) === invoiceId)
  const issuableDeal = (): { id: number, categoryId: number } => {
    const withMailbox = new Set(emulator.state.users.filter(user => user.crmMailbox).map(user => user.id))
    const deal = emulator.state.entities[2]!.items.find(d => Number(d.categoryId ?? 0) === 0 && d.stageId !== FINAL_INVOICE && Number(d.opportunity) > 0 && invoicesOf(Number(d.id)).length === 0 && withMailbox.has(Number(d.assignedById)) && d.contactId)
    return { id: Number(deal!.id), categoryId: 0 }
  }

  it('registers the robot and binds the deal events when Bitrix24 installs the app', async () => {
    const answer = await control('POST', '/emulator/app-server/install', { userId: 1 })
    expect(answer).toMatchObject({ delivered: true, status: 200 })
    const robots = await control<Array<{ code: string, name: string }>>('GET', '/emulator/robots?lang=ru')
    expect(robots.map(r => r.code)).toEqual([ISSUE_ROBOT_CODE])
    expect(robots[0]!.name).toBe('Invoice Desk: выставить и отправить счёт')
    const server = await control<{ eventHandlers: Array<{ event: string }> }>('GET', '/emulator/app-server')
    expect(server.eventHandlers.map(h => h.event.toUpperCase())).toContain('ONCRMDEALUPDATE')
    // A second install (reinstall) updates the robot and binds nothing twice.
    await control('POST', '/emulator/app-server/install', { userId: 1 })
    expect((await control<unknown[]>('GET', '/emulator/robots')).length).toBe(1)
    expect((await control<{ eventHandlers: unknown[] }>('GET', '/emulator/app-server')).eventHandlers.length).toBe(server.eventHandlers.length)
  })

  it('issues and e-mails once when a deal enters the robot\'s stage, answers the robot, and never again on a redelivery or re-entry', async () => {
    await control('POST', '/emulator/robots/placed', { categoryId: 0, stageId: FINAL_INVOICE, code: ISSUE_ROBOT_CODE })
    const deal = issuableDeal()
    await control('POST', `/emulator/deals/${deal.id}/stage`, { userId: 1, stageId: FINAL_INVOICE })
    await settle()
    const invoices = invoicesOf(deal.id)
    expect(invoices).toHaveLength(1)
    expect(emailsOf(Number(invoices[0]!.id))).toHaveLength(1)
    const calls = await control<RobotCallView[]>('GET', `/emulator/robots/calls?dealId=${deal.id}`)
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ state: 'answered', returnValues: { invoiceId: Number(invoices[0]!.id), outcome: 'issued' } })

    const redelivered = await control<{ status: number }>('POST', '/emulator/robots/redeliver', { callId: calls[0]!.callId })
    expect(redelivered.status).toBe(200)
    await control('POST', `/emulator/deals/${deal.id}/stage`, { userId: 1, stageId: 'PREPARATION' })
    await control('POST', `/emulator/deals/${deal.id}/stage`, { userId: 1, stageId: FINAL_INVOICE })
    await settle()
    expect(invoicesOf(deal.id)).toHaveLength(1)
    expect(emailsOf(Number(invoices[0]!.id))).toHaveLength(1)
    const again = await control<RobotCallView[]>('GET', `/emulator/robots/calls?dealId=${deal.id}`)
    expect(again).toHaveLength(2)
    expect(again[0]).toMatchObject({ state: 'answered', returnValues: { invoiceId: Number(invoices[0]!.id), outcome: 'already-issued' } })
  })
})
