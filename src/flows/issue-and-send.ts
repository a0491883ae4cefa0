import type { Locale } from '../domain/format.ts'
import type { IssuePurpose } from '../domain/issue/issue-key.ts'
import type { IssuePlan, IssueRefusal } from '../domain/issue/issue-plan.ts'
import type { Money } from '../domain/money.ts'
import type { InvoiceChange, InvoiceFacts } from '../domain/issue/invoice-changes.ts'
import type { IssueStep, IssueTrace } from '../domain/issue/issue-progress.ts'
import type { InvoiceDeskSettings, ProcessEvent } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { ExistingIssue, IssueSnapshot } from '../portal/issue/issue-read.ts'
import type { AfterSend, AfterSendFailure, InvoiceEmail } from '../portal/issue/issue-send.ts'
import type { IssuedDocument } from '../portal/issue/issue-write.ts'
import type { EmailAttachment } from '../portal/email-activity.ts'
import type { MessageSender } from '../domain/email-sender.ts'
import type { ReplayGuard } from '../portal/replay-guard.ts'
import type { EventPlan } from '../domain/bizproc/process-plan.ts'
import type { ProcessOutcome } from './business-process.ts'
import { needsApproval } from '../domain/bizproc/approval.ts'
import { messageSender } from '../domain/email-sender.ts'
import { planEventProcesses } from '../domain/bizproc/process-plan.ts'
import { addDays, calendarDateIn, isKnownTimeZone } from '../domain/calendar-date.ts'
import { blocksSending, invoiceChanges } from '../domain/issue/invoice-changes.ts'
import { DEAL_PURPOSE, emailKey, invoiceKey, notifyTag, resendKey } from '../domain/issue/issue-key.ts'
import { DRY_RUN_SAMPLES, issuedLogEntry, issuedNotificationText, issuedTaskTitle, issueTemplateValues } from '../domain/issue/issue-messages.ts'
import { planIssue } from '../domain/issue/issue-plan.ts'
import { EMPTY_TRACE, ISSUE_STEPS, remainingSteps } from '../domain/issue/issue-progress.ts'
import { validateSettingsForIssue } from '../domain/settings/validate-settings.ts'
import { renderTemplate } from '../domain/template/render-template.ts'
import { ISSUED_LOG_TITLE, readIssueSnapshot } from '../portal/issue/issue-read.ts'
import { markEmailSent, removeRefusedEmails, resendEmail, runAfterSend, sendAndMove } from '../portal/issue/issue-send.ts'
import { copyRows, createDocument, createInvoice, discardInvoice, documentLink, enablePublicUrl, readDocument, readInvoice } from '../portal/issue/issue-write.ts'
import { withLimitWaits } from '../portal/limit-wait.ts'
import { PortalError } from '../portal/portal-error.ts'
import { isReplayed, newGuard, releaseGuard } from '../portal/replay-guard.ts'
import { requestApproval, startProcesses, unfinishedOutcomes } from './business-process.ts'
import { isUnansweredWrite } from './failure-kinds.ts'

/**
 * How long an invoice another window is working on counts as "in progress": longer than a whole
 * chain takes (the PDF wait is at most 90 s). Within it, only the window that created the invoice
 * may continue; after it, anyone may resume what was left.
 */
export const ISSUE_LEASE_MS = 5 * 60_000

/** How the chain runs: the clock, the portal's zone and language, and how long to wait for the PDF. */
export interface IssueEnvironment {
  readonly now: Date
  /** Fallback time zone when the user's portal profile names none. */
  readonly timeZone: string
  /** Language of the client e-mail and of the texts written into the portal. */
  readonly locale: Locale
  /** Waits `ms` milliseconds; injected so tests can use fake timers. */
  readonly sleep: (ms: number) => Promise<void>
  /** Give up waiting for the PDF after this long. Default 90 000 ms (the docs say conversion takes 30–40 s). */
  readonly pdfTimeoutMs?: number
  /** Re-read the document this often while waiting. Default 3 000 ms. */
  readonly pdfPollMs?: number
  /** Whether the acting user is a portal admin: app triggers fire only in an admin's app context. Default false. */
  readonly isAdmin?: boolean
  /** App trigger fired once the invoice is sent (registered at install). Default `invoice_sent`. */
  readonly triggerCode?: string | null
  /**
   * Invoice keys (`invoiceKey`) this window has itself started issuing: it may resume them at once,
   * without waiting for the lease, even when a dropped connection hid the new invoice's id.
   */
  readonly ownKeys?: ReadonlySet<string>
  /** Called as each step starts, ends or is skipped because it was already done. */
  readonly onProgress?: (step: IssueStep, status: 'running' | 'done' | 'skipped') => void
  /**
   * Fetches the document's PDF to attach it to the e-mail (`FILES`); null or a failure = the e-mail
   * carries the public link only. Given by the runner (Node fetches the `…Machine` link); absent in
   * the browser, where that link is cross-origin with no CORS promise. Default: none.
   */
  readonly fetchPdf?: (document: IssuedDocument) => Promise<EmailAttachment | null>
  /**
   * This browser tab's attempt id for the invoice (kept across reloads by the caller, e.g. in
   * sessionStorage): written into the invoice it creates, so the same tab may resume it at once
   * after a reload while other tabs wait for the lease.
   */
  readonly attemptId?: string | null
  /**
   * A person's answer about an e-mail whose fate the app cannot know (an e-mail activity without
   * the "sent" marker): `sent` records it as sent and goes on, `resend` removes it and sends again.
   * Without it the chain stops and asks (`unconfirmed`). Never set by the app itself.
   */
  readonly emailDecision?: 'sent' | 'resend'
  /** Told when Bitrix24 refused a request for its limits and the chain waits `ms` before sending it again. */
  readonly onLimitWait?: (ms: number, method: string) => void
  /** Told when a request that waited for the limit got through. */
  readonly onLimitResume?: () => void
}

