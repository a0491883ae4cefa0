// Install and settings against the emulator through the real SDK, with an APP token (placement.*,
// crm.automation.trigger.* and app.option.set need the application context; a webhook is refused).
import type { RunningEmulator } from '../emulator/server.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { readStoredSettings, SETTINGS_OPTION } from '../../src/domain/settings/read-settings.ts'
import { SETTINGS_SCHEMA_VERSION } from '../../src/domain/settings/settings.ts'
import { installApp } from '../../src/flows/install-app.ts'
import { saveSettings } from '../../src/portal/app-settings.ts'
import { PortalError } from '../../src/portal/portal-error.ts'
import { loadSettingsSnapshot } from '../../src/portal/settings-catalog.ts'
import { startEmulator } from '../emulator/server.ts'
import { appClient } from '../support/app-client.ts'

const APP_URL = 'https://invoice-desk.example/app/'

describe('install and settings against the emulator (empty portal, app context)', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startEmulator({ data: 'empty', limits: 'cloud' })
  })
  afterAll(() => emulator.close())

  it('installs in 2 HTTP requests, and a second run changes nothing in 1', async () => {
    const admin = await appClient(emulator, 1)
    emulator.engine.resetStats()
    let finished = 0
    const run = (storedSettingsVersion: number | null, settings = defaultSettings()) => installApp(admin, {
      handlerUrl: APP_URL, language: 'ru', settings, storedSettingsVersion, finish: async () => { finished++ },
    })
    await run(null)
    expect(emulator.stats.httpRequests).toBe(2)
    expect(emulator.state.app.placements.map(p => [p.placement, p.handler, p.langAll.en?.TITLE])).toEqual([
      ['CRM_DEAL_DETAIL_TAB', APP_URL, 'Invoices'],
      ['CRM_DEAL_LIST_MENU', APP_URL, 'Issue an invoice'],
      ['CRM_SMART_INVOICE_DETAIL_TAB', APP_URL, 'Invoice'],
      ['CRM_ANALYTICS_MENU', APP_URL, 'Receivables'],
    ])
    expect(emulator.state.app.triggers).toEqual([
      { CODE: 'invoice_sent', NAME: 'Счёт отправлен клиенту' },
      { CODE: 'invoice_paid', NAME: 'Счёт оплачен' },
      { CODE: 'invoice_overdue', NAME: 'Счёт просрочен' },
    ])
    const stored = readStoredSettings(emulator.state.app.options)
    expect(stored.storedVersion).toBe(SETTINGS_SCHEMA_VERSION)
    // The journal's smart process, linked to deals, named in the stored settings.
    const journal = await admin.call<{ type: { entityTypeId: number, title: string } }>('crm.type.getByEntityTypeId', { entityTypeId: stored.settings.journal.entityTypeId })
    expect(journal.type.title).toBe('Invoice Desk: журнал')
    emulator.engine.resetStats()

    const before = JSON.stringify(emulator.state.app)
    emulator.engine.resetStats()
    await run(stored.storedVersion, stored.settings)
    expect(emulator.stats.httpRequests).toBe(1)
    expect(JSON.stringify(emulator.state.app)).toBe(before)
    expect(finished).toBe(2)
  })

  it('repairs a deleted trigger and a placement bound to an old URL', async () => {
    const admin = await appClient(emulator, 1)
    emulator.state.app.triggers.splice(1, 1)
    emulator.state.app.placements[0]!.handler = 'https://old.example/'
    await installApp(admin, { handlerUrl: APP_URL, language: 'ru', settings: defaultSettings(), storedSettingsVersion: SETTINGS_SCHEMA_VERSION, finish: async () => {} })
    expect(emulator.state.app.triggers.map(t => t.CODE).sort()).toEqual(['invoice_overdue', 'invoice_paid', 'invoice_sent'])
    expect(emulator.state.app.placements.filter(p => p.placement === 'CRM_DEAL_DETAIL_TAB').map(p => p.handler)).toEqual([APP_URL])
  })

  it('loads the settings catalog in 2 HTTP requests: pipelines, stages, invoice templates (object keyed by id), our company, active users', async () => {
    const admin = await appClient(emulator, 1)
    emulator.state.users.push({ ...emulator.state.users[1]!, id: 99, name: 'Уволенный', active: false })
    emulator.engine.resetStats()
    const { catalog, sample } = await loadSettingsSnapshot(admin).finally(() => emulator.state.users.pop())
    expect(emulator.stats.httpRequests).toBe(2)
    expect(catalog.invoicePipelines).toEqual([{ id: 5, name: 'Счета', isDefault: true }])
    expect(catalog.invoiceStages.map(s => s.id)).toEqual(['DT31_5:N', 'DT31_5:S', 'DT31_5:UC_K4BLQ2', 'DT31_5:P', 'DT31_5:D'])
    expect(catalog.dealStages.map(s => s.id)).toContain('FINAL_INVOICE')
    expect(catalog.documentTemplates.map(t => t.name)).toEqual(['Счёт на оплату', 'Счёт (англ.)', 'Счёт с печатью и подписью', 'Акт выполненных работ', 'УПД'])
    expect(catalog.documentTemplatesListed).toBeUndefined()
    expect(catalog.myCompanies).toEqual([{ id: 1, name: 'ООО «Инвойс Деск»' }])
    // The dismissed employee is not offered (user.get ACTIVE true).
    expect(catalog.users.map(u => u.id).sort()).toEqual([1, 2, 3, 4])
    expect(catalog.baseCurrency).toBe('RUB')
    expect(sample).toBeNull()
  })

  it('a manager, refused the template list (no "modify templates" right), still gets the rest of the catalog', async () => {
    const { catalog } = await loadSettingsSnapshot(await appClient(emulator, 2))
    expect(catalog.documentTemplatesListed).toBe(false)
    expect(catalog.documentTemplates).toEqual([])
    expect(catalog.invoicePipelines).toEqual([{ id: 5, name: 'Счета', isDefault: true }])
  })

  it('lets an admin save settings and refuses a manager, leaving them unchanged', async () => {
    const changed = { ...defaultSettings(), invoice: { ...defaultSettings().invoice, paymentTermDays: { b2b: 21, b2c: 2 } } }
    await saveSettings(await appClient(emulator, 1), changed)
    expect(readStoredSettings(emulator.state.app.options).settings).toEqual(changed)

    const before = emulator.state.app.options[SETTINGS_OPTION]
    const error = await saveSettings(await appClient(emulator, 2), defaultSettings()).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(PortalError)
    expect((error as PortalError).method).toBe('app.option.set')
    expect(emulator.state.app.options[SETTINGS_OPTION]).toBe(before)
  })
})

describe('settings catalog on the demo portal', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startEmulator({ data: 'demo', limits: 'off' })
  })
  afterAll(() => emulator.close())

  it('previews with the newest invoice, its client, deal and manager', async () => {
    const { sample } = await loadSettingsSnapshot(await appClient(emulator, 1))
    const newest = emulator.state.entities[31].items.at(-1)!
    expect(sample?.invoiceNumber).toBe(newest.accountNumber)
    expect(sample?.managerName).not.toBe('')
    expect(sample?.clientName).not.toBe('')
  })
})
