import type { RunningEmulator } from '../emulator/server.ts'
import type { ServiceConfig } from '../../src/service/config.ts'
import type { ServiceStore } from '../../src/service/store/service-store.ts'
import type { TestService } from './support/service-harness.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { saveSettings } from '../../src/portal/app-settings.ts'
import { EMPTY_JOURNAL_FILTER, journalTypeCommand, readJournal } from '../../src/portal/journal/journal-store.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { ISSUE_ROBOT_CODE } from '../../src/service/robot/issue-robot.ts'
import { startEmulator } from '../emulator/server.ts'
import { emulatorControl, freePort } from './support/emulator-control.ts'
import { openTestStore, startTestService, storeKinds, testConfig } from './support/service-harness.ts'

const FINAL_INVOICE = 'FINAL_INVOICE'
const JOURNAL = 1030
const MAX_ATTEMPTS = 3

interface RobotCallView { callId: string, eventToken: string, state: string }

describe.each(storeKinds())('answering a robot when bizproc.event.send fails (%s store)', (kind) => {
  let emulator: RunningEmulator
  let store: ServiceStore
  let reopen: () => Promise<ServiceStore>
  let running: TestService
  let control: ReturnType<typeof emulatorControl>
  let config: ServiceConfig
  let caCertificate: string
  let memberId: string
  const lines: string[] = []

  beforeAll(async () => {
    const port = await freePort()
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 100, appServerUrl: `http://127.0.0.1:${port}` })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
    control = emulatorControl(emulator.origin, caCertificate)
    ;({ store, reopen } = await openTestStore(kind))
    config = await testConfig(emulator, { port, publicUrl: `http://127.0.0.1:${port}`, answerRetry: { maxAttempts: MAX_ATTEMPTS, firstDelayMs: 0, maxDelayMs: 0, giveUpAfterMs: 3_600_000 } })
    running = await startTestService(config, store)
    await control('POST', '/emulator/app-server/install', { userId: 1 })
    await control('POST', '/emulator/robots/placed', { categoryId: 0, stageId: FINAL_INVOICE, code: ISSUE_ROBOT_CODE })
    memberId = (await store.listPortals())[0]!.memberId
    // The app's journal, as install makes it, and settings naming it.
    const command = journalTypeCommand(JOURNAL)
    await connectWithWebhook(emulator.webhookUrl, { caCertificate }).call(command.method, command.params)
    const base = defaultSettings()
    await saveSettings((await running.service.sessions.clientFor(memberId))!, { ...base, journal: { ...base.journal, entityTypeId: JOURNAL } })
  })
  afterEach(() => emulator.engine.faults.clear())
  afterAll(async () => {
    await running.stop()
    await store.close()
    await emulator.close()
  })

  const allLines = () => [...lines, ...running.lines]
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await emulator.engine.appServer.idle()
      await running.service.queue.idle()
    }
  }
  const invoicesOf = (dealId: number) => emulator.state.entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
  const emailsOf = (invoiceId: number) => emulator.state.journal.filter(entry => entry.kind === 'outbox' && Number((entry.details as { owner?: { id?: number } }).owner?.id) === invoiceId)
  const sends = () => emulator.engine.stats.restRequests['bizproc.event.send'] ?? 0
  const chainRuns = (dealId: number) => allLines().filter(line => line.includes('"robot.result"') && line.includes(`"dealId":${dealId},`)).length
  const issuableDeal = (): number => {
    const withMailbox = new Set(emulator.state.users.filter(user => user.crmMailbox).map(user => user.id))
    const deal = emulator.state.entities[2]!.items.find(d => Number(d.categoryId ?? 0) === 0 && d.stageId !== FINAL_INVOICE && Number(d.opportunity) > 0 && invoicesOf(Number(d.id)).length === 0 && withMailbox.has(Number(d.assignedById)) && d.contactId)
    return Number(deal!.id)
  }
  /** Moves a deal into the robot's stage and waits for the service's first answer attempt; answers its robot call. */
  const robotRun = async (dealId: number): Promise<RobotCallView> => {
    await control('POST', `/emulator/deals/${dealId}/stage`, { userId: 1, stageId: FINAL_INVOICE })
    await settle()
    const calls = await control<RobotCallView[]>('GET', `/emulator/robots/calls?dealId=${dealId}`)
    expect(calls).toHaveLength(1)
    return calls[0]!
  }
  const stored = async (eventToken: string) => {
    const call = await store.getRobotCall(eventToken)
    return { status: call?.status, answer: JSON.parse(call?.resultJson ?? 'null') as { attempts: number, reason?: string, lastError: string | null } | null }
  }
  const journalOf = async (dealId: number) => {
    const page = await readJournal(connectWithWebhook(emulator.webhookUrl, { caCertificate }), JOURNAL, EMPTY_JOURNAL_FILTER)
    return page.entries.filter(entry => entry.dealId === dealId && entry.action === 'process' && entry.result === 'failed')
  }

  it('gives up a send that keeps failing after a bounded number of attempts: marked failed with the reason, in the log and the deal\'s journal; the chain ran once', async () => {
    emulator.engine.faults.add({ method: 'bizproc.event.send', times: 1000, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Internal server error' })
    const dealId = issuableDeal()
    const before = sends()
    const call = await robotRun(dealId)
    for (let i = 0; i < 6; i++)
      await running.service.queue.resume()
    const { status, answer } = await stored(call.eventToken)
    expect(status).toBe('failed')
    expect(answer).toMatchObject({ attempts: MAX_ATTEMPTS, reason: 'attempts-exhausted' })
    expect(answer!.lastError).toContain('INTERNAL_SERVER_ERROR')
    const afterGiveUp = sends()
    expect(afterGiveUp - before).toBeGreaterThanOrEqual(MAX_ATTEMPTS)
    await running.service.queue.resume()
    expect(sends()).toBe(afterGiveUp)
    expect(chainRuns(dealId)).toBe(1)
    expect(invoicesOf(dealId)).toHaveLength(1)
    expect(emailsOf(Number(invoicesOf(dealId)[0]!.id))).toHaveLength(1)
    expect(allLines().filter(line => line.includes('"robot.answer.failed"') && line.includes(`"dealId":${dealId},`))).toHaveLength(1)
    const entries = await journalOf(dealId)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ by: 'robot', invoiceId: Number(invoicesOf(dealId)[0]!.id), error: { code: 'ROBOT_NOT_ANSWERED' } })
    expect(entries[0]!.summary).toContain(`${MAX_ATTEMPTS}`)
  })

  it('stops at once when Bitrix24 refuses the token (the workflow ended): one send, failed, journaled', async () => {
    emulator.engine.faults.add({ method: 'bizproc.event.send', times: 1000, kind: 'error', status: 403, code: 'ACCESS_DENIED', description: 'Access denied!' })
    const dealId = issuableDeal()
    const before = sends()
    const call = await robotRun(dealId)
    for (let i = 0; i < 3; i++)
      await running.service.queue.resume()
    expect(sends() - before).toBe(1)
    expect(await stored(call.eventToken)).toMatchObject({ status: 'failed', answer: { attempts: 1, reason: 'token-refused' } })
    expect(chainRuns(dealId)).toBe(1)
    expect(await journalOf(dealId)).toHaveLength(1)
  })

  it.each(['drop', 'timeout'] as const)('sends again after a lost request (%s) and is answered once, the chain not run again', async (faultKind) => {
    emulator.engine.faults.add({ method: 'bizproc.event.send', times: 1, kind: faultKind, status: 0, code: '', description: '' })
    const dealId = issuableDeal()
    const call = await robotRun(dealId)
    expect((await stored(call.eventToken)).status).toBe('answering')
    await running.service.queue.resume()
    const calls = await control<RobotCallView[]>('GET', `/emulator/robots/calls?dealId=${dealId}`)
    expect(calls[0]).toMatchObject({ state: 'answered' })
    expect(await stored(call.eventToken)).toMatchObject({ status: 'done', answer: { attempts: 2 } })
    expect(chainRuns(dealId)).toBe(1)
    expect(invoicesOf(dealId)).toHaveLength(1)
  }, 90_000)

  it('goes on with the attempts counted before a restart, not a fresh count', async () => {
    emulator.engine.faults.add({ method: 'bizproc.event.send', times: 1000, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Internal server error' })
    const dealId = issuableDeal()
    const call = await robotRun(dealId)
    await running.service.queue.resume()
    expect(await stored(call.eventToken)).toMatchObject({ status: 'answering', answer: { attempts: 2 } })
    // The service stops mid-retry; a new process on the same store resumes the call on start.
    lines.push(...running.lines)
    await running.stop()
    await store.close()
    store = await reopen()
    running = await startTestService(config, store)
    await settle()
    await running.service.queue.resume()
    await running.service.queue.resume()
    expect(await stored(call.eventToken)).toMatchObject({ status: 'failed', answer: { attempts: MAX_ATTEMPTS, reason: 'attempts-exhausted' } })
    expect(chainRuns(dealId)).toBe(1)
    expect(invoicesOf(dealId)).toHaveLength(1)
  })
})
