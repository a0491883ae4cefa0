import type { BatchOutcome, PortalClient, RestCall } from './portal-client.ts'
import type { PortalError } from './portal-error.ts'
import { errorOf } from './batch-outcome.ts'

/** Something to send (one or more commands) and the timeline entry that records it as sent. */
export interface SendAndRecord {
  readonly key: string
  /** The sending commands, by command name (unique across the items). */
  readonly sends: ReadonlyArray<readonly [string, RestCall]>
  /** The `sent` record, written only after every sending command succeeded. */
  readonly record: RestCall
}

/** One item's fate: sent (and whether its record was written), refused by the portal, or unknown (no answer). */
export type SendAndRecordOutcome
  = | { readonly status: 'done', readonly recorded: boolean, readonly recordError: PortalError | null }
    | { readonly status: 'refused', readonly error: PortalError }
    | { readonly status: 'unknown', readonly error: unknown }

const notRun = (error: PortalError | null): boolean => error?.code === 'NOT_RUN'

/**
 * Sends items whose delivery cannot be looked up afterwards (notifications: `im.notify.get` lists
 * only the caller's own, R: api-reference/chats/notifications/im-notify-get.md) each followed by
 * its record in the SAME batch, with `halt` (R: settings/how-to-call-rest-api/batch.md): the portal
 * stops at the first refusal — an empty-code one too — so no record follows a refused send, and no
 * process can die between a send and its record. The items after a refusal did not run: they go in
 * the next batch (a refusal costs one round trip more). Up to 50 commands per round trip. A batch
 * that got no answer leaves its items `unknown`. Nothing is repeated.
 */
export async function sendAndRecord(client: PortalClient, items: readonly SendAndRecord[]): Promise<Map<string, SendAndRecordOutcome>> {
  const out = new Map<string, SendAndRecordOutcome>()
  let queue = [...items]
  while (queue.length > 0) {
    const chunk: SendAndRecord[] = []
    let size = 0
    for (const item of queue) {
      if (chunk.length > 0 && size + item.sends.length + 1 > 50)
        break
      chunk.push(item)
      size += item.sends.length + 1
    }
    queue = queue.slice(chunk.length)
    const calls = chunk.flatMap(item => [...item.sends, [`${item.key}_record`, item.record] as const])
    let outcomes: Record<string, BatchOutcome>
    try {
      outcomes = await client.batch(Object.fromEntries(calls), { haltOnError: true })
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
      const recordError = errorOf(outcomes[`${item.key}_record`], item.record.method)
      out.set(item.key, { status: 'done', recorded: recordError === null, recordError })
    }
  }
  return out
}
