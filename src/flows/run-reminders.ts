import type { CollectionRecord } from '../domain/collection/collection-record.ts'
import type { CollectionState } from '../domain/collection/collection-state.ts'
import type { ReminderFacts } from '../domain/collection/reminder-messages.ts'
import type { Locale } from '../domain/format.ts'
import type { MessageKey } from '../i18n/messages.ts'
import type { Invoice } from '../domain/invoice.ts'
import type { PortalClock } from '../domain/portal-clock.ts'
import type { ReminderDue, ReminderInvoice, ReminderPlan, ReminderSend, ReminderSkip } from '../domain/reminders/plan-reminders.ts'
import type { FoundInPortal } from '../domain/reminders/sweep-decisions.ts'
import type { InvoiceDeskSettings, ReminderChannel } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { LogWrite } from '../portal/collection/collection-log.ts'
import type { ReminderContext, ReminderScope } from '../portal/reminders/reminder-read.ts'
import type { OriginProbe, RecordedDelivery, RecordedNotice, ReminderDelivery } from '../portal/reminders/reminder-send.ts'
import type { SendAndRecordOutcome } from '../portal/send-and-record.ts'
import type { ProcessOutcome } from './business-process.ts'
import type { MessageSender } from '../domain/email-sender.ts'
import { taggedText } from '../domain/collection/collection-record.ts'
import { emptyCollectionState } from '../domain/collection/collection-state.ts'
import { groupedReminderText, reminderNotificationText, reminderRecordSentence, reminderRecordTitle, reminderTaskTitle, reminderTemplateValues } from '../domain/collection/reminder-messages.ts'
import { messageSender } from '../domain/email-sender.ts'
import { formatCalendarDate } from '../domain/format.ts'
import { isValidEmail } from '../domain/issue/client.ts'
import { portalClockOf } from '../domain/portal-clock.ts'
import { planReminders, RECORDED_SKIP_REASONS } from '../domain/reminders/plan-reminders.ts'
import { capSends, deadClaimVerdict, dueKey, hasSentMark, lostAnswerVerdict, ownClaimIn, sendOrigin, staleClaimOrigin, wonStep } from '../domain/reminders/sweep-decisions.ts'
import { reminderDueWindow } from '../domain/reminders/reminder-window.ts'
import { RESEND_REASON } from '../domain/reminders/reminder-history.ts'
import { indexStages, isInitialStage } from '../domain/stage.ts'
import { renderTemplate } from '../domain/template/render-template.ts'
import { createTranslator } from '../i18n/translate.ts'
import { readCollectionStates } from '../portal/collection/collection-log.ts'
import type { ReplayGuard } from '../portal/replay-guard.ts'
import { isReplayed, newGuard, releaseGuard } from '../portal/replay-guard.ts'
import { startProcesses, unfinishedOutcomes } from './business-process.ts'
import { loadReminderContexts, loadReminderScope, readSweepClock } from '../portal/reminders/reminder-read.ts'
import { probeOrigins, recordWrite, sendRecordedDeliveries, sendRecordedNotices, writeLogEntries } from '../portal/reminders/reminder-send.ts'

/**
 * The reminder sweep, shared by the accountant's queue (in the frame) and the scheduled runner
 * (`src/cli/remind.ts`, on a webhook): `prepareSweep` reads and plans (writes nothing: this is the
 * dry run), `executeSweep` sends what the plan holds — or the part of it the accountant selected.
 */

export interface SweepOptions {
  /** Language of the e-mails, notifications and timeline entries. */
  readonly locale: Locale
  /** A random id per sweep: tells this sweep's claims from another's. */
  readonly runnerId: string
  /** Progress of the longer phases: `done` of `total` units. */
  readonly onProgress?: (phase: 'load' | 'send', done: number, total: number) => void
  /** Whether the acting user is a portal admin in the app's context (app triggers fire only then). Default false. */
  readonly isAdmin?: boolean
}

/** One message as the recipient will see it. */
export interface ReminderPreview {
  /** `<invoiceId>:<stepKey>` of every invoice the message covers. */
  readonly keys: readonly string[]
  readonly channel: ReminderChannel
  readonly invoices: readonly Invoice[]
  /** E-mail address, or the people notified / the task's responsible as user ids. */
  readonly to: string
  readonly subject: string
  /** E-mails: escaped HTML; notifications and tasks: plain text. */
  readonly body: string
  /** Why this message cannot go out (no e-mail address, no one to escalate to); it is recorded as failed when sent. */
  readonly problem: 'noEmail' | 'noRecipient' | null
  /** E-mails: who it comes from (the settings' sender, the invoice's responsible manager); null for tasks and notifications. */
  readonly sender?: MessageSender | null
}

