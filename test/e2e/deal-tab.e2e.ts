import type { AppUnderTest } from './support/app-under-test.ts'
import type { EmulatorStats } from '../support/emulator-control.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'
import { frameFits, narrowTo, shootFrame } from './support/frame-shots.ts'

interface RawInvoice { id: number, accountNumber: string, stageId: string, closedate: string, opportunity: number, currencyId: string }
interface RawStage { STATUS_ID: string, SEMANTICS: string | null, SORT: number | string }

/** Reads the portal straight through its webhook, independently of the app's code. */
async function rest<T>(t: AppUnderTest, method: string, params: object): Promise<T> {
  const response = await fetch(`${t.emulatorUrl}/rest/1/demo-webhook-secret/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
  })
  const body = await response.json() as { result: T }
  return body.result
}

/** The label the tab must show, computed by hand from the raw stage and due date. */
function expectedLabel(invoice: RawInvoice, stages: RawStage[], today: string): string {
  const stage = stages.find(s => s.STATUS_ID === invoice.stageId)
  if (stage?.SEMANTICS === 'S')
    return 'Оплачен'
  if (stage?.SEMANTICS === 'F')
    return 'Отменён'
  const firstOpen = stages.filter(s => !s.SEMANTICS).sort((a, b) => Number(a.SORT) - Number(b.SORT))[0]
  if (firstOpen?.STATUS_ID === invoice.stageId)
    return 'Черновик'
  const days = Math.round((Date.parse(`${invoice.closedate.slice(0, 10)}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000)
  if (days === 0)
    return 'Срок сегодня'
  return days < 0 ? `Просрочен на ${-days} ` : `Осталось ${days} `
}

