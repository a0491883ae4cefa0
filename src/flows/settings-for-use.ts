import type { SettingsCatalog } from '../domain/settings/settings-catalog.ts'
import type { SettingsForUse } from '../domain/settings/settings-for-use.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { settingsForUse } from '../domain/settings/settings-for-use.ts'
import { readStoredSettings } from '../portal/app-settings.ts'

export type { SettingsForUse } from '../domain/settings/settings-for-use.ts'
export { settingsIssueLine } from '../domain/settings/settings-issue-text.ts'

/**
 * The stored settings an entry point outside the browser runs on: read through `portal` with
 * `app.option.get` (application context only, R: api-reference/common/settings/app-option-get.md),
 * then checked by `settingsForUse` — the same check as the settings page, the runner and the issue
 * chain. Nothing stored is refused too: a server must not act on settings no administrator saved.
 * 1 round trip. Throws `PortalError` when the read fails.
 */
export async function readSettingsForUse(portal: PortalClient, catalog: SettingsCatalog | null = null): Promise<SettingsForUse> {
  return settingsForUse(await readStoredSettings(portal), catalog, { noneMeansDefaults: false })
}
