import type { DealStageDecision, InvoicePaymentStatus, PaymentResult } from './mark-invoice.ts'
import { PortalError } from '../portal/portal-error.ts'

/** Bitrix24's own payment of the invoice: as decided, failed (the portal refused it), not reached (the batch stopped before it), or none (nothing was recorded). */
export type InvoicePaymentFact = InvoicePaymentStatus | 'failed' | 'notRun' | 'none'

/** The deal's stage: as decided, failed (the portal refused the move), not reached, or none (not a full payment). */
export type DealStageFact = DealStageDecision | 'failed' | 'notRun' | 'none'

/**
 * What one payment attempt did, part by part, so that a screen can say what was done, what was
 * not, and why — never "not recorded" for a payment whose record exists.
 */
export interface PaymentFacts {
  /** The app's payment record on the invoice: written, not written, or unknown (the write got no answer). */
  readonly recorded: boolean | null
  /** The invoice moved to its paid stage. */
  readonly invoicePaid: boolean
  readonly invoicePayment: InvoicePaymentFact
  readonly dealStage: DealStageFact
  /** The part that failed and the portal's words; null when nothing failed. */
  readonly problem: { readonly part: string, readonly message: string } | null
}

/** Where each part of the closing batch stands (`closeInvoice`'s order). */
const ORDER = ['read', 'claim', 'invoiceStage', 'invoiceLog', 'payment', 'dealStage', 'notify', 'dealLog'] as const

function reached(failedPart: string, part: (typeof ORDER)[number]): 'before' | 'failed' | 'after' {
  const at = ORDER.indexOf(failedPart as (typeof ORDER)[number])
  const of = ORDER.indexOf(part)
  return of < at ? 'before' : of === at ? 'failed' : 'after'
}

function wordsOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The facts of a `recordPayment` result. */
export function paymentFacts(result: PaymentResult): PaymentFacts {
  const nothing: PaymentFacts = { recorded: false, invoicePaid: false, invoicePayment: 'none', dealStage: 'none', problem: null }
  if (result.status === 'done')
    return { recorded: true, invoicePaid: result.action === 'markPaid', invoicePayment: result.invoicePayment ?? 'none', dealStage: result.dealStage ?? 'none', problem: null }
  if (result.status === 'partial')
    return { recorded: true, invoicePaid: false, invoicePayment: result.invoicePayment ?? 'none', dealStage: 'none', problem: null }
  if (result.status !== 'failed')
    return nothing
  const part = result.failedPart
  const full = 'invoiceMoved' in result
  const answered = result.error instanceof PortalError && result.error.retrySafe
  const recorded = 'recorded' in result ? result.recorded : reached(part, 'invoiceLog') === 'before' ? true : part === 'invoiceStage' && !answered ? null : false
  const invoicePayment: InvoicePaymentFact = recorded !== true
    ? 'none'
    : reached(part, 'payment') === 'failed' ? 'failed' : reached(part, 'payment') === 'before' ? (result.invoicePayment ?? 'created') : 'notRun'
  const dealStage: DealStageFact = !full || recorded !== true
    ? 'none'
    : reached(part, 'dealStage') === 'failed' ? 'failed' : reached(part, 'dealStage') === 'before' ? (result.dealStage ?? 'none') : 'notRun'
  return { recorded, invoicePaid: full && result.invoiceMoved, invoicePayment, dealStage, problem: { part, message: wordsOf(result.error) } }
}