/** The read before the click: what will happen (or why it cannot), and what was already done. */
export interface IssuePreparation {
  readonly snapshot: IssueSnapshot
  readonly plan: IssuePlan | null
  readonly refusals: readonly IssueRefusal[]
  /** Trace of an invoice this deal already has for the purpose; all-done means "already sent". */
  readonly trace: IssueTrace
  /**
   * How the invoice already created differs from what the deal says now (sum, due date after the
   * term, client) or that it was paid or cancelled in Bitrix24: the preview shows them; a closed
   * invoice or another client stops the chain.
   */
  readonly changes: readonly InvoiceChange[]
  /** The invoice is e-mailed with the deal's sum: a re-priced deal stops the chain after it creates the invoice. */
  readonly fromDeal: boolean
  /** What was asked for: a chain whose answer was lost reads the portal again with it. Default the whole deal. */
  readonly request?: IssueRequest
}

export type IssueWarning = AfterSendFailure | { readonly part: 'trigger', readonly error: null, readonly needsAdmin: true }
  /** A second invoice with the same key (a lost race) that could not be deleted yet; the next run tries again. */
  | { readonly part: 'duplicate', readonly error: PortalError, readonly invoiceIds: readonly number[] }
  /** A business process or trigger configured for the event that did not start (needs an admin, or the portal refused it). */
  | { readonly part: 'process', readonly event: ProcessEvent, readonly outcome: ProcessOutcome }

/** Why a B2B invoice waits before the e-mail (settings `processes.approval`). */
export interface ApprovalWait {
  /** The approval workflow; null when it could not be started. */
  readonly workflowId: string | null
  /** Whether this user could see that it still runs (admins); others cannot tell, an admin must continue. */
  readonly checkable: boolean
  /** Why the approval process could not be started; null when it runs. */
  readonly startError: PortalError | null
  readonly needsAdmin: boolean
  /** An admin stopped the approval process: the invoice stays unsent (issue a new one or cancel it). */
  readonly rejected?: boolean
}

/** A process or trigger the chain started (or tried to) at one of its events. */
export interface IssueProcess {
  readonly event: ProcessEvent
  readonly outcome: ProcessOutcome
}

export type IssueResult
  = | { readonly status: 'sent', readonly invoiceId: number, readonly invoiceNumber: string, readonly documentUrl: string | null, readonly alreadyDone: boolean, readonly warnings: readonly IssueWarning[], readonly processes?: readonly IssueProcess[] }
  /**
   * Another window is issuing this invoice right now (since `since`). `leftoverInvoiceId`: this
   * window lost a race and could not delete the invoice it created; the next run deletes it.
   */
    | { readonly status: 'in-progress', readonly invoiceId: number, readonly since: Date | null, readonly leftoverInvoiceId?: number | null }
  /**
   * Whether the e-mail went out is for a person to decide: `marker-failed` — the portal answered
   * that it was sent but the app could not record that; `unanswered` — an e-mail activity exists
   * without the app's "sent" record (no answer came, or a refused send left it). Nothing is sent
   * again until a person answers (`emailDecision`).
   */
    | { readonly status: 'unconfirmed', readonly invoiceId: number, readonly invoiceNumber: string, readonly reason: 'marker-failed' | 'unanswered' }
  /** The invoice changed in Bitrix24 (closed, edited, the deal re-priced): nothing more was sent; the manager looks first. */
    | { readonly status: 'stopped', readonly invoiceId: number, readonly invoiceNumber: string, readonly changes: readonly InvoiceChange[] }
  /** Created with its document, then stopped before the e-mail: the approval process has to finish first. */
    | { readonly status: 'awaiting-approval', readonly invoiceId: number, readonly invoiceNumber: string, readonly approval: ApprovalWait, readonly warnings: readonly IssueWarning[], readonly processes?: readonly IssueProcess[] }
    | { readonly status: 'refused', readonly refusals: readonly IssueRefusal[] }
    | { readonly status: 'failed', readonly step: IssueStep, readonly error: unknown, readonly done: readonly IssueStep[], readonly invoiceId: number | null }

/** Thrown inside the chain to stop at a named step. */
class StepFailure extends Error {
  constructor(readonly step: IssueStep, readonly reason: unknown) {
    super(`Step ${step} failed`)
  }
}

function zoneOf(snapshot: IssueSnapshot, fallback: string): string {
  return snapshot.userTimeZone && isKnownTimeZone(snapshot.userTimeZone) ? snapshot.userTimeZone : fallback
}

/**
 * When the invoice already exists, the e-mail must speak of that invoice, not of a plan made
 * today: its dates and sum win over a fresh computation.
 */
function planOfExisting(plan: IssuePlan, existing: ExistingIssue | null): IssuePlan {
  if (!existing)
    return plan
  const { invoice } = existing
  return {
    ...plan,
    invoice: { ...plan.invoice, issueDate: invoice.issueDate ?? plan.invoice.issueDate, dueDate: invoice.dueDate ?? plan.invoice.dueDate, amount: invoice.amount },
  }
}

/** Which invoice of the deal to issue: by default the one for the whole deal (`DEAL_PURPOSE`). */
export interface IssueRequest {
  /** The idempotency purpose, e.g. a subscription period `period-2026-03`: one invoice per deal and purpose. */
  readonly purpose: IssuePurpose
  /** Appended to the invoice's title in brackets (the period). */
  readonly titleSuffix?: string
  /** A fixed sum (minor units) instead of the deal's products and sum. */
  readonly fixedAmount?: Money | null
}

