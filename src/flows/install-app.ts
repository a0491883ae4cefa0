import type { InstallPlan } from '../domain/install/install-plan.ts'
import type { InvoiceDeskSettings, Language } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { PortalError } from '../portal/portal-error.ts'
import type { InstallStep } from '../domain/install/install-steps.ts'
import { planInstall } from '../domain/install/install-plan.ts'
import { SETTINGS_SCHEMA_VERSION } from '../domain/settings/settings.ts'
import { saveSettings } from '../portal/app-settings.ts'
import { readInstalledState, writeInstallSteps } from '../portal/install.ts'

// The steps are the domain's (components list them too); re-exported for the flow's callers.
export { INSTALL_STEPS } from '../domain/install/install-steps.ts'
export type { InstallStep } from '../domain/install/install-steps.ts'

/** Where a step stands. `skipped`: the portal's plan does not allow it; install went on without it. */
export type InstallStepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped'

/** A step's change of state, reported as install runs. */
export interface InstallProgress {
  readonly step: InstallStep
  readonly status: InstallStepStatus
  /** Writes the step made (0 = it was already right). */
  readonly changes?: number
  readonly error?: PortalError | Error
  /** The journal step: an earlier journal open to every user that a closed one replaced (`InstallPlan.openJournalLeft`). */
  readonly openJournalLeft?: number
}

/** Thrown when a step failed; the steps before it are done and running install again is safe. */
export class InstallStepError extends Error {
  override readonly name = 'InstallStepError'
  constructor(readonly step: InstallStep, override readonly cause: PortalError | Error) {
    super(`Install step "${step}" failed: ${cause.message}`)
  }
}

/** What install needs besides the portal. */
export interface InstallOptions {
  /** The app's own URL, which Bitrix24 POSTs to in every placement. */
  readonly handlerUrl: string
  /** The portal's language, for the trigger names. */
  readonly language: Language
  /** The settings to store when none (or older ones) are stored: the stored ones migrated, or defaults. */
  readonly settings: InvoiceDeskSettings
  /** Schema version of the settings already stored (from `APP_OPTIONS`); null when none. */
  readonly storedSettingsVersion: number | null
  /** Tells Bitrix24 the installation is finished (`installFinish`); the portal then reloads the page. */
  readonly finish: () => Promise<void>
  readonly onProgress?: (progress: InstallProgress) => void
}

type WriteStep = Exclude<InstallStep, 'inspect' | 'finish'>
const WRITE_STEPS: readonly WriteStep[] = ['placements', 'triggers', 'journal', 'settings']

/** What install did: the plan, and whether the plan refused the journal's smart process. */
export interface InstallResult extends InstallPlan {
  /**
   * The portal refused the journal's smart process because of its plan (`crm.type.add` →
   * CREATE_DYNAMIC_TYPE_RESTRICTED, R: api-reference/crm/universal/user-defined-object-types/crm-type-add.md):
   * install went on, the settings store no journal and nothing is journaled.
   */
  readonly journalRefusedByPlan: boolean
}

/** crm.type.add's answer when the plan allows no more smart processes. */
export const SMART_PROCESS_PLAN_LIMIT = 'CREATE_DYNAMIC_TYPE_RESTRICTED'

/** The settings install stores: the journal it planned, and the invoice template when they named none. */
function settingsToStore(plan: InstallPlan, settings: InvoiceDeskSettings, journalTypeId: number | null): InvoiceDeskSettings {
  const template = plan.documentTemplate
  return {
    ...settings,
    journal: { ...settings.journal, entityTypeId: journalTypeId },
    invoice: template ? { ...settings.invoice, documentTemplateId: template.id, documentTemplateName: template.name } : settings.invoice,
  }
}

/**
 * Installs (or repairs) the app: reads what the portal has (1 batched round trip), plans only the
 * missing pieces (`planInstall`), makes every write in 1 batch (placements, triggers, the journal's
 * smart process, settings with the portal's first invoice template when they name none;
 * skipped when nothing is missing), then calls `finish`. Each step reports its progress; the first
 * failed step throws `InstallStepError` before `finish`, and running install again repairs only
 * what is still missing. A plan that allows no smart process skips the journal (`skipped`, with the
 * portal's error): the settings are then written once more without it. At most 2 REST round trips
 * (3 when the plan refused the journal).
 */
export async function installApp(portal: PortalClient, options: InstallOptions): Promise<InstallResult> {
  const report = options.onProgress ?? (() => {})
  report({ step: 'inspect', status: 'running' })
  let plan: InstallPlan
  try {
    const state = await readInstalledState(portal, options.storedSettingsVersion, options.settings.journal.entityTypeId, options.settings.invoice.documentTemplateId)
    plan = planInstall(state, options.handlerUrl, options.language, SETTINGS_SCHEMA_VERSION)
  }
  catch (error) {
    return fail(report, 'inspect', error)
  }
  report({ step: 'inspect', status: 'done' })
  WRITE_STEPS.forEach(step => report({ step, status: 'running' }))
  let failures: Map<WriteStep, PortalError>
  try {
    failures = await writeInstallSteps(portal, WRITE_STEPS.map(step => [step, plan[step]] as const), settingsToStore(plan, options.settings, plan.journalTypeId))
  }
  catch (error) {
    return fail(report, 'placements', error)
  }
  const journalFailure = failures.get('journal') ?? null
  const journalRefusedByPlan = journalFailure?.code === SMART_PROCESS_PLAN_LIMIT
  for (const step of WRITE_STEPS) {
    const failure = failures.get(step) ?? null
    if (step === 'journal' && journalRefusedByPlan) {
      report({ step, status: 'skipped', error: journalFailure })
      continue
    }
    if (failure)
      return fail(report, step, failure)
    if (step === 'settings' && journalRefusedByPlan)
      await storeWithoutJournal(portal, plan, options.settings, report)
    const left = step === 'journal' && plan.openJournalLeft !== null ? { openJournalLeft: plan.openJournalLeft } : {}
    report({ step, status: 'done', changes: plan[step].length, ...left })
  }
  report({ step: 'finish', status: 'running' })
  try {
    await options.finish()
  }
  catch (error) {
    return fail(report, 'finish', error)
  }
  report({ step: 'finish', status: 'done' })
  return { ...plan, journalRefusedByPlan }
}

/** The batch stored the journal it planned, which the plan refused: store the settings again naming none. */
async function storeWithoutJournal(portal: PortalClient, plan: InstallPlan, settings: InvoiceDeskSettings, report: (progress: InstallProgress) => void): Promise<void> {
  try {
    await saveSettings(portal, settingsToStore(plan, settings, null))
  }
  catch (error) {
    fail(report, 'settings', error)
  }
}

function fail(report: (progress: InstallProgress) => void, step: InstallStep, error: unknown): never {
  const cause = error instanceof Error ? error : new Error(String(error))
  report({ step, status: 'failed', error: cause })
  throw new InstallStepError(step, cause)
}
