import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { ProcessOutcome } from '../flows/business-process.ts'
import type { NightlyReport } from '../flows/nightly-run.ts'
import type { SweepPreparation, SweepResult } from '../flows/run-reminders.ts'
import type { MessageKey } from '../i18n/messages.ts'
import type { Translator } from '../i18n/translate.ts'
import { readFile } from 'node:fs/promises'
import process from 'node:process'
import { pathToFileURL } from 'node:url'
import { formatCount } from '../domain/format.ts'
import { checkRunnerAccess, RUNNER_SCOPES } from '../domain/runner/runner-access.ts'
import { SETTINGS_OPTION } from '../domain/settings/read-settings.ts'
import { settingsForUse } from '../domain/settings/settings-for-use.ts'
import { readSettingsForUse, settingsIssueLine } from '../flows/settings-for-use.ts'
import type { SettingsForUse } from '../flows/settings-for-use.ts'
import { stepLabel } from '../domain/collection/reminder-messages.ts'
import { isConfigurationGap, runNightly } from '../flows/nightly-run.ts'
import { newRunnerId } from '../flows/run-reminders.ts'
import { createTranslator } from '../i18n/translate.ts'
import { subscriptionLine } from './subscription-report.ts'
import { connectWithWebhook } from '../portal/node/hook-session.ts'
import { readWebhookAccess } from '../portal/node/webhook-access.ts'
import { isSenderNotFound, SENDER_NOT_FOUND_ADVICE } from '../portal/email-activity.ts'
import { pdfFetcher } from '../portal/node/document-pdf.ts'

/**
 * The scheduled reminder runner: `npm run remind -- --once [--dry-run] [--locale en]`, meant for
 * cron at the configured send hour. Configuration comes from the environment (README, "Scheduled
 * reminders"):
 * - INVOICE_DESK_WEBHOOK_URL  incoming webhook `https://<portal>/rest/<user>/<secret>/` with the
 *   scopes crm, user_basic, im, task and bizproc, of an administrator when business processes are
 *   configured (a secret: keep it out of app options and out of the browser). The runner checks the
 *   scopes at start (`checkWebhook`): without crm or user_basic it stops; without the others it says
 *   what will not happen and goes on;
 * - INVOICE_DESK_SETTINGS_FILE  the settings JSON saved from the app's settings page. A webhook is
 *   not an application, so `app.option.get` refuses it ("Application context required"); without
 *   this file the runner tries it anyway and stops with a clear message when refused;
 * - INVOICE_DESK_CA_FILE  optional PEM of a private CA (on-premise or test portals).
 * Exit codes: 0 all sent (or nothing due), 1 something failed or could not run, 2 usage. A
 * configuration gap (an escalation with no one to escalate to) is reported once and is not a failure.
 * The run itself is the flow `runNightly` (`src/flows/nightly-run.ts`); this file loads the settings,
 * checks the webhook and prints the report.
 */

export interface CliIo {
  readonly out: (line: string) => void
  readonly err: (line: string) => void
}

interface CliArgs {
  readonly once: boolean
  readonly dryRun: boolean
  readonly locale: 'ru' | 'en'
}

function parseArgs(argv: readonly string[]): CliArgs | string {
  let once = false
  let dryRun = false
  let locale: 'ru' | 'en' = 'ru'
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--once')
      once = true
    else if (arg === '--dry-run')
      dryRun = true
    else if (arg === '--locale' && (argv[i + 1] === 'ru' || argv[i + 1] === 'en'))
      locale = argv[++i] as 'ru' | 'en'
    else
      return `Unknown argument: ${arg}`
  }
  if (!once)
    return 'Pass --once: the runner does one sweep and exits (schedule it with cron).'
  return { once, dryRun, locale }
}

/**
 * The settings file (or, without one, `app.option.get`), checked as every entry point checks them
 * (`settingsForUse`): a file that is not a settings document, of a newer schema or with a value out
 * of its limits is refused, and the run does not start.
 */
async function loadSettings(portal: PortalClient, env: NodeJS.ProcessEnv): Promise<SettingsForUse> {
  const file = env.INVOICE_DESK_SETTINGS_FILE
  if (file) {
    const raw: unknown = JSON.parse(await readFile(file, 'utf8'))
    const document = raw !== null && typeof raw === 'object' && SETTINGS_OPTION in raw ? (raw as Record<string, unknown>)[SETTINGS_OPTION] : raw
    return settingsForUse(document, null, { noneMeansDefaults: false })
  }
  try {
    return await readSettingsForUse(portal)
  }
  catch (error) {
    throw new Error(`Cannot read the app's settings through this connection (${error instanceof Error ? error.message : String(error)}). Save them from the settings page and set INVOICE_DESK_SETTINGS_FILE.`, { cause: error })
  }
}