/**
 * Round trip 1: reads the deal, its client and everything already done for this deal's invoice
 * (for `request.purpose`, default the whole deal), and plans the issue (or lists why it cannot be
 * issued). Writes nothing.
 */
export async function prepareIssue(portal: PortalClient, dealId: number, settings: InvoiceDeskSettings, env: Pick<IssueEnvironment, 'now' | 'timeZone' | 'isAdmin'>, request: IssueRequest = { purpose: DEAL_PURPOSE }): Promise<IssuePreparation> {
  // An administrator's read lists the templates too, so a stored one that was deleted is refused here, not at the document step.
  const snapshot = await readIssueSnapshot(portal, dealId, invoiceKey(dealId, request.purpose), settings, env.now, env.isAdmin === true)
  // The stored settings, judged with the catalog this read brought (no extra round trip): invalid ones write nothing.
  const settingsIssues = validateSettingsForIssue(settings, snapshot.catalog)
  if (settingsIssues.length > 0)
    return { snapshot, plan: null, refusals: [{ code: 'settingsInvalid', issues: settingsIssues }], trace: snapshot.existing?.trace ?? EMPTY_TRACE, changes: [], fromDeal: !request.fixedAmount, request }
  // The issue date is the portal's day, whatever the PC's clock says.
  const today = calendarDateIn(portalNow(snapshot, env.now), zoneOf(snapshot, env.timeZone))
  const result = planIssue({ deal: snapshot.deal, dealRows: snapshot.dealRows, client: snapshot.client, settings: snapshot.settings, today, purpose: request.purpose, titleSuffix: request.titleSuffix, fixedAmount: request.fixedAmount, templatesListed: snapshot.catalog.documentTemplatesListed !== false })
  return {
    snapshot,
    plan: result.ok ? planOfExisting(result.plan, snapshot.existing) : null,
    refusals: result.ok ? [] : result.refusals,
    trace: snapshot.existing?.trace ?? EMPTY_TRACE,
    // Only an unfinished invoice can still be sent or moved: its changes are what the manager must see first.
    changes: result.ok && snapshot.existing && remainingSteps(snapshot.existing.trace).length > 0 ? invoiceChanges(expectedFacts(result.plan, snapshot.existing), factsOfExisting(snapshot.existing)) : [],
    fromDeal: !request.fixedAmount,
    request,
  }
}

/** The portal's "now" for a machine clock reading `localNow` (the offset measured at the read). */
function portalNow(snapshot: IssueSnapshot, localNow: Date): Date {
  return new Date(localNow.getTime() + snapshot.portalClockOffsetMs)
}

/** What the invoice should say according to the deal today: its sum, the term after its own issue date, the deal's client. */
function expectedFacts(plan: IssuePlan, existing: ExistingIssue): InvoiceFacts {
  const issued = existing.invoice.issueDate
  return {
    amount: plan.invoice.amount,
    dueDate: issued ? addDays(issued, plan.termDays) : existing.invoice.dueDate,
    companyId: plan.client.companyId,
    contactId: plan.client.contactIds[0] ?? null,
    closed: null,
  }
}

function factsOfExisting(existing: ExistingIssue): InvoiceFacts {
  const { invoice } = existing
  return { amount: invoice.amount, dueDate: invoice.dueDate, companyId: invoice.companyId, contactId: invoice.contactId, closed: existing.closed }
}

interface ChainState {
  invoiceId: number | null
  invoiceNumber: string
  document: IssuedDocument | null
  trace: IssueTrace
  /** Warnings gathered on the way (processes of `issued`), reported with the final result. */
  warnings: IssueWarning[]
  /** Every process and trigger this run started or tried to, for the execution journal. */
  processes: IssueProcess[]
  /** The step under way: a failure anywhere in it is reported under its name. */
  current: IssueStep
}

function initialState(existing: ExistingIssue | null): ChainState {
  if (!existing)
    return { invoiceId: null, invoiceNumber: '', document: null, trace: EMPTY_TRACE, warnings: [], processes: [], current: 'invoice' }
  const { trace } = existing
  const document = trace.documentId === null
    ? null
    : { id: trace.documentId, pdfUrl: trace.pdfUrl, publicUrl: existing.publicUrl, pdfUrlMachine: existing.pdfUrlMachine, conversionError: null }
  return { invoiceId: existing.invoice.id, invoiceNumber: existing.invoice.number, document, trace, warnings: [], processes: [], current: 'invoice' }
}

async function step<T>(name: IssueStep, env: IssueEnvironment, state: ChainState, work: () => Promise<T>): Promise<T> {
  state.current = name
  env.onProgress?.(name, 'running')
  try {
    const result = await work()
    env.onProgress?.(name, 'done')
    return result
  }
  catch (error) {
    throw error instanceof StepFailure ? error : new StepFailure(name, error)
  }
}

/**
 * Polls `document.get` every `pdfPollMs` until the portal has converted the document to PDF,
 * failing with `PDF_TIMEOUT` after `pdfTimeoutMs` (counted in sleeps, so fake timers drive it) or
 * with `PDF_CONVERSION_FAILED` when the portal reports a conversion error.
 */
