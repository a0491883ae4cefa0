import type { Money } from '../money.ts'
import type { ApprovalSettings } from '../settings/settings.ts'

/**
 * Whether an invoice of `amount` must wait for the approval process before it is e-mailed: approval
 * on, a template chosen, and the sum at least `minAmount` (no minimum = every invoice). A sum in
 * another currency than the minimum cannot be compared, so it needs approval too (never skip a check
 * on a guess). Amounts in minor units.
 */
export function needsApproval(amount: Money, approval: ApprovalSettings): boolean {
  if (!approval.enabled || approval.templateId === null)
    return false
  const min = approval.minAmount
  if (min === null || min.currency !== amount.currency)
    return true
  return amount.amountMinor >= min.amountMinor
}