describe('deal card tab (CRM_DEAL_DETAIL_TAB) in Chromium', () => {
  let t: AppUnderTest
  let dealId: number
  let invoices: RawInvoice[]

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    const deals = await t.control.get<Array<{ id: number }>>('/emulator/deals?userId=1')
    const details = await Promise.all(deals.map(d => t.control.get<{ id: number, invoices: unknown[] }>(`/emulator/deals/${d.id}`)))
    dealId = details.sort((a, b) => b.invoices.length - a.invoices.length)[0]!.id
    invoices = (await rest<{ items: RawInvoice[] }>(t, 'crm.item.list', { entityTypeId: 31, filter: { '=parentId2': dealId }, order: { id: 'DESC' } })).items
  })
  afterAll(async () => t?.close())

  it('shows the deal\'s invoices with states computed from stage semantics and due dates, from one REST round trip', async () => {
    const clock = await t.control.get<{ now: string }>('/emulator/clock')
    const today = new Date(Date.parse(clock.now) + 3 * 3_600_000).toISOString().slice(0, 10) // the portal's zone is Moscow, UTC+3
    const stages = await rest<RawStage[]>(t, 'crm.status.list', { filter: { ENTITY_ID: 'SMART_INVOICE_STAGE_5' } })
    await t.closePages() // an earlier test's page may still be loading
    await t.control.post('/emulator/stats/reset')

    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=ru`)
    const frame = appFrame(page)
    await frame.locator('[data-testid="invoice-table"]').waitFor({ timeout: 30_000 })
    const rows = frame.locator('[data-testid="invoice-table"] tbody tr')
    expect(await rows.count()).toBe(invoices.length)
    for (const [index, invoice] of invoices.entries()) {
      const row = rows.nth(index)
      expect(await row.locator('[data-testid="invoice-number"]').innerText()).toBe(invoice.accountNumber)
      expect(await row.locator('[data-testid="invoice-state"]').innerText()).toContain(expectedLabel(invoice, stages, today))
    }
    const stats = await t.control.get<EmulatorStats>('/emulator/stats')
    expect(stats.httpRequests).toBe(1)
    expect(stats.restRequests).toEqual({ batch: 1 })
    // The portal gave its time: no word about the device's clock.
    expect(await frame.locator('[data-testid="deal-tab-device-clock"]').count()).toBe(0)
    await page.screenshot({ path: `${ARTIFACTS}/deal-tab-ru.png`, fullPage: true })
  })

  it('says the dates follow this device\'s clock when server.time fails inside the tab\'s one batch, and fits 480 px', async () => {
    await t.closePages() // an earlier test's page may still be loading
    await t.control.post('/emulator/stats/reset')
    await t.control.post('/emulator/faults', { method: 'server.time', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Internal error' })
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=ru`)
    const frame = appFrame(page)
    await frame.locator('[data-testid="invoice-table"]').waitFor({ timeout: 30_000 })
    expect(await frame.locator('[data-testid="deal-tab-device-clock"]').innerText()).toContain('по часам этого устройства')
    expect((await t.control.get<EmulatorStats>('/emulator/stats')).restRequests).toEqual({ batch: 1 })
    await narrowTo(page, '[data-testid="app-frame"]', 480)
    const fits = await frameFits(page, '[data-testid="app-frame"]')
    expect(fits.overflow).toBeLessThanOrEqual(0)
    expect(fits.cut).toEqual([])
    await shootFrame(page, '[data-testid="app-frame"]', `${ARTIFACTS}/deal-tab-device-clock-ru-480.png`)
    await page.close()
  })

  it('speaks English when the portal does', async () => {
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=en`)
    const frame = appFrame(page)
    await frame.locator('[data-testid="invoice-table"]').waitFor({ timeout: 30_000 })
    expect(await frame.locator('h1').innerText()).toBe('Deal invoices')
    expect(await frame.locator('thead').innerText()).toContain('Amount')
    await page.screenshot({ path: `${ARTIFACTS}/deal-tab-en.png`, fullPage: true })
  })

  it('opens an invoice card in the portal when its number is clicked', async () => {
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=ru`)
    const frame = appFrame(page)
    await frame.locator('[data-testid="invoice-number"]').first().click()
    const pathFrame = page.locator('[data-testid="path-slider"] [data-testid="path-frame"]')
    await pathFrame.waitFor({ timeout: 10_000 })
    expect(await pathFrame.getAttribute('src')).toContain(`/crm/type/31/details/${invoices[0]!.id}/`)
  })

  // CRM_ANALYTICS_MENU now serves the receivables dashboard (receivables.e2e.ts); unserved placements: test/views/App.test.ts.
  it('opens the receivables dashboard, not a notice, from the CRM analytics menu', async () => {
    const page = await t.open('/crm/analytics/?user=4&lang=ru')
    await page.locator('[data-testid="analytics-app-item"]').first().click()
    const frame = appFrame(page)
    await frame.locator('[data-testid="dashboard"]').waitFor({ timeout: 30_000 })
    expect(await frame.locator('[data-testid="notice"]').count()).toBe(0)
  })

  it('serves the invoice card\'s tab (CRM_SMART_INVOICE_DETAIL_TAB) with the same panel for that one invoice', async () => {
    const invoice = invoices[invoices.length - 1]!
    await t.closePages() // an earlier test's page may still be loading
    await t.control.post('/emulator/stats/reset')
    const page = await t.open(`/crm/type/31/details/${invoice.id}/?tab=app&deal=${dealId}&user=1&lang=ru`)
    const frame = appFrame(page)
    await frame.locator('[data-testid="invoice-table"]').waitFor({ timeout: 30_000 })
    expect(await frame.locator('h1').innerText()).toBe('Счёт')
    expect(await frame.locator('[data-testid="invoice-number"]').allInnerTexts()).toEqual([invoice.accountNumber])
    expect(await frame.locator('[data-testid="issue-button"]').count()).toBe(0)
    expect((await t.control.get<EmulatorStats>('/emulator/stats')).restRequests).toEqual({ batch: 1 })
    await page.screenshot({ path: `${ARTIFACTS}/invoice-tab-ru.png` })
  })
})