export async function waitForPdf(portal: PortalClient, document: IssuedDocument, env: IssueEnvironment): Promise<IssuedDocument> {
  const pause = env.pdfPollMs ?? 3_000
  let current = document
  for (let waited = 0; !current.pdfUrl; waited += pause) {
    if (current.conversionError)
      throw new PortalError('crm.documentgenerator.document.get', 'PDF_CONVERSION_FAILED', current.conversionError, 200, true)
    if (waited >= (env.pdfTimeoutMs ?? 90_000))
      throw new PortalError('crm.documentgenerator.document.get', 'PDF_TIMEOUT', 'The portal has not finished the PDF yet', 0, true)
    await env.sleep(pause)
    current = { ...await readDocument(portal, current.id), publicUrl: current.publicUrl }
  }
  return current
}

/** Everything the texts of this issue say: number, sum, dates, people, links. */
function factsOf(plan: IssuePlan, state: ChainState, snapshot: IssueSnapshot) {
  return {
    plan,
    invoiceNumber: state.invoiceNumber || String(state.invoiceId),
    documentUrl: documentLink(state.document),
    paymentUrl: null,
    managerName: snapshot.manager?.name ?? '',
    managerEmail: snapshot.manager?.email ?? '',
    managerPhone: snapshot.manager?.phone ?? '',
    companyName: snapshot.myCompanyNames.get(plan.invoice.myCompanyId ?? 0) ?? '',
    dealTitle: snapshot.deal.title,
  }
}

/** Who the e-mails of this issue come from: the settings' sender, the deal's responsible manager. */
export function issueSender(snapshot: IssueSnapshot): MessageSender {
  return messageSender(snapshot.settings.email.sender, snapshot.manager)
}

function invoiceEmail(plan: IssuePlan, state: ChainState, preparation: IssuePreparation, env: IssueEnvironment, attachment: EmailAttachment | null = null): InvoiceEmail {
  const { snapshot } = preparation
  const template = snapshot.settings.email.templates.invoice[env.locale]
  const values = issueTemplateValues(factsOf(plan, state, snapshot), env.locale)
  return {
    invoiceId: state.invoiceId!,
    originId: emailKey(state.invoiceId!),
    to: plan.client.email,
    recipient: plan.client.emailOwner ?? { entityTypeId: 4, id: plan.client.companyId ?? 0 },
    subject: renderTemplate(template.subject, values, 'text'),
    html: renderTemplate(template.body, values, 'html'),
    responsibleId: plan.invoice.responsibleId ?? snapshot.manager?.id ?? 1,
    sender: issueSender(snapshot),
    attachment,
    staleActivityIds: snapshot.existing?.unconfirmedEmailIds ?? [],
  }
}

function afterSend(plan: IssuePlan, state: ChainState, snapshot: IssueSnapshot, env: IssueEnvironment): AfterSend {
  const facts = factsOf(plan, state, snapshot)
  const { notifications } = snapshot.settings
  const responsible = plan.invoice.responsibleId
  const recipients = new Set<number>(notifications.onIssue.userIds)
  if (responsible !== null && notifications.onIssue.roles.includes('responsible'))
    recipients.add(responsible)
  const log = issuedLogEntry(facts, env.locale)
  return {
    invoiceId: state.invoiceId!,
    dealId: plan.invoice.dealId,
    notifications: [...recipients].map(userId => ({ userId, message: issuedNotificationText(facts, env.locale), tag: notifyTag(state.invoiceId!, 'issued') })),
    tasks: responsible === null
      ? []
      : notifications.tasks.map(task => ({
          title: issuedTaskTitle(task.title, facts, env.locale),
          responsibleId: responsible,
          deadline: `${addDays(task.anchor === 'due' ? plan.invoice.dueDate : plan.invoice.issueDate, task.offsetDays)}T18:00:00`,
          description: log.text,
        })),
    triggerCode: env.isAdmin ? sentTrigger(snapshot, env) : null,
    dealLog: log,
    invoiceLog: { title: ISSUED_LOG_TITLE, text: log.text },
  }
}

/** The app trigger fired once the invoice is sent: the environment's override, else the settings' `sent` trigger. */
function sentTrigger(snapshot: IssueSnapshot, env: IssueEnvironment): string | null {
  return env.triggerCode === undefined ? snapshot.settings.processes.events.sent.triggerCode : env.triggerCode
}

/** Starts the processes of `event`; what did not start becomes warnings. Never throws, never fails the chain. */
async function eventWarnings(portal: PortalClient, event: ProcessEvent, plan: IssuePlan, state: ChainState, snapshot: IssueSnapshot, env: IssueEnvironment): Promise<IssueWarning[]> {
  const outcomes = await startProcesses(portal, event, { dealId: plan.invoice.dealId, invoiceId: state.invoiceId }, snapshot.settings, { isAdmin: env.isAdmin, fireTrigger: event !== 'sent' })
  state.processes.push(...outcomes.map(outcome => ({ event, outcome })))
  return unfinishedOutcomes(outcomes).map(outcome => ({ part: 'process', event, outcome }))
}

/** The approval gate before the e-mail: null to go on, or the result that stops the chain here. */
async function approvalStop(portal: PortalClient, plan: IssuePlan, state: ChainState, snapshot: IssueSnapshot, fresh: boolean): Promise<IssueResult | null> {
  const approval = snapshot.settings.processes.approval
  if (!needsApproval(plan.invoice.amount, approval))
    return null
  const outcome = await requestApproval(portal, { dealId: plan.invoice.dealId, invoiceId: state.invoiceId! }, approval, fresh)
    .catch((error: unknown) => { throw new StepFailure('email', error) })
  if (outcome.status === 'approved')
    return null
  const wait: ApprovalWait = outcome.status === 'waiting'
    ? { workflowId: outcome.workflowId, checkable: outcome.checkable, startError: null, needsAdmin: !outcome.checkable }
    : outcome.status === 'rejected'
      ? { workflowId: outcome.workflowId, checkable: false, startError: null, needsAdmin: false, rejected: true }
      : { workflowId: null, checkable: false, startError: outcome.error, needsAdmin: outcome.needsAdmin }
  return { status: 'awaiting-approval', invoiceId: state.invoiceId!, invoiceNumber: state.invoiceNumber, approval: wait, warnings: state.warnings, processes: state.processes }
}

