import type { IssueStep } from '../../domain/issue/issue-progress.ts'
import type { ProcessReason } from '../../domain/bizproc/process-log.ts'
import type { ProcessOutcome } from '../../flows/business-process.ts'
import type { IssueResult, IssueWarning } from '../../flows/issue-and-send.ts'
import type { MessageKey } from '../../i18n/messages.ts'
import type { Translator } from '../../i18n/translate.ts'
import { isUnansweredWrite } from '../../flows/failure-kinds.ts'
import { describeError } from '../../i18n/describe-error.ts'

/** The sentence for a failed chain: which step, what is done, and whether the outcome is unknown. */
export function failureTitle(result: Extract<IssueResult, { status: 'failed' }>, translator: Translator): string {
  const { t } = translator
  const name = (step: IssueStep) => t(`issue.stepName.${step}` as MessageKey)
  // No answer to a write (dropped connection, gateway error): the portal may have done it; the retry's read will tell.
  // A limit refusal (503/429) is an answer: nothing was done.
  if (isUnansweredWrite(result.error) && result.step !== 'pdf')
    return t('issue.unknownOutcome', { step: name(result.step) })
  return result.done.length > 0
    ? t('issue.failed', { step: name(result.step), done: result.done.map(name).join(', ') })
    : t('issue.failedNothing', { step: name(result.step) })
}

/** The sentence for a configured process or trigger that did not start. */
export function processWarning(event: ProcessReason, outcome: ProcessOutcome, translator: Translator): string {
  const { t } = translator
  const eventName = t(`bizproc.event.${event}` as MessageKey)
  const reason = outcome.status === 'failed' && outcome.error ? describeError(outcome.error, translator).description : ''
  if (outcome.kind === 'trigger')
    return t(outcome.status === 'needs-admin' ? 'bizproc.warning.triggerNeedsAdmin' : 'bizproc.warning.triggerFailed', { code: outcome.code, event: eventName, reason })
  const name = outcome.start.name || `#${outcome.start.templateId}`
  return t(outcome.status === 'needs-admin' ? 'bizproc.warning.needsAdmin' : 'bizproc.warning.failed', { name, event: eventName, reason })
}

/** One line per follow-up that did not happen after a successful send. */
export function warningLines(warnings: readonly IssueWarning[], translator: Translator): string[] {
  const { t } = translator
  return warnings.map(warning => (warning.part === 'process'
    ? processWarning(warning.event, warning.outcome, translator)
    : warning.error === null
      ? t('issue.warning.needsAdmin')
      : t('issue.warning.failed', { part: t(`issue.part.${warning.part}` as MessageKey), reason: describeError(warning.error, translator).description })))
}

/** The sentence for an invoice stopped before the e-mail by the B2B approval. */
export function approvalText(result: Extract<IssueResult, { status: 'awaiting-approval' }>, translator: Translator): string {
  const { t } = translator
  const number = result.invoiceNumber || String(result.invoiceId)
  const { approval } = result
  if (approval.rejected)
    return t('bizproc.approval.rejected', { number })
  if (approval.workflowId !== null)
    return t(approval.checkable ? 'bizproc.approval.waiting' : 'bizproc.approval.waitingNoCheck', { number })
  if (approval.needsAdmin || !approval.startError)
    return t('bizproc.approval.notStartedAdmin', { number })
  return t('bizproc.approval.notStarted', { number, reason: describeError(approval.startError, translator).description })
}
