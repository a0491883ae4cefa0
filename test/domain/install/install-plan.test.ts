import type { InstalledState } from '../../../src/domain/install/install-plan.ts'
import { describe, expect, it } from 'vitest'
import { APP_PLACEMENTS, APP_TRIGGERS, firstInvoiceTemplate, planInstall } from '../../../src/domain/install/install-plan.ts'

const URL = 'https://app.example/invoice-desk/'
const installed: InstalledState = {
  placements: APP_PLACEMENTS.map(p => ({ placement: p.placement, handler: URL, title: p.title.ru, titleEn: p.title.en })),
  triggers: APP_TRIGGERS.map(t => ({ code: t.code, name: t.name.ru })),
  settingsVersion: 1,
  crmTypes: [{ entityTypeId: 1030, title: 'Invoice Desk: журнал' }],
  journalTypeId: 1030,
}
const empty: InstalledState = { placements: [], triggers: [], settingsVersion: null, crmTypes: [], journalTypeId: null }

describe('domain/install/install-plan', () => {
  it('plans every binding, trigger and the settings on an empty portal', () => {
    const plan = planInstall(empty, URL, 'ru', 1)
    expect(plan.placements).toEqual(APP_PLACEMENTS.map(p => ({ kind: 'bindPlacement', placement: p.placement, handler: URL, title: p.title })))
    expect(plan.triggers).toEqual([
      { kind: 'addTrigger', code: 'invoice_sent', name: 'Счёт отправлен клиенту' },
      { kind: 'addTrigger', code: 'invoice_paid', name: 'Счёт оплачен' },
      { kind: 'addTrigger', code: 'invoice_overdue', name: 'Счёт просрочен' },
    ])
    expect(plan.journal).toEqual([{ kind: 'createJournalType', entityTypeId: 1030 }])
    expect(plan.settings).toEqual([{ kind: 'saveSettings' }])
    expect(plan.journalTypeId).toBe(1030)
  })

  it('plans nothing when everything is already right', () => {
    expect(planInstall(installed, URL, 'ru', 1)).toEqual({ placements: [], triggers: [], journal: [], settings: [], journalTypeId: 1030, openJournalLeft: null, documentTemplate: null })
  })

  it('stores the portal\'s invoice template when the settings name none, and leaves a stored one alone', () => {
    const template = { id: 7, name: 'Счёт на оплату' }
    expect(planInstall({ ...installed, invoiceTemplate: template, settingsTemplateId: null }, URL, 'ru', 1)).toMatchObject({ settings: [{ kind: 'saveSettings' }], documentTemplate: template })
    expect(planInstall({ ...installed, invoiceTemplate: template, settingsTemplateId: 3 }, URL, 'ru', 1)).toMatchObject({ settings: [], documentTemplate: null })
    expect(planInstall({ ...installed, invoiceTemplate: null, settingsTemplateId: null }, URL, 'ru', 1)).toMatchObject({ settings: [], documentTemplate: null })
  })

  it.each([
    ['bound to every invoice pipeline', [{ id: 2, name: 'Акт', entityTypeIds: ['2'] }, { id: 5, name: 'Счёт', entityTypeIds: ['31'] }], { id: 5, name: 'Счёт' }],
    ['bound to one invoice pipeline', [{ id: 9, name: 'Счёт (воронка 5)', entityTypeIds: ['2', '31_5'] }], { id: 9, name: 'Счёт (воронка 5)' }],
    ['none bound to invoices', [{ id: 2, name: 'Акт', entityTypeIds: ['2'] }], null],
  ])('firstInvoiceTemplate: %s', (_name, templates, expected) => {
    expect(firstInvoiceTemplate(templates)).toEqual(expected)
  })

  it.each<[string, InstalledState, string[]]>([
    ['a missing placement is bound', { ...installed, placements: installed.placements.slice(1) }, ['bindPlacement CRM_DEAL_DETAIL_TAB']],
    ['a binding to an old URL is replaced', { ...installed, placements: [{ placement: 'CRM_DEAL_DETAIL_TAB', handler: 'https://old.example/', title: 'Счета', titleEn: 'Invoices' }, ...installed.placements.slice(1)] }, ['unbindPlacement CRM_DEAL_DETAIL_TAB https://old.example/', 'bindPlacement CRM_DEAL_DETAIL_TAB']],
    ['a renamed binding is rebound', { ...installed, placements: [{ ...installed.placements[0]!, title: 'Старое имя' }, ...installed.placements.slice(1)] }, [`unbindPlacement CRM_DEAL_DETAIL_TAB ${URL}`, 'bindPlacement CRM_DEAL_DETAIL_TAB']],
    ['a binding titled in Russian only is rebound with its English title', { ...installed, placements: [{ ...installed.placements[0]!, titleEn: '' }, ...installed.placements.slice(1)] }, [`unbindPlacement CRM_DEAL_DETAIL_TAB ${URL}`, 'bindPlacement CRM_DEAL_DETAIL_TAB']],
    ['a right binding plus a stale one keeps the right one', { ...installed, placements: [...installed.placements, { placement: 'CRM_ANALYTICS_MENU', handler: 'https://old.example/', title: 'Дебиторка', titleEn: 'Receivables' }] }, ['unbindPlacement CRM_ANALYTICS_MENU https://old.example/']],
  ])('repairs placements: %s', (_name, state, expected) => {
    const plan = planInstall(state, URL, 'ru', 1)
    expect(plan.placements.map(w => (w.kind === 'unbindPlacement' ? `${w.kind} ${w.placement} ${w.handler}` : w.kind === 'bindPlacement' ? `${w.kind} ${w.placement}` : w.kind))).toEqual(expected)
    expect(plan.triggers).toEqual([])
  })

  it('adds a missing trigger and renames one with another name, in the portal\'s language', () => {
    const state = { ...installed, triggers: [{ code: 'invoice_sent', name: 'Счёт отправлен клиенту' }, { code: 'invoice_paid', name: 'Paid?' }] }
    expect(planInstall(state, URL, 'en', 1).triggers).toEqual([
      { kind: 'addTrigger', code: 'invoice_sent', name: 'Invoice sent to the client' },
      { kind: 'addTrigger', code: 'invoice_paid', name: 'Invoice paid' },
      { kind: 'addTrigger', code: 'invoice_overdue', name: 'Invoice overdue' },
    ])
  })

  it.each([
    [null, 1, true],
    [1, 2, true],
    [1, 1, false],
    [3, 2, false],
  ])('settings stored at version %s with the app at %s: save = %s', (stored, current, save) => {
    expect(planInstall({ ...installed, settingsVersion: stored }, URL, 'ru', current).settings.length > 0).toBe(save)
  })

  it.each<[string, Partial<InstalledState>, { journal: number | null, create: boolean, save: boolean }]>([
    ['the settings name an existing journal: nothing', {}, { journal: 1030, create: false, save: false }],
    ['the settings name a journal that was deleted: a new one after the highest id', { crmTypes: [{ entityTypeId: 1040, title: 'Склад' }] }, { journal: 1042, create: true, save: true }],
    ['the settings name none, the portal has ours: adopted, settings saved', { journalTypeId: null, crmTypes: [{ entityTypeId: 1036, title: 'Invoice Desk: журнал' }] }, { journal: 1036, create: false, save: true }],
    ['an odd id in use (128–192 range ignored, 1031 odd): the next even one', { journalTypeId: null, crmTypes: [{ entityTypeId: 150, title: 'A' }, { entityTypeId: 1031, title: 'B' }] }, { journal: 1032, create: true, save: true }],
  ])('the journal\'s smart process: %s', (_name, change, expected) => {
    const plan = planInstall({ ...installed, ...change }, URL, 'ru', 1)
    expect(plan.journalTypeId).toBe(expected.journal)
    expect(plan.journal.length > 0).toBe(expected.create)
    expect(plan.settings.length > 0).toBe(expected.save)
  })

  it.each<[string, Partial<InstalledState>, { journal: number, create: boolean, left: number | null }]>([
    ['the settings name a journal created open (before closed journals): a new closed one, the open one left for the admin', { crmTypes: [{ entityTypeId: 1030, title: 'Invoice Desk: журнал', openPermissions: true }] }, { journal: 1032, create: true, left: 1030 }],
    ['the settings name a closed journal: kept', { crmTypes: [{ entityTypeId: 1030, title: 'Invoice Desk: журнал', openPermissions: false }] }, { journal: 1030, create: false, left: null }],
    ['the settings name none, the portal has an open one of ours: not adopted', { journalTypeId: null, crmTypes: [{ entityTypeId: 1036, title: 'Invoice Desk: журнал', openPermissions: true }] }, { journal: 1038, create: true, left: 1036 }],
    ['an open old one and the closed one that replaced it: the closed one, nothing left to say', { journalTypeId: null, crmTypes: [{ entityTypeId: 1030, title: 'Invoice Desk: журнал', openPermissions: true }, { entityTypeId: 1032, title: 'Invoice Desk: журнал', openPermissions: false }] }, { journal: 1032, create: false, left: null }],
  ])('a journal open to every user (crm.type.update cannot close an existing funnel): %s', (_name, change, expected) => {
    const plan = planInstall({ ...installed, ...change }, URL, 'ru', 1)
    expect([plan.journalTypeId, plan.journal.length > 0, plan.openJournalLeft]).toEqual([expected.journal, expected.create, expected.left])
  })
})
