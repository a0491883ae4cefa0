import type { PaymentMatch } from '../domain/bank/match-payments.ts'
import type { JournalActor } from '../domain/journal/journal-entry.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { Stage } from '../domain/stage.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { BankImportOptions, DocumentOutcome } from './bank-import.ts'
import type { JournalWrite } from './journal/record-journal.ts'
import type { InvoiceActionEnvironment } from './mark-invoice.ts'
import { recordBankPayments } from './bank-import.ts'
import { paymentEntries } from './journal/journal-entries.ts'
import { recordJournal } from './journal/record-journal.ts'

/** What a journaled import recorded: the outcome per bank document and what became of its journal entries. */
export interface JournaledBankPayments {
  readonly outcomes: DocumentOutcome[]
  readonly journal: JournalWrite
}

/**
 * Records the chosen matches (`recordBankPayments`: one allocation after another, each claimed
 * before it is written), then journals every attempt in one write with `by` as the actor, the
 * amount being the allocation's. `onRecorded` sees the outcomes before the journal is written.
 * The journal never throws: the payments stay as recorded.
 */
export async function recordBankPaymentsWithJournal(
  portal: PortalClient,
  matches: readonly PaymentMatch[],
  input: { readonly stages: readonly Stage[], readonly settings: InvoiceDeskSettings, readonly env: InvoiceActionEnvironment },
  by: JournalActor,
  options: BankImportOptions & { readonly onRecorded?: (outcomes: DocumentOutcome[]) => void } = {},
): Promise<JournaledBankPayments> {
  const { onRecorded, ...recordOptions } = options
  const outcomes = await recordBankPayments(portal, matches, input, recordOptions)
  onRecorded?.(outcomes)
  const attempts = outcomes.flatMap(document => document.outcomes.map(outcome => ({ invoiceId: outcome.allocation.invoiceId, amount: outcome.allocation.amount, result: outcome.result })))
  const journal = await recordJournal(portal, input.settings, paymentEntries(attempts, by, input.env.locale))
  return { outcomes, journal }
}
