import type { Locale } from '../domain/format.ts'
import type { IssueRefusal } from '../domain/issue/issue-plan.ts'
import type { IssueStep } from '../domain/issue/issue-progress.ts'
import type { JournalEntry } from '../domain/journal/journal-entry.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { MessageKey } from '../i18n/messages.ts'
import type { Translator } from '../i18n/translate.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { JournalWrite } from './journal/record-journal.ts'
import type { IssueEnvironment, IssuePreparation, IssueResult } from './issue-and-send.ts'
import { DEAL_PURPOSE, invoiceKey } from '../domain/issue/issue-key.ts'
import { describeError } from '../i18n/describe-error.ts'
import { createTranslator } from '../i18n/translate.ts'
import { isSenderNotFound } from '../portal/email-activity.ts'
import { PortalError } from '../portal/portal-error.ts'
import { issueEntries, journalError } from './journal/journal-entries.ts'
import { recordJournal } from './journal/record-journal.ts'
import { prepareIssue, runIssue } from './issue-and-send.ts'

/** What asked for the invoice: the app's robot in Bitrix24's automation, auto-issue on a stage change, or the poll. */
export type UnattendedSource = 'robot' | 'auto' | 'poll'

/** The deal to invoice and who asks. */
export interface UnattendedRequest {
  readonly dealId: number
  readonly source: UnattendedSource
}

/**
 * How an unattended issue ended, for the robot's answer (`bizproc.event.send`) and the service's log:
 * - `issued` — created and e-mailed by this call;
 * - `already-issued` — the deal's invoice was already sent (by a click, the robot or auto-issue): nothing done;
 * - `waiting-approval` — created, the e-mail waits for the approval process;
 * - `refused` — the deal cannot be invoiced as it is, the e-mail sender is missing, or the invoice
 *   changed in Bitrix24: a person must act first (the message says who and what);
 * - `failed` — the portal refused a step; the next call resumes it;
 * - `unknown` — an answer was lost, another run is at it, or whether the e-mail went is unknown.
 */
export type UnattendedOutcome = 'issued' | 'already-issued' | 'waiting-approval' | 'refused' | 'failed' | 'unknown'

/** The result of `issueUnattended`; `message` is in `env.locale` and names what the admin or manager must do. */
export interface UnattendedIssueResult {
  readonly outcome: UnattendedOutcome
  readonly invoiceId: number | null
  readonly accountNumber: string | null
  readonly message: string
  /** The chain's own result, for callers that need more (null when the deal could not be read). */
  readonly result?: IssueResult | null
  /** What became of the journal entries of this call. */
  readonly journal?: JournalWrite
}

/**
 * The environment of a call without a person: the clock, the pause, the language of the e-mail and
 * of the message, the PDF fetcher and whether the token is an admin's (app triggers fire only then).
 * `timeZone` is the fallback when the deal's responsible has none in the profile (default `UTC`;
 * the service passes the portal's zone).
 */
export type UnattendedEnvironment = Pick<IssueEnvironment, 'now' | 'sleep' | 'locale'>
  & Partial<Pick<IssueEnvironment, 'fetchPdf' | 'isAdmin' | 'timeZone' | 'pdfTimeoutMs' | 'pdfPollMs' | 'triggerCode' | 'onLimitWait' | 'onLimitResume' | 'attemptId'>>

/**
 * Issues and e-mails the deal's invoice without a click, through the ONE issue chain
 * (`prepareIssue` + `runIssue`) with purpose `DEAL_PURPOSE`: a manager's click, the robot, auto-issue
 * and the poll share the invoice's key (its `xmlId`), so a deal never gets two invoices, and a
 * second call finds the first one's invoice sent and answers `already-issued` without sending
 * anything. When this call created the invoice and then lost a portal answer, it reads the portal
 * again and resumes once at once (the chain never repeats a finished step, and never re-sends an
 * e-mail of unknown fate). Writes its journal entries with the source as the actor (`robot`,
 * `auto`, `poll`). Never throws: a failed read is the `failed` (or `unknown`) outcome.
 */
export async function issueUnattended(portal: PortalClient, request: UnattendedRequest, settings: InvoiceDeskSettings, env: UnattendedEnvironment): Promise<UnattendedIssueResult> {
  const translator = createTranslator(env.locale)
  const steps: Partial<Record<IssueStep, string>> = {}
  const issueEnv: IssueEnvironment = {
    ...env,
    timeZone: env.timeZone ?? 'UTC',
    onProgress: (step, status) => {
      steps[step] = status
    },
  }
  let preparation: IssuePreparation
  let result: IssueResult
  try {
    preparation = await prepareIssue(portal, request.dealId, settings, issueEnv, { purpose: DEAL_PURPOSE })
    result = await runIssue(portal, preparation, issueEnv)
    if (lostAnswerOfOwnRun(result)) {
      // This call started the invoice (or may have): it may go on at once, without waiting for the lease.
      const ownKeys = new Set([invoiceKey(request.dealId, DEAL_PURPOSE)])
      preparation = await prepareIssue(portal, request.dealId, settings, issueEnv, { purpose: DEAL_PURPOSE })
      result = await runIssue(portal, preparation, { ...issueEnv, ownKeys })
    }
  }
  catch (error) {
    // The read itself failed: nothing was written by this call.
    const unknown = noAnswer(error)
    const message = translator.t(unknown ? 'unattended.unknown' : 'unattended.failed', { step: translator.t('issue.stepName.invoice'), reason: describeError(error, translator).description })
    const journal = await recordJournal(portal, settings, [{ by: request.source, dealId: request.dealId, invoiceId: null, action: 'invoice', result: 'failed', summary: message, error: journalError(error) }])
    return { outcome: unknown ? 'unknown' : 'failed', invoiceId: null, accountNumber: null, message, result: null, journal }
  }
  const answer = describeResult(result, preparation, translator)
  const entries = journalOf(request, result, steps, preparation, answer, env.locale)
  const journal = await recordJournal(portal, settings, entries)
  return { ...answer, result, journal }
}