/**
 * An invoice another window created and touched within the lease: leave it to that window. Both
 * times are the portal's (`lastTouched` is its `updatedTime`, `now` the read's clock offset applied),
 * so a PC clock that is off does not lock anyone out. The tab that created the invoice (same
 * attempt id, kept across reloads) may go on at once.
 */
function busyElsewhere(preparation: IssuePreparation, key: string, env: IssueEnvironment): boolean {
  const existing = preparation.snapshot.existing
  if (!existing || env.ownKeys?.has(key))
    return false
  if (env.attemptId && existing.attemptId === env.attemptId)
    return false
  const now = portalNow(preparation.snapshot, env.now).getTime()
  return existing.lastTouched !== null && now - existing.lastTouched.getTime() < ISSUE_LEASE_MS
}

/** Deletes invoices a tab created with the same key after losing a race (left when its own delete failed). */
async function removeDuplicates(portal: PortalClient, existing: ExistingIssue | null, state: ChainState): Promise<void> {
  for (const id of existing?.duplicateIds ?? []) {
    await discardInvoice(portal, id, null).catch((error: unknown) => {
      if (error instanceof PortalError)
        state.warnings.push({ part: 'duplicate', error, invoiceIds: [id] })
    })
  }
}

/** Before a resumed step: the invoice as it is now, compared with what the manager saw in the preview. */
async function changedSincePreview(portal: PortalClient, preparation: IssuePreparation): Promise<InvoiceChange[]> {
  const existing = preparation.snapshot.existing!
  const now = await readInvoice(portal, existing.invoice.id)
  const semantics = preparation.snapshot.catalog.invoiceStages.find(stage => stage.id === now.stageId)?.semantics
  const closed = semantics === 'success' ? 'paid' : semantics === 'failure' ? 'cancelled' : null
  return invoiceChanges(factsOfExisting(existing), { amount: now.amount, dueDate: now.dueDate, companyId: now.companyId, contactId: now.contactId, closed })
}

type Stop = IssueResult | null

/** Creates the invoice with rows and document; a stop when a racing tab won or the deal was re-priced meanwhile. */
async function createStep(portal: PortalClient, plan: IssuePlan, state: ChainState, preparation: IssuePreparation, env: IssueEnvironment, guard: ReplayGuard): Promise<Stop> {
  const { snapshot } = preparation
  const created = await step('invoice', env, state, () => createInvoice(portal, plan, guard, env.attemptId ?? null))
  state.invoiceId = created.invoiceId
  state.invoiceNumber = created.invoiceNumber
  if (created.sameKeyIds[0] !== created.invoiceId) {
    // Another window created the same invoice first: ours goes, theirs carries on. If ours cannot go,
    // say so: the next run (ours or theirs) deletes it.
    const leftover = await discardInvoice(portal, created.invoiceId, created.document?.id ?? null).then(() => null, () => created.invoiceId)
    return { status: 'in-progress', invoiceId: created.sameKeyIds[0]!, since: env.now, leftoverInvoiceId: leftover }
  }
  // The invoice exists now: what follows `issued` starts once, whatever happens to the later steps.
  state.warnings.push(...await eventWarnings(portal, 'issued', plan, state, snapshot, env))
  state.current = 'products'
  if (created.rowsError)
    throw new StepFailure('products', created.rowsError)
  env.onProgress?.('products', 'done')
  state.trace = { ...state.trace, invoiceId: created.invoiceId, rowCount: plan.rows.length }
  state.current = 'document'
  if (created.documentError)
    throw new StepFailure('document', created.documentError)
  state.document = created.document
  env.onProgress?.('document', 'done')
  const deal = snapshot.deal.amount
  if (preparation.fromDeal && created.dealAmountNow && (created.dealAmountNow.amountMinor !== deal.amountMinor || created.dealAmountNow.currency !== deal.currency))
    return { status: 'stopped', invoiceId: created.invoiceId, invoiceNumber: created.invoiceNumber, changes: [{ field: 'dealAmount', expected: deal, actual: created.dealAmountNow }] }
  return null
}

/** Before anything is written for an invoice that already exists: stops for a closed or edited invoice, or an e-mail of unknown fate. */
async function resumeStop(portal: PortalClient, preparation: IssuePreparation, state: ChainState, env: IssueEnvironment): Promise<Stop> {
  const existing = preparation.snapshot.existing
  if (!existing)
    return null
  const stopped = (changes: readonly InvoiceChange[]): IssueResult => ({ status: 'stopped', invoiceId: existing.invoice.id, invoiceNumber: existing.invoice.number, changes })
  if (blocksSending(preparation.changes))
    return stopped(preparation.changes)
  // A read within the step about to resume: a failure is named after it, and it marks nothing done.
  const changes = await changedSincePreview(portal, preparation)
  if (changes.length > 0)
    return stopped(changes)
  if (state.trace.emailActivityId === null && existing.unconfirmedEmailIds.length > 0 && !env.emailDecision)
    return { status: 'unconfirmed', invoiceId: existing.invoice.id, invoiceNumber: existing.invoice.number, reason: 'unanswered' }
  return null
}

