import type { JournalEntry } from '../../domain/journal/journal-entry.ts'
import type { InvoiceDeskSettings } from '../../domain/settings/settings.ts'
import type { PortalClient } from '../../portal/portal-client.ts'
import { writeJournal } from '../../portal/journal/journal-store.ts'

/** What became of a journal write: written, nothing to write, no journal yet (install creates it), or the portal's error. */
export type JournalWrite
  = | { readonly status: 'written' | 'nothing' | 'no-journal' }
    | { readonly status: 'failed', readonly error: Error }

/**
 * Writes `entries` into the journal the settings name, in one round trip (50 entries a batch).
 * Never throws: the action the entries describe is already done, so a journal that cannot be
 * written is a warning for the caller to show, never a reason to undo or repeat anything.
 */
export async function recordJournal(portal: PortalClient, settings: InvoiceDeskSettings, entries: readonly JournalEntry[]): Promise<JournalWrite> {
  if (entries.length === 0)
    return { status: 'nothing' }
  const entityTypeId = settings.journal.entityTypeId
  if (entityTypeId === null)
    return { status: 'no-journal' }
  const error = await writeJournal(portal, entityTypeId, entries)
  return error ? { status: 'failed', error } : { status: 'written' }
}
