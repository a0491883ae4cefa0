import type { IssueResult } from '../flows/issue-and-send.ts'
import type { SubscriptionOutcome } from '../flows/subscription-run.ts'
import type { Translator } from '../i18n/translate.ts'
import { formatCalendarDate } from '../domain/format.ts'
import { periodLabel } from '../domain/subscription/subscription-messages.ts'
import { isSenderMissing } from '../flows/failure-kinds.ts'

function wordsOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function resultText(result: IssueResult, { t }: Translator): string {
  switch (result.status) {
    case 'sent': {
      // Warnings never undo the invoice: a trigger that needs an admin's app context, a process that did not start.
      const parts = result.warnings.map(w => ('needsAdmin' in w && w.needsAdmin ? t('runner.subscr.warning.needsAdmin', { part: t(`runner.subscr.part.${w.part}`) }) : t(`runner.subscr.part.${w.part}`)))
      const warned = parts.length > 0 ? ` ${t('runner.subscr.warnings', { parts: parts.join(', ') })}` : ''
      return result.alreadyDone ? t('runner.subscr.alreadyIssued', { id: result.invoiceId }) : `${t('runner.subscr.issued', { id: result.invoiceId, number: result.invoiceNumber })}${warned}`.trim()
    }
    case 'in-progress':
      return t('runner.subscr.inProgress', { id: result.invoiceId })
    case 'awaiting-approval':
      return t('runner.subscr.awaitingApproval', { id: result.invoiceId })
    case 'refused':
      return t('runner.subscr.refused', { codes: result.refusals.map(r => r.code).join(', ') })
    case 'failed':
      return `${t('runner.subscr.failed', { step: t(`runner.subscr.step.${result.step}`), error: wordsOf(result.error) })}${isSenderMissing(result.error) ? ` — ${t('error.senderNotFound')}` : ''}`
    case 'unconfirmed':
      return t('runner.subscr.unconfirmed', { id: result.invoiceId, reason: t(`runner.subscr.reason.${result.reason}`) })
    case 'stopped':
      return t('runner.subscr.stopped', { id: result.invoiceId, fields: result.changes.map(c => c.field).join(', ') })
  }
}

/**
 * One line per subscribed deal, in the runner's language: the due period and what happened, missed
 * periods, the next date, the end (dates as every other date of that language).
 */
export function subscriptionLine(outcome: SubscriptionOutcome, translator: Translator, dryRun: boolean): string {
  const { t, locale } = translator
  const { plan } = outcome
  const parts = [t('runner.subscr.deal', { id: outcome.dealId })]
  const period = plan.due ?? (outcome.result ? plan.current : null)
  if (period)
    parts.push(`${t('runner.subscr.period', { period: periodLabel(period, locale) })} ${outcome.result ? resultText(outcome.result, translator) : dryRun ? t('runner.subscr.due') : ''}`.trim())
  else
    parts.push(plan.ended ? t('runner.subscr.ended') : t('runner.subscr.nothingDue'))
  if (plan.missed.length > 0)
    parts.push(t('runner.subscr.missed', { periods: plan.missed.map(p => periodLabel(p, locale)).join(', ') }))
  if (plan.next)
    parts.push(t('runner.subscr.next', { date: formatCalendarDate(plan.next.start, locale) }))
  if (plan.endsSoon && plan.endsOn)
    parts.push(t('runner.subscr.ends', { date: formatCalendarDate(plan.endsOn, locale) }))
  for (const { notice, error } of outcome.notices) {
    const what = notice.kind === 'endsSoon' ? t('runner.subscr.noticeEndsSoon') : t('runner.subscr.noticeUnpaid', { id: notice.invoice.invoiceId })
    parts.push(`${what} ${error ? t('runner.subscr.noticeFailed', { error: wordsOf(error) }) : dryRun ? t('runner.subscr.noticeDue') : t('runner.subscr.noticeSent')}`)
  }
  return parts.join(' · ')
}