export interface SweepPreparation {
  /** The settings the plan was made with (the send runs the "reminder" processes from them). */
  readonly settings: InvoiceDeskSettings
  readonly clock: PortalClock
  readonly scope: ReminderScope
  readonly contexts: ReadonlyMap<number, ReminderContext>
  readonly plan: ReminderPlan
  readonly previews: readonly ReminderPreview[]
  /** Messages due but left for the next sweep: one sweep prepares at most `MAX_SWEEP_MESSAGES` (0 on a usual day). */
  readonly deferred: number
}

/**
 * The most messages one sweep prepares and sends. A first sweep on a big portal finds every recently
 * overdue invoice due at once (thousands on a portal with 100,000 invoices); their clients, documents
 * and managers cost one round trip per 12, so the rest waits for the next sweep (catch-up sends each
 * of them later, once). The freshest steps go first: a backlog never delays today's reminders.
 */
export const MAX_SWEEP_MESSAGES = 500

export type ReminderOutcomeStatus = 'sent' | 'failed' | 'lost' | 'recovered' | 'unknown' | 'undecided'

export interface ReminderOutcome {
  readonly invoiceId: number
  readonly stepKey: string
  readonly channel: ReminderChannel
  /**
   * sent; failed (recorded with the portal's error; the next sweep tries again); lost (another sweep
   * won the claim, nothing done); recovered (a dead sweep had created the task: recorded as sent);
   * unknown (the connection dropped while sending, or a dead sweep's claim could not be looked
   * into: nothing recorded, a sweep after the claim lease checks and finishes it); undecided (a dead
   * sweep, or a send batch whose answer was lost, left the e-mail's activity without its `sent`
   * record, which does not prove the e-mail went out: recorded as `unknown`, never sent again by
   * the app, a person decides in the queue).
   */
  readonly status: ReminderOutcomeStatus
  readonly error: unknown
  /** Sent, but its `sent` record could not be written (the error): a later sweep may send it again. */
  readonly recordError?: unknown
}

export interface SweepResult {
  readonly outcomes: readonly ReminderOutcome[]
  /** The "reminder" processes and trigger that did not start, by invoice (a reminder sent is never undone by them). */
  readonly processWarnings: ReadonlyArray<{ readonly invoiceId: number, readonly outcome: ProcessOutcome }>
  /** Skips recorded in the timelines this time (each step and reason once). */
  readonly skipsRecorded: number
}

export { dueKey }

function closedOf(invoice: Invoice, stages: ReturnType<typeof indexStages>): ReminderInvoice['closed'] {
  const semantics = stages.get(invoice.stageId)?.semantics
  return semantics === 'success' ? 'paid' : semantics === 'failure' ? 'cancelled' : null
}

/**
 * Reads what is due and plans it. The portal returns only the open invoices whose due date lies in
 * `reminderDueWindow` (or that have none); with W of them, C with a step due by the invoices alone
 * and M messages planned (at most `MAX_SWEEP_MESSAGES`), the HTTP requests are
 * 3 + ⌈W/2500⌉ (the invoices, keyset pages) + ⌈C/50⌉ (their timeline records, more when a log runs
 * past 10 entries) + ⌈M/12⌉ (client, document, manager) + 1 when an escalation needs supervisors.
 * Writes nothing.
 */