/**
 * Rounds 2–4 of issue-and-send, continuing from whatever `preparation` found already done:
 * create the invoice with its rows and document (one batch), wait for the PDF, e-mail it and move
 * the stages (one batch, halting on a failed e-mail), then notify, create follow-up tasks, fire
 * the trigger and write the timeline (one batch). Never repeats a finished step; a failure names
 * the step and what is done, and running the chain again (after a new `prepareIssue`) resumes.
 * A resumed run first re-reads the invoice (one more round trip) and stops when it was closed or
 * edited since the preview. Requests Bitrix24 refuses for its limits are waited out (`onLimitWait`).
 */
export async function runIssue(client: PortalClient, preparation: IssuePreparation, env: IssueEnvironment): Promise<IssueResult> {
  let current = preparation
  const replayed = new Set<IssueStep>()
  for (let round = 0; ; round++) {
    const result = await runChain(client, current, env, replayed)
    if (result.status !== 'failed' || !isReplayed(result.error) || round >= 2) {
      // A run that stopped before its next write gives the token its read minted back.
      await releaseGuard(client, current.snapshot.guard)
      return result
    }
    // The browser re-sent a batch whose answer was lost and the portal had run it: read what it did
    // and go on from there, never doing that step's sending again (README "Never twice").
    replayed.add(result.step)
    const { snapshot, plan } = current
    try {
      current = await prepareIssue(client, snapshot.deal.id, snapshot.settings, env, current.request)
    }
    catch {
      return result
    }
    env = { ...env, ownKeys: new Set([...env.ownKeys ?? [], ...(plan ? [plan.invoice.key] : [])]) }
  }
}

async function runChain(client: PortalClient, preparation: IssuePreparation, env: IssueEnvironment, replayed: ReadonlySet<IssueStep>): Promise<IssueResult> {
  const { plan, snapshot } = preparation
  const guard = snapshot.guard ?? newGuard({ entityTypeId: 2, id: snapshot.deal.id })
  if (!plan)
    return { status: 'refused', refusals: preparation.refusals }
  const portal = withLimitWaits(client, { sleep: env.sleep, onWait: env.onLimitWait, onResume: env.onLimitResume })
  const state = initialState(snapshot.existing)
  // A lost race's leftover goes first, even when the invoice itself is long done.
  await removeDuplicates(portal, snapshot.existing, state)
  const remaining = remainingSteps(state.trace)
  ISSUE_STEPS.filter(s => !remaining.includes(s)).forEach(s => env.onProgress?.(s, 'skipped'))
  if (remaining.length === 0)
    return { status: 'sent', invoiceId: state.invoiceId!, invoiceNumber: state.invoiceNumber, documentUrl: documentLink(state.document), alreadyDone: true, warnings: state.warnings }
  if (busyElsewhere(preparation, plan.invoice.key, env))
    return { status: 'in-progress', invoiceId: state.invoiceId!, since: snapshot.existing!.lastTouched }
  const fresh = state.invoiceId === null
  state.current = remaining[0]!
  try {
    const stop = fresh ? await createStep(portal, plan, state, preparation, env, guard) : await resumeStop(portal, preparation, state, env)
    if (stop)
      return stop
    if (state.trace.rowCount === 0)
      await step('products', env, state, () => copyRows(portal, state.invoiceId!, plan))
    const needsEmail = state.trace.emailActivityId === null
    if (!state.document || (needsEmail && !state.document.publicUrl))
      state.document = await step('document', env, state, () => documentWithLink(portal, state, plan, guard))
    const approval = needsEmail ? await approvalStop(portal, plan, state, snapshot, fresh) : null
    if (approval)
      return approval
    if (!state.trace.pdfUrl)
      state.document = await step('pdf', env, state, () => waitForPdf(portal, state.document!, env))
    // The portal ran the send batch once and the e-mail is still not confirmed: it was refused, or the
    // token was gone; a person decides whether to send it (the retry), never this run by itself.
    if (needsEmail && replayed.has('email'))
      throw new StepFailure('email', new PortalError('crm.activity.add', 'REPLAYED', 'The connection dropped and the portal does not show the e-mail as sent', 0, false))
    if (needsEmail || !state.trace.invoiceInSentStage) {
      const unconfirmed = await step(needsEmail ? 'email' : 'stages', env, state, () => sendStep(portal, plan, state, preparation, env, guard))
      if (unconfirmed)
        return unconfirmed
    }
    const warnings: IssueWarning[] = [...state.warnings]
    if (!state.trace.notified && replayed.has('notify')) {
      // The follow-ups ran once and their answer was lost: they are not run again.
      warnings.push({ part: 'notify', error: new PortalError('im.notify.system.add', 'REPLAYED', 'The connection dropped after the follow-ups were sent; the portal ran them once', 0, false) })
    }
    else if (!state.trace.notified) {
      warnings.push(...await step('notify', env, state, () => runAfterSend(portal, afterSend(plan, state, snapshot, env), guard)))
      warnings.push(...await eventWarnings(portal, 'sent', plan, state, snapshot, env))
    }
    if (!env.isAdmin && sentTrigger(snapshot, env) !== null)
      warnings.push({ part: 'trigger', error: null, needsAdmin: true })
    return { status: 'sent', invoiceId: state.invoiceId!, invoiceNumber: state.invoiceNumber, documentUrl: documentLink(state.document), alreadyDone: false, warnings, processes: state.processes }
  }
  catch (error) {
    const failure = error instanceof StepFailure ? error : new StepFailure(state.current, error)
    return { status: 'failed', step: failure.step, error: failure.reason, done: ISSUE_STEPS.slice(0, ISSUE_STEPS.indexOf(failure.step)), invoiceId: state.invoiceId }
  }
}

