import type { Locale } from '../../domain/format.ts'
import type { Invoice } from '../../domain/invoice.ts'
import type { Money } from '../../domain/money.ts'
import type { IssueStep } from '../../domain/issue/issue-progress.ts'
import type { JournalAction, JournalActor, JournalEntry, JournalError } from '../../domain/journal/journal-entry.ts'
import type { ProcessEvent } from '../../domain/settings/settings.ts'
import type { ProcessOutcome, ProcessTarget } from '../business-process.ts'
import type { IssueDryRun, IssueResult, ResendResult } from '../issue-and-send.ts'
import type { PaymentResult } from '../mark-invoice.ts'
import type { FollowUp } from '../payment-follow-up.ts'
import type { ClosingOutcome } from '../closing-document.ts'
import type { BrokenPromise } from '../promise-broken.ts'
import type { SubscriptionOutcome } from '../subscription-run.ts'
import type { SweepResult } from '../run-reminders.ts'
import type { JournalText, JournalTextKey, JournalTextPart } from '../../domain/journal/journal-texts.ts'
import { journalMoney, renderJournalText } from '../../domain/journal/journal-texts.ts'
import { PortalError } from '../../portal/portal-error.ts'
import { DRY_RUN_INVOICE_NUMBER } from '../issue-and-send.ts'
import { paymentFacts } from '../payment-facts.ts'

/**
 * Turns what a flow reports (an issue result with its steps, process outcomes, a sweep's outcomes)
 * into journal entries. Pure: the caller writes them with `writeJournal`.
 */

/** One sentence of a summary; values as written (money through `journalMoney`, events by their id). */
function part(key: JournalTextKey, values: Readonly<Record<string, string>> = {}): JournalTextPart {
  return { key, values }
}

/** An entry's words: the summary in the writer's `locale` (the deal's timeline gets it as is) and the text every reader's screen renders in theirs. */
function said(locale: Locale, ...parts: JournalTextPart[]): { summary: string, text: JournalText } {
  return { summary: renderJournalText(locale, parts), text: parts }
}

/** The Bitrix24 error of anything a flow caught: the portal's code and words, or the JS error's. */
export function journalError(error: unknown): JournalError {
  if (error instanceof PortalError)
    return { code: error.code, message: `${error.method}: ${error.message}` }
  if (error instanceof Error)
    return { code: error.name || 'ERROR', message: error.message }
  return { code: 'ERROR', message: String(error) }
}

/** Which journal action each issue step is. */
const STEP_ACTION: Readonly<Record<IssueStep, JournalAction>> = {
  invoice: 'invoice', products: 'invoice', document: 'document', pdf: 'document', email: 'email', stages: 'stage', notify: 'notify',
}
const STEP_TEXT = { invoice: 'invoice', products: null, document: 'document', pdf: 'pdf', email: 'email', stages: 'stage', notify: 'notify' } as const

/** What one run of the issue chain did. */
export interface IssueRun {
  readonly dealId: number
  /** Each step's status as the chain reported it (`done` = done by this run). */
  readonly steps: Readonly<Record<IssueStep, string>>
  readonly result: IssueResult
  /** The client's address the plan e-mails. */
  readonly to: string
  readonly by: JournalActor
  /** The app trigger the follow-up batch fires once the invoice is sent (admins only); null = none. */
  readonly sentTrigger?: string | null
}

