import type { InstallProgress } from '../../src/flows/install-app.ts'
import { describe, expect, it, vi } from 'vitest'
import { APP_PLACEMENTS, APP_TRIGGERS } from '../../src/domain/install/install-plan.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { SETTINGS_SCHEMA_VERSION } from '../../src/domain/settings/settings.ts'
import { installApp, InstallStepError } from '../../src/flows/install-app.ts'
import { PortalError } from '../../src/portal/portal-error.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const URL = 'https://app.example/'

function options(overrides: Partial<Parameters<typeof installApp>[1]> = {}) {
  const progress: InstallProgress[] = []
  const finish = vi.fn(async () => {})
  return {
    progress,
    finish,
    value: { handlerUrl: URL, language: 'ru' as const, settings: defaultSettings(), storedSettingsVersion: null, finish, onProgress: (p: InstallProgress) => progress.push(p), ...overrides },
  }
}

const emptyPortal = {
  'placement.get': { result: [] },
  'crm.automation.trigger.list': { result: [] },
  'placement.bind': { result: true },
  'crm.automation.trigger.add': { result: true },
  'app.option.set': { result: true },
  'crm.type.list': { result: { types: [] }, total: 0 },
  'crm.type.add': { result: { type: { id: 1, entityTypeId: 1030, title: 'Invoice Desk: журнал' } } },
}

/** The journal's smart process as a portal that already has it lists it. */
const journalType = { 'crm.type.list': { result: { types: [{ id: 1, entityTypeId: 1030, title: 'Invoice Desk: журнал' }] }, total: 1 } }
const withJournal = { ...defaultSettings(), journal: { ...defaultSettings().journal, entityTypeId: 1030 } }

describe('flows/install-app', () => {
  it('installs an empty portal in two round trips (read, then all writes), then finishes', async () => {
    const fake = createFakePortalClient(emptyPortal)
    const { value, progress, finish } = options()
    await installApp(fake.client, value)
    expect(fake.requests.map(r => r.kind)).toEqual(['batch', 'batch'])
    expect(fake.requests[1]!.calls.map(c => c.method)).toEqual([
      ...APP_PLACEMENTS.map(() => 'placement.bind'), ...APP_TRIGGERS.map(() => 'crm.automation.trigger.add'), 'crm.type.add', 'app.option.set',
    ])
    expect(fake.requests[1]!.calls.at(-2)!.params).toEqual({ fields: { title: 'Invoice Desk: журнал', entityTypeId: 1030, isSetOpenPermissions: 'N', relations: { parent: [{ entityTypeId: 2, isChildrenListEnabled: 'false' }] } } })
    expect(JSON.parse(String((fake.requests[1]!.calls.at(-1)!.params as { options: { invoiceDesk: string } }).options.invoiceDesk)).journal.entityTypeId).toBe(1030)
    expect(fake.requests[1]!.calls[0]!.params).toEqual({ PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: URL, TITLE: 'Счета', LANG_ALL: { ru: { TITLE: 'Счета' }, en: { TITLE: 'Invoices' } } })
    expect(JSON.parse(String((fake.requests[1]!.calls.at(-1)!.params as { options: { invoiceDesk: string } }).options.invoiceDesk)).schemaVersion).toBe(SETTINGS_SCHEMA_VERSION)
    expect(finish).toHaveBeenCalledOnce()
    expect(progress.filter(p => p.status === 'done').map(p => [p.step, p.changes])).toEqual([
      ['inspect', undefined], ['placements', 4], ['triggers', 3], ['journal', 1], ['settings', 1], ['finish', undefined],
    ])
  })

  it('on a portal that is already right writes nothing: one round trip, then finish', async () => {
    const fake = createFakePortalClient({
      'placement.get': { result: APP_PLACEMENTS.map(p => ({ placement: p.placement, handler: URL, title: p.title.ru, langAll: { ru: { TITLE: p.title.ru }, en: { TITLE: p.title.en } } })) },
      'crm.automation.trigger.list': { result: APP_TRIGGERS.map(t => ({ CODE: t.code, NAME: t.name.ru })) },
      ...journalType,
    })
    const { value, finish } = options({ storedSettingsVersion: SETTINGS_SCHEMA_VERSION, settings: withJournal })
    await installApp(fake.client, value)
    expect(fake.client.roundTrips()).toBe(1)
    expect(finish).toHaveBeenCalledOnce()
  })

  it('names the failed step, does not finish, and a retry repeats only what is still missing', async () => {
    let triggersAdded = 0
    let placementsBound: string[] = []
    const failing = { ...emptyPortal, 'crm.automation.trigger.add': new PortalError('crm.automation.trigger.add', 'ACCESS_DENIED', 'Access denied! Admin permissions required', 400, true) }
    const first = createFakePortalClient(failing)
    const { value, progress, finish } = options()
    const error = await installApp(first.client, value).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InstallStepError)
    expect((error as InstallStepError).step).toBe('triggers')
    expect(progress.find(p => p.status === 'failed')?.step).toBe('triggers')
    expect(finish).not.toHaveBeenCalled()

    // The placements were bound by the first run; the retry reads them and only adds the triggers.
    placementsBound = APP_PLACEMENTS.map(p => p.placement)
    const retry = createFakePortalClient({
      ...emptyPortal,
      ...journalType,
      'placement.get': { result: placementsBound.map(placement => ({ placement, handler: URL, title: APP_PLACEMENTS.find(p => p.placement === placement)!.title.ru, langAll: { en: { TITLE: APP_PLACEMENTS.find(p => p.placement === placement)!.title.en } } })) },
      'crm.automation.trigger.add': () => {
        triggersAdded++
        return { result: true }
      },
    })
    // The first run's batch did not halt: the journal and the settings naming it were written too.
    await installApp(retry.client, { ...value, settings: withJournal, storedSettingsVersion: SETTINGS_SCHEMA_VERSION })
    expect(retry.requests[1]!.calls.map(c => c.method)).toEqual(['crm.automation.trigger.add', 'crm.automation.trigger.add', 'crm.automation.trigger.add'])
    expect(triggersAdded).toBe(3)
    expect(finish).toHaveBeenCalledOnce()
  })

  it('reports a failed inspection as the first step', async () => {
    const fake = createFakePortalClient({ ...emptyPortal, 'placement.get': new PortalError('placement.get', 'WRONG_AUTH_TYPE', 'Application context required', 403, true) })
    const { value } = options()
    const error = await installApp(fake.client, value).catch((caught: unknown) => caught) as InstallStepError
    expect(error.step).toBe('inspect')
    expect((error.cause as PortalError).code).toBe('WRONG_AUTH_TYPE')
    expect(fake.client.roundTrips()).toBe(1)
  })
})
