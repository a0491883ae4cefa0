import type { SettingsIssue } from '../domain/settings/validate-settings.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { SettingsSnapshot } from '../portal/settings-catalog.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { readStoredSettings } from '../domain/settings/read-settings.ts'
import { bindDocumentTemplate, resolveSettings, storedDocumentTemplates } from '../domain/settings/settings-catalog.ts'
import { validateSettings } from '../domain/settings/validate-settings.ts'
import { readSettingsChoices, writeSettings } from '../flows/settings-editor.ts'

/** The settings as the editor changes them: the same shape without `readonly`. */
export type Draft<T> = T extends readonly (infer U)[] ? Draft<U>[] : T extends object ? { -readonly [K in keyof T]: Draft<T[K]> } : T

export type SettingsDraft = Draft<InvoiceDeskSettings>
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'
export type SaveStatus = 'idle' | 'saving' | 'saved' | 'invalid' | 'error'

// A JSON round trip: the settings are JSON by design, and it also unwraps Vue's reactive proxies.
const copy = <T>(value: T): Draft<T> => JSON.parse(JSON.stringify(value)) as Draft<T>

/** The settings page: what is stored, the admin's draft, validation problems and the save's state. */
export const useSettingsStore = defineStore('settings', () => {
  const status = ref<LoadStatus>('idle')
  const loadError = shallowRef<unknown>(null)
  const snapshot = shallowRef<SettingsSnapshot | null>(null)
  const saved = shallowRef<InvoiceDeskSettings | null>(null)
  const draft = ref<SettingsDraft | null>(null)
  const newerThanApp = ref(false)
  const issues = shallowRef<SettingsIssue[]>([])
  const saveStatus = ref<SaveStatus>('idle')
  const saveError = shallowRef<unknown>(null)

  const dirty = computed(() => draft.value !== null && JSON.stringify(draft.value) !== JSON.stringify(saved.value))

  /** Reads the stored settings from the init data's app options and the portal's choices (2 round trips). */
  async function load(portal: PortalClient, appOptions: Readonly<Record<string, unknown>>): Promise<void> {
    status.value = 'loading'
    loadError.value = null
    try {
      const stored = readStoredSettings(appOptions)
      const read = await readSettingsChoices(portal)
      // A user who may not list document templates still sees the one the settings store.
      const loaded = read.catalog.documentTemplatesListed === false
        ? { ...read, catalog: { ...read.catalog, documentTemplates: storedDocumentTemplates(stored.settings) } }
        : read
      snapshot.value = loaded
      newerThanApp.value = stored.newerThanApp
      saved.value = resolveSettings(stored.settings, loaded.catalog)
      draft.value = copy(saved.value)
      // Stored settings may point at a stage or template deleted since: show that straight away.
      issues.value = validateSettings(saved.value, loaded.catalog)
      saveStatus.value = 'idle'
      status.value = 'ready'
    }
    catch (caught) {
      loadError.value = caught
      status.value = 'error'
    }
  }

  /** Re-checks the draft while problems are shown, so messages disappear as fields are fixed. */
  function revalidate(): void {
    if ((saveStatus.value === 'invalid' || issues.value.length > 0) && draft.value && snapshot.value)
      issues.value = validateSettings(draft.value as InvoiceDeskSettings, snapshot.value.catalog)
  }

  /** Validates everything, then writes the whole document once; an invalid draft writes nothing. */
  async function save(portal: PortalClient): Promise<boolean> {
    if (!draft.value || !snapshot.value || newerThanApp.value)
      return false
    // The template's name goes with its id: a manager's issue chain reads both from the settings.
    const candidate = bindDocumentTemplate(copy(draft.value) as InvoiceDeskSettings, snapshot.value.catalog)
    issues.value = validateSettings(candidate, snapshot.value.catalog)
    if (issues.value.length > 0) {
      saveStatus.value = 'invalid'
      return false
    }
    saveStatus.value = 'saving'
    saveError.value = null
    try {
      await writeSettings(portal, candidate)
      saved.value = candidate
      draft.value = copy(candidate)
      saveStatus.value = 'saved'
      return true
    }
    catch (caught) {
      saveError.value = caught
      saveStatus.value = 'error'
      return false
    }
  }

  /** Drops the draft's changes. */
  function discard(): void {
    if (saved.value)
      draft.value = copy(saved.value)
    issues.value = saved.value && snapshot.value ? validateSettings(saved.value, snapshot.value.catalog) : []
    saveStatus.value = 'idle'
  }

  return { status, loadError, snapshot, saved, draft, newerThanApp, issues, saveStatus, saveError, dirty, load, revalidate, save, discard }
})