/** One entry per step this run did, one for the step that failed, and one per follow-up or process that did not go as planned. */
export function issueEntries(run: IssueRun, locale: Locale): JournalEntry[] {
  const { result } = run
  if (result.status === 'refused' || result.status === 'in-progress')
    return []
  const invoiceId = result.invoiceId
  const n = 'invoiceNumber' in result && result.invoiceNumber ? result.invoiceNumber : invoiceId === null ? '' : `#${invoiceId}`
  const base = { by: run.by, dealId: run.dealId, invoiceId }
  const entries: JournalEntry[] = []
  for (const [step, status] of Object.entries(run.steps) as [IssueStep, string][]) {
    const text = STEP_TEXT[step]
    if (status === 'done' && text)
      entries.push({ ...base, action: STEP_ACTION[step], result: 'ok', ...said(locale, part(text === 'email' && !run.to ? 'emailClient' : text, { n, to: run.to })), error: null })
  }
  if (result.status === 'failed')
    entries.push({ ...base, action: STEP_ACTION[result.step], result: 'failed', ...said(locale, part('failedAt', { n })), error: journalError(result.error) })
  if (result.status === 'awaiting-approval') {
    const { approval } = result
    const outcome = approval.rejected ? 'skipped' : approval.startError ? (approval.needsAdmin ? 'needsAdmin' : 'failed') : 'ok'
    entries.push({ ...base, action: 'process', result: outcome, ...said(locale, part(approval.rejected ? 'approvalRejected' : 'approval', { n })), error: approval.startError ? journalError(approval.startError) : null })
  }
  if (result.status === 'sent' || result.status === 'awaiting-approval') {
    const triggerFailed = result.warnings.some(warning => warning.part === 'trigger')
    if (run.sentTrigger && run.steps.notify === 'done' && !triggerFailed)
      entries.push({ ...base, action: 'trigger', result: 'ok', ...said(locale, part('trigger', { n, name: run.sentTrigger })), error: null })
    for (const warning of result.warnings) {
      // Processes have entries of their own; a leftover duplicate invoice is not a follow-up of this send.
      if (warning.part === 'process' || warning.part === 'duplicate')
        continue
      const action: JournalAction = warning.part === 'task' ? 'task' : warning.part === 'trigger' ? 'trigger' : 'notify'
      entries.push({ ...base, action, result: warning.error ? 'failed' : 'needsAdmin', ...said(locale, part(action, action === 'trigger' ? { n, name: run.sentTrigger ?? '' } : { n })), error: warning.error ? journalError(warning.error) : null })
    }
    entries.push(...(result.processes ?? []).flatMap(({ event, outcome }) => processEntries([outcome], { dealId: run.dealId, invoiceId }, event, run.by, locale)))
  }
  return entries
}

/** One entry per business process or trigger an event started, or tried to. */
export function processEntries(outcomes: readonly ProcessOutcome[], target: ProcessTarget, event: ProcessEvent | 'approval', by: JournalActor, locale: Locale): JournalEntry[] {
  return outcomes.map((outcome) => {
    const ok = outcome.status === 'started' || outcome.status === 'fired'
    const error = 'error' in outcome && outcome.error ? journalError(outcome.error) : null
    const name = outcome.kind === 'process' ? (outcome.start.name || `#${outcome.start.templateId}`) : outcome.code
    const values = { name, event, n: target.invoiceId === null ? '' : `#${target.invoiceId}` }
    const words = outcome.kind === 'process' && outcome.documentId ? part('processOn', { ...values, doc: outcome.documentId[2] }) : part(outcome.kind, values)
    return {
      by,
      dealId: target.dealId,
      invoiceId: target.invoiceId,
      action: outcome.kind,
      result: ok ? 'ok' : outcome.status === 'needs-admin' ? 'needsAdmin' : 'failed',
      ...said(locale, words),
      error,
    } satisfies JournalEntry
  })
}

/** One entry per reminder a sweep sent or failed to send (lost claims did nothing and are not listed), and per process it started. */
export function sweepEntries(result: SweepResult, invoices: readonly Invoice[], by: JournalActor, locale: Locale): JournalEntry[] {
  const deals = new Map(invoices.map(invoice => [invoice.id, invoice.dealId]))
  const numbers = new Map(invoices.flatMap(invoice => (invoice.number ? [[invoice.id, invoice.number] as const] : [])))
  const entries: JournalEntry[] = result.outcomes
    .filter(outcome => outcome.status !== 'lost')
    .map(outcome => ({
      by,
      dealId: deals.get(outcome.invoiceId) ?? null,
      invoiceId: outcome.invoiceId,
      action: 'reminder',
      result: outcome.status === 'failed' ? 'failed' : outcome.status === 'unknown' || outcome.status === 'undecided' ? 'skipped' : 'ok',
      ...said(locale, part('reminder', { step: outcome.stepKey, channel: outcome.channel, n: numbers.get(outcome.invoiceId) ?? `#${outcome.invoiceId}` })),
      error: outcome.status === 'failed' ? journalError(outcome.error) : null,
    }))
  for (const warning of result.processWarnings)
    entries.push(...processEntries([warning.outcome], { dealId: deals.get(warning.invoiceId) ?? null, invoiceId: warning.invoiceId }, 'reminder', by, locale))
  return entries
}

