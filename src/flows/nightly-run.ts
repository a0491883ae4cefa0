import type { Locale } from '../domain/format.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { IssueEnvironment } from './issue-and-send.ts'
import type { JournalWrite } from './journal/record-journal.ts'
import type { FollowUp } from './payment-follow-up.ts'
import type { BrokenPromise } from './promise-broken.ts'
import type { ReminderOutcome, SweepPreparation, SweepResult } from './run-reminders.ts'
import type { SubscriptionOutcome } from './subscription-run.ts'
import { calendarGapsAround } from '../domain/reminders/business-days.ts'
import { scanSubscriptions } from '../portal/subscription/subscription-scan.ts'
import { brokenPromiseEntries, followUpEntries, subscriptionEntries, sweepEntries } from './journal/journal-entries.ts'
import { recordJournal } from './journal/record-journal.ts'
import { followUpPayments } from './payment-follow-up.ts'
import { handleBrokenPromises } from './promise-broken.ts'
import { executeSweep, prepareSweep } from './run-reminders.ts'
import { runSubscriptions } from './subscription-run.ts'

/** Options of one nightly run. */
export interface NightlyOptions {
  readonly locale: Locale
  /** Plan and report only: nothing sent or written. Test mode in the settings makes every run a dry run. */
  readonly dryRun: boolean
  /** A random id per run (`newRunnerId`): tells this run's reminder claims from another's. */
  readonly runnerId: string
  /** Fetches the PDF to attach to subscription invoices' e-mails; absent = the link only. */
  readonly fetchPdf?: IssueEnvironment['fetchPdf']
  /** Whether the token is an admin's in the app's context (the service): app triggers fire only then. Default false. */
  readonly isAdmin?: boolean
}

/**
 * A configuration gap found by the run: not a failure of the night, but something an admin must
 * set once. `escalationNoRecipient`: an escalation step reached invoices whose responsible has no
 * supervisor and the settings name no one to escalate to (Settings → Reminders).
 */
export interface NightlyGap {
  readonly kind: 'escalationNoRecipient'
  readonly invoiceIds: readonly number[]
}

/** Everything one nightly run did, as data: the CLI prints it, the service logs it. */
export interface NightlyReport {
  /** Whether nothing was sent or written (asked for, or test mode in the settings). */
  readonly dryRun: boolean
  /** Test mode in the settings turned this run into a dry run. */
  readonly testMode: boolean
  /** The reminder plan with its previews, the portal clock and the open invoices it looked at. */
  readonly preparation: SweepPreparation
  /** Years the business-day calendar has no holidays for (their holidays count as business days). */
  readonly calendarGaps: readonly number[]
  /** The reminders sent; null on a dry run. */
  readonly sweep: SweepResult | null
  readonly brokenPromises: readonly BrokenPromise[]
  readonly followUps: readonly FollowUp[]
  readonly subscriptions: readonly SubscriptionOutcome[]
  /** Configuration gaps, each reported once per run (never a failure of the run). */
  readonly gaps: readonly NightlyGap[]
  /** Journal writes: reminders with promises and follow-ups, then subscriptions; empty on a dry run. */
  readonly journal: readonly JournalWrite[]
  /** Whether something failed that a person must look at (the CLI exits 1). */
  readonly failed: boolean
}

/** An escalation that found no one to notify: a setting to fill, not a failure to retry every night. */
export function isConfigurationGap(outcome: ReminderOutcome): boolean {
  return outcome.status === 'failed' && outcome.channel === 'escalate' && outcome.error === 'noRecipient'
}

function gapsOf(sweep: SweepResult | null): NightlyGap[] {
  const ids = [...new Set((sweep?.outcomes ?? []).filter(isConfigurationGap).map(outcome => outcome.invoiceId))]
  return ids.length > 0 ? [{ kind: 'escalationNoRecipient', invoiceIds: ids }] : []
}

/** Whether the subscription step needs a person: the due invoice was refused or failed, or a notice was. */
export function subscriptionFailed(outcome: SubscriptionOutcome): boolean {
  const status = outcome.result?.status
  return status === 'failed' || status === 'refused' || status === 'unconfirmed' || status === 'stopped' || outcome.notices.some(n => n.error !== null)
}

/**
 * The nightly use case (the scheduled runner's and the service's), after settings are loaded and
 * access checked: plan and send the reminders due today in the portal's time zone, record broken
 * payment promises, follow up invoices paid outside the app, journal all of it, then issue the
 * subscriptions' due periods (through the one issue chain) and send their notices. A dry run (or
 * test mode) plans and reports, sending and writing nothing. Returns what happened as data.
 */
export async function runNightly(portal: PortalClient, settings: InvoiceDeskSettings, options: NightlyOptions): Promise<NightlyReport> {
  const dryRun = options.dryRun || settings.testMode
  const sweepOptions = { locale: options.locale, runnerId: options.runnerId, isAdmin: options.isAdmin }
  const preparation = await prepareSweep(portal, settings, sweepOptions)
  const calendarGaps = settings.reminders.businessDaysOnly ? calendarGapsAround(preparation.clock.today, settings.reminders) : []
  const sweep = dryRun ? null : await executeSweep(portal, preparation, sweepOptions)
  // Promised days that passed unpaid: recorded once, their processes started once.
  const brokenPromises = await handleBrokenPromises(portal, preparation, { locale: options.locale, dryRun })
  // Invoices marked paid outside the app (kanban, robots) get the app's follow-up once.
  const followUps = await followUpPayments(portal, settings, preparation.clock.today, options.locale, dryRun, options.isAdmin ?? false)
  const journal: JournalWrite[] = []
  if (!dryRun) {
    const invoices = preparation.scope.invoices
    journal.push(await recordJournal(portal, settings, [
      ...sweepEntries(sweep!, invoices, 'runner', options.locale),
      ...brokenPromiseEntries(brokenPromises, invoices, 'runner', options.locale),
      ...followUpEntries(followUps, 'runner', options.locale),
    ]))
  }
  // Subscriptions: each due period's invoice through the one issue chain; on a dry run only planned.
  const subscriptions = await runSubscriptions(portal, await scanSubscriptions(portal), settings, {
    locale: options.locale,
    clock: preparation.clock,
    stages: preparation.scope.stages,
    serverTime: preparation.scope.serverTime,
    dryRun,
    ...(dryRun ? {} : { fetchPdf: options.fetchPdf }),
  })
  if (!dryRun)
    journal.push(await recordJournal(portal, settings, subscriptionEntries(subscriptions, options.locale)))
  const sweepFailed = (sweep?.outcomes ?? []).some(outcome => (outcome.status === 'failed' && !isConfigurationGap(outcome)) || outcome.status === 'unknown' || outcome.recordError !== undefined)
  const failed = !dryRun && (sweepFailed || followUps.some(f => f.error) || subscriptions.some(subscriptionFailed))
  return { dryRun, testMode: settings.testMode, preparation, calendarGaps, sweep, brokenPromises, followUps, subscriptions, gaps: gapsOf(sweep), journal, failed }
}