export async function prepareSweep(portal: PortalClient, settings: InvoiceDeskSettings, options: SweepOptions): Promise<SweepPreparation> {
  const dueDates = (serverTime: string) => {
    const today = portalClockOf(serverTime)?.today
    return today ? reminderDueWindow(settings.reminders, today) : null
  }
  const scope = await loadReminderScope(portal, settings.invoice.myCompanyId, { dueDates })
  const clock = portalClockOf(scope.serverTime)
  if (!clock)
    throw new Error(`server.time answered "${scope.serverTime}"`)
  const stages = indexStages(scope.stages)
  // A draft (the pipeline's first stage) was never sent to the client — e.g. one held for approval: nothing to remind of.
  const entries = scope.invoices
    .filter((invoice) => {
      const stage = stages.get(invoice.stageId)
      return !stage || !isInitialStage(stage, stages)
    })
    .map(invoice => ({ invoice, closed: closedOf(invoice, stages) }))
  // With no history every invoice that has any step due shows up: those are the ones whose logs matter.
  const rough = planReminders(entries, new Map(), settings.reminders, clock)
  const candidates = new Set([...rough.sends.flatMap(send => send.items.map(item => item.invoiceId)), ...rough.skips.map(skip => skip.invoiceId)])
  const candidateEntries = entries.filter(entry => candidates.has(entry.invoice.id))
  options.onProgress?.('load', 0, candidateEntries.length)
  const history = await readCollectionStates(portal, candidateEntries.map(entry => entry.invoice.id))
  const { plan, deferred } = capSends(planReminders(candidateEntries, history, settings.reminders, clock), MAX_SWEEP_MESSAGES)
  const messaged = new Set(plan.sends.flatMap(send => send.items.map(item => item.invoiceId)))
  const contexts = new Map([...history].map(([id, state]) => [id, { state, client: null, documentUrl: null, manager: null } as ReminderContext]))
  const escalating = plan.sends.some(send => send.channel === 'escalate' || (send.channel === 'notify' && settings.notifications.onOverdue.roles.includes('supervisor')))
  const messageContexts = await loadReminderContexts(portal, candidateEntries.filter(entry => messaged.has(entry.invoice.id)).map(entry => entry.invoice), history, escalating)
  messageContexts.forEach((context, id) => contexts.set(id, context))
  options.onProgress?.('load', candidateEntries.length, candidateEntries.length)
  const byId = new Map(scope.invoices.map(invoice => [invoice.id, invoice]))
  const previews = plan.sends.map(send => previewOf(send, byId, contexts, scope, settings, options.locale))
  return { settings, clock, scope, contexts, plan, previews, deferred }
}

function factsOf(due: ReminderDue, invoice: Invoice, context: ReminderContext | undefined, scope: ReminderScope): ReminderFacts {
  return {
    invoice,
    stepKey: due.stepKey,
    balance: due.balance,
    daysOverdue: due.daysOverdue,
    clientName: context?.client?.name ?? '',
    managerName: context?.manager?.name ?? '',
    managerEmail: context?.manager?.email ?? '',
    managerPhone: context?.manager?.phone ?? '',
    companyName: scope.companyName,
    documentUrl: context?.documentUrl ?? null,
  }
}

/** Escalations: the responsible's supervisor (head of their department) and the named accountants; notifications: the overdue recipients. */
function notifyRecipients(channel: ReminderChannel, invoice: Invoice, settings: InvoiceDeskSettings, supervisorId: number | null): number[] {
  const ids = new Set<number>()
  if (channel === 'escalate') {
    if (supervisorId !== null)
      ids.add(supervisorId)
    settings.reminders.escalationUserIds.forEach(id => ids.add(id))
  }
  else {
    const { roles, userIds } = settings.notifications.onOverdue
    if (invoice.responsibleId !== null && roles.includes('responsible'))
      ids.add(invoice.responsibleId)
    if (supervisorId !== null && roles.includes('supervisor'))
      ids.add(supervisorId)
    userIds.forEach(id => ids.add(id))
  }
  return [...ids]
}

function previewOf(send: ReminderSend, byId: ReadonlyMap<number, Invoice>, contexts: ReadonlyMap<number, ReminderContext>, scope: ReminderScope, settings: InvoiceDeskSettings, locale: Locale): ReminderPreview {
  const invoices = send.items.map(item => byId.get(item.invoiceId)!)
  const facts = send.items.map((item, i) => factsOf(item, invoices[i]!, contexts.get(item.invoiceId), scope))
  const first = facts[0]!
  const keys = send.items.map(dueKey)
  const context = contexts.get(send.items[0]!.invoiceId)
  if (send.channel === 'email') {
    const email = context?.client?.email ?? ''
    const problem = email && isValidEmail(email) ? null : 'noEmail'
    const sender = messageSender(settings.email.sender, context?.manager ?? null)
    if (send.items.length > 1) {
      const text = groupedReminderText(facts, locale)
      return { keys, channel: send.channel, invoices, to: email, sender, subject: text.subject, body: renderTemplate(text.body, {}, 'html'), problem }
    }
    const template = settings.email.templates[send.items[0]!.templateId][locale]
    const values = reminderTemplateValues(first, locale)
    return { keys, channel: send.channel, invoices, to: email, sender, subject: renderTemplate(template.subject, values, 'text'), body: renderTemplate(template.body, values, 'html'), problem }
  }
  if (send.channel === 'task') {
    const problem = first.invoice.responsibleId === null ? 'noRecipient' : null
    return { keys, channel: send.channel, invoices, to: String(first.invoice.responsibleId ?? ''), subject: reminderTaskTitle(first, locale), body: '', problem }
  }
  const recipients = notifyRecipients(send.channel, first.invoice, settings, context?.supervisorId ?? null)
  return {
    keys,
    channel: send.channel,
    invoices,
    to: recipients.join(', '),
    subject: '',
    body: reminderNotificationText(first, send.channel, locale),
    problem: recipients.length === 0 ? 'noRecipient' : null,
  }
}