/** What a dry run of the issue chain planned, as entries marked `dryRun` (kept in the session, never written). */
export function dryRunEntries(dry: IssueDryRun, locale: Locale, by: JournalActor = 'user'): JournalEntry[] {
  const base = { by, dealId: dry.plan.invoice.dealId, invoiceId: null, result: 'dryRun', error: null } as const
  const n = DRY_RUN_INVOICE_NUMBER
  const entries: JournalEntry[] = [
    { ...base, action: 'invoice', ...said(locale, part('dryRunIssue', { amount: journalMoney(dry.plan.invoice.amount), to: dry.plan.client.name })) },
    { ...base, action: 'email', ...said(locale, part('email', { n, to: dry.email.to })) },
    { ...base, action: 'stage', ...said(locale, part('stageTo', { n, stage: dry.invoiceStage.name }), ...(dry.dealStage ? [part('plain', { text: dry.dealStage.name })] : [])) },
  ]
  for (const { event, starts } of dry.processes) {
    for (const start of starts)
      entries.push({ ...base, action: 'process', ...said(locale, part('processOn', { name: start.start.name || `#${start.start.templateId}`, event, doc: start.documentId[2] })) })
  }
  return entries
}

/** One payment an action tried to record, with the amount it tried. */
export interface PaymentAttempt {
  readonly invoiceId: number
  readonly amount: Money
  readonly result: PaymentResult
}

/** One entry per payment recorded, refused (nothing written) or failed, and per "paid" process that did not start. */
export function paymentEntries(attempts: readonly PaymentAttempt[], by: JournalActor, locale: Locale): JournalEntry[] {
  return attempts.flatMap(({ invoiceId, amount, result }) => {
    const invoice = 'invoice' in result ? result.invoice : null
    const base = { by, dealId: invoice?.dealId ?? null, invoiceId, action: 'payment' } as const
    const values = { amount: journalMoney(amount), n: invoice?.number || `#${invoiceId}` }
    const paid = part('payment', values)
    const facts = paymentFacts(result)
    const notes = [
      facts.invoicePayment === 'created' ? part('paymentBitrix') : facts.invoicePayment === 'noRows' ? part('paymentNoRows') : null,
      facts.dealStage === 'moved' ? part('paymentDealMoved') : facts.dealStage === 'otherInvoicesOpen' ? part('paymentDealWaits') : null,
    ].filter(note => note !== null)
    const recorded = said(locale, paid, ...notes)
    if (result.status === 'done' || result.status === 'partial') {
      const processes = result.status === 'done' ? processEntries(result.processes ?? result.processWarnings ?? [], { dealId: base.dealId, invoiceId }, 'paid', by, locale) : []
      return [{ ...base, result: 'ok', ...recorded, error: null } satisfies JournalEntry, ...processes, ...closingEntries(result.closing, by, locale)]
    }
    // Recorded, then a later part failed (the deal's stage, a notification): the payment stands; the failure is its own entry.
    if (result.status === 'failed' && facts.recorded === true) {
      return [
        ...closingEntries(result.closing, by, locale),
        { ...base, result: 'ok', ...recorded, error: null } satisfies JournalEntry,
        { ...base, result: 'failed', ...said(locale, paid, part('paymentPartFailed', { part: result.failedPart })), error: journalError(result.error) } satisfies JournalEntry,
      ]
    }
    if (result.status === 'failed')
      return [{ ...base, result: 'failed', ...said(locale, paid), error: journalError(result.error) } satisfies JournalEntry]
    if (result.status === 'recordedElsewhere' || result.status === 'busy')
      return [{ ...base, result: 'skipped', ...said(locale, paid, part(result.status === 'busy' ? 'paymentBusy' : 'paymentElsewhere')), error: null } satisfies JournalEntry]
    return [{ ...base, result: 'skipped', ...said(locale, part('paymentAs', { ...values, status: result.status })), error: null } satisfies JournalEntry]
  })
}

/** The runner's follow-up of invoices paid outside the app (kanban, robots): one entry each, and the "paid" processes that did not start. */
export function followUpEntries(followUps: readonly FollowUp[], by: JournalActor, locale: Locale): JournalEntry[] {
  return followUps.flatMap((followUp) => {
    const { invoice } = followUp
    const words = said(locale, part('payment', { amount: journalMoney(invoice.amount), n: invoice.number || `#${invoice.id}` }), part(followUp.dealMoved ? 'paidOutsideDealMoved' : 'paidOutside'))
    const closing = closingEntries(followUp.closing, by, locale)
    if (followUp.closingOnly)
      return closing
    const entry: JournalEntry = { by, dealId: invoice.dealId, invoiceId: invoice.id, action: 'payment', result: followUp.error ? 'failed' : 'ok', ...words, error: followUp.error ? journalError(followUp.error) : null }
    return [entry, ...processEntries(followUp.processWarnings, { dealId: invoice.dealId, invoiceId: invoice.id }, 'paid', by, locale), ...closing]
  })
}

