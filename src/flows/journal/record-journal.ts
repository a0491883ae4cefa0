import type { JournalEntry } from '../../domain/journal/journal-entry.ts'
import type { InvoiceDeskSettings } from '../../domain/settings/settings.ts'
import type { PortalClient } from '../../portal/portal-client.ts'
import type { JournalWrite, JournalWriter } from './journal-writer.ts'
import { isJournalRefused, writeDealTimelineJournal, writeJournal } from '../../portal/journal/journal-store.ts'

export type { JournalWrite } from './journal-writer.ts'

/**
 * The writer of the portal connection at hand: the journal the settings name, in one round trip (50
 * entries a batch). The journal is closed (`journalTypeCommand`), so Bitrix24 refuses a person who
 * is not an administrator with ACCESS_DENIED and writes nothing; their entries then go, in one more
 * round trip, into the timelines of the deals they name, which Bitrix24 guards by the deal's rights
 * (entries without a deal are not written then). Never throws.
 */
export function portalJournalWriter(portal: PortalClient, settings: InvoiceDeskSettings): JournalWriter {
  return {
    async write(entries) {
      if (entries.length === 0)
        return { status: 'nothing' }
      const entityTypeId = settings.journal.entityTypeId
      if (entityTypeId === null)
        return { status: 'no-journal' }
      const error = await writeJournal(portal, entityTypeId, entries)
      if (!error)
        return { status: 'written', where: 'journal' }
      if (!isJournalRefused(error))
        return { status: 'failed', error }
      const fallback = await writeDealTimelineJournal(portal, entries)
      return fallback ? { status: 'failed', error: fallback } : { status: 'written', where: 'deal-timeline' }
    },
  }
}

/**
 * Writes `entries` with `writer` (default: `portalJournalWriter` of `portal`; a server acting for the
 * application passes its own). Never throws: the action the entries describe is already done, so a
 * journal that cannot be written is a warning for the caller to show, never a reason to undo or
 * repeat anything.
 */
export async function recordJournal(portal: PortalClient, settings: InvoiceDeskSettings, entries: readonly JournalEntry[], writer: JournalWriter = portalJournalWriter(portal, settings)): Promise<JournalWrite> {
  if (entries.length === 0)
    return { status: 'nothing' }
  return writer.write(entries)
}
