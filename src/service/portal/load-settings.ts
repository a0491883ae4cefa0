import type { InvoiceDeskSettings } from '../../domain/settings/settings.ts'
import type { PortalClient } from '../../portal/portal-client.ts'
import { settingsForUse } from '../../domain/settings/settings-for-use.ts'
import { settingsIssueLine } from '../../domain/settings/settings-issue-text.ts'
import { readStoredSettings } from '../../portal/app-settings.ts'

/**
 * The app's settings as the admin saved them, read in the application's context with
 * `app.option.get` (R: api-reference/common/settings/app-option-get.md): no settings file. Checked
 * by `settingsForUse`, the one check of the settings page, the runner and the issue chain; a portal
 * whose admin never saved runs on the defaults, as the app's own pages do. Throws, naming each
 * refused field and who fixes it, when the stored document cannot be run on: nothing is done then.
 */
export async function loadPortalSettings(client: PortalClient): Promise<InvoiceDeskSettings> {
  const stored = await readStoredSettings(client)
  const checked = settingsForUse(stored, null, { noneMeansDefaults: true })
  if (!checked.ok)
    throw new Error(`The app's stored settings cannot be used: ${checked.issues.map(issue => settingsIssueLine(issue)).join(' ')}`)
  return checked.settings
}