/**
 * The closing document of a B2B invoice as a `document` entry: sent, failed (the portal's error), an
 * answer lost or an e-mail without its sent mark (a person looks), no address. Nothing for the skips
 * that are no news (not configured, B2C, not paid in full, already sent, under way elsewhere).
 */
export function closingEntries(outcome: ClosingOutcome | undefined, by: JournalActor, locale: Locale): JournalEntry[] {
  if (!outcome)
    return []
  const { invoice } = outcome
  const base = { by, dealId: invoice.dealId, invoiceId: invoice.id, action: 'document' } as const
  const n = invoice.number || `#${invoice.id}`
  switch (outcome.status) {
    case 'sent':
      return [{ ...base, result: 'ok', ...said(locale, part('closingSent', { n, to: outcome.to })), error: null }]
    case 'failed':
      return [{ ...base, result: 'failed', ...said(locale, part('closingFailed', { n })), error: journalError(outcome.error) }]
    case 'unknown':
      return [{ ...base, result: 'failed', ...said(locale, part('closingUnknown', { n })), error: journalError(outcome.error) }]
    case 'skipped':
      if (outcome.reason === 'unconfirmed')
        return [{ ...base, result: 'skipped', ...said(locale, part('closingUnconfirmed', { n })), error: null }]
      if (outcome.reason === 'noEmail')
        return [{ ...base, result: 'failed', ...said(locale, part('closingNoEmail', { n })), error: null }]
      return []
  }
}

/** Broken payment promises this sweep recorded (another sweep's or a dry run's are not), and their processes that did not start. */
export function brokenPromiseEntries(broken: readonly BrokenPromise[], invoices: readonly Invoice[], by: JournalActor, locale: Locale): JournalEntry[] {
  const byId = new Map(invoices.map(invoice => [invoice.id, invoice]))
  return broken.filter(entry => entry.acted).flatMap((entry) => {
    const invoice = byId.get(entry.invoiceId)
    const target = { dealId: invoice?.dealId ?? null, invoiceId: entry.invoiceId }
    const recorded: JournalEntry = { by, ...target, action: 'reminder', result: 'ok', ...said(locale, part('promiseBroken', { n: invoice?.number || `#${entry.invoiceId}`, on: entry.on })), error: null }
    return [recorded, ...processEntries(entry.processWarnings, target, 'promiseBroken', by, locale)]
  })
}

/** The runner's subscriptions: each period's issue chain step by step (as `issueEntries`), and each notice to the manager. */
export function subscriptionEntries(outcomes: readonly SubscriptionOutcome[], locale: Locale): JournalEntry[] {
  return outcomes.flatMap((outcome) => {
    const issued = outcome.result ? issueEntries({ dealId: outcome.dealId, steps: outcome.steps as IssueRun['steps'], result: outcome.result, to: '', by: 'runner' }, locale) : []
    const notices = outcome.notices.map(({ notice, error }): JournalEntry => ({
      by: 'runner',
      dealId: outcome.dealId,
      invoiceId: notice.kind === 'unpaid' ? notice.invoice.invoiceId : null,
      action: 'notify',
      result: error ? 'failed' : 'ok',
      ...said(locale, notice.kind === 'endsSoon' ? part('subscriptionEndsSoon', { on: notice.endsOn }) : part('subscriptionUnpaid', { n: notice.invoice.number || `#${notice.invoice.invoiceId}` })),
      error: error ? journalError(error) : null,
    }))
    return [...issued, ...notices]
  })
}

/** A repeat e-mail of a sent invoice: sent, or failed with the portal's error. */
export function resendEntries(result: Exclude<ResendResult, { status: 'not-sent-yet' }>, dealId: number, invoiceId: number | null, locale: Locale): JournalEntry[] {
  const n = invoiceId === null ? '' : `#${invoiceId}`
  const base = { by: 'user', dealId, invoiceId: result.status === 'sent' ? result.invoiceId : invoiceId, action: 'email' } as const
  return result.status === 'sent'
    ? [{ ...base, result: 'ok', ...said(locale, part('resent', { n: `#${result.invoiceId}`, to: result.to })), error: null }]
    : [{ ...base, result: 'failed', ...said(locale, part('resentFailed', { n })), error: journalError(result.error) }]
}
