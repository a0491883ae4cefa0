import type { IssueStep } from '../../domain/issue/issue-progress.ts'
import type { IssueResult, IssueWarning } from '../../flows/issue-and-send.ts'
import type { MessageKey } from '../../i18n/messages.ts'
import type { Translator } from '../../i18n/translate.ts'
import { describeError } from '../../i18n/describe-error.ts'
import { PortalError } from '../../portal/portal-error.ts'

/** The sentence for a failed chain: which step, what is done, and whether the outcome is unknown. */
export function failureTitle(result: Extract<IssueResult, { status: 'failed' }>, translator: Translator): string {
  const { t } = translator
  const name = (step: IssueStep) => t(`issue.stepName.${step}` as MessageKey)
  // No answer to a write (dropped connection, gateway error): the portal may have done it; the retry's read will tell.
  const unanswered = result.error instanceof PortalError && (result.error.status === 0 || result.error.status >= 502) && result.error.code !== 'PDF_TIMEOUT'
  if (unanswered && result.step !== 'pdf')
    return t('issue.unknownOutcome', { step: name(result.step) })
  return result.done.length > 0
    ? t('issue.failed', { step: name(result.step), done: result.done.map(name).join(', ') })
    : t('issue.failedNothing', { step: name(result.step) })
}

/** One line per follow-up that did not happen after a successful send. */
export function warningLines(warnings: readonly IssueWarning[], translator: Translator): string[] {
  const { t } = translator
  return warnings.map(warning => (warning.error === null
    ? t('issue.warning.needsAdmin')
    : t('issue.warning.failed', { part: t(`issue.part.${warning.part}` as MessageKey), reason: describeError(warning.error, translator).description })))
}
