// The deal tab's «Подписка» / «Бизнес-процессы по сделке» openers and the reminder overrides' company picker, in
// Russian and English, at 1280 px and in a 480 px frame: each opener is a button (role and name) drawn as one, the
// frame never scrolls sideways, and the shots land in `.e2e-artifacts/screens/` (`deal-tab-openers-*`,
// `settings-reminder-overrides-*`).
import type { Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import { ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'
import { frameFits, narrowTo, openFrame, shootElement, shootFrame } from './support/frame-shots.ts'

const SCREENS = resolve(ARTIFACTS, 'screens')
const APP_FRAME = '[data-testid="app-frame"]'
const CASES = (['ru', 'en'] as const).flatMap(lang => ([1280, 480] as const).map(width => [lang, width] as const))
const names = {
  ru: { subscription: 'Подписка', bizproc: 'Бизнес-процессы по сделке' },
  en: { subscription: 'Subscription', bizproc: 'Business processes of the deal' },
}
/** A company id the demo portal never had: its override stands for a company deleted since. */
const DELETED_COMPANY = 987_654

describe('deal tab openers and the overrides\' company picker (Chromium, demo portal)', () => {
  let t: AppUnderTest
  let dealId: number
  let company: { id: number, title: string }

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true })
    t = await startAppUnderTest('demo')
    const state = t.emulator.state
    dealId = Number(state.entities[2].items.find(deal => state.entities[31].items.some(invoice => Number(invoice.parentId2) === Number(deal.id)))!.id)
    const client = state.entities[4].items.find(item => item.isMyCompany !== 'Y')!
    company = { id: Number(client.id), title: String(client.title) }
    const base = defaultSettings()
    const settings = { ...base, reminders: { ...base.reminders, companyOverrides: [{ companyId: company.id, optOut: true, steps: null }, { companyId: DELETED_COMPANY, optOut: false, steps: null }] } }
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings(settings) } })
  })
  afterAll(async () => t?.close())

  async function fits(page: Page, label: string): Promise<void> {
    const fit = await frameFits(page, APP_FRAME)
    expect(fit.overflow, `${label}: the document is ${fit.overflow} px wider than the frame`).toBeLessThanOrEqual(0)
    expect(fit.cut, `${label}: texts cut by overflow`).toEqual([])
  }

  it.each(CASES)('the deal tab\'s openers are buttons that look like buttons (%s, %i px)', async (lang, width) => {
    const { page, frame } = await openFrame(t, `/crm/deal/details/${dealId}/?tab=app&user=1&lang=${lang}`, APP_FRAME)
    await frame.locator('[data-testid="invoice-table"]').waitFor({ timeout: 60_000 })
    if (width === 480)
      await narrowTo(page, APP_FRAME, 480)
    for (const name of Object.values(names[lang])) {
      const button = frame.getByRole('button', { name, exact: true })
      await button.waitFor({ timeout: 30_000 })
      // Drawn as a button (the kit's tinted, outlined or filled style), not its plain text-only style.
      expect(await button.getAttribute('class'), `${name} looks like plain text`).toMatch(/--style-(tinted|outline|filled)/)
      expect(await button.getAttribute('aria-expanded')).toBe('false')
    }
    await fits(page, `deal tab ${lang} ${width}`)
    await shootFrame(page, APP_FRAME, resolve(SCREENS, `deal-tab-openers-${lang}-${width}.png`))
    await page.close()
  })

  it.each(CASES)('the overrides name their companies and search the portal\'s (%s, %i px)', async (lang, width) => {
    const { page, frame } = await openFrame(t, `/marketplace/app/?user=1&lang=${lang}`, APP_FRAME)
    await frame.locator('[data-testid="settings-reminders"]').waitFor({ timeout: 60_000 })
    if (width === 480)
      await narrowTo(page, APP_FRAME, 480)
    const overrides = frame.locator('[data-testid="reminder-overrides"]')
    await overrides.locator('[data-testid="override-company-name"]').first().waitFor({ timeout: 30_000 })
    await expect.poll(() => overrides.locator('[data-testid="override-company-name"]').allTextContents()).toContain(company.title)
    await overrides.locator('[data-testid="override-company-deleted"]').waitFor()
    await frame.locator('[data-testid="add-override"]').click()
    const search = overrides.locator('[data-testid="override-company-search"]').last()
    await search.fill(company.title.slice(0, 4))
    await overrides.locator('[data-testid="override-company-option"]').first().waitFor({ timeout: 30_000 })
    await fits(page, `settings ${lang} ${width}`)
    await shootElement(page, APP_FRAME, overrides, resolve(SCREENS, `settings-reminder-overrides-${lang}-${width}.png`))
    await page.close()
  })
})
