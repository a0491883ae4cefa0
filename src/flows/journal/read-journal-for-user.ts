import type { PortalClient } from '../../portal/portal-client.ts'
import type { JournalFilter, JournalPage } from '../../portal/journal/journal-store.ts'
import { readJournalAccess } from '../../portal/journal/journal-access.ts'
import { readJournal } from '../../portal/journal/journal-store.ts'

/** A journal page as one person may see it, with the titles of its deals they may read (the rest are named by number). */
export interface JournalPageForUser extends JournalPage {
  readonly dealTitles: ReadonlyMap<number, string>
}

/**
 * One page of the closed journal as one person may see it, for a server that acts for the
 * application: `app` (the installing administrator's tokens) reads the page, then the person's OWN
 * token (`user`, never what their browser claims) asks Bitrix24 in one batch whether they may read
 * the journal themselves (an administrator: every entry) and which of the page's deals they may read
 * (`crm.item.list` answers only items with the "read" permission, R: api-reference/crm/universal/crm-item-list.md),
 * with their titles.
 * Everyone else gets only the entries of those deals; entries without a deal are not theirs to see.
 * A page may therefore hold fewer than 50 entries; `next` and `total` are the journal's. 2 round trips.
 * Throws `PortalError` when either read fails.
 */
export async function readJournalForUser(app: PortalClient, user: PortalClient, entityTypeId: number, filter: JournalFilter, start = 0): Promise<JournalPageForUser> {
  const page = await readJournal(app, entityTypeId, filter, start)
  if (page.entries.length === 0)
    return { ...page, dealTitles: new Map() }
  const dealIds = [...new Set(page.entries.flatMap(entry => (entry.dealId === null ? [] : [entry.dealId])))]
  // At most 50 distinct deals on a page of 50 entries.
  const access = await readJournalAccess(user, entityTypeId, page.entries[0]!.id, dealIds)
  if (access.all)
    return { ...page, dealTitles: access.titles }
  const visible = access.dealIds
  return { ...page, entries: page.entries.filter(entry => entry.dealId !== null && visible.has(entry.dealId)), dealTitles: access.titles }
}
