import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings, SETTINGS_OPTION } from '../../src/domain/settings/read-settings.ts'
import { journalTypeCommand } from '../../src/portal/journal/journal-store.ts'

/** The journal's smart process in the demo portal: the id install picks on a portal without smart processes. */
export const DEMO_JOURNAL_TYPE_ID = 1030

/**
 * Gives a demo portal (installed, but from before the journal) what install now adds: the
 * journal's smart process, created through the admin's webhook with the app's own command, and
 * settings naming it (`base` with the journal's id), stored as the admin would. Returns those settings.
 */
export async function createDemoJournal(emulatorUrl: string, webhookUrl: string, base: InvoiceDeskSettings = defaultSettings()): Promise<InvoiceDeskSettings> {
  const command = journalTypeCommand(DEMO_JOURNAL_TYPE_ID)
  const created = await fetch(`${webhookUrl}${command.method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(command.params) })
  if (!created.ok)
    throw new Error(`crm.type.add answered ${created.status}: ${await created.text()}`)
  const settings: InvoiceDeskSettings = { ...base, journal: { ...base.journal, entityTypeId: DEMO_JOURNAL_TYPE_ID } }
  const stored = await fetch(`${emulatorUrl}/emulator/app-options`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 1, options: { [SETTINGS_OPTION]: serializeSettings(settings) } }) })
  if (!stored.ok)
    throw new Error(`storing the settings answered ${stored.status}`)
  return settings
}
