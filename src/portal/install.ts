import type { InstalledState, InstallWrite } from '../domain/install/install-plan.ts'
import type { PortalClient, RestCall } from './portal-client.ts'
import { serializeSettings, SETTINGS_OPTION } from '../domain/settings/read-settings.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'

interface PlacementDto { placement: string, handler: string, title?: string | null }
interface TriggerDto { CODE: string, NAME: string }

/**
 * Reads the app's placements (`placement.get`) and triggers (`crm.automation.trigger.list`) in ONE
 * batched round trip. Both are admin-only and need the application context. The settings version
 * comes from the frame's `APP_OPTIONS` and is passed in by the caller. Throws `PortalError`.
 */
export async function readInstalledState(client: PortalClient, settingsVersion: number | null): Promise<InstalledState> {
  const outcomes = await client.batch({
    placements: { method: 'placement.get' },
    triggers: { method: 'crm.automation.trigger.list' },
  })
  for (const outcome of Object.values(outcomes)) {
    if (!outcome.ok)
      throw outcome.error
  }
  const placements = (outcomes.placements?.ok ? outcomes.placements.result as PlacementDto[] : [])
  const triggers = (outcomes.triggers?.ok ? outcomes.triggers.result as TriggerDto[] : [])
  return {
    placements: placements.map(entry => ({ placement: entry.placement, handler: entry.handler, title: entry.title ?? '' })),
    triggers: triggers.map(entry => ({ code: entry.CODE, name: entry.NAME })),
    settingsVersion,
  }
}

/** The REST command for one install write (`settings` is what `saveSettings` stores). */
export function installCommand(write: InstallWrite, settings: InvoiceDeskSettings): RestCall {
  switch (write.kind) {
    case 'unbindPlacement':
      return { method: 'placement.unbind', params: { PLACEMENT: write.placement, HANDLER: write.handler } }
    case 'bindPlacement':
      return {
        method: 'placement.bind',
        params: {
          PLACEMENT: write.placement,
          HANDLER: write.handler,
          TITLE: write.title.ru,
          LANG_ALL: { ru: { TITLE: write.title.ru }, en: { TITLE: write.title.en } },
        },
      }
    case 'addTrigger':
      return { method: 'crm.automation.trigger.add', params: { CODE: write.code, NAME: write.name } }
    case 'saveSettings':
      return { method: 'app.option.set', params: { options: { [SETTINGS_OPTION]: serializeSettings(settings) } } }
  }
}
