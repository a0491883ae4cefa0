import type { Locale } from '../domain/format.ts'
import type { InvoiceDeskSettings, ReminderChannel } from '../domain/settings/settings.ts'
import type { SettingsIssue } from '../domain/settings/validate-settings.ts'
import type { ClosingOutcome } from '../flows/closing-document.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { ProcessOutcome } from '../flows/business-process.ts'
import type { NightlyReport } from '../flows/nightly-run.ts'
import type { SweepPreparation, SweepResult } from '../flows/run-reminders.ts'
import type { MessageKey } from '../i18n/messages.ts'
import type { Translator } from '../i18n/translate.ts'
import { readFile } from 'node:fs/promises'
import process from 'node:process'
import { pathToFileURL } from 'node:url'
import { checkRunnerAccess, RUNNER_SCOPES } from '../domain/runner/runner-access.ts'
import { SETTINGS_OPTION } from '../domain/settings/read-settings.ts'
import { settingsForUse } from '../domain/settings/settings-for-use.ts'
import { readSettingsForUse } from '../flows/settings-for-use.ts'
import type { SettingsForUse } from '../flows/settings-for-use.ts'
import { channelLabel, stepLabel } from '../domain/collection/reminder-messages.ts'
import { formatCalendarDate, formatCount } from '../domain/format.ts'
import { settingsSectionOf } from '../domain/settings/settings-issue-text.ts'
import { isConfigurationGap, runNightly } from '../flows/nightly-run.ts'
import { newRunnerId } from '../flows/run-reminders.ts'
import { createTranslator } from '../i18n/translate.ts'
import { subscriptionLine } from './subscription-report.ts'
import { connectWithWebhook } from '../portal/node/hook-session.ts'
import { readWebhookAccess } from '../portal/node/webhook-access.ts'
import { isSenderMissing } from '../flows/failure-kinds.ts'
import { pdfFetcher } from '../portal/node/document-pdf.ts'

/**
 * The scheduled reminder runner: `npm run remind -- --once [--dry-run] [--locale en]`, meant for
 * cron at the configured send hour. Every line it prints is in one language: `--locale`, else
 * INVOICE_DESK_LOCALE, else Russian; only the portal's own words (its error messages) and data stay as they are. Configuration comes from the environment (README, "Scheduled
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
  readonly locale: Locale
}

/** The runner's language: `--locale ru|en`, else INVOICE_DESK_LOCALE, else Russian; every line follows it. */
function localeOf(argv: readonly string[], env: NodeJS.ProcessEnv): Locale {
  const at = argv.indexOf('--locale')
  const asked = at >= 0 ? argv[at + 1] : env.INVOICE_DESK_LOCALE
  return asked === 'en' ? 'en' : 'ru'
}

function parseArgs(argv: readonly string[], locale: Locale, { t }: Translator): CliArgs | string {
  let once = false
  let dryRun = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--once')
      once = true
    else if (arg === '--dry-run')
      dryRun = true
    else if (arg === '--locale' && (argv[i + 1] === 'ru' || argv[i + 1] === 'en'))
      i++
    else
      return t('runner.usage.unknownArgument', { arg: String(arg) })
  }
  if (!once)
    return t('runner.usage.once')
  return { once, dryRun, locale }
}

/**
 * The settings file (or, without one, `app.option.get`), checked as every entry point checks them
 * (`settingsForUse`): a file that is not a settings document, of a newer schema or with a value out
 * of its limits is refused, and the run does not start.
 */
async function loadSettings(portal: PortalClient, env: NodeJS.ProcessEnv, { t }: Translator): Promise<SettingsForUse> {
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
    throw new Error(t('runner.settings.unreadable', { error: wordsOf(error) }), { cause: error })
  }
}

function wordsOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A stored settings value the runner cannot use: the field, what is wrong, where an administrator fixes it. */
function settingsIssueText(issue: SettingsIssue, { t }: Translator): string {
  const reason = t(`settings.error.${issue.code}` as MessageKey, issue.params ?? {})
  const section = settingsSectionOf(issue.path)
  return section
    ? t('runner.settings.issue', { path: issue.path, reason, section: t(`settings.section.${section}` as MessageKey) })
    : t('runner.settings.issueWhole', { path: issue.path, reason })
}

/** Why a step is not sent, in the runner's language (the reasons the reminder queue shows). */
function skipReason(reason: string, until: string | null, { t, locale }: Translator): string {
  return t(`reminders.skip.${reason}` as MessageKey, { until: until ? formatCalendarDate(until, locale) : '' })
}

/** A step and its channel in words: «за 3 дн. до срока, письмо клиенту». */
function stepWords(stepKey: string | null, channel: ReminderChannel | null, locale: Locale): { step: string, channel: string } {
  return { step: stepKey ? stepLabel(stepKey, locale) : '', channel: channel ? channelLabel(channel, locale) : '' }
}

