import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { JournalFilter, JournalPage } from '../portal/journal/journal-store.ts'
import type { JournalNames } from '../portal/journal/journal-names.ts'
import { loadJournalNames } from '../portal/journal/journal-names.ts'
import { EMPTY_JOURNAL_FILTER as NO_FILTER, pruneJournal, readJournal } from '../portal/journal/journal-store.ts'

/** The journal unfiltered: every action, every result, every deal, all time. */
export const EMPTY_JOURNAL_FILTER: JournalFilter = NO_FILTER

/**
 * One page (50 entries) of the journal for `filter`, from `start` (default the first): ONE round
 * trip. Needs the journal's type (`settings.journal.entityTypeId`, null: nothing is read and the
 * answer is null). Throws `PortalError`.
 */
export async function readJournalPage(portal: PortalClient, settings: InvoiceDeskSettings, filter: JournalFilter, start = 0): Promise<JournalPage | null> {
  const typeId = settings.journal.entityTypeId
  return typeId === null ? null : readJournal(portal, typeId, filter, start)
}

/**
 * Deletes the entries older than `settings.journal.keepDays` days before `now` (the admin's
 * first look at the journal does it). Returns how many went; 0 when nothing could be deleted
 * (a failed delete is retried at the next look). Never throws.
 */
export async function pruneExpiredJournal(portal: PortalClient, settings: InvoiceDeskSettings, now: Date): Promise<number> {
  const typeId = settings.journal.entityTypeId
  if (typeId === null)
    return 0
  const before = new Date(now.getTime() - settings.journal.keepDays * 86_400_000).toISOString()
  return pruneJournal(portal, typeId, before).catch(() => 0)
}

/**
 * The names of users, the numbers of invoices and the titles of deals the entries on screen show by
 * id: ONE round trip (see `loadJournalNames`), read with the reader's own token, so a deal they may not
 * read (or one deleted) keeps its number. Throws `PortalError`.
 */
export function readJournalNames(portal: PortalClient, userIds: readonly number[], invoiceIds: readonly number[], dealIds: readonly number[] = []): Promise<JournalNames> {
  return loadJournalNames(portal, userIds, invoiceIds, dealIds)
}