function deliveryOf(send: ReminderSend, preview: ReminderPreview, prep: SweepPreparation, origin: string | null): ReminderDelivery | null {
  const first = preview.invoices[0]!
  const context = prep.contexts.get(first.id)
  if (preview.problem)
    return null
  if (send.channel === 'email') {
    const owner = context!.client!.emailOwner!
    const grouped = send.items.length > 1
    return {
      kind: 'email',
      owner: grouped ? owner : { entityTypeId: 31, id: first.id },
      originId: origin!,
      to: preview.to,
      recipient: owner,
      subject: preview.subject,
      html: preview.body,
      responsibleId: first.responsibleId ?? context?.manager?.id ?? 1,
      sender: preview.sender ?? messageSender(prep.settings.email.sender, context?.manager ?? null),
    }
  }
  if (send.channel === 'task') {
    return {
      kind: 'task',
      title: preview.subject,
      responsibleId: first.responsibleId!,
      deadline: `${prep.clock.today}T18:00:00`,
      bindings: first.dealId === null ? [] : [`D_${first.dealId}`],
    }
  }
  return { kind: 'notify', userIds: preview.to.split(', ').map(Number), message: preview.body, tag: `INVOICE_DESK|REMIND|${first.id}|${send.items[0]!.stepKey}` }
}

function reminderWrite(due: Pick<ReminderDue, 'invoiceId' | 'stepKey' | 'channel'>, record: Omit<Extract<CollectionRecord, { kind: 'reminder' }>, 'kind' | 'step' | 'channel'>, detail: string, locale: Locale): LogWrite {
  const full: CollectionRecord = { kind: 'reminder', step: due.stepKey, channel: due.channel, ...record }
  const status = record.status
  return recordWrite(due.invoiceId, reminderRecordTitle(status, locale), taggedText(reminderRecordSentence(due.stepKey, due.channel, detail, locale), full))
}

