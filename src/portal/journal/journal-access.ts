import type { PortalClient } from '../portal-client.ts'

/**
 * What a person may read of a journal page: every entry (they may read the journal itself), or the
 * entries of these deals only; and the titles of the page's deals they may read.
 */
export type JournalAccess = ({ readonly all: true } | { readonly all: false, readonly dealIds: ReadonlySet<number> }) & { readonly titles: ReadonlyMap<number, string> }

/**
 * Asks Bitrix24 with the person's OWN token (`user`), in ONE batch, whether they may read the
 * journal item `journalItemId` themselves (an administrator: every entry), and which of `dealIds`
 * they may read, with their titles (`crm.item.list` answers only items with the "read" permission, R:
 * api-reference/crm/universal/crm-item-list.md). At most 50 deals: one page of the answer.
 * Throws `PortalError` when the deals cannot be read.
 */
export async function readJournalAccess(user: PortalClient, entityTypeId: number, journalItemId: number, dealIds: readonly number[]): Promise<JournalAccess> {
  const checks = await user.batch({
    journal: { method: 'crm.item.list', params: { entityTypeId, select: ['id'], filter: { '=id': journalItemId } } },
    ...(dealIds.length > 0 ? { deals: { method: 'crm.item.list', params: { entityTypeId: 2, select: ['id', 'title'], filter: { '@id': [...dealIds] } } } } : {}),
  })
  const deals = checks.deals
  const items = deals?.ok ? ((deals.result as { items?: Array<{ id: number | string, title?: string | null }> }).items ?? []) : []
  const titles = new Map(items.flatMap(item => (item.title ? [[Number(item.id), item.title] as const] : [])))
  if (checks.journal?.ok)
    return { all: true, titles }
  if (deals && !deals.ok)
    throw deals.error
  return { all: false, dealIds: new Set(items.map(item => Number(item.id))), titles }
}
