import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PlacementSession } from '../portal/frame-session.ts'
import { readSettings, SETTINGS_OPTION } from '../domain/settings/read-settings.ts'

/**
 * The stored settings of the session's portal: the app option in the frame's init data (no REST
 * call), read with defaults and migrations (`readSettings`). Its own module: the defaults and
 * migrations are sizeable, and `usePortalEnvironment().settings()` loads them only when asked.
 */
export function readSessionSettings(session: Pick<PlacementSession, 'appOption'>): InvoiceDeskSettings {
  return readSettings({ [SETTINGS_OPTION]: session.appOption(SETTINGS_OPTION) })
}
