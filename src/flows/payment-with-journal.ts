import type { JournalActor } from '../domain/journal/journal-entry.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { InvoiceActionEnvironment, PaymentResult, RecordPaymentInput } from './mark-invoice.ts'
import { paymentEntries } from './journal/journal-entries.ts'
import { recordJournal } from './journal/record-journal.ts'
import { recordPayment } from './mark-invoice.ts'

/**
 * Records a payment (`recordPayment`: the whole balance closes the invoice), then journals it
 * with `by` as the actor: what follows a payment (stages, notification, processes) is automated,
 * and the journal keeps it. The amount journaled is the input's, else the invoice's (in minor
 * units). The journal never throws: the payment stays as recorded.
 */
export async function recordPaymentWithJournal(portal: PortalClient, input: RecordPaymentInput, settings: InvoiceDeskSettings, env: InvoiceActionEnvironment, by: JournalActor): Promise<PaymentResult> {
  const done = await recordPayment(portal, input, settings, env)
  const amount = input.amount ?? ('invoice' in done ? done.invoice.amount : { amountMinor: 0, currency: '' })
  await recordJournal(portal, settings, paymentEntries([{ invoiceId: input.invoiceId, amount, result: done }], by, env.locale))
  return done
}