/** The record of an e-mail whose activity was found without its `sent` record: a person decides in the queue. */
function undecidedWrite(due: ReminderDue, runnerId: string, locale: Locale): LogWrite {
  const detail = locale === 'ru'
    ? 'прерванный запуск оставил письмо в карточке; ушло ли оно, не известно — решите в очереди напоминаний'
    : 'an interrupted sweep left the e-mail in the card; whether it went out is unknown — decide in the reminder queue'
  return reminderWrite(due, { status: 'unknown', runner: runnerId, reason: 'activityFound' }, detail, locale)
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** One message of the sweep and its preview (rebuilt when some of its steps were dropped). */
interface Message {
  readonly send: ReminderSend
  readonly preview: ReminderPreview
}

/** What one sweep carries from phase to phase: the portal's clock now, the write batches' token, what it decided so far. */
interface SweepRun {
  readonly portal: PortalClient
  readonly prep: SweepPreparation
  readonly options: SweepOptions
  readonly clock: PortalClock
  readonly guard: ReplayGuard
  readonly byId: ReadonlyMap<number, Invoice>
  readonly outcomes: ReminderOutcome[]
  /** Records written after the sends (results, recovered tasks, steps a person must decide), by key. */
  readonly writes: Array<[string, LogWrite]>
}

/** The send with fewer items, its message rebuilt so that it speaks only of them. */
function narrowed(run: SweepRun, { send, preview }: Message, keep: (item: ReminderDue) => boolean): Message {
  const items = send.items.filter(keep)
  if (items.length === send.items.length)
    return { send, preview }
  const next = { ...send, items }
  return { send: next, preview: items.length > 0 ? previewOf(next, run.byId, run.prep.contexts, run.prep.scope, run.prep.settings, run.options.locale) : preview }
}

const outcomeOf = (item: ReminderDue, status: ReminderOutcomeStatus, error: unknown): ReminderOutcome => ({ invoiceId: item.invoiceId, stepKey: item.stepKey, channel: item.channel, status, error })

/**
 * Opens the sweep: the portal's clock now (a queue may have been prepared hours ago), read with the
 * first one-time token of the claim, send and record batches, on an invoice about to be reminded of
 * (README "Never twice"); the chosen messages narrowed to the selected steps.
 */
async function openSweep(portal: PortalClient, prep: SweepPreparation, options: SweepOptions, selected: ReadonlySet<string> | null): Promise<{ run: SweepRun, chosen: Message[] }> {
  const isChosen = (item: ReminderDue) => selected === null || selected.has(dueKey(item))
  const firstInvoiceId = prep.plan.sends.flatMap(send => send.items).find(isChosen)?.invoiceId ?? 0
  const opening = await readSweepClock(portal, firstInvoiceId)
  const run: SweepRun = {
    portal,
    prep,
    options,
    clock: portalClockOf(opening.serverTime) ?? prep.clock,
    guard: opening.guard,
    byId: new Map(prep.scope.invoices.map(invoice => [invoice.id, invoice])),
    outcomes: [],
    writes: [],
  }
  const chosen = prep.plan.sends
    .map((send, i) => narrowed(run, { send, preview: prep.previews[i]! }, isChosen))
    .filter(({ send }) => send.items.length > 0)
  return { run, chosen }
}

/** Phase 1: claims a dead sweep left — was the thing sent after all? Then it is recorded, not sent again. Returns the messages still to send. */
async function settleDeadClaims(run: SweepRun, chosen: readonly Message[]): Promise<Message[]> {
  const { locale, runnerId } = run.options
  const probes: OriginProbe[] = chosen.flatMap(({ send }) => send.items.flatMap((item) => {
    const origin = staleClaimOrigin(run.prep.contexts.get(item.invoiceId)?.state, item)
    return origin ? [{ key: dueKey(item), channel: item.channel as 'email' | 'task', origin }] : []
  }))
  const probed = probes.length > 0 ? await probeOrigins(run.portal, probes) : new Map<string, FoundInPortal>()
  const verdicts = new Map<string, ReturnType<typeof deadClaimVerdict>>()
  for (const item of chosen.flatMap(({ send }) => send.items)) {
    const verdict = deadClaimVerdict(probed.get(dueKey(item)), item.channel)
    verdicts.set(dueKey(item), verdict)
    if (verdict === 'unknown') {
      run.outcomes.push(outcomeOf(item, 'unknown', new Error(locale === 'ru' ? 'не удалось проверить, что оставил прерванный запуск' : 'could not look into what an interrupted sweep left')))
    }
    else if (verdict === 'recovered') {
      run.writes.push([dueKey(item), reminderWrite(item, { status: 'sent', runner: runnerId, reason: 'recovered' }, locale === 'ru' ? 'задача создана прерванным запуском' : 'task created by an interrupted sweep', locale)])
      run.outcomes.push(outcomeOf(item, 'recovered', null))
    }
    else if (verdict === 'undecided') {
      run.writes.push([dueKey(item), undecidedWrite(item, runnerId, locale)])
      run.outcomes.push(outcomeOf(item, 'undecided', null))
    }
  }
  return chosen
    .map(message => narrowed(run, message, item => verdicts.get(dueKey(item)) === 'send'))
    .filter(({ send }) => send.items.length > 0)
}

/** This sweep's claims as written: the claim's id, or its error (`REPLAYED`: written once, its id read back from the log). */
type Claims = ReadonlyMap<string, { id: number } | { error: unknown }>

/** Phase 2: claims every step about to be sent, with what the send will leave to find it by. */
async function claimSteps(run: SweepRun, live: readonly Message[]): Promise<{ claimed: Claims, origins: ReadonlyMap<ReminderSend, string | null> }> {
  const { locale, runnerId } = run.options
  const origins = new Map(live.map(({ send, preview }) => [send, sendOrigin(send, preview.subject, run.clock.today)]))
  const claimWrites = live.flatMap(({ send }) => send.items.map(item => [dueKey(item), reminderWrite(item, { status: 'claim', runner: runnerId, reason: null, origin: origins.get(send) ?? null }, '', locale)] as [string, LogWrite]))
  const claimed = await writeLogEntries(run.portal, claimWrites, run.guard, { mintNext: true })
  return { claimed, origins }
}

/** A claim batch the browser replayed was written once; its ids are read back by this sweep's runner id. */
function replayedClaim(claimed: Claims, item: ReminderDue): boolean {
  const claim = claimed.get(dueKey(item))
  return claim !== undefined && 'error' in claim && isReplayed(claim.error)
}

/** Phase 3: reads the claimed invoices' logs back and keeps the messages whose every step this sweep won. */
async function electWinners(run: SweepRun, live: readonly Message[], claimed: Claims): Promise<Message[]> {
  const { locale, runnerId } = run.options
  const claimedIds = [...new Set(live.flatMap(({ send }) => send.items.filter(item => replayedClaim(claimed, item) || 'id' in (claimed.get(dueKey(item)) ?? { error: true })).map(item => item.invoiceId)))]
  const states: Map<number, CollectionState> = claimedIds.length > 0 ? await readCollectionStates(run.portal, claimedIds) : new Map()
  const won = (item: ReminderDue): boolean => {
    const state = states.get(item.invoiceId) ?? emptyCollectionState(item.invoiceId)
    const written = claimed.get(dueKey(item))
    const own = replayedClaim(claimed, item) ? ownClaimIn(state, item, runnerId) : written && 'id' in written ? written : null
    return wonStep(item, own, state, run.byId.get(item.invoiceId), run.prep.settings.reminders, run.clock)
  }
  const winners: Message[] = []
  for (const { send, preview } of live) {
    const mine = send.items.filter((item) => {
      const claim = claimed.get(dueKey(item))
      if (claim && 'error' in claim && !replayedClaim(claimed, item)) {
        run.outcomes.push(outcomeOf(item, 'failed', claim.error))
        return false
      }
      if (!won(item)) {
        run.outcomes.push(outcomeOf(item, 'lost', null))
        return false
      }
      return true
    })
    if (mine.length === 0)
      continue
    if (mine.length < send.items.length) {
      // Part of a grouped e-mail went to another sweep: send none of it rather than a message that
      // speaks of invoices this sweep does not own. The claims stay open; after the lease a sweep sends it.
      mine.forEach(item => run.outcomes.push(outcomeOf(item, 'lost', null)))
      continue
    }
    if (preview.problem) {
      for (const item of mine) {
        run.writes.push([dueKey(item), reminderWrite(item, { status: 'failed', runner: runnerId, reason: preview.problem }, preview.problem, locale)])
        run.outcomes.push(outcomeOf(item, 'failed', preview.problem))
      }
      continue
    }
    winners.push({ send, preview })
  }
  return winners
}

/** What became of each message sent, by its key; `undecided`: an e-mail activity found without its `sent` record. */
type SendOutcome = SendAndRecordOutcome | { readonly status: 'undecided' }

type KeyedMessage = Message & { readonly key: string }

/**
 * Phase 4: sends the messages won, each with its `sent` records in the same halted batch
 * (notifications in their own, see `sendRecordedNotices`); a batch the browser replayed is looked
 * into (`lookIntoLostAnswers`).
 */
async function sendWon(run: SweepRun, winners: readonly Message[], origins: ReadonlyMap<ReminderSend, string | null>): Promise<{ toSend: KeyedMessage[], sent: Map<string, SendOutcome> }> {
  const { locale, runnerId } = run.options
  const deliveries: RecordedDelivery[] = []
  const notices: RecordedNotice[] = []
  const toSend = winners.map((message, index) => ({ ...message, key: `send${index}` }))
  for (const { send, preview, key } of toSend) {
    const delivery = deliveryOf(send, preview, run.prep, origins.get(send) ?? null)!
    const sentRecord = (item: ReminderDue) => reminderWrite(item, { status: 'sent', runner: runnerId, reason: null }, preview.to, locale)
    if (delivery.kind === 'notify')
      notices.push({ key, delivery, record: sentRecord(send.items[0]!) })
    else
      deliveries.push({ key, delivery, records: send.items.map(sentRecord) })
  }
  const total = deliveries.length + notices.length
  run.options.onProgress?.('send', 0, total)
  const sent = new Map<string, SendOutcome>([
    ...(deliveries.length > 0 ? await sendRecordedDeliveries(run.portal, deliveries, run.guard, { mintNext: true }) : []),
    ...(notices.length > 0 ? await sendRecordedNotices(run.portal, notices) : []),
  ])
  await lookIntoLostAnswers(run, toSend, origins, sent)
  run.options.onProgress?.('send', total, total)
  return { toSend, sent }
}

/**
 * A send batch the browser replayed ran once and its answer was lost: its `sent` records tell what
 * went out; without them, an e-mail's activity may be a refused send (a person decides) and a task
 * found is the task (`lostAnswerVerdict`). Costs a round trip or two, only then.
 */
async function lookIntoLostAnswers(run: SweepRun, toSend: readonly KeyedMessage[], origins: ReadonlyMap<ReminderSend, string | null>, sent: Map<string, SendOutcome>): Promise<void> {
  const replayed = toSend.filter(({ send, key }) => {
    const result = sent.get(key)
    return result?.status === 'unknown' && isReplayed(result.error) && origins.get(send) && (send.channel === 'email' || send.channel === 'task')
  })
  if (replayed.length === 0)
    return
  const states = await readCollectionStates(run.portal, [...new Set(replayed.flatMap(({ send }) => send.items.map(item => item.invoiceId)))])
  const marksOf = (send: ReminderSend) => send.items.map(item => hasSentMark(states.get(item.invoiceId), item, run.options.runnerId))
  const unmarked = replayed.filter(({ send }) => !marksOf(send).some(Boolean))
  const found = unmarked.length > 0
    ? await probeOrigins(run.portal, unmarked.map(({ send, key }) => ({ key, channel: send.channel as 'email' | 'task', origin: origins.get(send)! })))
    : new Map<string, FoundInPortal>()
  for (const { send, key } of replayed) {
    const verdict = lostAnswerVerdict(marksOf(send), found.get(key), send.channel)
    if (verdict.status === 'done')
      sent.set(key, { status: 'done', recorded: verdict.recorded, recordError: null })
    else if (verdict.status === 'undecided')
      sent.set(key, { status: 'undecided' })
  }
}

/**
 * Phase 5: records each result not yet recorded with its send (and, on a full sweep, the skips
 * worth recording), then gives back a token nothing used. Returns how many skips were recorded.
 */
async function recordResults(run: SweepRun, toSend: readonly KeyedMessage[], sent: ReadonlyMap<string, SendOutcome>, fullSweep: boolean): Promise<number> {
  const { locale, runnerId } = run.options
  const sentAt = new Map<string, number>()
  for (const { send, preview, key } of toSend) {
    const result = sent.get(key) ?? { status: 'unknown', error: null }
    for (const item of send.items) {
      if (result.status === 'undecided') {
        run.writes.push([dueKey(item), undecidedWrite(item, runnerId, locale)])
        run.outcomes.push(outcomeOf(item, 'undecided', null))
        continue
      }
      if (result.status === 'unknown') {
        // No answer: maybe sent. No record; the open claim makes a later sweep look before sending.
        run.outcomes.push(outcomeOf(item, 'unknown', result.error))
        continue
      }
      if (result.status === 'done' && result.recorded) {
        run.outcomes.push(outcomeOf(item, 'sent', null))
        continue
      }
      const error = result.status === 'refused' ? result.error : null
      run.writes.push([dueKey(item), reminderWrite(item, { status: error ? 'failed' : 'sent', runner: runnerId, reason: error ? errorText(error) : null }, error ? errorText(error) : preview.to, locale)])
      if (!error)
        sentAt.set(dueKey(item), run.outcomes.length)
      run.outcomes.push(outcomeOf(item, error ? 'failed' : 'sent', error))
    }
  }
  const skipWrites = fullSweep ? skipsToRecord(run.prep.plan.skips).map(skip => [`skip${skip.invoiceId}:${skip.stepKey}`, skipWrite(skip, run.prep, locale, runnerId)] as [string, LogWrite]) : []
  const records = [...run.writes, ...skipWrites]
  const written = await writeLogEntries(run.portal, records, run.guard.owner.id > 0 ? run.guard : newGuard({ entityTypeId: 31, id: records[0]?.[1].entityId ?? 0 }))
  // A reminder sent whose record did not reach the timeline is reported: the open claim stays, and a later sweep looks into it.
  for (const [key, at] of sentAt) {
    const write = written.get(key)
    if (write && 'error' in write)
      run.outcomes[at] = { ...run.outcomes[at]!, recordError: write.error }
  }
  // A sweep that ended up writing nothing gives its token back.
  await releaseGuard(run.portal, run.guard)
  return skipWrites.filter(([key]) => 'id' in (written.get(key) ?? { error: true })).length
}

/** Phase 6: the "reminder" processes for each invoice reminded now; nothing is requested when none is configured. */
async function startReminderProcesses(run: SweepRun): Promise<SweepResult['processWarnings']> {
  const warnings: Array<{ invoiceId: number, outcome: ProcessOutcome }> = []
  for (const invoiceId of new Set(run.outcomes.filter(o => o.status === 'sent').map(o => o.invoiceId))) {
    const invoice = run.byId.get(invoiceId)
    const started = await startProcesses(run.portal, 'reminder', { dealId: invoice?.dealId ?? null, invoiceId }, run.prep.settings, { isAdmin: run.options.isAdmin ?? false })
    unfinishedOutcomes(started).filter(o => o.kind === 'process' || o.status !== 'needs-admin').forEach(outcome => warnings.push({ invoiceId, outcome }))
  }
  return warnings
}

/**
 * Sends the planned reminders (only `selected` keys when given; null = all): claim, elect, send,
 * record. Round trips: 1 to probe dead sweeps' claims (only when there are any), 1 per 50 claims,
 * the logs of the claimed invoices, 1 per 50 commands of sends with their `sent` records, 1 per 50
 * other records. Nothing is retried: a step whose send failed — an empty-code refusal inside the
 * batch too — is recorded as failed with the portal's words and planned again by the next sweep
 * (at most 3 times).
 *
 * A claim a dead sweep left (older than the lease, no result) is looked into first: a task with its
 * title is the task sent (recorded as sent); the e-mail's activity (`ORIGIN_ID`) is NOT proof that the
 * e-mail went out, so the step is recorded as `unknown` and waits for a person; nothing found →
 * sent now; the look-up failed → left alone until a later sweep can look. Every send carries its
 * `sent` record in its own halted batch, so a sent step is never left to a person's decision.
 */
export async function executeSweep(portal: PortalClient, prep: SweepPreparation, options: SweepOptions, selected: ReadonlySet<string> | null = null): Promise<SweepResult> {
  const { run, chosen } = await openSweep(portal, prep, options, selected)
  const live = await settleDeadClaims(run, chosen)
  const { claimed, origins } = await claimSteps(run, live)
  const winners = await electWinners(run, live, claimed)
  const { toSend, sent } = await sendWon(run, winners, origins)
  const skipsRecorded = await recordResults(run, toSend, sent, selected === null)
  const processWarnings = await startReminderProcesses(run)
  return { outcomes: run.outcomes, skipsRecorded, processWarnings }
}

/** A person's choice for a step whose outcome is unknown: it went out, or send it again. */
export type ReminderDecision = 'sent' | 'resend'

/**
 * Records a person's decision on a step waiting for one (`outcomeUnknown`): `sent` settles it (as
 * the person confirmed it in the invoice card); `resend` records it as not sent (a `failed` record
 * with reason `resend`, which counts as no failure), so the next plan offers it again and it goes out
 * only through the usual claim. ONE round trip; throws what the portal answered when the record
 * could not be written.
 */
export async function decideReminder(portal: PortalClient, target: Pick<ReminderDue, 'invoiceId' | 'stepKey' | 'channel'>, decision: ReminderDecision, locale: Locale, runnerId: string): Promise<void> {
  const detail = decision === 'sent'
    ? (locale === 'ru' ? 'отмечено отправленным вручную' : 'marked as sent by a person')
    : (locale === 'ru' ? 'не ушло — отправить снова (решение сотрудника)' : 'did not go out — send again (a person\'s decision)')
  const write = reminderWrite(target, { status: decision === 'sent' ? 'sent' : 'failed', runner: runnerId, reason: decision === 'sent' ? 'confirmed' : RESEND_REASON }, detail, locale)
  const written = (await writeLogEntries(portal, [['decision', write]])).get('decision')
  if (!written || 'error' in written)
    throw written?.error ?? new Error('The decision was not recorded')
}

/** Skips worth a line in the invoice's history, not yet written; a skip of no particular step (no due date) is kept under `none`. */
function skipsToRecord(skips: readonly ReminderSkip[]): ReminderSkip[] {
  return skips.filter(skip => !skip.recorded && RECORDED_SKIP_REASONS.has(skip.reason))
}

function skipWrite(skip: ReminderSkip, prep: SweepPreparation, locale: Locale, runnerId: string): LogWrite {
  const state = prep.contexts.get(skip.invoiceId)?.state
  const channel = [...state?.reminders ?? []].reverse().find(record => record.stepKey === skip.stepKey)?.channel ?? 'email'
  // People read the entry in the card: the reason in words, its date as every other date.
  const why = createTranslator(locale).t(`reminders.skip.${skip.reason}` as MessageKey, { until: skip.until ? formatCalendarDate(skip.until, locale) : '' })
  return reminderWrite({ invoiceId: skip.invoiceId, stepKey: skip.stepKey ?? 'none', channel }, { status: 'skipped', runner: runnerId, reason: skip.reason }, why, locale)
}

/** A sweep id: random enough that two runners never share one. */
export function newRunnerId(random: () => number = Math.random): string {
  return Array.from({ length: 12 }, () => Math.floor(random() * 36).toString(36)).join('')
}
