import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import { ENTITY, required } from '../batch-outcome.ts'

/** Every list below pages by 50; more than a page of our companies, requisites or accounts is not read. */
const PAGE = 50

interface IdRow { id?: number | string | null, ID?: number | string | null }
interface BankDetailRow { RQ_ACC_NUM?: string | null }

/** One command's rows, or null when there is more than one page (the list would be incomplete). */
async function onePage<T>(client: PortalClient, call: RestCall, rowsOf: (result: unknown) => T[]): Promise<T[] | null> {
  const outcome: BatchOutcome | undefined = (await client.batch({ list: call })).list
  const rows = rowsOf(required<unknown>(outcome, call.method))
  return outcome?.ok && outcome.total > PAGE ? null : rows
}

const ids = (rows: readonly IdRow[]) => rows.map(row => Number(row.id ?? row.ID)).filter(id => id > 0)

/**
 * The account numbers of our own companies' bank details, to tell whether a statement is ours:
 * "my companies" (`crm.item.list`, `entityTypeId 4`, `isMyCompany = Y`; R:
 * `api-reference/crm/universal/invoice.md`), their requisites (`crm.requisite.list`, R:
 * `api-reference/crm/requisites/universal/crm-requisite-list.md`) and those requisites' bank details
 * (`crm.requisite.bankdetail.list`, `ENTITY_ID` = the requisite, `RQ_ACC_NUM` = the account; R:
 * `api-reference/crm/requisites/bank-detail/crm-requisite-bank-detail-list.md`). Three reads in
 * turn (a batch's `$result` references are not relied on). Null when the portal cannot say: a read
 * failed (rights: the user needs read access to companies) or a list ran past one page.
 * An empty list: the portal knows no account of ours.
 */
export async function readOurBankAccounts(client: PortalClient): Promise<string[] | null> {
  try {
    const companies = await onePage(client, { method: 'crm.item.list', params: { entityTypeId: ENTITY.company, filter: { isMyCompany: 'Y' }, select: ['id'] } }, result => ids((result as { items?: IdRow[] }).items ?? []))
    if (companies === null || companies.length === 0)
      return companies && []
    const requisites = await onePage(client, { method: 'crm.requisite.list', params: { filter: { 'ENTITY_TYPE_ID': ENTITY.company, '@ENTITY_ID': companies }, select: ['ID'] } }, result => ids(result as IdRow[]))
    if (requisites === null || requisites.length === 0)
      return requisites && []
    const details = await onePage(client, { method: 'crm.requisite.bankdetail.list', params: { filter: { '@ENTITY_ID': requisites }, select: ['RQ_ACC_NUM'] } }, result => result as BankDetailRow[])
    return details === null ? null : details.map(row => String(row.RQ_ACC_NUM ?? '').trim()).filter(Boolean)
  }
  catch {
    return null
  }
}
