import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { SettingsSnapshot } from '../portal/settings-catalog.ts'
import { saveSettings } from '../portal/app-settings.ts'
import { loadSettingsSnapshot } from '../portal/settings-catalog.ts'

/**
 * The settings page's read: the portal's choices (funnels, stages, templates, senders, processes)
 * the admin picks from, in 2 round trips (see `loadSettingsSnapshot`). Throws `PortalError`.
 */
export function readSettingsChoices(portal: PortalClient): Promise<SettingsSnapshot> {
  return loadSettingsSnapshot(portal)
}

/**
 * Writes the whole settings document once (the app option, see `saveSettings`). Validate first:
 * this writes what it is given. Safe to repeat: the same document written twice is the same.
 */
export function writeSettings(portal: PortalClient, settings: InvoiceDeskSettings): Promise<void> {
  return saveSettings(portal, settings)
}
