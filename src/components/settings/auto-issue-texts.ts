import type { AutoIssueReason } from '../../domain/issue/auto-issue.ts'
import type { Translator } from '../../i18n/translate.ts'
import type { AutoIssueCandidate } from '../../flows/auto-issue.ts'
import { formatMoney } from '../../domain/format.ts'

/** One reason a deal is not issued without a click, in the page's language. */
export function autoIssueReasonText(reason: AutoIssueReason, { t, locale }: Translator, stageName: (id: string) => string = id => id): string {
  switch (reason.code) {
    case 'stageNotReady':
      return t('autoIssue.reason.stageNotReady', { stage: stageName(reason.stageId) })
    case 'belowMinAmount':
      return t('autoIssue.reason.belowMinAmount', { min: formatMoney(reason.minAmount, locale) })
    case 'currencyMismatch':
      return t('autoIssue.reason.currencyMismatch', { currency: reason.currency, min: reason.minCurrency })
    case 'clientType':
      return t(`autoIssue.reason.clientType.${reason.expected}`)
    case 'paymentMethod':
    case 'region':
      return reason.values.length === 0 ? t(`autoIssue.reason.${reason.code}Empty`) : t(`autoIssue.reason.${reason.code}`, { values: reason.values.join(', ') })
    default:
      return t(`autoIssue.reason.${reason.code}`)
  }
}

/** Where a deal stands: already invoiced by the app, qualifies, or why not. */
export function candidateStatus(candidate: AutoIssueCandidate, translator: Translator, stageName?: (id: string) => string): { readonly kind: 'issued' | 'qualifies' | 'not', readonly text: string } {
  if (candidate.invoice)
    return { kind: 'issued', text: translator.t('autoIssue.preview.issued', { number: candidate.invoice.number ?? `#${candidate.invoice.id}` }) }
  if (candidate.decision.issue)
    return { kind: 'qualifies', text: translator.t('autoIssue.preview.qualifies') }
  return { kind: 'not', text: candidate.decision.reasons.map(reason => autoIssueReasonText(reason, translator, stageName)).join('; ') }
}
