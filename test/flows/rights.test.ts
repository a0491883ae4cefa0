// Rights as the Bitrix24 docs state them, over the strict emulator with the real SDK (app tokens of an
// admin and a manager): a manager may not list document templates, so the issue chain uses the template
// an admin stored at settings save (R: api-reference/crm/document-generator/templates/crm-document-generator-template-list.md).
import type { InstallProgress } from '../../src/flows/install-app.ts'
import type { IssueEnvironment } from '../../src/flows/issue-and-send.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { readStoredSettings } from '../../src/domain/settings/read-settings.ts'
import { installApp } from '../../src/flows/install-app.ts'
import { prepareIssue, runIssue } from '../../src/flows/issue-and-send.ts'
import { useSettingsStore } from '../../src/stores/settings.ts'
import { invoiceFlow } from '../emulator/data/invoice-flow-state.ts'
import { startEmulator } from '../emulator/server.ts'
import { appClient } from '../support/app-client.ts'

const MANAGER = 2
const ADMIN = 1
const TEMPLATE_LIST = 'crm.documentgenerator.template.list'

describe('flows: a manager issues with the document template an admin stored (template.list refuses managers)', () => {
  let emulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startEmulator({ data: 'demo', limits: 'off', pdfDelayMs: 50 })
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.engine.faults.clear()
    setActivePinia(createPinia())
  })

  const env = (): IssueEnvironment => ({ now: new Date(), timeZone: 'Europe/Moscow', locale: 'ru', sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 50, pdfTimeoutMs: 10_000 })
  const stored = (): InvoiceDeskSettings => readStoredSettings(emulator.state.app.options).settings

  /** A deal the manager is responsible for, with a client e-mail and no app invoice yet. */
  function managersDeal(): number {
    for (const deal of emulator.state.entities[2]!.items) {
      const id = Number(deal.id)
      if (Number(deal.assignedById) !== MANAGER || Number(deal.opportunity) <= 0)
        continue
      if (emulator.state.entities[31]!.items.some(item => item.xmlId === invoiceKey(id)))
        continue
      const parties = [emulator.state.entities[3]!.byId.get(Number(deal.contactId)), emulator.state.entities[4]!.byId.get(Number(deal.companyId))]
      const emails = parties.flatMap(item => ((item?.fm ?? []) as Array<{ typeId: string, value: string }>).filter(f => f.typeId === 'EMAIL').map(f => f.value))
      if (emails.length > 0 && /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(emails[0]!))
        return id
    }
    throw new Error('the demo data has no issuable deal of the manager left')
  }

  it('the admin\'s save stores the template\'s id AND name; the manager\'s issue never lists templates and uses it', async () => {
    const settings = useSettingsStore()
    const admin = await appClient(emulator, ADMIN)
    await settings.load(admin, {})
    expect(await settings.save(admin)).toBe(true)
    const { documentTemplateId: templateId, documentTemplateName } = stored().invoice
    expect(templateId).not.toBeNull()
    expect(documentTemplateName).toBe(emulator.state.documentTemplates.find(template => Number(template.id) === templateId)!.name)

    // Proof the manager's chain never asks: a pending refusal on template.list is still pending afterwards.
    emulator.engine.faults.add({ method: TEMPLATE_LIST, times: 1, kind: 'error', status: 400, code: '', description: 'You do not have permissions to modify templates' })
    const manager = await appClient(emulator, MANAGER)
    const dealId = managersDeal()
    const preparation = await prepareIssue(manager, dealId, stored(), env())
    expect(preparation.refusals).toEqual([])
    expect(preparation.snapshot.catalog.documentTemplates).toEqual([{ id: templateId, name: documentTemplateName }])
    const result = await runIssue(manager, preparation, env())
    expect(result).toMatchObject({ status: 'sent' })
    expect(emulator.engine.faults.peek(TEMPLATE_LIST)).not.toBeNull()
    const invoice = emulator.state.entities[31]!.items.find(item => item.xmlId === invoiceKey(dealId))!
    const documents = invoiceFlow(emulator.state).documents.filter(document => Number(document.entityId) === Number(invoice.id))
    expect(documents.map(document => Number(document.templateId))).toEqual([templateId])
  })

  it('with no template stored, the manager is told to ask an admin to save the settings (not that the portal has no template)', async () => {
    const manager = await appClient(emulator, MANAGER)
    const preparation = await prepareIssue(manager, managersDeal(), defaultSettings(), env())
    expect(preparation.refusals).toEqual([{ code: 'templateNotStored' }])
  })

  it('an admin with no template stored still gets the portal\'s first invoice template', async () => {
    const admin = await appClient(emulator, ADMIN)
    const preparation = await prepareIssue(admin, managersDeal(), defaultSettings(), env())
    expect(preparation.refusals).toEqual([])
    expect(preparation.snapshot.settings.invoice.documentTemplateId).not.toBeNull()
  })
})

describe('flows: install as the plan and the rights allow (empty portal, admin app token)', () => {
  let emulator: RunningEmulator
  const APP_URL = 'https://invoice-desk.example/app/'

  beforeAll(async () => {
    emulator = await startEmulator({ data: 'empty', limits: 'off', plan: 'basic' })
  })
  afterAll(() => emulator.close())

  it('on a plan without smart processes it completes without the journal, says so, and stores the invoice template', async () => {
    const admin = await appClient(emulator, ADMIN)
    const progress: InstallProgress[] = []
    let finished = 0
    const result = await installApp(admin, {
      handlerUrl: APP_URL, language: 'ru', settings: defaultSettings(), storedSettingsVersion: null, finish: async () => { finished++ }, onProgress: entry => progress.push(entry),
    })
    expect(result.journalRefusedByPlan).toBe(true)
    expect(finished).toBe(1)
    const journal = progress.filter(entry => entry.step === 'journal').at(-1)!
    expect(journal).toMatchObject({ status: 'skipped', error: { code: 'CREATE_DYNAMIC_TYPE_RESTRICTED' } })
    expect(progress.filter(entry => entry.status === 'failed')).toEqual([])
    expect(emulator.state.app.placements).toHaveLength(4)
    expect(emulator.state.crmTypes.filter(type => type.title === 'Invoice Desk: журнал')).toEqual([])
    const settings = readStoredSettings(emulator.state.app.options).settings
    // No journal stored (nothing is journaled), and the template a manager may not list is stored by the admin.
    expect(settings.journal.entityTypeId).toBeNull()
    const first = emulator.state.documentTemplates.find(template => template.entityTypeId.some(type => type === '31' || type.startsWith('31_')))!
    expect(settings.invoice).toMatchObject({ documentTemplateId: Number(first.id), documentTemplateName: first.name })
  })

  it('once the plan allows smart processes, installing again creates the journal', async () => {
    await fetch(`${emulator.url}/emulator/plan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ plan: 'professional' }) })
    const stored = readStoredSettings(emulator.state.app.options)
    const result = await installApp(await appClient(emulator, ADMIN), { handlerUrl: APP_URL, language: 'ru', settings: stored.settings, storedSettingsVersion: stored.storedVersion, finish: async () => {} })
    expect(result.journalRefusedByPlan).toBe(false)
    expect(readStoredSettings(emulator.state.app.options).settings.journal.entityTypeId).toBe(result.journalTypeId)
  })
})
