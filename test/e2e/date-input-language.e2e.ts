// Date inputs follow the portal's language, not the browser's: a Russian portal opened in a browser
// whose locale is en-US shows dd.mm.yyyy, an English portal in a ru-RU browser shows dd/mm/yyyy —
// the same formats as every other date the app writes. Screenshots in .e2e-artifacts/.
import type { Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

describe('date inputs in the portal\'s language (Chromium)', () => {
  let t: AppUnderTest
  let dealId: number
  let number: string
  let today: string

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    const sent = t.emulator.state.entities[31]!.items.find(i => i.stageId === 'DT31_5:S' && i.parentId2 && i.assignedById)!
    dealId = Number(sent.parentId2)
    number = String(sent.accountNumber)
    const clock = await t.control.get<{ now: string }>('/emulator/clock')
    today = new Date(Date.parse(clock.now) + 3 * 3_600_000).toISOString().slice(0, 10) // Moscow, UTC+3
  })
  afterAll(async () => t?.close())

  /** The deal card's tab in a browser of `browserLocale`, on a portal speaking `lang`, with the payment form open. */
  async function payForm(lang: 'ru' | 'en', browserLocale: string): Promise<{ page: Page, shown: string, navigatorLanguage: string }> {
    const context = await t.browser.newContext({ locale: browserLocale, viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(new URL(`/crm/deal/details/${dealId}/?tab=app&user=1&lang=${lang}`, t.emulatorUrl).toString())
    const frame = appFrame(page)
    await frame.locator('[data-testid="invoice-table"]').waitFor({ timeout: 30_000 })
    const row = frame.locator('[data-testid="invoice-table"] tbody tr', { has: frame.locator(`[data-testid="invoice-number"]:text-is("${number}")`) })
    await row.locator('[data-testid="invoice-mark-paid"]').click()
    const field = row.locator('[data-testid="invoice-paid-on"]')
    await field.waitFor()
    const shown = (await field.locator('[data-slot="segment"]').allInnerTexts()).join('')
    const navigatorLanguage = await frame.locator('body').evaluate(() => navigator.language)
    return { page, shown, navigatorLanguage }
  }

  it('a Russian portal in an en-US browser: dd.mm.yyyy', async () => {
    const { page, shown, navigatorLanguage } = await payForm('ru', 'en-US')
    expect(navigatorLanguage).toBe('en-US')
    expect(shown).toBe(today.split('-').reverse().join('.'))
    await page.locator('[data-testid="app-frame"]').screenshot({ path: `${ARTIFACTS}/date-input-ru-portal-en-browser.png` })
    await page.context().close()
  })

  it('an English portal in a ru-RU browser: dd/mm/yyyy', async () => {
    const { page, shown, navigatorLanguage } = await payForm('en', 'ru-RU')
    expect(navigatorLanguage).toBe('ru-RU')
    expect(shown).toBe(today.split('-').reverse().join('/'))
    await page.locator('[data-testid="app-frame"]').screenshot({ path: `${ARTIFACTS}/date-input-en-portal-ru-browser.png` })
    await page.context().close()
  })
})
