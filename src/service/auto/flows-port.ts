import type { InvoiceDeskSettings } from '../../domain/settings/settings.ts'
import type { EmailAttachment } from '../../portal/email-activity.ts'
import type { IssuedDocument } from '../../portal/issue/issue-write.ts'
import type { PortalClient } from '../../portal/portal-client.ts'

/** The nightly run's agreed signature (`src/flows/nightly-run.ts`). */
export type RunNightly = (portal: PortalClient, settings: InvoiceDeskSettings, options: { locale: 'ru' | 'en', dryRun: boolean, runnerId: string, fetchPdf?: (document: IssuedDocument) => Promise<EmailAttachment | null> }) => Promise<unknown>

const NIGHTLY_FLOW = '../../flows/nightly-run.ts'

/**
 * Loads `runNightly` from `src/flows/nightly-run.ts` at first use, by path: a build without that flow
 * still serves robots and auto-issue, and the schedule logs that the nightly run is missing.
 */
export async function loadRunNightly(): Promise<RunNightly> {
  const module = await import(/* @vite-ignore */ NIGHTLY_FLOW).catch(() => null) as { runNightly?: RunNightly } | null
  if (!module?.runNightly)
    throw new Error('runNightly (src/flows/nightly-run.ts) is not available in this build')
  return module.runNightly
}
