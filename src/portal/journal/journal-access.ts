import type { PortalClient } from '../portal-client.ts'

/** What a person may read of a journal page: every entry (they may read the journal itself), or the entries of these deals only. */
export type JournalAccess = { readonly all: true } | { readonly all: false, readonly dealIds: ReadonlySet<number> }

/**
 * Asks Bitrix24 with the person's OWN token (`user`), in ONE batch, whether they may read the
 * journal item `journalItemId` themselves (an administrator: every entry), and which of `dealIds`
 * they may read (`crm.item.list` answers only items with the "read" permission, R:
 * api-reference/crm/universal/crm-item-list.md). At most 50 deals: one page of the answer.
 * Throws `PortalError` when the deals cannot be read.
 */
export async function readJournalAccess(user: PortalClient, entityTypeId: number, journalItemId: number, dealIds: readonly number[]): Promise<JournalAccess> {
  const checks = await user.batch({
    journal: { method: 'crm.item.list', params: { entityTypeId, select: ['id'], filter: { '=id': journalItemId } } },
    ...(dealIds.length > 0 ? { deals: { method: 'crm.item.list', params: { entityTypeId: 2, select: ['id'], filter: { '@id': [...dealIds] } } } } : {}),
  })
  if (checks.journal?.ok)
    return { all: true }
  const deals = checks.deals
  if (deals && !deals.ok)
    throw deals.error
  return { all: false, dealIds: new Set(((deals?.result as { items?: Array<{ id: number | string }> } | undefined)?.items ?? []).map(item => Number(item.id))) }
}
