// The host page's «Роботы» panel and the deal card's stage move, in Debian Chromium: an admin puts the app's robot
// on «Финальный счёт», a manager moves his deal there, the portal calls the app's server, the app answers with
// bizproc.event.send and the deal's history shows the answer. Screenshots in .e2e-artifacts/.
import { fileURLToPath } from 'node:url'
import type { B24OAuth } from '@bitrix24/b24jssdk'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/chromium.ts'
import { startEmulator, type RunningEmulator } from './server.ts'
import { call, control, oauthFromInstall, startFakeAppServer, type FakeAppServer } from './tests/app-server-support.ts'

const ARTIFACTS = fileURLToPath(new URL('../../.e2e-artifacts/', import.meta.url))

describe('«Роботы» panel and the stage move (Chromium, 1280 px)', () => {
  let emulator: RunningEmulator
  let app: FakeAppServer
  let admin: B24OAuth
  let browser: Browser

  beforeAll(async () => {
    app = await startFakeAppServer()
    emulator = await startEmulator({ data: 'demo', limits: 'off', appServerUrl: app.url })
    await control(emulator, '/emulator/app-server/install', { userId: 1 })
    const [install] = await app.waitFor(post => post.body.event === 'ONAPPINSTALL')
    admin = oauthFromInstall(emulator, install?.body.auth as Record<string, string>)
    const added = await call(admin, 'bizproc.robot.add', {
      CODE: 'invoice_desk_issue', HANDLER: `${app.url}/robot`, AUTH_USER_ID: 1, USE_SUBSCRIPTION: 'Y',
      NAME: { ru: 'Invoice Desk: выставить и отправить счёт', en: 'Invoice Desk: issue and send the invoice' },
      PROPERTIES: { purpose: { Name: { ru: 'Назначение', en: 'Purpose' }, Type: 'string', Default: 'deal' } },
      RETURN_PROPERTIES: { invoiceId: { Name: 'Счёт', Type: 'int' }, outcome: { Name: 'Итог', Type: 'string' } },
    })
    expect(added.result).toBe(true)
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await emulator?.close()
    await app?.close()
  })

  it('an admin places the robot; a manager moves the deal; the robot call and its answer show in the deal', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${emulator.url}/crm/deal/automation/?user=1`)
    await page.locator('[data-testid="robots-panel"]').waitFor()
    await page.locator('[data-testid="robot-stage-select"]').selectOption('FINAL_INVOICE')
    await page.locator('[data-testid="place-robot"]').click()
    await page.locator('[data-testid="robot-stage"][data-stage-id="FINAL_INVOICE"] [data-testid="placed-robot"]').waitFor()
    expect((await control<{ stageId: string, code: string }[]>(emulator, '/emulator/robots/placed')).body).toMatchObject([{ stageId: 'FINAL_INVOICE', code: 'invoice_desk_issue', properties: { purpose: 'deal' } }])

    // A manager cannot edit robots.
    const managerPage = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await managerPage.goto(`${emulator.url}/crm/deal/automation/?user=2`)
    await managerPage.locator('[data-testid="robots-admin-only"]').waitFor()

    // The manager moves his deal #29 to «Финальный счёт» in the deal card.
    await managerPage.goto(`${emulator.url}/crm/deal/details/29/?user=2`)
    await managerPage.locator('[data-testid="stage-step"][data-stage-id="FINAL_INVOICE"]').click()
    await managerPage.locator('[data-testid="card-stage"][data-stage-id="FINAL_INVOICE"]').waitFor()
    const [robotCall] = await app.waitFor(post => post.path === '/robot')
    expect(robotCall?.body.document_id).toEqual(['crm', 'CCrmDocumentDeal', 'DEAL_29'])
    const sent = await call(admin, 'bizproc.event.send', { EVENT_TOKEN: robotCall?.body.event_token, RETURN_VALUES: { invoiceId: 501, outcome: 'issued' }, LOG_MESSAGE: 'Счёт СЧ-00501 выставлен и отправлен' })
    expect(sent.result).toBe(true)
    await managerPage.reload()
    await managerPage.locator('[data-testid="robot-run"][data-state="answered"]').waitFor()
    await managerPage.screenshot({ path: `${ARTIFACTS}deal-card-robot-run.png` })

    await page.reload()
    await page.locator('[data-testid="robot-call"][data-state="answered"]').waitFor()
    await page.screenshot({ path: `${ARTIFACTS}robots-panel.png`, fullPage: true })
    await page.locator('[data-testid="remove-robot"]').click()
    await page.locator('[data-testid="robot-stage"][data-stage-id="FINAL_INVOICE"] [data-testid="placed-robot"]').waitFor({ state: 'detached' })
    expect((await control<unknown[]>(emulator, '/emulator/robots/placed')).body).toEqual([])
  }, 60_000)
})
