// The app's robot and auto-issue through the real Invoice Desk service, in Debian Chromium: an admin places the robot on
// «Финальный счёт» in the host page's «Роботы»; a manager moves a deal there in its card; the service issues and
// e-mails the invoice once and answers the robot. Moving the deal out and back, and the portal repeating the call,
// make no second one. Expired tokens are refreshed; a forged robot call is refused. Auto-issue by the settings and
// the poll with the portal unable to reach the service. Screenshots in .e2e-artifacts/.
import type { Browser } from 'playwright-core'
import type { RunningEmulator } from '../emulator/server.ts'
import type { ServiceStore } from '../../src/service/store/service-store.ts'
import type { TestService } from '../service/support/service-harness.ts'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { saveSettings } from '../../src/portal/app-settings.ts'
import { startEmulator } from '../emulator/server.ts'
import { freePort } from '../service/support/emulator-control.ts'
import { openTestStore, portalAuth, postForm, robotCallBody, startTestService, testConfig } from '../service/support/service-harness.ts'
import { launchChromium } from '../support/chromium.ts'

const ARTIFACTS = fileURLToPath(new URL('../../.e2e-artifacts/', import.meta.url))

describe('the app\'s robot and auto-issue through the service (Chromium, 1280 px)', () => {
  let emulator: RunningEmulator
  let store: ServiceStore
  let running: TestService
  let browser: Browser

  beforeAll(async () => {
    const port = await freePort()
    emulator = await startEmulator({ data: 'demo', limits: 'off', pdfDelayMs: 300, appServerUrl: `http://127.0.0.1:${port}` })
    ;({ store } = await openTestStore('sqlite'))
    running = await startTestService(await testConfig(emulator, { port, publicUrl: `http://127.0.0.1:${port}` }), store)
    const install = await fetch(`${emulator.url}/emulator/app-server/install`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 1 }) })
    expect(await install.json()).toMatchObject({ delivered: true, status: 200 })
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await running?.stop()
    await store?.close()
    await emulator?.close()
  })

  const control = async <T>(path: string, body?: unknown): Promise<T> => (await fetch(`${emulator.url}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<T>
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await emulator.engine.appServer.idle()
      await running.service.queue.idle()
      await new Promise(resolve => setTimeout(resolve, 200))
    }
  }
  const invoicesOf = (dealId: number) => emulator.state.entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
  const emailsOf = (dealId: number) => emulator.state.journal.filter(entry => entry.kind === 'outbox' && invoicesOf(dealId).some(invoice => Number(invoice.id) === Number((entry.details as { owner?: { id?: number } }).owner?.id)))
  const issuableDeal = (assignedById: number | null, skip: number[] = []): number => {
    const withMailbox = new Set(emulator.state.users.filter(user => user.crmMailbox).map(user => user.id))
    const deal = emulator.state.entities[2]!.items.find(d => !skip.includes(Number(d.id)) && (assignedById === null || Number(d.assignedById) === assignedById) && Number(d.categoryId ?? 0) === 0 && d.stageId !== 'FINAL_INVOICE' && Number(d.opportunity) > 0 && invoicesOf(Number(d.id)).length === 0 && withMailbox.has(Number(d.assignedById)) && d.contactId)
    return Number(deal!.id)
  }

  it('an admin places the robot; a manager moves a deal; one invoice, one e-mail, the robot answered — and never again', async () => {
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await admin.goto(`${emulator.url}/crm/deal/automation/?user=1`)
    await admin.locator('[data-testid="robots-panel"]').waitFor()
    await admin.locator('[data-testid="robot-stage-select"]').selectOption('FINAL_INVOICE')
    await admin.locator('[data-testid="place-robot"]').click()
    await admin.locator('[data-testid="robot-stage"][data-stage-id="FINAL_INVOICE"] [data-testid="placed-robot"]').waitFor()

    // The tokens the service holds have expired: the first call refreshes them, once.
    emulator.engine.tokens.expireAll()
    const refreshes = running.service.sessions.refresher.refreshes()
    const manager = emulator.state.users.find(user => user.role === 'manager' && user.crmMailbox)!.id
    const dealId = issuableDeal(manager)
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${emulator.url}/crm/deal/details/${dealId}/?user=${manager}`)
    await page.locator('[data-testid="stage-step"][data-stage-id="FINAL_INVOICE"]').click()
    await page.locator('[data-testid="card-stage"][data-stage-id="FINAL_INVOICE"]').waitFor()
    await settle()
    expect(invoicesOf(dealId)).toHaveLength(1)
    expect(emailsOf(dealId)).toHaveLength(1)
    expect(running.service.sessions.refresher.refreshes() - refreshes).toBe(1)
    await page.reload()
    await page.locator('[data-testid="robot-run"][data-state="answered"]').waitFor()
    await page.screenshot({ path: `${ARTIFACTS}service-robot-run.png` })

    // Out of the stage and back (a new robot call), and the portal repeating the first call.
    await page.locator('[data-testid="stage-step"][data-stage-id="EXECUTING"]').click()
    await page.locator('[data-testid="card-stage"][data-stage-id="EXECUTING"]').waitFor()
    await page.locator('[data-testid="stage-step"][data-stage-id="FINAL_INVOICE"]').click()
    await page.locator('[data-testid="card-stage"][data-stage-id="FINAL_INVOICE"]').waitFor()
    const calls = await control<Array<{ callId: number }>>(`/emulator/robots/calls?dealId=${dealId}`)
    await control('/emulator/robots/redeliver', { callId: calls.at(-1)!.callId })
    await settle()
    expect(invoicesOf(dealId)).toHaveLength(1)
    expect(emailsOf(dealId)).toHaveLength(1)
    const answered = await control<Array<{ state: string, returnValues: { outcome?: string } | null }>>(`/emulator/robots/calls?dealId=${dealId}`)
    expect(answered.map(call => call.state)).toEqual(['answered', 'answered'])
    expect(answered.map(call => call.returnValues?.outcome)).toEqual(['already-issued', 'issued'])

    // A robot call with a guessed application token is refused and runs nothing.
    const other = Number(emulator.state.entities[2]!.items.find(d => Number(d.id) !== dealId && invoicesOf(Number(d.id)).length === 0)!.id)
    const forged = await postForm(`${running.url}/robots/issue`, robotCallBody(other, 'forged-token-call', portalAuth(emulator, 'guessed')))
    expect(forged.status).toBe(401)
    await settle()
    expect(invoicesOf(other)).toHaveLength(0)
    await admin.locator('[data-testid="remove-robot"]').click()
  })

  it('auto-issue by the settings on a stage change, and by the poll when the portal cannot reach the service', async () => {
    const memberId = (await store.listPortals())[0]!.memberId
    const base = defaultSettings()
    await saveSettings((await running.service.sessions.clientFor(memberId))!, { ...base, deal: { ...base.deal, readyStageIds: ['FINAL_INVOICE'], autoIssue: { ...base.deal.autoIssue, enabled: true } } })
    // The admin moves the deals here (the demo has few issuable deals per manager).
    const manager = 1
    const dealId = issuableDeal(null)
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${emulator.url}/crm/deal/details/${dealId}/?user=${manager}`)
    await page.locator('[data-testid="stage-step"][data-stage-id="FINAL_INVOICE"]').click()
    await page.locator('[data-testid="card-stage"][data-stage-id="FINAL_INVOICE"]').waitFor()
    for (let i = 0; i < 50 && emailsOf(dealId).length === 0; i++)
      await settle()
    expect(invoicesOf(dealId)).toHaveLength(1)
    expect(emailsOf(dealId)).toHaveLength(1)

    // Behind NAT: nothing reaches the service; the poll finds the deal.
    await store.setPollMode(memberId, true)
    await control('/emulator/app-server/reachable', { reachable: false })
    const polled = issuableDeal(null, [dealId])
    await page.goto(`${emulator.url}/crm/deal/details/${polled}/?user=${manager}`)
    await page.locator('[data-testid="stage-step"][data-stage-id="FINAL_INVOICE"]').click()
    await page.locator('[data-testid="card-stage"][data-stage-id="FINAL_INVOICE"]').waitFor()
    await settle()
    expect(invoicesOf(polled)).toHaveLength(0)
    await running.service.poller.tick()
    expect(invoicesOf(polled)).toHaveLength(1)
    expect(emailsOf(polled)).toHaveLength(1)
    await page.screenshot({ path: `${ARTIFACTS}service-auto-issue.png` })
    await control('/emulator/app-server/reachable', { reachable: true })
  })
})
