import type { InstalledState, InstallWrite, TemplateBinding } from '../domain/install/install-plan.ts'
import { firstInvoiceTemplate } from '../domain/install/install-plan.ts'
import type { PortalClient, RestCall } from './portal-client.ts'
import type { PortalError } from './portal-error.ts'
import { serializeSettings, SETTINGS_OPTION } from '../domain/settings/read-settings.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import { journalTypeCommand } from './journal/journal-store.ts'

/** `placement.get` row (R: `api-reference/widgets/placement-get.md`): `langAll` holds the per-language titles. */
interface PlacementDto { placement: string, handler: string, title?: string | null, langAll?: Record<string, { TITLE?: string | null }> | null }
interface TriggerDto { CODE: string, NAME: string }
interface CrmTypeDto { entityTypeId: number | string, title?: string | null, isSetOpenPermissions?: string | null }
interface TemplateDto { id: number | string, name: string, entityTypeId?: Array<number | string> | null }

function templateBindings(result: unknown): TemplateBinding[] {
  // Documented as an object keyed by id; tolerate an array too.
  const templates = (result as { templates?: Record<string, TemplateDto> | TemplateDto[] } | null)?.templates ?? {}
  const rows = Array.isArray(templates) ? templates : Object.values(templates)
  return rows.map(row => ({ id: Number(row.id), name: row.name, entityTypeIds: (row.entityTypeId ?? []).map(String) }))
}

/**
 * Reads the app's placements (`placement.get`), triggers (`crm.automation.trigger.list`), the
 * portal's smart processes (`crm.type.list`, for the journal) and document templates (to store the
 * first invoice template in the settings when they name none) in ONE batched round trip. The first
 * three are admin-only and need the application context; a refused template list leaves the template
 * out. The settings version comes from the frame's `APP_OPTIONS` and is passed in by the caller.
 * Throws `PortalError`.
 */
export async function readInstalledState(client: PortalClient, settingsVersion: number | null, journalTypeId: number | null = null, settingsTemplateId: number | null = null): Promise<InstalledState> {
  const { templates, ...required } = await client.batch({
    placements: { method: 'placement.get' },
    triggers: { method: 'crm.automation.trigger.list' },
    // Portals have a handful of smart processes; the first 50 by id are enough to find ours and a free id.
    types: { method: 'crm.type.list', params: { order: { entityTypeId: 'DESC' } } },
    // R: api-reference/crm/document-generator/templates/crm-document-generator-template-list.md ("modify" right on templates).
    templates: { method: 'crm.documentgenerator.template.list', params: { select: ['id', 'name', 'entityTypeId'], order: { sort: 'ASC' } } },
  })
  const outcomes = required
  for (const outcome of Object.values(outcomes)) {
    if (!outcome.ok)
      throw outcome.error
  }
  const placements = (outcomes.placements?.ok ? outcomes.placements.result as PlacementDto[] : [])
  const triggers = (outcomes.triggers?.ok ? outcomes.triggers.result as TriggerDto[] : [])
  const types = (outcomes.types?.ok ? (outcomes.types.result as { types?: CrmTypeDto[] }).types ?? [] : [])
  return {
    placements: placements.map(entry => ({ placement: entry.placement, handler: entry.handler, title: entry.title ?? '', titleEn: entry.langAll?.en?.TITLE ?? '' })),
    triggers: triggers.map(entry => ({ code: entry.CODE, name: entry.NAME })),
    settingsVersion,
    crmTypes: types.map(type => ({ entityTypeId: Number(type.entityTypeId), title: type.title ?? '', openPermissions: type.isSetOpenPermissions === 'Y' })),
    journalTypeId,
    invoiceTemplate: templates?.ok ? firstInvoiceTemplate(templateBindings(templates.result)) : null,
    settingsTemplateId,
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
    case 'createJournalType':
      return journalTypeCommand(write.entityTypeId)
    case 'saveSettings':
      return { method: 'app.option.set', params: { options: { [SETTINGS_OPTION]: serializeSettings(settings) } } }
  }
}

/**
 * Makes the writes of an install plan, step by step in the given order, in ONE batch without halt
 * (a step's failure does not stop the others; keys keep the plan's order, so an unbind runs before
 * the bind that replaces it). No request when there is nothing to write. Returns each step's first
 * failure; throws when the batch got no answer.
 */
export async function writeInstallSteps<S extends string>(client: PortalClient, steps: ReadonlyArray<readonly [S, readonly InstallWrite[]]>, settings: InvoiceDeskSettings): Promise<Map<S, PortalError>> {
  const commands = Object.fromEntries(steps.flatMap(([step, writes]) => writes.map((write, index) => [`${step}_${index}`, installCommand(write, settings)])))
  const failures = new Map<S, PortalError>()
  if (Object.keys(commands).length === 0)
    return failures
  const outcomes = await client.batch(commands)
  for (const [step] of steps) {
    const failed = Object.entries(outcomes).find(([name, outcome]) => name.startsWith(`${step}_`) && !outcome.ok)?.[1]
    if (failed && !failed.ok)
      failures.set(step, failed.error)
  }
  return failures
}