function printPlan(prep: SweepPreparation, io: CliIo, translator: Translator): void {
  const { t, locale } = translator
  const deferred = prep.deferred > 0 ? ` · ${t('reminders.queue.deferred', { n: prep.deferred, count: formatCount(prep.deferred, locale) })}` : ''
  io.out(t('runner.plan', { today: formatCalendarDate(prep.clock.today, locale), hour: String(prep.clock.hour).padStart(2, '0'), invoices: prep.scope.invoices.length, due: prep.previews.length, skipped: prep.plan.skips.length }) + deferred)
  prep.plan.sends.forEach((send, i) => {
    const preview = prep.previews[i]!
    const steps = send.items.map(item => `#${item.invoiceId} ${stepLabel(item.stepKey, locale)}`).join(', ')
    const tail = [preview.subject, preview.problem ? t('runner.plan.problem', { problem: t(`runner.plan.problem.${preview.problem}`) }) : ''].filter(Boolean)
    io.out([t('runner.plan.send', { channel: channelLabel(send.channel, locale), to: preview.to || '—', steps }), ...tail].join(' · '))
  })
  for (const skip of prep.plan.skips)
    io.out(t('runner.plan.skip', { id: skip.invoiceId, step: skip.stepKey ? stepLabel(skip.stepKey, locale) : '', reason: skipReason(skip.reason, skip.until, translator) }))
}

function outcomeText(outcome: ProcessOutcome, { t }: Translator): string {
  const what = outcome.kind === 'trigger' ? t('runner.process.trigger', { code: outcome.code }) : t('runner.process.process', { name: outcome.start.name || `#${outcome.start.templateId}` })
  const why = 'error' in outcome && outcome.error instanceof Error ? `: ${outcome.error.message}` : ''
  return `${what} ${t(`runner.process.${outcome.status}`)}${why}`
}

function printResult(result: SweepResult, io: CliIo, translator: Translator): void {
  const { t, locale } = translator
  for (const { invoiceId, outcome } of result.processWarnings)
    io.err(t('runner.process', { id: invoiceId, outcome: outcomeText(outcome, translator) }))
  const count = (status: string) => result.outcomes.filter(outcome => outcome.status === status).length
  io.out(t('runner.result', { sent: count('sent'), failed: count('failed'), unknown: count('unknown'), lost: count('lost'), recovered: count('recovered'), undecided: count('undecided'), skips: result.skipsRecorded }))
  const words = (outcome: SweepResult['outcomes'][number]) => ({ id: outcome.invoiceId, ...stepWords(outcome.stepKey, outcome.channel, locale) })
  for (const outcome of result.outcomes.filter(o => (o.status === 'failed' && !isConfigurationGap(o)) || o.status === 'unknown'))
    io.err(t(outcome.status === 'failed' ? 'runner.result.failed' : 'runner.result.unknown', { ...words(outcome), error: wordsOf(outcome.error) }))
  if (result.outcomes.some(outcome => isSenderMissing(outcome.error)))
    io.err(t('runner.result.senderHint', { advice: t('error.senderNotFound') }))
  for (const outcome of result.outcomes.filter(o => o.status === 'undecided'))
    io.out(t('runner.result.undecided', words(outcome)))
  for (const outcome of result.outcomes.filter(o => o.recordError !== undefined))
    io.err(t('runner.result.notRecorded', { ...words(outcome), error: wordsOf(outcome.recordError) }))
}

/**
 * Reads the webhook's scopes and admin flag and prints what is missing for these settings. Returns
 * false when the runner cannot work at all (crm or user_basic missing). When the portal does not
 * answer the check, says so and goes on: the methods themselves will tell.
 */
async function checkWebhook(portal: PortalClient, settings: InvoiceDeskSettings, io: CliIo, { t }: Translator): Promise<boolean> {
  let access
  try {
    access = await readWebhookAccess(portal)
  }
  catch (error) {
    io.err(t('runner.webhook.checkFailed', { error: wordsOf(error) }))
    return true
  }
  io.out(t('runner.webhook.scopes', { scopes: access.scopes.join(', ') || '—', admin: t(access.isAdmin ? 'runner.webhook.yes' : 'runner.webhook.no') }))
  const report = checkRunnerAccess(access.scopes, access.isAdmin, settings)
  for (const missing of [...report.missingRequired, ...report.missingOptional])
    io.err(t(missing.required ? 'runner.webhook.missingRequired' : 'runner.webhook.missing', { scope: missing.scope, use: t(`runner.scope.${missing.scope}`) }))
  for (const entry of report.blocked) {
    const what = t(`bizproc.blocked.${entry.kind}`, { name: entry.name, event: t(`bizproc.event.${entry.event}`) })
    io.err(t('runner.webhook.blocked', { what, why: t(`bizproc.blocked.reason.${entry.reason}`) }))
  }
  if (report.missingRequired.length > 0 || report.missingOptional.length > 0)
    io.err(t('runner.webhook.addScopes', { scopes: RUNNER_SCOPES.map(entry => entry.scope).join(', ') }))
  return report.missingRequired.length === 0
}

