import type { Money } from '../money.ts'
import type { AutoIssueConditions, ClientType, InvoiceDeskSettings } from '../settings/settings.ts'

/**
 * One value of a mapped deal field as the deal holds it. For a list (enumeration) field `id` is
 * the list item's id (what Bitrix24 stores in the deal) and `label` its text; for a text field
 * both are the text.
 */
export interface AutoIssueFieldValue {
  readonly id: string
  readonly label: string
}

/** What the auto-issue decision needs to know about a deal (read by `readAutoIssueDeal`). */
export interface AutoIssueDeal {
  readonly id: number
  readonly title: string
  readonly stageId: string
  /** The deal is won or lost (`CLOSED = Y`, or its stage's semantics is success/failure). */
  readonly closed: boolean
  readonly amount: Money
  readonly companyId: number | null
  readonly contactId: number | null
  /** Values of the field `deal.autoIssue.paymentMethodField`; empty = not filled (or no field mapped). */
  readonly paymentMethod: readonly AutoIssueFieldValue[]
  /** Values of the field `deal.autoIssue.regionField`; empty = not filled (or no field mapped). */
  readonly region: readonly AutoIssueFieldValue[]
}

/** Why a deal does not get its invoice without a click; the texts are `autoIssue.reason.<code>` in i18n. */
export type AutoIssueReason
  = | { readonly code: 'disabled' }
    | { readonly code: 'stageNotReady', readonly stageId: string }
    | { readonly code: 'dealClosed' }
    | { readonly code: 'belowMinAmount', readonly amount: Money, readonly minAmount: Money }
  /** The minimum is set in another currency than the deal's: the app converts nothing, so it does not issue. */
    | { readonly code: 'currencyMismatch', readonly currency: string, readonly minCurrency: string }
    | { readonly code: 'noClient' }
    | { readonly code: 'clientType', readonly expected: ClientType, readonly actual: ClientType }
  /** The deal's payment method (labels; empty = not filled) is not one of the allowed. */
    | { readonly code: 'paymentMethod', readonly values: readonly string[] }
    | { readonly code: 'region', readonly values: readonly string[] }

/** Issue now, or not with every reason why. */
export type AutoIssueDecision = { readonly issue: true } | { readonly issue: false, readonly reasons: readonly AutoIssueReason[] }

/** Company = B2B, contact only = B2C (the same rule as the payment terms); null = the deal has no client. */
export function clientTypeOf(deal: Pick<AutoIssueDeal, 'companyId' | 'contactId'>): ClientType | null {
  if (deal.companyId)
    return 'b2b'
  return deal.contactId ? 'b2c' : null
}

function normalized(text: string): string {
  return text.trim().toLowerCase()
}

/**
 * Whether a deal field's values pass an allowed list. The list holds list-item ids (what the
 * settings page stores for a list field) or texts (for a text field, or typed before the field was
 * mapped): a value passes when its id equals an entry, or its text equals one ignoring case and
 * surrounding spaces. An empty list allows anything; a deal with the field empty passes no list.
 */
export function fieldAllowed(values: readonly AutoIssueFieldValue[], allowed: readonly string[]): boolean {
  if (allowed.length === 0)
    return true
  const ids = new Set(allowed.map(entry => entry.trim()))
  const labels = new Set(allowed.map(normalized))
  return values.some(value => ids.has(value.id) || labels.has(normalized(value.label)))
}

function checkFields(deal: AutoIssueDeal, conditions: AutoIssueConditions, reasons: AutoIssueReason[]): void {
  // A condition is checked only once its deal field is mapped (null = the admin did not choose one).
  if (conditions.paymentMethodField && !fieldAllowed(deal.paymentMethod, conditions.paymentMethods))
    reasons.push({ code: 'paymentMethod', values: deal.paymentMethod.map(value => value.label) })
  if (conditions.regionField && !fieldAllowed(deal.region, conditions.regions))
    reasons.push({ code: 'region', values: deal.region.map(value => value.label) })
}

function checkAmount(deal: AutoIssueDeal, minAmount: Money | null, reasons: AutoIssueReason[]): void {
  if (!minAmount)
    return
  if (deal.amount.currency.toUpperCase() !== minAmount.currency.toUpperCase())
    reasons.push({ code: 'currencyMismatch', currency: deal.amount.currency, minCurrency: minAmount.currency })
  else if (deal.amount.amountMinor < minAmount.amountMinor)
    reasons.push({ code: 'belowMinAmount', amount: deal.amount, minAmount })
}

/**
 * Whether the deal gets its invoice without a click (`deal.autoIssue` of the settings): auto-issue
 * is on, the deal is open and in one of `deal.readyStageIds`, its sum is at least the minimum
 * (inclusive, integer minor units; a deal in another currency than the minimum's is not issued —
 * the app converts no currency), its client is of the allowed type (company = B2B, contact only =
 * B2C; a deal with no client is never issued), and its payment method and region, when their deal
 * fields are mapped, are among the allowed (`fieldAllowed`). Lists every reason that fails, the
 * switch included, so the settings page can say what else stops a deal. Pure.
 */
export function decideAutoIssue(deal: AutoIssueDeal, settings: InvoiceDeskSettings): AutoIssueDecision {
  const conditions = settings.deal.autoIssue
  const reasons: AutoIssueReason[] = []
  if (!conditions.enabled)
    reasons.push({ code: 'disabled' })
  if (!settings.deal.readyStageIds.includes(deal.stageId))
    reasons.push({ code: 'stageNotReady', stageId: deal.stageId })
  if (deal.closed)
    reasons.push({ code: 'dealClosed' })
  checkAmount(deal, conditions.minAmount, reasons)
  const clientType = clientTypeOf(deal)
  if (clientType === null)
    reasons.push({ code: 'noClient' })
  else if (conditions.clientType !== 'any' && conditions.clientType !== clientType)
    reasons.push({ code: 'clientType', expected: conditions.clientType, actual: clientType })
  checkFields(deal, conditions, reasons)
  return reasons.length === 0 ? { issue: true } : { issue: false, reasons }
}
