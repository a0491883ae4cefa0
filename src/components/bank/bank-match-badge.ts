import type { PaymentMatch } from '../../domain/bank/match-payments.ts'
import type { AllocationStatus } from '../../flows/bank-import.ts'
import type { MessageKey } from '../../i18n/messages.ts'

type BadgeColor = 'air-primary' | 'air-primary-success' | 'air-primary-warning' | 'air-primary-alert' | 'air-secondary-accent' | 'air-tertiary' | 'air-secondary'

/** The badge for a match: its confidence, or what it is when it has none (no invoice, already recorded). */
export const MATCH_BADGE = {
  high: { color: 'air-primary-success', label: 'bank.confidence.high' },
  medium: { color: 'air-primary', label: 'bank.confidence.medium' },
  low: { color: 'air-primary-warning', label: 'bank.confidence.low' },
  manual: { color: 'air-secondary-accent', label: 'bank.confidence.manual' },
  unmatched: { color: 'air-tertiary', label: 'bank.status.unmatched' },
  /** The invoice named in the purpose exists and is paid already (`numberClosed`): not «not found». */
  paid: { color: 'air-secondary', label: 'bank.status.alreadyPaid' },
  recorded: { color: 'air-secondary', label: 'bank.status.recorded' },
} as const satisfies Record<string, { color: BadgeColor, label: MessageKey }>

export type MatchBadgeKind = keyof typeof MATCH_BADGE

export function matchBadgeKind(match: PaymentMatch): MatchBadgeKind {
  if (match.status === 'unmatched' && match.reasons.includes('numberClosed'))
    return 'paid'
  return match.status === 'matched' ? match.confidence ?? 'low' : match.status
}

/** The badge for how recording one allocation ended. */
export const OUTCOME_BADGE = {
  paid: 'air-primary-success',
  partial: 'air-primary',
  closed: 'air-secondary',
  refused: 'air-primary-warning',
  recordedElsewhere: 'air-secondary',
  busy: 'air-primary-warning',
  failed: 'air-primary-alert',
} as const satisfies Record<AllocationStatus, BadgeColor>
