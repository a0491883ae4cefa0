// The scheduled runner refuses settings it cannot run on: one validation with the settings page. A file
// that is not a settings document, of a future schema, or with values out of their limits stops the run
// with exit 1 and a line naming the field and who fixes it — before anything is read, sent or written.
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { RunnerPortal } from './support/runner-portal.ts'
import { writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runRemindCli } from '../../src/cli/remind.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { SETTINGS_OPTION } from '../../src/domain/settings/read-settings.ts'
import { stateFingerprint } from '../emulator/control/state-fingerprint.ts'
import { startRunnerPortal } from './support/runner-portal.ts'

const NOW = new Date('2026-03-16T10:00:00+03:00')
const base = defaultSettings()

describe('cli/remind: settings checked before the run', () => {
  let running: RunnerPortal

  beforeAll(async () => {
    running = await startRunnerPortal(base, NOW)
  })
  afterAll(() => running.emulator.close())

  async function runWith(fileText: string): Promise<{ code: number, out: string[], changed: boolean }> {
    await writeFile(running.env.INVOICE_DESK_SETTINGS_FILE!, fileText)
    const before = stateFingerprint(running.emulator.state)
    const out: string[] = []
    const code = await runRemindCli(['--once', '--locale', 'en'], running.env, { out: line => out.push(line), err: line => out.push(line) })
    return { code, out, changed: stateFingerprint(running.emulator.state) !== before }
  }
  const wrapped = (settings: unknown): string => JSON.stringify({ [SETTINGS_OPTION]: settings })
  const reminders = (patch: Partial<InvoiceDeskSettings['reminders']>): InvoiceDeskSettings => ({ ...base, reminders: { ...base.reminders, ...patch } })
  const withSubject = (subject: string): InvoiceDeskSettings => ({ ...base, email: { ...base.email, templates: { ...base.email.templates, reminderOverdue: { ...base.email.templates.reminderOverdue, ru: { ...base.email.templates.reminderOverdue.ru, subject } } } } })

  it.each<[string, string, string]>([
    ['a file that is null', 'null', 'SETTINGS settings: This is not a settings document.'],
    ['a file that is an empty list', '[]', 'SETTINGS settings: This is not a settings document.'],
    ['a settings option that is a list', wrapped([]), 'SETTINGS settings: This is not a settings document.'],
    ['a document of a future schema version', wrapped({ ...base, schemaVersion: 99 }), 'SETTINGS schemaVersion: The settings were saved by a newer version of the app (99; this one reads up to 3).'],
    ['send hour 25', wrapped(reminders({ sendHour: 25 })), 'SETTINGS reminders.sendHour: Enter a whole number from 0 to 23.'],
    ['send hour −5', wrapped(reminders({ sendHour: -5 })), 'SETTINGS reminders.sendHour: Enter a whole number from 0 to 23.'],
    ['a step 1000 days before the due date', wrapped(reminders({ steps: [{ offsetDays: -1000, channel: 'email', templateId: 'reminderBeforeDue' }] })), 'SETTINGS reminders.steps.0.offsetDays: Enter a whole number from -60 to 365.'],
    ['a repeat every 0 days', wrapped(reminders({ repeat: { everyDays: 0, maxTimes: 3 } })), 'SETTINGS reminders.repeat.everyDays: Enter a whole number from 1 to 90.'],
    ['an empty subject', wrapped(withSubject('')), 'SETTINGS email.templates.reminderOverdue.ru.subject: Enter a subject.'],
    ['an unknown variable', wrapped(withSubject('Счёт {invoice.numbr}')), 'SETTINGS email.templates.reminderOverdue.ru.subject: Unknown variable {invoice.numbr}.'],
    ['an unbalanced {', wrapped(withSubject('Счёт {invoice.number')), 'SETTINGS email.templates.reminderOverdue.ru.subject: This «{» opens no variable'],
  ])('refuses %s: exit 1, the field named, nothing written', async (_name, fileText, line) => {
    const { code, out, changed } = await runWith(fileText)
    expect(code).toBe(1)
    expect(out.some(entry => entry.includes(line))).toBe(true)
    expect(out.some(entry => entry.includes('An administrator fixes it in Settings'))).toBe(true)
    expect(out.some(entry => entry.startsWith('Portal time'))).toBe(false)
    expect(changed).toBe(false)
  })

  it('names the section the administrator opens', async () => {
    const { out } = await runWith(wrapped(reminders({ sendHour: 25 })))
    expect(out.find(entry => entry.includes('reminders.sendHour'))).toContain('Settings → Reminders')
  })

  it('a document missing optional fields still runs on their defaults (exit 0)', async () => {
    const { code, out } = await runWith(wrapped({ schemaVersion: 3, reminders: { sendHour: 10 } }))
    expect(code).toBe(0)
    expect(out.some(entry => entry.startsWith('Portal time'))).toBe(true)
  })
})