function closingText(closing: ClosingOutcome, { t }: Translator): string {
  return closing.status === 'skipped' ? t('runner.closing.skipped', { reason: t(`runner.closing.skip.${closing.reason}`) }) : t(`runner.closing.${closing.status}`)
}

/** Prints what the nightly run did, in the order it happened. */
function printReport(report: NightlyReport, io: CliIo, translator: Translator): void {
  const { t, locale } = translator
  const prep = report.preparation
  printPlan(prep, io, translator)
  if (report.calendarGaps.length > 0)
    io.err(t('runner.calendarGap', { years: report.calendarGaps.join(', ') }))
  if (report.sweep)
    printResult(report.sweep, io, translator)
  // A configuration gap, once per run: not a failure, an admin's setting.
  for (const gap of report.gaps)
    io.err(`  ${t('runner.gap.escalationNoRecipient', { n: gap.invoiceIds.length, ids: gap.invoiceIds.map(id => `#${id}`).join(', ') })}`)
  for (const b of report.brokenPromises) {
    const tail = b.acted ? [t('runner.promise.recorded')] : report.dryRun ? [] : [t('runner.promise.byOther')]
    io.out([t('runner.promise', { id: b.invoiceId, on: formatCalendarDate(b.on, locale) }), ...tail, ...b.processWarnings.map(o => outcomeText(o, translator))].join(' · '))
  }
  for (const f of report.followUps) {
    const parts = [
      t('runner.paid', { id: f.invoice.id, on: formatCalendarDate(f.paidOn, locale) }),
      ...(f.dealMoved ? [t('runner.paid.dealMoved')] : []),
      ...(f.error ? [t('runner.paid.failed', { error: wordsOf(f.error) })] : []),
      ...f.processWarnings.map(o => outcomeText(o, translator)),
      ...(f.closing ? [closingText(f.closing, translator)] : []),
    ]
    io.out(parts.join(' · '))
  }
  for (const journal of report.journal) {
    if (journal.status === 'failed')
      io.err(t('runner.journalFailed', { error: journal.error.message }))
  }
  if (report.dryRun)
    io.out(t('runner.dryRun'))
  for (const outcome of report.subscriptions)
    io.out(subscriptionLine(outcome, translator, report.dryRun))
}

/** Runs the CLI; returns the exit code. `connect` is injectable for tests. */
export async function runRemindCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo, connect = connectWithWebhook): Promise<number> {
  const locale = localeOf(argv, env)
  const translator = createTranslator(locale)
  const { t } = translator
  const args = parseArgs(argv, locale, translator)
  if (typeof args === 'string') {
    io.err(args)
    return 2
  }
  const url = env.INVOICE_DESK_WEBHOOK_URL
  if (!url) {
    io.err(t('runner.usage.webhook'))
    return 2
  }
  try {
    const caCertificate = env.INVOICE_DESK_CA_FILE ? await readFile(env.INVOICE_DESK_CA_FILE, 'utf8') : undefined
    const portal = connect(url, { caCertificate })
    const loaded = await loadSettings(portal, env, translator)
    if (!loaded.ok) {
      io.err(t('runner.settings.refused'))
      for (const issue of loaded.issues)
        io.err(settingsIssueText(issue, translator))
      return 1
    }
    const settings = loaded.settings
    if (!await checkWebhook(portal, settings, io, translator)) {
      io.err(t('runner.webhook.refused'))
      return 1
    }
    // Test mode (settings) makes every run a dry run: planned and printed, nothing sent or written.
    if (settings.testMode && !args.dryRun)
      io.out(t('runner.testMode'))
    const report = await runNightly(portal, settings, { locale: args.locale, dryRun: args.dryRun, runnerId: newRunnerId(), fetchPdf: pdfFetcher({ caCertificate }) })
    printReport(report, io, translator)
    if (report.dryRun)
      return 0
    io.out(t('runner.summary', { followUps: report.followUps.length, subscriptions: report.subscriptions.filter(o => o.result?.status === 'sent' && !o.result.alreadyDone).length, roundTrips: portal.roundTrips() }))
    return report.failed ? 1 : 0
  }
  catch (error) {
    io.err(t('runner.stopped', { error: wordsOf(error) }))
    return 1
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void runRemindCli(process.argv.slice(2), process.env, { out: line => console.log(line), err: line => console.error(line) })
    .then((code) => { process.exitCode = code })
}
