import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from './portal-client.ts'
import { serializeSettings, SETTINGS_OPTION } from '../domain/settings/read-settings.ts'

/**
 * Where the settings live: ONE app option, `invoiceDesk`, holding the settings document as a JSON
 * string with its `schemaVersion`. Why app options and not `entity.*` storage or user fields:
 * Bitrix24 sends every app option to every frame in `APP_OPTIONS` at init, so each placement
 * reads the settings with no extra REST round trip; every user may read them and only an admin
 * may write them (`app.option.set` refuses others), which is exactly the rule settings need; and
 * one option is written atomically, so a save can never leave half a document behind. App options
 * are readable by any user of the app: nothing secret may ever go in here.
 */

/**
 * Saves the whole settings document in one `app.option.set` call (admin only; one round trip).
 * Throws `PortalError` (e.g. `AccessException` for a non-admin); nothing is written then.
 */
export async function saveSettings(client: PortalClient, settings: InvoiceDeskSettings): Promise<void> {
  await client.call<boolean>('app.option.set', { options: { [SETTINGS_OPTION]: serializeSettings(settings) } })
}

/**
 * The stored settings document as `app.option.get` returns it (application context only, R:
 * api-reference/common/settings/app-option-get.md), unchecked: undefined when none was saved.
 * One round trip; throws `PortalError` when the read fails.
 */
export async function readStoredSettings(client: PortalClient): Promise<unknown> {
  return (await client.call<unknown>('app.option.get', { option: SETTINGS_OPTION })) ?? undefined
}
