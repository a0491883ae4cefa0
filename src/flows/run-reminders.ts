import type { CollectionRecord } from '../domain/collection/collection-record.ts'
import type { CollectionState } from '../domain/collection/collection-state.ts'
import type { ReminderFacts } from '../domain/collection/reminder-messages.ts'
import type { Locale } from '../domain/format.ts'
import type { Invoice } from '../domain/invoice.ts'
import type { PortalClock } from '../domain/portal-clock.ts'
import type { ReminderDue, ReminderInvoice, ReminderPlan, ReminderSend, ReminderSkip } from '../domain/reminders/plan-reminders.ts'
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
import { claimWinner } from '../domain/collection/reminder-claim.ts'
import { groupedReminderText, reminderNotificationText, reminderRecordSentence, reminderRecordTitle, reminderTaskTitle, reminderTemplateValues } from '../domain/collection/reminder-messages.ts'
import { messageSender } from '../domain/email-sender.ts'
import { isValidEmail } from '../domain/issue/client.ts'
import { portalClockOf } from '../domain/portal-clock.ts'
import { planReminders, RECORDED_SKIP_REASONS, REMINDER_CLAIM_LEASE_MS } from '../domain/reminders/plan-reminders.ts'
import { reminderDueWindow } from '../domain/reminders/reminder-window.ts'
import { RESEND_REASON } from '../domain/reminders/reminder-history.ts'
import { indexStages, isInitialStage } from '../domain/stage.ts'
import { renderTemplate } from '../domain/template/render-template.ts'
import { readCollectionStates } from '../portal/collection/collection-log.ts'
import { callWithMint, isReplayed, newGuard, releaseGuard } from '../portal/replay-guard.ts'
import { startProcesses, unfinishedOutcomes } from './business-process.ts'
import { loadReminderContexts, loadReminderScope } from '../portal/reminders/reminder-read.ts'
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
   * sweep left the e-mail's activity, which does not prove the e-mail went out: recorded as
   * `unknown`, never sent again by the app, a person decides in the queue).
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

export const dueKey = (due: Pick<ReminderDue, 'invoiceId' | 'stepKey'>): string => `${due.invoiceId}:${due.stepKey}`

function closedOf(invoice: Invoice, stages: ReturnType<typeof indexStages>): ReminderInvoice['closed'] {
  const semantics = stages.get(invoice.stageId)?.semantics
  return semantics === 'success' ? 'paid' : semantics === 'failure' ? 'cancelled' : null
}

