import type { AutoIssueDeal, AutoIssueDecision } from '../domain/issue/auto-issue.ts'
import type { Money } from '../domain/money.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { AppInvoiceRef, MappedFields } from '../portal/crm/auto-issue-deals.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { decideAutoIssue } from '../domain/issue/auto-issue.ts'
import { listReadyDeals, readDealForAutoIssue } from '../portal/crm/auto-issue-deals.ts'

/** A deal auto-issue looked at: what it is, what the settings decide, and the app's invoice it already has. */
export interface AutoIssueCandidate {
  readonly dealId: number
  readonly title: string
  readonly stageId: string
  readonly amount: Money
  readonly decision: AutoIssueDecision
  /** The app's invoice for the deal's whole sum (the one issue chain's key); null = none yet. */
  readonly invoice: AppInvoiceRef | null
  /** Everything the decision read, for callers that show more. */
  readonly deal: AutoIssueDeal
}

function mappedFields(settings: InvoiceDeskSettings): MappedFields {
  const { paymentMethodField, regionField } = settings.deal.autoIssue
  return { paymentMethodField: paymentMethodField ?? null, regionField: regionField ?? null }
}

function candidateOf(deal: AutoIssueDeal, invoice: AppInvoiceRef | null, settings: InvoiceDeskSettings): AutoIssueCandidate {
  return { dealId: deal.id, title: deal.title, stageId: deal.stageId, amount: deal.amount, decision: decideAutoIssue(deal, settings), invoice, deal }
}

/**
 * One deal and its auto-issue decision (for an event "the deal moved" or a robot call), in ONE
 * round trip. Null when the deal does not exist (deleted since, or hidden from this token).
 * The decision does not look at the invoice: `issueUnattended` answers `already-issued` for it.
 */
export async function readAutoIssueDeal(portal: PortalClient, dealId: number, settings: InvoiceDeskSettings): Promise<AutoIssueCandidate | null> {
  const read = await readDealForAutoIssue(portal, dealId, mappedFields(settings))
  return read ? candidateOf(read.deal, read.invoice, settings) : null
}

/** Options of `findAutoIssueCandidates`. */
export interface CandidateQuery {
  /** Only deals moved to their stage at or after this instant (`>=movedTime`): the poll's "since the last look". */
  readonly movedSince?: Date
}

/**
 * Open deals in the ready stages (`deal.readyStageIds`), each with its decision and the app's
 * invoice if it has one: the settings page's «Сейчас подходят» (without `movedSince`) and the
 * poll where Bitrix24 cannot call the service (with it). One paged list query selecting only what
 * the decision reads; N pages of 50 cost N + 1 round trips (see `listReadyDeals`). No ready stage
 * chosen = no candidates, no request.
 */
export async function findAutoIssueCandidates(portal: PortalClient, settings: InvoiceDeskSettings, query: CandidateQuery = {}): Promise<AutoIssueCandidate[]> {
  const found = await listReadyDeals(portal, { stageIds: settings.deal.readyStageIds, movedSince: query.movedSince }, mappedFields(settings))
  return found.map(({ deal, invoice }) => candidateOf(deal, invoice, settings))
}
