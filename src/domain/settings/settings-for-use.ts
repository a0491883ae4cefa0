import type { SettingsCatalog } from './settings-catalog.ts'
import type { InvoiceDeskSettings } from './settings.ts'
import type { SettingsIssue } from './validate-settings.ts'
import { defaultSettings } from './default-settings.ts'
import { readStoredSettings, SETTINGS_OPTION } from './read-settings.ts'
import { SETTINGS_SCHEMA_VERSION } from './settings.ts'
import { SETTINGS_SIZE_LIMITS, validateSettings } from './validate-settings.ts'

/** Stored settings an entry point may run on, or why not (nothing may be written then). */
export type SettingsForUse
  = | { readonly ok: true, readonly settings: InvoiceDeskSettings }
    | { readonly ok: false, readonly issues: readonly SettingsIssue[] }

/** Whether nothing stored means "the defaults" (a portal whose admin never saved) or is refused (a runner's file). */
export interface SettingsForUseOptions {
  readonly noneMeansDefaults: boolean
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function parsed(document: unknown): { value: unknown, tooLarge: boolean } {
  if (typeof document !== 'string')
    return { value: document, tooLarge: false }
  if (document.length > SETTINGS_SIZE_LIMITS.documentKb * 1024)
    return { value: null, tooLarge: true }
  try {
    return { value: JSON.parse(document) as unknown, tooLarge: false }
  }
  catch {
    return { value: null, tooLarge: false }
  }
}

/**
 * The one check of stored settings for every entry point (settings page, scheduled runner, issue
 * chain, a server): `document` is the stored value (the app option's JSON text or its parsed
 * object; undefined or '' when nothing is stored). Refused: more than 256 kB, anything but a JSON
 * object, a `schemaVersion` newer than this app's (a newer release wrote it), and every value
 * `validateSettings` refuses (against `catalog`; null judges values only). Missing or mistyped
 * optional fields take their defaults, as `readStoredSettings` fills them.
 */
export function settingsForUse(document: unknown, catalog: SettingsCatalog | null, options: SettingsForUseOptions): SettingsForUse {
  if ((document === undefined || document === '') && options.noneMeansDefaults)
    return { ok: true, settings: defaultSettings() }
  const { value, tooLarge } = parsed(document)
  if (tooLarge)
    return { ok: false, issues: [{ path: 'settings', code: 'tooLarge', params: { maxKb: SETTINGS_SIZE_LIMITS.documentKb } }] }
  if (!isRecord(value))
    return { ok: false, issues: [{ path: 'settings', code: 'notAnObject' }] }
  if (typeof value.schemaVersion === 'number' && value.schemaVersion > SETTINGS_SCHEMA_VERSION)
    return { ok: false, issues: [{ path: 'schemaVersion', code: 'newerSchema', params: { version: value.schemaVersion, supported: SETTINGS_SCHEMA_VERSION } }] }
  const settings = readStoredSettings({ [SETTINGS_OPTION]: value }).settings
  const issues = validateSettings(settings, catalog)
  return issues.length > 0 ? { ok: false, issues } : { ok: true, settings }
}