/** The first `limit` sends, the freshest scheduled steps first, in the plan's order; the rest deferred. */
function capSends(plan: ReminderPlan, limit: number): { plan: ReminderPlan, deferred: number } {
  if (plan.sends.length <= limit)
    return { plan, deferred: 0 }
  const newest = (send: ReminderSend) => send.items.reduce((latest, item) => (item.scheduledOn > latest ? item.scheduledOn : latest), '')
  const kept = new Set([...plan.sends].sort((a, b) => newest(b).localeCompare(newest(a))).slice(0, limit))
  return { plan: { ...plan, sends: plan.sends.filter(send => kept.has(send)) }, deferred: plan.sends.length - limit }
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

/** What the send leaves in the portal to find it by later: the e-mail's `ORIGIN_ID`, the task's title. */
function originOf(send: ReminderSend, preview: ReminderPreview, clock: PortalClock): string | null {
  if (send.channel === 'email') {
    return send.items.length > 1
      ? `INVOICE_DESK|REMIND|${send.clientKey}|${clock.today}|${send.items.map(dueKey).join(',')}`
      : `INVOICE_DESK|REMIND|${send.items[0]!.invoiceId}|${send.items[0]!.stepKey}`
  }
  return send.channel === 'task' ? preview.subject : null
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

/**
 * Sends the planned reminders (only `selected` keys when given; null = all): claim, elect, send,
 * record. Round trips: 1 to probe dead sweeps' claims (only when there are any), 1 per 50 claims,
 * the logs of the claimed invoices, 1 per 50 sends, 1 per 50 records (notifications: 1 per 50
 * commands for the notification and its record together, see `sendRecordedNotices`). Nothing is
 * retried: a step whose send failed — an empty-code refusal inside the batch too — is recorded as
 * failed with the portal's words and planned again by the next sweep (at most 3 times).
 *
 * A claim a dead sweep left (older than the lease, no result) is looked into first: a task with its
 * title is the task sent (recorded as sent); the e-mail's activity (`ORIGIN_ID`) is NOT proof that the
 * e-mail went out, so the step is recorded as `unknown` and waits for a person; nothing found →
 * sent now; the look-up failed → left alone until a later sweep can look. Notifications leave
 * nothing to look up: they were recorded in the same request as they were sent.
 */
export async function executeSweep(portal: PortalClient, prep: SweepPreparation, options: SweepOptions, selected: ReadonlySet<string> | null = null): Promise<SweepResult> {
  const { locale, runnerId } = options
  const outcomes: ReminderOutcome[] = []
  // The portal's clock now (a queue may have been prepared hours ago), read with the first one-time token
  // of the claim, send and record batches, on an invoice about to be reminded of (README "Never twice").
  const firstInvoiceId = prep.plan.sends.flatMap(send => send.items).find(item => selected === null || selected.has(dueKey(item)))?.invoiceId ?? 0
  const opening = firstInvoiceId > 0
    ? await callWithMint<string>(portal, { method: 'server.time' }, { entityTypeId: 31, id: firstInvoiceId })
    : { result: await portal.call<string>('server.time'), guard: newGuard({ entityTypeId: 31, id: 0 }) }
  const clock = portalClockOf(opening.result) ?? prep.clock
  const { guard } = opening
  const byId = new Map(prep.scope.invoices.map(invoice => [invoice.id, invoice]))
  /** The send with fewer items, its message rebuilt so that it speaks only of them. */
  const narrowed = (send: ReminderSend, preview: ReminderPreview, keep: (item: ReminderDue) => boolean): { send: ReminderSend, preview: ReminderPreview } => {
    const items = send.items.filter(keep)
    if (items.length === send.items.length)
      return { send, preview }
    const next = { ...send, items }
    return { send: next, preview: items.length > 0 ? previewOf(next, byId, prep.contexts, prep.scope, prep.settings, locale) : preview }
  }
  const chosen = prep.plan.sends
    .map((send, i) => narrowed(send, prep.previews[i]!, item => selected === null || selected.has(dueKey(item))))
    .filter(({ send }) => send.items.length > 0)

  // 1. Claims a dead sweep left: was the thing sent after all? Then record it as sent, not again.
  const probes: OriginProbe[] = []
  for (const { send } of chosen) {
    for (const item of send.items) {
      if (!item.staleClaim || (item.channel !== 'email' && item.channel !== 'task'))
        continue
      const state = prep.contexts.get(item.invoiceId)?.state
      const claim = [...state?.reminders ?? []].reverse().find(record => record.stepKey === item.stepKey && record.status === 'claim' && record.origin)
      if (claim?.origin)
        probes.push({ key: dueKey(item), channel: item.channel, origin: claim.origin })
    }
  }
  const probed = probes.length > 0 ? await probeOrigins(portal, probes) : new Map<string, never>()
  const recoveredWrites: Array<[string, LogWrite]> = []
  for (const { send } of chosen) {
    for (const item of send.items) {
      const base = { invoiceId: item.invoiceId, stepKey: item.stepKey, channel: item.channel }
      const found = probed.get(dueKey(item))
      if (found === 'unreadable') {
        outcomes.push({ ...base, status: 'unknown', error: new Error(locale === 'ru' ? 'не удалось проверить, что оставил прерванный запуск' : 'could not look into what an interrupted sweep left') })
      }
      else if (found === 'found' && item.channel === 'task') {
        recoveredWrites.push([dueKey(item), reminderWrite(item, { status: 'sent', runner: runnerId, reason: 'recovered' }, locale === 'ru' ? 'задача создана прерванным запуском' : 'task created by an interrupted sweep', locale)])
        outcomes.push({ ...base, status: 'recovered', error: null })
      }
      else if (found === 'found') {
        recoveredWrites.push([dueKey(item), undecidedWrite(item, runnerId, locale)])
        outcomes.push({ ...base, status: 'undecided', error: null })
      }
    }
  }
  const live = chosen
    .map(({ send, preview }) => narrowed(send, preview, item => !probed.has(dueKey(item)) || probed.get(dueKey(item)) === 'absent'))
    .filter(({ send }) => send.items.length > 0)

  // 2. Claim every step about to be sent.
  const origins = new Map(live.map(({ send, preview }) => [send, originOf(send, preview, clock)]))
  const claimWrites = live.flatMap(({ send }) => send.items.map(item => [dueKey(item), reminderWrite(item, { status: 'claim', runner: runnerId, reason: null, origin: origins.get(send) ?? null }, '', locale)] as [string, LogWrite]))
  const claimed = await writeLogEntries(portal, claimWrites, guard, { mintNext: true })
  // A claim batch the browser replayed was written once; its ids are read back below by this sweep's runner id.
  const replayedClaim = (item: ReminderDue): boolean => {
    const claim = claimed.get(dueKey(item))
    return claim !== undefined && 'error' in claim && isReplayed(claim.error)
  }

  // 3. Read the claimed invoices' logs back and keep the steps this sweep won.
  const claimedIds = [...new Set(live.flatMap(({ send }) => send.items.filter(item => replayedClaim(item) || 'id' in (claimed.get(dueKey(item)) ?? { error: true })).map(item => item.invoiceId)))]
  const states: Map<number, CollectionState> = claimedIds.length > 0 ? await readCollectionStates(portal, claimedIds) : new Map()
  const won = (item: ReminderDue): boolean => {
    const state = states.get(item.invoiceId) ?? emptyCollectionState(item.invoiceId)
    const own = replayedClaim(item) ? state.reminders.find(record => record.status === 'claim' && record.stepKey === item.stepKey && record.runner === runnerId) : undefined
    const mine = own ? { id: own.logId } : claimed.get(dueKey(item))
    if (!mine || !('id' in mine))
      return false
    const winner = claimWinner(state, item.stepKey, clock.instantMs, REMINDER_CLAIM_LEASE_MS)
    if (winner?.logId !== mine.id)
      return false
    // The plan may be old (a queue left open): the step must still be the one due now, by the records
    // just read (a payment, promise, dispute or a later step sent since) and the portal's clock now.
    const invoice = byId.get(item.invoiceId)
    if (!invoice)
      return false
    const settled = { ...state, reminders: state.reminders.filter(record => record.status !== 'claim') }
    const now = planReminders([{ invoice, closed: null }], new Map([[item.invoiceId, settled]]), prep.settings.reminders, clock)
    return now.sends.some(send => send.items.some(due => due.stepKey === item.stepKey))
  }
  const resultWrites: Array<[string, LogWrite]> = [...recoveredWrites]
  const deliveries: RecordedDelivery[] = []
  const notices: RecordedNotice[] = []
  const toSend: Array<{ send: ReminderSend, preview: ReminderPreview, key: string }> = []
  live.forEach(({ send, preview }, index) => {
    const mine = send.items.filter((item) => {
      const claim = claimed.get(dueKey(item))
      if (claim && 'error' in claim && !replayedClaim(item)) {
        outcomes.push({ invoiceId: item.invoiceId, stepKey: item.stepKey, channel: item.channel, status: 'failed', error: claim.error })
        return false
      }
      if (!won(item)) {
        outcomes.push({ invoiceId: item.invoiceId, stepKey: item.stepKey, channel: item.channel, status: 'lost', error: null })
        return false
      }
      return true
    })
    if (mine.length === 0)
      return
    if (mine.length < send.items.length) {
      // Part of a grouped e-mail went to another sweep: send none of it rather than a message that
      // speaks of invoices this sweep does not own. The claims stay open; after the lease a sweep sends it.
      for (const item of mine)
        outcomes.push({ invoiceId: item.invoiceId, stepKey: item.stepKey, channel: item.channel, status: 'lost', error: null })
      return
    }
    const ownSend = send
    const delivery = deliveryOf(ownSend, preview, prep, origins.get(send) ?? null)
    if (!delivery) {
      for (const item of mine) {
        resultWrites.push([dueKey(item), reminderWrite(item, { status: 'failed', runner: runnerId, reason: preview.problem }, preview.problem ?? '', locale)])
        outcomes.push({ invoiceId: item.invoiceId, stepKey: item.stepKey, channel: item.channel, status: 'failed', error: preview.problem })
      }
      return
    }
    const key = `send${index}`
    const sentRecord = (item: ReminderDue) => reminderWrite(item, { status: 'sent', runner: runnerId, reason: null }, preview.to, locale)
    if (delivery.kind === 'notify')
      notices.push({ key, delivery, record: sentRecord(mine[0]!) })
    else
      deliveries.push({ key, delivery, records: mine.map(sentRecord) })
    toSend.push({ send: ownSend, preview, key })
  })

  // 4. Send, each with its `sent` records; 5. record each other result (and the skips worth recording).
  const total = deliveries.length + notices.length
  const undecided = new Set<string>()
  options.onProgress?.('send', 0, total)
  const sent = new Map<string, SendAndRecordOutcome>([
    ...(deliveries.length > 0 ? await sendRecordedDeliveries(portal, deliveries, guard, { mintNext: true }) : []),
    ...(notices.length > 0 ? await sendRecordedNotices(portal, notices) : []),
  ])
  // A send batch the browser replayed ran once and its answer was lost: its `sent` records tell what
  // went out; an e-mail's activity without one may be a refused send, a task found is the task.
  const replayed = toSend.filter(({ send, key }) => {
    const result = sent.get(key)
    return result?.status === 'unknown' && isReplayed(result.error) && origins.get(send) && (send.channel === 'email' || send.channel === 'task')
  })
  if (replayed.length > 0) {
    const marks = await readCollectionStates(portal, [...new Set(replayed.flatMap(({ send }) => send.items.map(item => item.invoiceId)))])
    const marked = (item: ReminderDue) => (marks.get(item.invoiceId)?.reminders ?? []).some(record => record.stepKey === item.stepKey && record.status === 'sent' && record.runner === runnerId)
    const unmarked = replayed.filter(({ send, key }) => {
      if (!send.items.some(marked))
        return true
      sent.set(key, { status: 'done', recorded: send.items.every(marked), recordError: null })
      return false
    })
    const probedNow = unmarked.length > 0 ? await probeOrigins(portal, unmarked.map(({ send, key }) => ({ key, channel: send.channel as 'email' | 'task', origin: origins.get(send)! }))) : new Map<string, string>()
    for (const { send, key } of unmarked) {
      if (probedNow.get(key) !== 'found')
        continue
      if (send.channel === 'task') {
        sent.set(key, { status: 'done', recorded: false, recordError: null })
        continue
      }
      undecided.add(key)
    }
  }
  options.onProgress?.('send', total, total)
  const sentKeys = new Map<string, number>()
  for (const { send, preview, key } of toSend) {
    const result = sent.get(key) ?? { status: 'unknown', error: null }
    for (const item of send.items) {
      const base = { invoiceId: item.invoiceId, stepKey: item.stepKey, channel: item.channel }
      if (undecided.has(key)) {
        resultWrites.push([dueKey(item), undecidedWrite(item, runnerId, locale)])
        outcomes.push({ ...base, status: 'undecided', error: null })
        continue
      }
      if (result.status === 'unknown') {
        // No answer: maybe sent. No record; the open claim makes a later sweep look before sending.
        outcomes.push({ ...base, status: 'unknown', error: result.error })
        continue
      }
      const error = result.status === 'refused' ? result.error : null
      if (result.status === 'done' && result.recorded === true) {
        outcomes.push({ ...base, status: 'sent', error: null })
        continue
      }
      resultWrites.push([dueKey(item), reminderWrite(item, { status: error ? 'failed' : 'sent', runner: runnerId, reason: error ? errorText(error) : null }, error ? errorText(error) : preview.to, locale)])
      if (!error)
        sentKeys.set(dueKey(item), outcomes.length)
      outcomes.push({ ...base, status: error ? 'failed' : 'sent', error })
    }
  }
  const skipWrites = selected === null ? skipsToRecord(prep.plan.skips).map(skip => [`skip${skip.invoiceId}:${skip.stepKey}`, skipWrite(skip, prep, locale, runnerId)] as [string, LogWrite]) : []
  const records = [...resultWrites, ...skipWrites]
  const written = await writeLogEntries(portal, records, guard.owner.id > 0 ? guard : newGuard({ entityTypeId: 31, id: records[0]?.[1].entityId ?? 0 }))
  // A reminder sent whose record did not reach the timeline is reported: the open claim stays, and a later sweep looks into it.
  for (const [key, at] of sentKeys) {
    const write = written.get(key)
    if (write && 'error' in write)
      outcomes[at] = { ...outcomes[at]!, recordError: write.error }
  }
  const skipsRecorded = skipWrites.filter(([key]) => 'id' in (written.get(key) ?? { error: true })).length
  // A sweep that ended up writing nothing gives its token back.
  await releaseGuard(portal, guard)
  // The "reminder" processes (issue 7) for each invoice reminded now; nothing is requested when none is configured.
  const processWarnings: Array<{ invoiceId: number, outcome: ProcessOutcome }> = []
  for (const invoiceId of new Set(outcomes.filter(o => o.status === 'sent').map(o => o.invoiceId))) {
    const invoice = byId.get(invoiceId)
    const started = await startProcesses(portal, 'reminder', { dealId: invoice?.dealId ?? null, invoiceId }, prep.settings, { isAdmin: options.isAdmin ?? false })
    unfinishedOutcomes(started).filter(o => o.kind === 'process' || o.status !== 'needs-admin').forEach(outcome => processWarnings.push({ invoiceId, outcome }))
  }
  return { outcomes, skipsRecorded, processWarnings }
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
  return reminderWrite({ invoiceId: skip.invoiceId, stepKey: skip.stepKey ?? 'none', channel }, { status: 'skipped', runner: runnerId, reason: skip.reason }, skip.until ? `${skip.reason} · ${skip.until}` : skip.reason, locale)
}

/** A sweep id: random enough that two runners never share one. */
export function newRunnerId(random: () => number = Math.random): string {
  return Array.from({ length: 12 }, () => Math.floor(random() * 36).toString(36)).join('')
}