/** Why a step is not sent, in the runner's language (the reasons the reminder queue shows). */
function skipReason(reason: string, until: string | null, { t }: Translator): string {
  return t(`reminders.skip.${reason}` as MessageKey, { until: until ?? '' })
}

function printPlan(prep: SweepPreparation, io: CliIo, locale: 'ru' | 'en', translator: Translator): void {
  const deferred = prep.deferred > 0 ? ` · ${translator.t('reminders.queue.deferred', { n: prep.deferred, count: formatCount(prep.deferred, locale) })}` : ''
  io.out(`Portal time ${prep.clock.today} ${String(prep.clock.hour).padStart(2, '0')}h · open invoices ${prep.scope.invoices.length} · messages due ${prep.previews.length}${deferred} · skipped ${prep.plan.skips.length}`)
  prep.plan.sends.forEach((send, i) => {
    const preview = prep.previews[i]!
    const steps = send.items.map(item => `#${item.invoiceId} ${stepLabel(item.stepKey, locale)}`).join(', ')
    io.out(`  ${send.channel.padEnd(8)} ${preview.to || '—'} · ${steps}${preview.subject ? ` · ${preview.subject}` : ''}${preview.problem ? ` · PROBLEM ${preview.problem}` : ''}`)
  })
  for (const skip of prep.plan.skips)
    io.out(`  skip     #${skip.invoiceId} ${skip.stepKey ? stepLabel(skip.stepKey, locale) : ''} · ${skipReason(skip.reason, skip.until, translator)}`)
}

function outcomeText(outcome: ProcessOutcome): string {
  const what = outcome.kind === 'trigger' ? `trigger ${outcome.code}` : `process ${outcome.start.name || outcome.start.templateId}`
  const why = 'error' in outcome && outcome.error instanceof Error ? `: ${outcome.error.message}` : ''
  return `${what} ${outcome.status}${why}`
}

function printResult(result: SweepResult, io: CliIo): void {
  for (const { invoiceId, outcome } of result.processWarnings)
    io.err(`  PROCESS #${invoiceId} reminder · ${outcomeText(outcome)}`)
  const count = (status: string) => result.outcomes.filter(outcome => outcome.status === status).length
  io.out(`Sent ${count('sent')} · failed ${count('failed')} · outcome unknown ${count('unknown')} · taken by another sweep ${count('lost')} · recovered ${count('recovered')} · for a person to decide ${count('undecided')} · skips recorded ${result.skipsRecorded}`)
  for (const outcome of result.outcomes.filter(o => (o.status === 'failed' && !isConfigurationGap(o)) || o.status === 'unknown'))
    io.err(`  ${outcome.status.toUpperCase()} #${outcome.invoiceId} ${outcome.stepKey} ${outcome.channel}: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`)
  if (result.outcomes.some(outcome => isSenderNotFound(outcome.error)))
    io.err(SENDER_NOT_FOUND_HINT)
  for (const outcome of result.outcomes.filter(o => o.status === 'undecided'))
    io.out(`  UNDECIDED #${outcome.invoiceId} ${outcome.stepKey} ${outcome.channel}: an interrupted sweep left the e-mail in the invoice card; whether it went out is unknown. Not sent again: decide in the reminder queue.`)
  for (const outcome of result.outcomes.filter(o => o.recordError !== undefined))
    io.err(`  NOT RECORDED #${outcome.invoiceId} ${outcome.stepKey} ${outcome.channel}: sent, but the record failed: ${outcome.recordError instanceof Error ? outcome.recordError.message : String(outcome.recordError)}`)
}

const blockedText: Record<string, string> = {
  adminOnly: 'the webhook\'s user is not an administrator',
  appContextOnly: 'app triggers fire only in an administrator\'s app session, never from a webhook',
  noBizprocScope: 'the webhook lacks the bizproc scope',
  needsAdminWebhook: 'needs an administrator\'s webhook with bizproc',
}

/**
 * Reads the webhook's scopes and admin flag and prints what is missing for these settings. Returns
 * false when the runner cannot work at all (crm or user_basic missing). When the portal does not
 * answer the check, says so and goes on: the methods themselves will tell.
 */