/** The document with a public link: created when missing, the link switched on when off. */
async function documentWithLink(portal: PortalClient, state: ChainState, plan: IssuePlan, guard: ReplayGuard): Promise<IssuedDocument> {
  const document = state.document ?? await createDocument(portal, state.invoiceId!, plan.documentTemplateId, guard)
  if (document.publicUrl)
    return document
  const publicUrl = await enablePublicUrl(portal, document.id)
  if (!publicUrl)
    throw new PortalError('crm.documentgenerator.document.enablepublicurl', 'NO_PUBLIC_URL', 'The portal gave no public link for the document', 200, true)
  return { ...document, publicUrl }
}

/** The PDF to attach, when the environment can fetch it; any failure leaves the e-mail with its link only. */
async function attachmentOf(document: IssuedDocument | null, env: IssueEnvironment): Promise<EmailAttachment | null> {
  if (!document || !env.fetchPdf)
    return null
  return env.fetchPdf(document).catch(() => null)
}

/**
 * The e-mail and the stage moves. The portal's answer to the e-mail command decides: once it said
 * "sent", nothing here sends again — a failed "sent" marker is written once more on its own, and
 * if that fails too a person is asked (`unconfirmed`). A refused e-mail's leftover activity is
 * removed so that the next run can tell "refused" from "unknown".
 */
async function sendStep(portal: PortalClient, plan: IssuePlan, state: ChainState, preparation: IssuePreparation, env: IssueEnvironment, guard: ReplayGuard): Promise<IssueResult | null> {
  // A decision answers an e-mail of unknown fate; without one on the invoice there is nothing to decide.
  const unknownFate = (preparation.snapshot.existing?.unconfirmedEmailIds.length ?? 0) > 0
  const decided = state.trace.emailActivityId === null && env.emailDecision === 'sent' && unknownFate
  if (decided)
    await markEmailSent(portal, state.invoiceId!, `${plan.client.email}: ${state.invoiceNumber || state.invoiceId}`)
  const email = state.trace.emailActivityId === null && !decided ? invoiceEmail(plan, state, preparation, env, await attachmentOf(state.document, env)) : null
  const moves = { invoiceId: state.invoiceId!, invoiceStageId: plan.sentStageId, dealId: plan.invoice.dealId, dealStageId: plan.dealStageAfterSent }
  let sent = await sendAndMove(portal, email, moves, guard)
  if (sent.failedPart === 'email') {
    // The portal answered and refused: whatever activity the refusal left is not an e-mail that went out.
    await removeRefusedEmails(portal, state.invoiceId!, emailKey(state.invoiceId!)).catch(() => 0)
    throw new StepFailure('email', sent.error)
  }
  if (sent.failedPart === 'marker') {
    env.onProgress?.('email', 'done')
    const marked = await markEmailSent(portal, state.invoiceId!, `${email!.to}: ${email!.subject}`).then(() => true, () => false)
    if (!marked)
      return { status: 'unconfirmed', invoiceId: state.invoiceId!, invoiceNumber: state.invoiceNumber, reason: 'marker-failed' }
    state.current = 'stages'
    sent = await sendAndMove(portal, null, moves, guard)
  }
  if (email || decided)
    env.onProgress?.('email', 'done')
  state.current = 'stages'
  if (sent.failedPart === 'stages')
    throw new StepFailure('stages', sent.error)
  env.onProgress?.('stages', 'done')
  return null
}

/**
 * The read found the document through `document.list`, whose rows have no `publicUrl`: switch the
 * link on (idempotent; it answers the link) so the repeat carries the public page, never `pdfUrl`.
 */
async function withPublicLink(portal: PortalClient, state: ChainState): Promise<void> {
  if (!state.document || state.document.publicUrl)
    return
  const publicUrl = await enablePublicUrl(portal, state.document.id)
  if (!publicUrl)
    throw new PortalError('crm.documentgenerator.document.enablepublicurl', 'NO_PUBLIC_URL', 'The portal gave no public link for the document', 200, true)
  state.document = { ...state.document, publicUrl }
}

export type ResendResult
  = | { readonly status: 'sent', readonly invoiceId: number, readonly to: string }
  /** Nothing to re-send: the invoice was never e-mailed (issue it instead) or the deal cannot be invoiced now. */
    | { readonly status: 'not-sent-yet' }
    | { readonly status: 'failed', readonly error: unknown }

/**
 * E-mails an already sent invoice again, with the current template and the same public link,
 * in ONE round trip after `prepareIssue`: the e-mail (its own `ORIGIN_ID`, numbered after the
 * repeats already on the invoice) and a timeline entry. Stages, tasks and notifications are not
 * touched. Repeating is the point here, so there is no "already done"; a double click is stopped
 * by the caller running one action at a time.
 */
export async function resendInvoice(portal: PortalClient, preparation: IssuePreparation, env: IssueEnvironment): Promise<ResendResult> {
  const { plan, snapshot } = preparation
  const existing = snapshot.existing
  if (!plan || !existing || existing.trace.emailActivityId === null)
    return { status: 'not-sent-yet' }
  const state = initialState(existing)
  const guard = snapshot.guard ?? newGuard({ entityTypeId: 2, id: snapshot.deal.id })
  const email = invoiceEmail(plan, state, preparation, env)
  const error = await withPublicLink(portal, state)
    .then(async () => resendEmail(portal, { ...invoiceEmail(plan, state, preparation, env, await attachmentOf(state.document, env)), originId: resendKey(existing.invoice.id, existing.resendCount + 1), staleActivityIds: [] }, guard))
    .catch((caught: unknown) => caught)
  // A replayed batch (Chromium repeats the POST) or no answer at all (Node does not): the portal may have sent it.
  if (isReplayed(error) || isUnansweredWrite(error))
    return resentAfterReplay(portal, preparation, env, error, email.to)
  return error ? { status: 'failed', error } : { status: 'sent', invoiceId: existing.invoice.id, to: email.to }
}

