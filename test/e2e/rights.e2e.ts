// Rights as the docs state them, in Chromium: install on a plan without smart processes goes on without
// the journal and says so; a manager's issue preview names the configured triggers and processes their
// issue will not start (admin-only in Bitrix24), and issues with the template the admin's install stored.
import type { Page } from 'playwright-core'
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

// The host's chrome takes about 290 px: the app's frame is then about 480 px wide, a narrow slider.
const NARROW = { width: 770, height: 1000 }

describe('install on a plan without smart processes (Chromium, empty portal)', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startAppUnderTest('empty')
    await t.control.post('/emulator/plan', { plan: 'basic' })
  })
  afterAll(async () => t?.close())

  it.each(['en', 'ru'])('(%s) completes without the journal, says why, and finishes when the admin has read it', async (lang) => {
    const page = await t.open(`/marketplace/app/?user=1&lang=${lang}`, NARROW)
    const frame = appFrame(page)
    const notice = frame.locator('[data-testid="install-journal-skipped"]')
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.innerText()).toContain('CREATE_DYNAMIC_TYPE_RESTRICTED')
    expect(await frame.locator('[data-step="journal"]').getAttribute('data-status')).toBe('skipped')
    expect(await frame.locator('[data-step="settings"]').getAttribute('data-status')).toBe('done')
    expect(Math.round((await page.locator('[data-testid="app-frame"]').boundingBox())!.width)).toBeLessThanOrEqual(490)
    expect(await frame.locator('body').evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: `${ARTIFACTS}/install-journal-skipped-${lang}-480.png`, fullPage: true })
    expect(t.emulator.state.app.installed).toBe(false)

    await frame.locator('[data-testid="install-continue"]').click()
    await page.waitForURL(/install_finished=Y/, { timeout: 30_000 })
    await appFrame(page).locator('[data-testid="settings-invoice"]').waitFor({ timeout: 30_000 })
    const stored = JSON.parse(String(t.emulator.state.app.options.invoiceDesk)) as { journal: { entityTypeId: number | null }, invoice: { documentTemplateId: number | null, documentTemplateName: string | null } }
    expect(stored.journal.entityTypeId).toBeNull()
    expect(stored.invoice.documentTemplateId).not.toBeNull()
    expect(stored.invoice.documentTemplateName).not.toBeNull()
    expect(t.emulator.state.crmTypes.some(type => type.title === 'Invoice Desk: журнал')).toBe(false)
    await t.closePages()
    t.emulator.state.app.installed = false
  })
})

describe('a manager\'s issue preview (Chromium, demo portal)', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    await t.control.post('/emulator/docgen', { pdfDelayMs: 500 })
    // What an admin's install or settings save stores: the invoice template's id AND name (flows test: test/flows/rights.test.ts).
    const template = t.emulator.state.documentTemplates.find(entry => entry.name === 'Счёт на оплату')!
    const base = defaultSettings()
    const settings = { ...base, invoice: { ...base.invoice, documentTemplateId: Number(template.id), documentTemplateName: template.name } }
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings(settings) } })
  })
  afterAll(async () => t?.close())

  /** A deal of manager 2 whose client has a valid e-mail and no app invoice yet. */
  function managersDeal(skip: readonly number[]): number {
    const state = t.emulator.state
    for (const deal of state.entities[2]!.items) {
      const id = Number(deal.id)
      if (skip.includes(id) || Number(deal.assignedById) !== 2 || Number(deal.opportunity) <= 0 || state.entities[31]!.items.some(item => item.xmlId === invoiceKey(id)))
        continue
      const people = [state.entities[3]!.byId.get(Number(deal.contactId)), state.entities[4]!.byId.get(Number(deal.companyId))]
      const email = people.flatMap(p => ((p?.fm ?? []) as Array<{ typeId: string, value: string }>).filter(f => f.typeId === 'EMAIL').map(f => f.value))[0]
      if (email && /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(email))
        return id
    }
    throw new Error('no issuable deal of the manager')
  }

  async function preview(dealId: number, lang: string): Promise<Page> {
    const page = await t.open(`/crm/deal/details/${dealId}/?tab=app&user=2&lang=${lang}`, NARROW)
    await appFrame(page).locator('[data-testid="issue-button"]').click({ timeout: 30_000 })
    await appFrame(page).locator('[data-testid="issue-preview"]').waitFor({ timeout: 30_000 })
    return page
  }

  const used: number[] = []

  it.each([
    ['ru', 'Не запустятся, когда вы выставите счёт', 'триггер «invoice_sent» (событие «Счёт отправлен») — в Битрикс24 его запускает только администратор'],
    ['en', 'These will not start when you issue the invoice', 'trigger «invoice_sent» (event «Invoice sent») — in Bitrix24 only an administrator starts it'],
  ])('(%s) names the app trigger the manager\'s issue will not fire, with the stored template', async (lang, title, line) => {
    const dealId = managersDeal(used)
    used.push(dealId)
    const page = await preview(dealId, lang)
    const frame = appFrame(page)
    const notice = frame.locator('[data-testid="bizproc-blocked"][data-audience="you"]')
    expect(await notice.innerText()).toContain(title)
    expect(await notice.innerText()).toContain(line)
    expect(await frame.locator('[data-testid="issue-preview"]').innerText()).toContain('Счёт на оплату')
    expect(await frame.locator('body').evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await notice.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${ARTIFACTS}/issue-preview-manager-blocked-${lang}-480.png` })
  })
})

describe('the settings name what will not start for managers and for the runner (Chromium, demo portal)', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings(defaultSettings()) } })
  })
  afterAll(async () => t?.close())

  it.each(['ru', 'en'])('(%s) the default app triggers are listed for both, nothing scrolls sideways', async (lang) => {
    const page = await t.open(`/marketplace/app/?user=1&lang=${lang}`, NARROW)
    const frame = appFrame(page)
    const managers = frame.locator('[data-testid="bizproc-blocked"][data-audience="managers"]')
    await managers.waitFor({ timeout: 30_000 })
    expect(await managers.locator('[data-testid="bizproc-blocked-item"]').count()).toBe(2)
    const runner = frame.locator('[data-testid="bizproc-blocked"][data-audience="runner"]')
    expect(await runner.locator('[data-testid="bizproc-blocked-item"]').count()).toBe(3)
    expect(await frame.locator('body').evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await managers.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${ARTIFACTS}/settings-processes-blocked-${lang}-480.png` })
  })
})
