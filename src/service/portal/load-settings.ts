import type { InvoiceDeskSettings } from '../../domain/settings/settings.ts'
import type { PortalClient } from '../../portal/portal-client.ts'
import { readSettings, SETTINGS_OPTION } from '../../domain/settings/read-settings.ts'

/**
 * The app's settings as the admin saved them, read in the application's context with
 * `app.option.get` (R: api-reference/common/settings/app-option-get.md): no settings file.
 */
export async function loadPortalSettings(client: PortalClient): Promise<InvoiceDeskSettings> {
  return readSettings({ [SETTINGS_OPTION]: await client.call<unknown>('app.option.get', { option: SETTINGS_OPTION }) })
}
