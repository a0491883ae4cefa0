import type { Locale } from '../domain/format.ts'
import type { IssueResult } from '../flows/issue-and-send.ts'
import type { SubscriptionOutcome } from '../flows/subscription-run.ts'
import { formatCalendarDate } from '../domain/format.ts'
import { periodLabel } from '../domain/subscription/subscription-messages.ts'
import { isSenderNotFound, SENDER_NOT_FOUND_ADVICE } from '../portal/email-activity.ts'

function resultText(result: IssueResult): string {
  switch (result.status) {
    case 'sent': {
      // Warnings never undo the invoice: a trigger that needs an admin's app context, a process that did not start.
      const warned = result.warnings.length > 0 ? ` (warnings: ${result.warnings.map(w => ('needsAdmin' in w && w.needsAdmin ? `${w.part} needs an admin` : w.part)).join(', ')})` : ''
      return result.alreadyDone ? `already issued #${result.invoiceId}` : `issued and sent #${result.invoiceId} ${result.invoiceNumber}${warned}`.trim()
    }
    case 'in-progress':
      return `taken by another runner (#${result.invoiceId})`
    case 'awaiting-approval':
      return `issued #${result.invoiceId}, awaiting approval`
    case 'refused':
      return `REFUSED ${result.refusals.map(r => r.code).join(', ')}`
    case 'failed':
      return `FAILED at ${result.step}: ${result.error instanceof Error ? result.error.message : String(result.error)}${isSenderNotFound(result.error) ? ` — ${SENDER_NOT_FOUND_ADVICE}` : ''}`
    case 'unconfirmed':
      return `NEEDS A PERSON #${result.invoiceId}: whether the e-mail went out is unknown (${result.reason}); nothing is sent again until someone decides in the deal card`
    case 'stopped':
      return `STOPPED #${result.invoiceId}: changed in Bitrix24 (${result.changes.map(c => c.field).join(', ')}); nothing sent`
  }
}

/** One line per subscribed deal: the due period and what happened, missed periods, the next date, the end. */
export function subscriptionLine(outcome: SubscriptionOutcome, locale: Locale, dryRun: boolean): string {
  const { plan } = outcome
  const parts = [`  subscr   deal #${outcome.dealId}`]
  const period = plan.due ?? (outcome.result ? plan.current : null)
  if (period)
    parts.push(`period ${periodLabel(period, locale)} ${outcome.result ? resultText(outcome.result) : dryRun ? 'due' : ''}`.trim())
  else
    parts.push(plan.ended ? 'ended' : 'nothing due')
  if (plan.missed.length > 0)
    parts.push(`missed (not issued, only the current period is) ${plan.missed.map(p => periodLabel(p, locale)).join(', ')}`)
  if (plan.next)
    parts.push(`next ${formatCalendarDate(plan.next.start, locale)}`)
  if (plan.endsSoon && plan.endsOn)
    parts.push(`ends ${formatCalendarDate(plan.endsOn, locale)}`)
  for (const { notice, error } of outcome.notices) {
    const what = notice.kind === 'endsSoon' ? 'notice ends soon' : `notice payment failed #${notice.invoice.invoiceId}`
    parts.push(`${what}${error ? ` FAILED ${error instanceof Error ? error.message : String(error)}` : dryRun ? ' due' : ' sent'}`)
  }
  return parts.join(' · ')
}
