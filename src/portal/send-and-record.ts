import type { BatchOutcome, PortalClient, RestCall } from './portal-client.ts'
import type { PortalError } from './portal-error.ts'
import type { GuardedOptions, ReplayGuard } from './replay-guard.ts'
import { errorOf } from './batch-outcome.ts'
import { guardedBatch } from './replay-guard.ts'

/** Something to send (one or more commands) and the timeline entries that record it as sent. */
export interface SendAndRecord {
  readonly key: string
  /** The sending commands, by command name (unique across the items). */
  readonly sends: ReadonlyArray<readonly [string, RestCall]>
  /** The `sent` records (one per CRM item the send speaks of), written only after every sending command succeeded. */
  readonly records: readonly RestCall[]
}

/** One item's fate: sent (and whether its records were written), refused by the portal, or unknown (no answer). */
export type SendAndRecordOutcome
  = | { readonly status: 'done', readonly recorded: boolean, readonly recordError: PortalError | null }
    | { readonly status: 'refused', readonly error: PortalError }
    | { readonly status: 'unknown', readonly error: unknown }

const notRun = (error: PortalError | null): boolean => error?.code === 'NOT_RUN'

/** Commands one batch may hold (R: settings/how-to-call-rest-api/batch.md). */
const BATCH_COMMANDS = 50

/** Room for an item's own commands in a batch: a guarded batch also consumes a token, mints the next one and removes abandoned ones. */
function roomOf(guard: ReplayGuard | null): number {
  return guard ? Math.max(1, BATCH_COMMANDS - 2 - (guard.stale?.length ?? 0)) : BATCH_COMMANDS
}

const recordKey = (item: SendAndRecord, index: number): string => `${item.key}_record${index === 0 ? '' : index}`

/**
 * Sends items each followed by its records in the SAME batch, with `halt` (R:
 * settings/how-to-call-rest-api/batch.md): the portal stops at the first refusal — an empty-code
 * one too — so no record follows a refused send, and no process can die between a send and its
 * record. That record is the proof a later look needs: a notification cannot be looked up afterwards
 * (`im.notify.get` lists only the caller's own, R: api-reference/chats/notifications/im-notify-get.md),
 * and an e-mail activity stays even when Bitrix24 refused to send it
 * (R: tutorials/crm/how-to-add-crm-objects/how-to-send-email.md). The items after a refusal did not
 * run: they go in the next batch (a refusal costs one round trip more). Up to 50 commands per
 * round trip. With a `guard` every batch is guarded against replays (`guardedBatch`; `mintNext`
 * mints the token for the flow's next write batch): a replayed batch leaves its items `unknown`
 * with the `REPLAYED` error, as does a batch that got no answer. Nothing is repeated.
 */
export async function sendAndRecord(client: PortalClient, items: readonly SendAndRecord[], guard: ReplayGuard | null = null, options: GuardedOptions = {}): Promise<Map<string, SendAndRecordOutcome>> {
  const out = new Map<string, SendAndRecordOutcome>()
  let queue = [...items]
  while (queue.length > 0) {
    const chunk: SendAndRecord[] = []
    let size = 0
    const room = roomOf(guard)
    for (const item of queue) {
      const cost = item.sends.length + item.records.length
      if (chunk.length > 0 && size + cost > room)
        break
      chunk.push(item)
      size += cost
    }
    queue = queue.slice(chunk.length)
    const calls = Object.fromEntries(chunk.flatMap(item => [...item.sends, ...item.records.map((record, i) => [recordKey(item, i), record] as const)]))
    let outcomes: Record<string, BatchOutcome>
    try {
      outcomes = guard
        ? await guardedBatch(client, guard, calls, { mintNext: options.mintNext === true || queue.length > 0 })
        : await client.batch(calls, { haltOnError: true })
    }
    catch (error) {
      chunk.forEach(item => out.set(item.key, { status: 'unknown', error }))
      continue
    }
    for (const [index, item] of chunk.entries()) {
      const errors = item.sends.map(([name, call]) => errorOf(outcomes[name], call.method))
      const refused = errors.find(error => error !== null && !notRun(error))
      if (refused) {
        out.set(item.key, { status: 'refused', error: refused })
        continue
      }
      if (errors.some(notRun)) {
        // Halted before it: it goes with the next batch. The first item of a batch always runs; were it
        // reported as not run, nothing could be told of it.
        if (index === 0)
          out.set(item.key, { status: 'unknown', error: errors.find(notRun) })
        queue = [...chunk.slice(index === 0 ? 1 : index), ...queue]
        break
      }
      const recordError = item.records.map((record, i) => errorOf(outcomes[recordKey(item, i)], record.method)).find(error => error !== null) ?? null
      out.set(item.key, { status: 'done', recorded: recordError === null, recordError })
    }
  }
  return out
}