async function checkWebhook(portal: PortalClient, settings: InvoiceDeskSettings, io: CliIo): Promise<boolean> {
  let access
  try {
    access = await readWebhookAccess(portal)
  }
  catch (error) {
    io.err(`Could not check the webhook's scopes (${error instanceof Error ? error.message : String(error)}); going on.`)
    return true
  }
  io.out(`Webhook scopes: ${access.scopes.join(', ') || '—'} · administrator: ${access.isAdmin ? 'yes' : 'no'}`)
  const report = checkRunnerAccess(access.scopes, access.isAdmin, settings)
  for (const missing of [...report.missingRequired, ...report.missingOptional])
    io.err(`  MISSING scope ${missing.scope}: needed for ${missing.use}.${missing.required ? ' The runner cannot work without it.' : ''}`)
  for (const entry of report.blocked)
    io.err(`  WILL NOT START ${entry.kind} «${entry.name}» at ${entry.event}: ${blockedText[entry.reason]}`)
  if (report.missingRequired.length > 0 || report.missingOptional.length > 0)
    io.err(`Add the missing scopes to the incoming webhook (it needs ${RUNNER_SCOPES.map(entry => entry.scope).join(', ')}).`)
  return report.missingRequired.length === 0
}
/** Prints what the nightly run did, in the order it happened. */
function printReport(report: NightlyReport, io: CliIo, locale: 'ru' | 'en', translator: Translator): void {
  const prep = report.preparation
  printPlan(prep, io, locale, translator)
  if (report.calendarGaps.length > 0)
    io.err(`WARNING: no production calendar for ${report.calendarGaps.join(', ')}: that year's holidays count as business days until they are added in Settings → Reminders.`)
  if (report.sweep)
    printResult(report.sweep, io)
  // A configuration gap, once per run: not a failure, an admin's setting.
  for (const gap of report.gaps)
    io.err(`  ${translator.t('runner.gap.escalationNoRecipient', { n: gap.invoiceIds.length, ids: gap.invoiceIds.map(id => `#${id}`).join(', ') })}`)
  for (const b of report.brokenPromises)
    io.out(`  promise  #${b.invoiceId} broken (was ${b.on})${b.acted ? ' · recorded' : report.dryRun ? '' : ' · by another sweep'}${b.processWarnings.map(o => ` · ${outcomeText(o)}`).join('')}`)
  for (const f of report.followUps)
    io.out(`  paid     #${f.invoice.id} on ${f.paidOn}${f.dealMoved ? ' · deal moved' : ''}${f.error ? ` · FAILED ${f.error instanceof Error ? f.error.message : String(f.error)}` : ''}${f.processWarnings.map(o => ` · ${outcomeText(o)}`).join('')}${f.closing ? ` · closing document ${f.closing.status === 'skipped' ? `skipped (${f.closing.reason})` : f.closing.status}` : ''}`)
  for (const journal of report.journal) {
    if (journal.status === 'failed')
      io.err(`  JOURNAL not written: ${journal.error.message}`)
  }
  if (report.dryRun)
    io.out('Dry run: nothing was sent or written.')
  for (const outcome of report.subscriptions)
    io.out(subscriptionLine(outcome, locale, report.dryRun))
}

/** The runner's line when Bitrix24 found no sender for an e-mail. */
export const SENDER_NOT_FOUND_HINT = `  WHAT TO DO: ${SENDER_NOT_FOUND_ADVICE}`

/** Runs the CLI; returns the exit code. `connect` is injectable for tests. */
export async function runRemindCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo, connect = connectWithWebhook): Promise<number> {
  const args = parseArgs(argv)
  if (typeof args === 'string') {
    io.err(args)
    return 2
  }
  const url = env.INVOICE_DESK_WEBHOOK_URL
  if (!url) {
    io.err('Set INVOICE_DESK_WEBHOOK_URL to an incoming webhook of the portal (https://<portal>/rest/<user>/<secret>/).')
    return 2
  }
  try {
    const caCertificate = env.INVOICE_DESK_CA_FILE ? await readFile(env.INVOICE_DESK_CA_FILE, 'utf8') : undefined
    const portal = connect(url, { caCertificate })
    const loaded = await loadSettings(portal, env)
    if (!loaded.ok) {
      io.err('Reminder sweep not started: the settings cannot be used.')
      for (const issue of loaded.issues)
        io.err(`  SETTINGS ${settingsIssueLine(issue)}`)
      return 1
    }
    const settings = loaded.settings
    if (!await checkWebhook(portal, settings, io)) {
      io.err('Reminder sweep not started: the webhook lacks a scope the runner cannot work without.')
      return 1
    }
    // Test mode (settings) makes every run a dry run: planned and printed, nothing sent or written.
    if (settings.testMode && !args.dryRun)
      io.out('Test mode is on in the settings: this run is a dry run.')
    const translator = createTranslator(args.locale)
    const report = await runNightly(portal, settings, { locale: args.locale, dryRun: args.dryRun, runnerId: newRunnerId(), fetchPdf: pdfFetcher({ caCertificate }) })
    printReport(report, io, args.locale, translator)
    if (report.dryRun)
      return 0
    io.out(`Payments followed up ${report.followUps.length} · subscription invoices issued ${report.subscriptions.filter(o => o.result?.status === 'sent' && !o.result.alreadyDone).length} · REST round trips: ${portal.roundTrips()}`)
    return report.failed ? 1 : 0
  }
  catch (error) {
    io.err(`Reminder sweep stopped: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void runRemindCli(process.argv.slice(2), process.env, { out: line => console.log(line), err: line => console.error(line) })
    .then((code) => { process.exitCode = code })
}
