import type { CollectionState } from '../domain/collection/collection-state.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { readCollectionStates } from '../portal/collection/collection-log.ts'

/**
 * The reminder and payment records of each invoice, folded into its collection state (every page
 * of its timeline log): one round trip per 50 invoices, more for long logs (see
 * `readCollectionStates`). Throws `PortalError`: a missing page is never read as "nothing sent".
 */
export function readInvoiceRecords(portal: PortalClient, invoiceIds: readonly number[]): Promise<Map<number, CollectionState>> {
  return readCollectionStates(portal, invoiceIds)
}
