import type { Invoice } from './invoice.ts'
import type { InvoiceState } from './invoice-state.ts'
import type { Stage, StageIndex, StageSemantics } from './stage.ts'

/** What a manager can do to an invoice from its row: record the full payment, or cancel it. */
export type InvoiceAction = 'markPaid' | 'cancel'

/** The stage semantics each action moves the invoice to. */
export const ACTION_TARGET: Readonly<Record<InvoiceAction, Exclude<StageSemantics, 'process'>>> = {
  markPaid: 'success',
  cancel: 'failure',
}

/**
 * The actions an invoice in `state` allows: an open invoice (draft, sent, overdue) may be marked
 * paid or cancelled; a paid or cancelled one is closed, and nothing is offered for it.
 */
export function invoiceActions(state: InvoiceState): readonly InvoiceAction[] {
  switch (state.kind) {
    case 'draft':
    case 'sent':
    case 'overdue':
      return ['markPaid', 'cancel']
    case 'paid':
    case 'cancelled':
      return []
  }
}

/**
 * The stage of `invoice`'s own pipeline with `semantics` (the first by sort when a pipeline has
 * several), or null when the pipeline has none among `stages`.
 */
export function closingStage(invoice: Invoice, stages: StageIndex, semantics: Exclude<StageSemantics, 'process'>): Stage | null {
  const candidates = [...stages.values()]
    .filter(stage => stage.categoryId === invoice.categoryId && stage.semantics === semantics)
    .sort((a, b) => a.sort - b.sort)
  return candidates[0] ?? null
}
