// Who sees the execution journal, in Chromium: installing over a journal an earlier install created open
// replaces it with a closed one and names the old one for the admin; a manager's «Журнал» tab says the
// journal is for administrators and reads nothing the portal would refuse.
import type { AppUnderTest } from './support/app-under-test.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JOURNAL_TYPE_TITLE } from '../../src/domain/journal/journal-entry.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import { createDemoJournal, DEMO_JOURNAL_TYPE_ID } from '../support/demo-journal.ts'
import { appFrame, ARTIFACTS, startAppUnderTest } from './support/app-under-test.ts'

const NARROW = { width: 770, height: 1000 }

describe('install over a journal created open (Chromium, empty portal)', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startAppUnderTest('empty')
    // What installs before closed journals made: crm.type.add's default isSetOpenPermissions Y.
    const created = await fetch(`${t.emulator.webhookUrl}crm.type.add`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { title: JOURNAL_TYPE_TITLE, entityTypeId: DEMO_JOURNAL_TYPE_ID, relations: { parent: [{ entityTypeId: 2, isChildrenListEnabled: 'false' }] } } }),
    })
    expect(created.ok).toBe(true)
    const base = defaultSettings()
    await t.control.post('/emulator/app-options', { userId: 1, options: { invoiceDesk: serializeSettings({ ...base, journal: { ...base.journal, entityTypeId: DEMO_JOURNAL_TYPE_ID } }) } })
  })
  afterAll(async () => t?.close())

  it('creates a closed journal, stores it, and names the open one before finishing', async () => {
    const page = await t.open('/marketplace/app/?user=1&lang=ru', NARROW)
    const frame = appFrame(page)
    const notice = frame.locator('[data-testid="install-open-journal"]')
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.innerText()).toContain(String(DEMO_JOURNAL_TYPE_ID))
    expect(await frame.locator('[data-step="journal"]').getAttribute('data-status')).toBe('done')
    expect(await frame.locator('body').evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: `${ARTIFACTS}/install-open-journal-ru-480.png`, fullPage: true })

    await frame.locator('[data-testid="install-continue"]').click()
    await page.waitForURL(/install_finished=Y/, { timeout: 30_000 })
    const stored = JSON.parse(String(t.emulator.state.app.options.invoiceDesk)) as { journal: { entityTypeId: number } }
    expect(stored.journal.entityTypeId).not.toBe(DEMO_JOURNAL_TYPE_ID)
    const journal = t.emulator.state.crmTypes.find(type => type.entityTypeId === stored.journal.entityTypeId)!
    expect(journal.flags.isSetOpenPermissions).toBe('N')
  })
})

describe('a manager\'s journal tab (Chromium, demo portal)', () => {
  let t: AppUnderTest

  beforeAll(async () => {
    t = await startAppUnderTest('demo')
    await createDemoJournal(t.emulatorUrl, t.emulator.webhookUrl)
  })
  afterAll(async () => t?.close())

  it.each(['ru', 'en'])('(%s) says the journal is for administrators and where their entries are, reading nothing', async (lang) => {
    const page = await t.open(`/marketplace/app/?user=2&lang=${lang}`, NARROW)
    const frame = appFrame(page)
    await frame.locator('[data-testid="app-page-tabs"]').waitFor({ timeout: 60_000 })
    await t.control.post('/emulator/stats/reset', {})
    await frame.getByRole('tab', { name: lang === 'ru' ? 'Журнал' : 'Journal' }).click()
    const notice = frame.locator('[data-testid="journal-admins-only"]')
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.innerText()).toContain(lang === 'ru' ? 'историю самой сделки' : 'deal\'s own timeline')
    const stats = await t.control.get<{ errors: Record<string, number> }>('/emulator/stats')
    expect(stats.errors.ACCESS_DENIED ?? 0).toBe(0)
    expect(await frame.locator('body').evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: `${ARTIFACTS}/journal-manager-${lang}-480.png`, fullPage: true })
    await t.closePages()
  })
})
