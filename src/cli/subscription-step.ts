import type { Locale } from '../domain/format.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { SweepPreparation } from '../flows/run-reminders.ts'
import type { SubscriptionRunOptions } from '../flows/subscription-run.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { CliIo } from './remind.ts'
import { subscriptionEntries } from '../flows/journal/journal-entries.ts'
import { recordJournal } from '../flows/journal/record-journal.ts'
import { runSubscriptions } from '../flows/subscription-run.ts'
import { scanSubscriptions } from '../portal/subscription/subscription-scan.ts'
import { subscriptionFailed, subscriptionLine } from './subscription-report.ts'

/**
 * The runner's subscription step, after the reminders: finds the subscribed deals, issues each
 * due period's invoice through the issue chain (nothing on a dry run), sends the notices,
 * prints one line per deal and journals what it did. Uses the reminder sweep's portal clock and stages.
 */
export async function runSubscriptionStep(portal: PortalClient, settings: InvoiceDeskSettings, prep: SweepPreparation, locale: Locale, dryRun: boolean, io: CliIo, fetchPdf?: SubscriptionRunOptions['fetchPdf']): Promise<{ readonly issued: number, readonly failed: boolean }> {
  const outcomes = await runSubscriptions(portal, await scanSubscriptions(portal), settings, { locale, clock: prep.clock, stages: prep.scope.stages, serverTime: prep.scope.serverTime, dryRun, fetchPdf })
  for (const outcome of outcomes)
    io.out(subscriptionLine(outcome, locale, dryRun))
  if (!dryRun) {
    const journal = await recordJournal(portal, settings, subscriptionEntries(outcomes, locale))
    if (journal.status === 'failed')
      io.err(`  JOURNAL not written (subscriptions): ${journal.error.message}`)
  }
  return {
    issued: outcomes.filter(o => o.result?.status === 'sent' && !o.result.alreadyDone).length,
    failed: outcomes.some(subscriptionFailed),
  }
}
