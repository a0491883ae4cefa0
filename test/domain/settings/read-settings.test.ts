import { describe, expect, it } from 'vitest'
import { DEFAULT_CLOSING_EMAIL, defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { migrateSettingsDocument, readSettings, readStoredSettings, serializeSettings, SETTINGS_OPTION } from '../../../src/domain/settings/read-settings.ts'
import { SETTINGS_SCHEMA_VERSION } from '../../../src/domain/settings/settings.ts'
import { validateSettings } from '../../../src/domain/settings/validate-settings.ts'
import { catalogFixture } from './catalog-fixture.ts'
import { RU_CALENDAR } from '../../../src/domain/reminders/ru-production-calendar.ts'

const stored = (value: unknown) => ({ [SETTINGS_OPTION]: value })

describe('domain/settings/read-settings', () => {
  it('gives valid defaults on a new portal (nothing stored), so invoices can be issued before anyone opens settings', () => {
    const result = readStoredSettings({})
    expect(result).toEqual({ settings: defaultSettings(), storedVersion: null, newerThanApp: false })
    expect(validateSettings(result.settings, catalogFixture())).toEqual([])
    expect(result.settings.invoice.paymentTermDays).toEqual({ b2b: 5, b2c: 3 })
    expect(result.settings.reminders.steps.map(step => step.offsetDays)).toEqual([-3, 0, 3, 7, 14])
  })

  it.each([
    ['null app options', null],
    ['an empty string', stored('')],
    ['broken JSON', stored('{"invoice":')],
    ['a JSON array', stored('[1,2]')],
    ['a number', stored(42)],
  ])('falls back to defaults for %s', (_name, options) => {
    expect(readSettings(options)).toEqual(defaultSettings())
  })

  it('reads back what serializeSettings stored', () => {
    const settings = { ...defaultSettings(), invoice: { ...defaultSettings().invoice, paymentTermDays: { b2b: 30, b2c: 0 }, sentStageId: 'DT31_5:S' } }
    expect(readStoredSettings(stored(serializeSettings(settings)))).toEqual({ settings, storedVersion: SETTINGS_SCHEMA_VERSION, newerThanApp: false })
  })

  it('round-trips every v2 reminder field', () => {
    const base = defaultSettings()
    const settings = {
      ...base,
      reminders: {
        ...base.reminders,
        repeat: null,
        groupByClient: true,
        companyOverrides: [{ companyId: 7, optOut: true, steps: null }, { companyId: 8, optOut: false, steps: [{ offsetDays: 5, channel: 'notify' as const, templateId: 'reminderOverdue' as const }] }],
        escalationUserIds: [2],
        // Both calendar years edited: kept as saved (an unedited year would take the defaults, see ru-production-calendar.test.ts).
        holidays: ['2026-12-30', '2027-12-30'],
        workingWeekends: ['2026-12-26'],
      },
    }
    expect(SETTINGS_SCHEMA_VERSION).toBe(3)
    expect(readStoredSettings(stored(serializeSettings(settings)))).toEqual({ settings, storedVersion: 3, newerThanApp: false })
  })

  it('reads a stored v1 document as the current version: the new reminder fields take their defaults, everything stored is kept', () => {
    const v1 = {
      schemaVersion: 1,
      invoice: { paymentTermDays: { b2b: 14, b2c: 3 } },
      reminders: { enabled: false, steps: [{ offsetDays: 5, channel: 'task', templateId: 'reminderOverdue' }], sendHour: 11, businessDaysOnly: false, holidays: ['2026-12-30'], minAmount: { amountMinor: 100_000, currency: 'RUB' } },
    }
    const result = readStoredSettings(stored(JSON.stringify(v1)))
    expect(result.storedVersion).toBe(1)
    expect(result.settings.schemaVersion).toBe(SETTINGS_SCHEMA_VERSION)
    expect(result.settings.invoice.paymentTermDays.b2b).toBe(14)
    expect(result.settings.reminders).toEqual({
      ...v1.reminders,
      // 2026 was edited and stays as saved; 2027, never saved, takes the production calendar.
      holidays: ['2026-12-30', ...RU_CALENDAR[2027]!.holidays],
      repeat: { everyDays: 7, maxTimes: 3 },
      workingWeekends: ['2027-02-20'],
      groupByClient: false,
      companyOverrides: [],
      escalationUserIds: [],
    })
  })

  it('gives a v1 document with the old empty holiday list the production calendar (v1 had none to offer)', () => {
    const v1 = { schemaVersion: 1, reminders: { holidays: [] } }
    expect(readSettings(stored(JSON.stringify(v1))).reminders.holidays).toEqual(defaultSettings().reminders.holidays)
    expect(defaultSettings().reminders.holidays).toContain('2026-01-09')
  })

  it.each([
    ['a repeat of the wrong type', { repeat: 'weekly' }, (r: ReturnType<typeof defaultSettings>['reminders']) => r.repeat, { everyDays: 7, maxTimes: 3 }],
    ['repeats turned off', { repeat: null }, (r: ReturnType<typeof defaultSettings>['reminders']) => r.repeat, null],
    ['an override without a company', { companyOverrides: [{ optOut: true }, { companyId: 7 }] }, (r: ReturnType<typeof defaultSettings>['reminders']) => r.companyOverrides, [{ companyId: 7, optOut: false, steps: null }]],
    ['an override with broken steps', { companyOverrides: [{ companyId: 7, optOut: false, steps: 'soon' }] }, (r: ReturnType<typeof defaultSettings>['reminders']) => r.companyOverrides[0]?.steps, null],
    ['accountants that are not ids', { escalationUserIds: [1, '2', 3.5] }, (r: ReturnType<typeof defaultSettings>['reminders']) => r.escalationUserIds, [1]],
  ])('reads %s defensively', (_name, reminders, pick, expected) => {
    expect(pick(readSettings(stored(JSON.stringify({ schemaVersion: 2, reminders }))).reminders)).toEqual(expected)
  })

  it('reads a stored v2 document as v3: no journal yet, test mode off, everything stored kept', () => {
    const v2 = { schemaVersion: 2, invoice: { paymentTermDays: { b2b: 21, b2c: 3 } } }
    const result = readStoredSettings(stored(JSON.stringify(v2)))
    expect([result.storedVersion, result.settings.schemaVersion]).toEqual([2, 3])
    expect(result.settings.journal).toEqual({ entityTypeId: null, keepDays: 100 })
    expect(result.settings.testMode).toBe(false)
    expect(result.settings.invoice.paymentTermDays.b2b).toBe(21)
  })

  it.each([
    ['a journal id of the wrong type', { journal: { entityTypeId: '1030' } }, (s: ReturnType<typeof defaultSettings>) => s.journal.entityTypeId, null],
    ['test mode as text', { testMode: 'yes' }, (s: ReturnType<typeof defaultSettings>) => s.testMode, false],
    ['a journal and test mode as stored', { journal: { entityTypeId: 1032, keepDays: 30 }, testMode: true }, (s: ReturnType<typeof defaultSettings>) => [s.journal, s.testMode], [{ entityTypeId: 1032, keepDays: 30 }, true]],
  ])('reads %s', (_name, document, pick, expected) => {
    expect(pick(readSettings(stored(JSON.stringify({ schemaVersion: 3, ...document }))))).toEqual(expected)
  })

  it('gives a document stored before the sender setting the portal\'s choice, and reads a chosen sender back', () => {
    const { sender: _none, ...older } = defaultSettings().email
    expect(readSettings(stored(JSON.stringify({ ...defaultSettings(), email: older }))).email.sender).toEqual({ source: 'portal', name: '', address: '', copyToSender: false })
    const company = { source: 'company', name: 'Бухгалтерия', address: 'billing@example.com', copyToSender: true } as const
    expect(readSettings(stored(serializeSettings({ ...defaultSettings(), email: { ...defaultSettings().email, sender: company } }))).email.sender).toEqual(company)
    expect(readSettings(stored(JSON.stringify({ ...defaultSettings(), email: { ...older, sender: { source: 'nobody' } } }))).email.sender?.source).toBe('portal')
  })

  it('gives a document stored before the closing e-mail setting the default texts, and reads an edited one back', () => {
    const { closingDocumentEmail: _none, ...older } = defaultSettings().invoice
    expect(readSettings(stored(JSON.stringify({ ...defaultSettings(), invoice: older }))).invoice.closingDocumentEmail).toEqual(DEFAULT_CLOSING_EMAIL)
    const edited = { ru: { subject: '{document.name} по счёту {invoice.number}', body: 'Документ: {document.link}' }, en: DEFAULT_CLOSING_EMAIL.en }
    const back = readSettings(stored(serializeSettings({ ...defaultSettings(), invoice: { ...defaultSettings().invoice, closingDocumentEmail: edited } })))
    expect(back.invoice.closingDocumentEmail).toEqual(edited)
    expect(validateSettings(back, null)).toEqual([])
    // A language missing or not text falls back to the default, field by field.
    expect(readSettings(stored(JSON.stringify({ ...defaultSettings(), invoice: { ...older, closingDocumentEmail: { ru: { subject: 7 } } } }))).invoice.closingDocumentEmail).toEqual(DEFAULT_CLOSING_EMAIL)
  })

  it('accepts the document as an object too (a portal that returns options decoded)', () => {
    expect(readSettings(stored({ schemaVersion: 1, invoice: { paymentTermDays: { b2b: 10 } } })).invoice.paymentTermDays).toEqual({ b2b: 10, b2c: 3 })
  })

  it.each([
    ['a missing section', { schemaVersion: 1 }, (s: ReturnType<typeof defaultSettings>) => s.reminders, defaultSettings().reminders],
    ['a field of the wrong type', { invoice: { paymentTermDays: { b2b: '10' } } }, (s: ReturnType<typeof defaultSettings>) => s.invoice.paymentTermDays.b2b, 5],
    ['an unknown channel', { reminders: { steps: [{ offsetDays: 2, channel: 'sms' }] } }, (s: ReturnType<typeof defaultSettings>) => s.reminders.steps, [{ offsetDays: 2, channel: 'email', templateId: 'reminderOverdue' }]],
    ['a template missing in one language', { email: { templates: { invoice: { ru: { subject: 'Своя тема' } } } } }, (s: ReturnType<typeof defaultSettings>) => s.email.templates.invoice.ru, { subject: 'Своя тема', body: defaultSettings().email.templates.invoice.ru.body }],
    ['null choices meaning "portal default"', { invoice: { documentTemplateId: null, sentStageId: null } }, (s: ReturnType<typeof defaultSettings>) => [s.invoice.documentTemplateId, s.invoice.sentStageId], [null, null]],
  ])('fills %s with the default and keeps the rest', (_name, document, pick, expected) => {
    expect(pick(readSettings(stored(JSON.stringify(document))))).toEqual(expected)
  })

  it('keeps typed but invalid values for validation to judge', () => {
    expect(readSettings(stored(JSON.stringify({ invoice: { paymentTermDays: { b2b: -4 } } }))).invoice.paymentTermDays.b2b).toBe(-4)
  })

  it('marks a document from a newer release so this one does not overwrite it', () => {
    const result = readStoredSettings(stored(JSON.stringify({ schemaVersion: SETTINGS_SCHEMA_VERSION + 1, invoice: { paymentTermDays: { b2b: 9, b2c: 9 } } })))
    expect(result.newerThanApp).toBe(true)
    expect(result.storedVersion).toBe(SETTINGS_SCHEMA_VERSION + 1)
    expect(result.settings.invoice.paymentTermDays).toEqual({ b2b: 9, b2c: 9 })
  })

  it('runs migration steps in order from the stored version and stamps the current one', () => {
    const calls: number[] = []
    const migrations = {
      [-1]: (raw: Record<string, unknown>) => {
        calls.push(-1)
        return { ...raw, a: 1 }
      },
      0: (raw: Record<string, unknown>) => {
        calls.push(0)
        return { ...raw, b: (raw.a as number) + 1 }
      },
    }
    expect(migrateSettingsDocument({ old: true }, -1, migrations)).toEqual({ old: true, a: 1, b: 2, schemaVersion: SETTINGS_SCHEMA_VERSION })
    expect(calls).toEqual([-1, 0])
  })
})
