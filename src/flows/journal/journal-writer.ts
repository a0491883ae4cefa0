import type { JournalEntry } from '../../domain/journal/journal-entry.ts'

/**
 * Where a journal write went: the app's closed journal (an administrator, the runner's administrator
 * webhook, or a server acting for the application), or the deal's own timeline (a person who may not
 * write the journal, recording their own action on a deal they may edit).
 */
export type JournalPlace = 'journal' | 'deal-timeline'

/** What became of a journal write: written (and where), nothing to write, no journal yet (install creates it), or the portal's error. */
export type JournalWrite
  = | { readonly status: 'written', readonly where: JournalPlace }
    | { readonly status: 'nothing' | 'no-journal' }
    | { readonly status: 'failed', readonly error: Error }

/**
 * Who writes journal entries. The journal's smart process is closed (only administrators and the
 * application), so the one writer of a portal-wide record is whoever acts for the application: the
 * browser of an administrator, the scheduled runner's administrator webhook, or a server holding the
 * installing administrator's tokens, which a browser hands its entries to by passing its own writer.
 * A writer never throws: the action the entries describe is already done.
 */
export interface JournalWriter {
  readonly write: (entries: readonly JournalEntry[]) => Promise<JournalWrite>
}
