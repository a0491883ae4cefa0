import type { PortalClient } from '../portal/portal-client.ts'
import type { JournalActor } from '../domain/journal/journal-entry.ts'
import type { JournalWrite } from './journal/record-journal.ts'
import type { SweepOptions, SweepPreparation, SweepResult } from './run-reminders.ts'
import { sweepEntries } from './journal/journal-entries.ts'
import { recordJournal } from './journal/record-journal.ts'
import { executeSweep } from './run-reminders.ts'

/** What a journaled sweep did: the sweep's result and what became of its journal entries. */
export interface JournaledSweep {
  readonly result: SweepResult
  readonly journal: JournalWrite
}

/**
 * Sends the prepared reminders (`executeSweep`: claim, elect, send, record; `selected` = the
 * `<invoiceId>:<stepKey>` keys a person chose, null = all), then journals them in one write with
 * `by` as the actor. `onResult` sees the sweep's result before the journal is written. The
 * journal never throws; the sweep's own failures are as `executeSweep` reports them.
 */
export async function sendRemindersWithJournal(portal: PortalClient, prep: SweepPreparation, options: SweepOptions & { readonly onResult?: (result: SweepResult) => void }, selected: ReadonlySet<string> | null, by: JournalActor): Promise<JournaledSweep> {
  const { onResult, ...sweepOptions } = options
  const result = await executeSweep(portal, prep, sweepOptions, selected)
  onResult?.(result)
  const journal = await recordJournal(portal, prep.settings, sweepEntries(result, prep.scope.invoices, by, options.locale))
  return { result, journal }
}