/** The re-send's answer was lost, the portal may have run it: the invoice's e-mails, read again, tell whether it went. */
async function resentAfterReplay(portal: PortalClient, preparation: IssuePreparation, env: IssueEnvironment, error: unknown, to: string): Promise<ResendResult> {
  const before = preparation.snapshot.existing!
  const again = await prepareIssue(portal, preparation.snapshot.deal.id, preparation.snapshot.settings, env, preparation.request).catch(() => null)
  const after = again?.snapshot.existing
  return after && after.resendCount > before.resendCount ? { status: 'sent', invoiceId: before.invoice.id, to } : { status: 'failed', error }
}

/** Everything one click would do, computed and shown but not done (test mode, or "dry run"). */
export interface IssueDryRun {
  readonly plan: IssuePlan
  /** The e-mail as the client would see it: address, sender, subject and escaped HTML body. */
  readonly email: { readonly to: string, readonly sender: MessageSender, readonly subject: string, readonly html: string }
  /** Stage ids and names the invoice and the deal would move to (the deal's: none when the settings move it nowhere). */
  readonly invoiceStage: { readonly id: string, readonly name: string }
  readonly dealStage: { readonly id: string, readonly name: string } | null
  /** Users the manager's notification would reach. */
  readonly notifyUserIds: readonly number[]
  readonly tasks: ReadonlyArray<{ readonly title: string, readonly deadline: string }>
  /** Processes the events "issued" and "sent" would start, with the documents they would run on. */
  readonly processes: ReadonlyArray<{ readonly event: ProcessEvent, readonly starts: EventPlan['starts'], readonly triggerCode: string | null }>
  /** The invoice would wait for this approval template before the e-mail; null = no approval needed. */
  readonly approvalTemplateId: number | null
  /** The e-mail shows sample values (`DRY_RUN_SAMPLES`) for the number and the link the invoice does not have yet. */
  readonly samples: boolean
}

/** Placeholder for the number Bitrix24 gives the invoice when it is created. */
export const DRY_RUN_INVOICE_NUMBER = '—'

/**
 * The dry run of `runIssue`: from the same read (`prepareIssue`), everything the chain would
 * create, send, move and start — no REST call at all. The invoice has no id or number yet, so the
 * texts show `DRY_RUN_INVOICE_NUMBER` where the number will be. Null when the plan was refused.
 */
export function dryRunIssue(preparation: IssuePreparation, env: Pick<IssueEnvironment, 'locale' | 'isAdmin' | 'triggerCode'>): IssueDryRun | null {
  const { plan, snapshot } = preparation
  if (!plan)
    return null
  const state: ChainState = { ...initialState(snapshot.existing), invoiceNumber: snapshot.existing?.invoice.number || DRY_RUN_INVOICE_NUMBER }
  state.invoiceId = state.invoiceId ?? 0
  // The e-mail shows marked samples where the number and the public link will be, not empty places.
  const sample = DRY_RUN_SAMPLES[env.locale]
  const samples = state.invoiceNumber === DRY_RUN_INVOICE_NUMBER || !documentLink(state.document)
  const shown: ChainState = {
    ...state,
    invoiceNumber: state.invoiceNumber === DRY_RUN_INVOICE_NUMBER ? sample.invoiceNumber : state.invoiceNumber,
    document: documentLink(state.document) ? state.document : { id: 0, pdfUrl: null, publicUrl: sample.link, pdfUrlMachine: null, conversionError: null },
  }
  // The texts need only the language and the admin flag; clock and waiting play no part in a dry run.
  const full: IssueEnvironment = { ...env, now: new Date(0), timeZone: 'UTC', sleep: async () => {} }
  const email = invoiceEmail(plan, shown, preparation, full)
  const after = afterSend(plan, shown, snapshot, full)
  const stageName = (stages: readonly { id: string, name: string }[], id: string) => stages.find(stage => stage.id === id)?.name ?? id
  const target = { dealId: plan.invoice.dealId, invoiceId: state.invoiceId || null }
  const events: ProcessEvent[] = ['issued', 'sent']
  const approval = snapshot.settings.processes.approval
  return {
    plan,
    email: { to: email.to, sender: email.sender, subject: email.subject, html: email.html },
    invoiceStage: { id: plan.sentStageId, name: stageName(snapshot.catalog.invoiceStages, plan.sentStageId) },
    dealStage: plan.dealStageAfterSent === null ? null : { id: plan.dealStageAfterSent, name: stageName(snapshot.catalog.dealStages, plan.dealStageAfterSent) },
    notifyUserIds: after.notifications.map(notification => notification.userId),
    tasks: after.tasks.map(task => ({ title: task.title, deadline: task.deadline })),
    processes: events.map((event) => {
      const planned = planEventProcesses(event, { ...target, invoiceId: target.invoiceId ?? 0 }, snapshot.settings.processes)
      return { event, starts: planned.starts, triggerCode: event === 'sent' ? sentTrigger(snapshot, full) : planned.triggerCode }
    }),
    approvalTemplateId: needsApproval(plan.invoice.amount, approval) ? approval.templateId : null,
    samples,
  }
}
