import type { RunningEmulator } from '../emulator/server.ts'
import type { ServiceStore } from '../../src/service/store/service-store.ts'
import type { TestService } from './support/service-harness.ts'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { startEmulator } from '../emulator/server.ts'
import { openTestStore, portalAuth, postForm, robotCallBody, startTestService, storeKinds, testConfig } from './support/service-harness.ts'

const APP_TOKEN = 'app-token-of-the-emulated-portal'

describe.each(storeKinds())('service against the emulated portal (%s store)', (kind) => {
  let emulator: RunningEmulator
  let store: ServiceStore
  let running: TestService

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 150 })
    ;({ store } = await openTestStore(kind))
    running = await startTestService(await testConfig(emulator), store)
  })
  afterAll(async () => {
    await running.stop()
    await store.close()
    await emulator.close()
  })
  afterEach(() => emulator.engine.faults.clear())

  const install = async () => postForm(`${running.url}/install`, { event: 'ONAPPINSTALL', data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'ru' }, ts: '1764900000', auth: portalAuth(emulator, APP_TOKEN) })
  const invoicesOf = (dealId: number) => emulator.state.entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
  const issuableDeal = (): number => {
    const withMailbox = new Set(emulator.state.users.filter(user => user.crmMailbox).map(user => user.id))
    const deal = emulator.state.entities[2]!.items.find(d => Number(d.opportunity) > 0 && invoicesOf(Number(d.id)).length === 0 && withMailbox.has(Number(d.assignedById)) && d.contactId)
    return Number(deal!.id)
  }

  it('stores the portal, its tokens and application token at install, and refuses an install whose token the portal does not know', async () => {
    const forged = await postForm(`${running.url}/install`, { event: 'ONAPPINSTALL', auth: { ...portalAuth(emulator, 'x'), access_token: 'not-a-token', member_id: 'forged-member' } })
    expect(forged.status).toBe(401)
    expect(await store.getPortal('forged-member')).toBeNull()
    const answer = await install()
    expect(answer.status).toBe(200)
    const memberId = (await store.listPortals())[0]!.memberId
    expect((await store.getPortal(memberId))?.applicationToken).toBe(APP_TOKEN)
    expect((await store.getTokens(memberId))?.userId).toBe(1)
  })

  it('refuses a forged robot call with 401, runs nothing and logs no secret', async () => {
    const dealId = issuableDeal()
    const auth = portalAuth(emulator, 'a-guessed-token')
    const answer = await postForm(`${running.url}/robots/issue`, robotCallBody(dealId, 'evt-forged', auth))
    expect(answer.status).toBe(401)
    expect(await store.getRobotCall('evt-forged')).toBeNull()
    expect(invoicesOf(dealId)).toHaveLength(0)
    const refused = running.lines.filter(line => line.includes('call.refused') && line.includes('"kind":"robot"'))
    expect(refused).toHaveLength(1)
    for (const secret of [auth.access_token!, auth.refresh_token!, 'a-guessed-token', APP_TOKEN])
      expect(running.lines.join('\n')).not.toContain(secret)
  })

  it('persists a robot call before answering, issues one invoice, and runs a repeated call (same event token) never again', async () => {
    const dealId = issuableDeal()
    const auth = portalAuth(emulator, APP_TOKEN)
    const first = await postForm(`${running.url}/robots/issue`, robotCallBody(dealId, 'evt-1', auth))
    expect(first).toMatchObject({ status: 200, json: { status: 'accepted' } })
    expect(await store.getRobotCall('evt-1')).not.toBeNull()
    const repeat = await postForm(`${running.url}/robots/issue`, robotCallBody(dealId, 'evt-1', auth))
    expect(repeat).toMatchObject({ status: 200, json: { status: 'duplicate' } })
    await running.service.queue.idle()
    // The deal re-enters the stage: a new call (new token) finds the invoice issued.
    await postForm(`${running.url}/robots/issue`, robotCallBody(dealId, 'evt-2', auth))
    await running.service.queue.idle()
    expect(invoicesOf(dealId)).toHaveLength(1)
    const sent = emulator.state.journal.filter(entry => entry.kind === 'outbox' && Number((entry.details as { owner?: { id?: number } }).owner?.id) === Number(invoicesOf(dealId)[0]!.id))
    expect(sent).toHaveLength(1)
  })

  it('refreshes expired tokens once for concurrent calls and keeps the new ones', async () => {
    const memberId = (await store.listPortals())[0]!.memberId
    const before = await store.getTokens(memberId)
    emulator.engine.tokens.expireAll()
    const refreshes = running.service.sessions.refresher.refreshes()
    const clients = await Promise.all([1, 2, 3].map(() => running.service.sessions.clientFor(memberId)))
    const times = await Promise.all(clients.map(client => client!.call<string>('server.time')))
    expect(times.every(Boolean)).toBe(true)
    expect(running.service.sessions.refresher.refreshes() - refreshes).toBe(1)
    const after = await store.getTokens(memberId)
    expect(after?.accessToken).not.toBe(before?.accessToken)
    expect(after?.refreshToken).not.toBe(before?.refreshToken)
    expect(running.lines.join('\n')).not.toContain(after!.accessToken)
  })
})
