// The auto-issue conditions on the settings page in Chromium (demo portal, 480 px slider): the deal's list fields
// offered for payment method and region, and «Сейчас подходят» loaded on the button with why the others are not.
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

describe('auto-issue settings (Chromium, demo portal)', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    const base = defaultSettings()
    const settings = {
      ...base,
      deal: { ...base.deal, readyStageIds: ['FINAL_INVOICE', 'EXECUTING'], autoIssue: { ...base.deal.autoIssue, enabled: true, minAmount: { amountMinor: 10_000_000, currency: 'RUB' }, paymentMethodField: 'UF_CRM_PAYMENT_METHOD', paymentMethods: ['101'], regionField: 'UF_CRM_REGION', regions: [] } },
    }
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings(settings) } })
  })
  afterAll(async () => t?.close())

  it.each(['ru', 'en'] as const)('(%s) lists the deals of the ready stages with their reasons, without sideways scroll at 480 px', async (lang) => {
    const page = await t.open(`/marketplace/app/?user=1&lang=${lang}`, { width: 1280, height: 2400 })
    await page.locator('[data-testid="app-frame"]').first().evaluate((el) => {
      (el as HTMLElement).style.width = '480px'
      ;(el as HTMLElement).style.height = '2200px'
    })
    const frame = appFrame(page)
    const preview = frame.locator('[data-testid="auto-issue-preview"]')
    await preview.waitFor({ timeout: 30_000 })
    expect(await frame.locator('[data-testid="field-deal-payment-values"]').innerText()).toContain('Безналичный расчёт')
    await frame.locator('[data-testid="auto-issue-preview-load"]').click()
    await frame.locator('[data-testid="auto-issue-preview-count"]').waitFor({ timeout: 30_000 })
    const text = await preview.innerText()
    expect(text).toMatch(lang === 'ru' ? /Сейчас подходят: \d+/ : /Qualify now: \d+/)
    expect(text).toContain(lang === 'ru' ? 'не из разрешённых' : 'is not allowed')
    await preview.scrollIntoViewIfNeeded()
    const [scroll, client] = await frame.locator('html').evaluate(html => [html.scrollWidth, html.clientWidth])
    expect(scroll, `${scroll} > ${client}`).toBeLessThanOrEqual(client!)
    await preview.screenshot({ path: `${ARTIFACTS}/auto-issue-preview-${lang}-480.png` })
    await frame.locator('[data-testid="settings-deal"]').screenshot({ path: `${ARTIFACTS}/auto-issue-settings-${lang}-480.png` })
  })
})