/** A step failed without a clear answer from the portal (a dropped connection, a timeout): the write may have happened. */
function lostAnswerOfOwnRun(result: IssueResult): boolean {
  if (result.status !== 'failed')
    return false
  return noAnswer(result.error)
}

/** No answer came (status 0: a dropped connection, a timeout), or the write may have happened before the refusal. */
function noAnswer(error: unknown): boolean {
  return !(error instanceof PortalError) || error.status === 0 || !error.retrySafe
}

function numberOf(invoiceId: number | null, number: string | null | undefined): string {
  return number || (invoiceId === null ? '' : `#${invoiceId}`)
}

/** The outcome and its words; the refusals' texts are the ones the manager sees in the deal tab. */
export function describeResult(result: IssueResult, preparation: IssuePreparation, translator: Translator): Omit<UnattendedIssueResult, 'result' | 'journal'> {
  const { t } = translator
  switch (result.status) {
    case 'sent':
      return result.alreadyDone
        ? { outcome: 'already-issued', invoiceId: result.invoiceId, accountNumber: result.invoiceNumber || null, message: t('unattended.alreadyIssued', { number: numberOf(result.invoiceId, result.invoiceNumber) }) }
        : { outcome: 'issued', invoiceId: result.invoiceId, accountNumber: result.invoiceNumber || null, message: t('unattended.issued', { number: numberOf(result.invoiceId, result.invoiceNumber), email: preparation.plan?.client.email ?? '' }) }
    case 'refused':
      return { outcome: 'refused', invoiceId: null, accountNumber: null, message: t('unattended.refused', { reasons: result.refusals.map(refusal => refusalText(refusal, t)).join(' ') }) }
    case 'awaiting-approval': {
      const { approval } = result
      const key: MessageKey = approval.rejected ? 'unattended.approvalRejected' : approval.startError ? 'unattended.approvalNotStarted' : 'unattended.waitingApproval'
      return { outcome: approval.rejected ? 'refused' : 'waiting-approval', invoiceId: result.invoiceId, accountNumber: result.invoiceNumber || null, message: t(key, { number: numberOf(result.invoiceId, result.invoiceNumber) }) }
    }
    case 'in-progress':
      return { outcome: 'unknown', invoiceId: result.invoiceId, accountNumber: null, message: t('unattended.inProgress') }
    case 'unconfirmed':
      return { outcome: 'unknown', invoiceId: result.invoiceId, accountNumber: result.invoiceNumber || null, message: t('unattended.unconfirmed', { number: numberOf(result.invoiceId, result.invoiceNumber) }) }
    case 'stopped':
      return { outcome: 'refused', invoiceId: result.invoiceId, accountNumber: result.invoiceNumber || null, message: t('unattended.stopped', { number: numberOf(result.invoiceId, result.invoiceNumber) }) }
    case 'failed': {
      const number = result.invoiceId === null ? null : (preparation.snapshot.existing?.invoice.number || null)
      if (isSenderNotFound(result.error))
        return { outcome: 'refused', invoiceId: result.invoiceId, accountNumber: number, message: t('unattended.senderNotFound', { number: numberOf(result.invoiceId, number) }) }
      const unknown = lostAnswerOfOwnRun(result)
      const step = t(`issue.stepName.${result.step}` as MessageKey)
      const reason = describeError(result.error, translator).description
      return { outcome: unknown ? 'unknown' : 'failed', invoiceId: result.invoiceId, accountNumber: number, message: t(unknown ? 'unattended.unknown' : 'unattended.failed', { step, reason }) }
    }
  }
}

function refusalText(refusal: IssueRefusal, t: Translator['t']): string {
  const params: Record<string, string> = {}
  if ('client' in refusal)
    params.client = refusal.client
  if ('email' in refusal)
    params.email = refusal.email
  return t(`issue.refusal.${refusal.code}` as MessageKey, params)
}

/**
 * The chain's step entries (as a click writes them) with the source as the actor, and one entry
 * for an outcome that did nothing or stopped (refused, already issued, another run at it, unknown
 * e-mail), so the journal says why the deal has no new invoice.
 */
function journalOf(request: UnattendedRequest, result: IssueResult, steps: Partial<Record<IssueStep, string>>, preparation: IssuePreparation, answer: Omit<UnattendedIssueResult, 'result' | 'journal'>, locale: Locale): JournalEntry[] {
  const entries = issueEntries({ dealId: request.dealId, steps: steps as Record<IssueStep, string>, result, to: preparation.plan?.client.email ?? '', by: request.source }, locale)
  if (answer.outcome === 'already-issued' || answer.outcome === 'refused' || (answer.outcome === 'unknown' && result.status !== 'failed')) {
    const needsPerson = answer.outcome === 'refused' || result.status === 'unconfirmed'
    entries.unshift({ by: request.source, dealId: request.dealId, invoiceId: answer.invoiceId, action: 'invoice', result: needsPerson ? 'needsAdmin' : 'skipped', summary: answer.message, error: null })
  }
  return entries
}
