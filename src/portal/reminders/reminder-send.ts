import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import type { LogWrite } from '../collection/collection-log.ts'
import type { EmailActivity } from '../email-activity.ts'
import { NOTIFY_CLIENT_ID } from '../../domain/issue/issue-key.ts'
import { ENTITY, errorOf, optional } from '../batch-outcome.ts'
import { logAddCall } from '../collection/collection-log.ts'
import { emailActivityCall } from '../email-activity.ts'
import { sendAndRecord, type SendAndRecordOutcome } from '../send-and-record.ts'
import type { GuardedOptions, ReplayGuard } from '../replay-guard.ts'
import { guardedEach } from '../replay-guard.ts'

/** One reminder action as the portal takes it. */
export type ReminderDelivery
  = | ({
    readonly kind: 'email'
    /** The CRM item the e-mail is recorded on: the invoice (31), or for a grouped e-mail the client (3/4). */
    readonly owner: { readonly entityTypeId: 31 | 3 | 4, readonly id: number }
  } & Omit<EmailActivity, 'owner' | 'attachment'>)
  | { readonly kind: 'notify', readonly userIds: readonly number[], readonly message: string, readonly tag: string }
  | { readonly kind: 'task', readonly title: string, readonly responsibleId: number, readonly deadline: string, readonly bindings: readonly string[] }

function deliveryCalls(key: string, delivery: ReminderDelivery): Array<[string, RestCall]> {
  switch (delivery.kind) {
    case 'email':
      // Reminders carry the links of their template; the PDF is not attached again.
      return [[key, emailActivityCall({ ...delivery, attachment: null })]]
    case 'notify':
      return delivery.userIds.map((userId, i) => [`${key}_${i}`, { method: 'im.notify.system.add', params: { USER_ID: userId, MESSAGE: delivery.message, TAG: `${delivery.tag}|${userId}`, CLIENT_ID: NOTIFY_CLIENT_ID } }])
    case 'task':
      return [[key, {
        method: 'tasks.task.add',
        params: { fields: { TITLE: delivery.title, RESPONSIBLE_ID: delivery.responsibleId, DEADLINE: delivery.deadline, ...(delivery.bindings.length > 0 ? { UF_CRM_TASK: [...delivery.bindings] } : {}) } },
      }]]
  }
}

/**
 * An e-mail or a task and the `sent` records of the steps it delivers (one per invoice a grouped
 * e-mail speaks of), written in the same halted batch right after it.
 */
export interface RecordedDelivery {
  readonly key: string
  readonly delivery: Exclude<ReminderDelivery, { kind: 'notify' }>
  readonly records: readonly LogWrite[]
}

/**
 * Sends e-mails and tasks, each followed by its `sent` records in the same halted batch
 * (`sendAndRecord`), each once even when another is refused (one client's bad address must not stop
 * another's reminder: the items after a refusal go in the next batch). A refused e-mail leaves its
 * activity behind but never a `sent` record, so a look after a lost answer tells the two apart
 * (`readCollectionStates`). The batches are guarded against replays by one-time tokens on an invoice's
 * timeline (`guard`, README "Never twice"): a batch the browser re-sent after its answer was lost
 * stops before anything. Never retried here: an e-mail sent twice cannot be recalled. A batch with
 * no answer, or replayed, leaves its deliveries `unknown`; their claims stay open.
 */
export async function sendRecordedDeliveries(client: PortalClient, items: readonly RecordedDelivery[], guard: ReplayGuard, options: GuardedOptions = {}): Promise<Map<string, SendAndRecordOutcome>> {
  return sendAndRecord(client, items.map(item => ({ key: item.key, sends: deliveryCalls(item.key, item.delivery), records: item.records.map(logAddCall) })), guard, options)
}

/**
 * Writes log entries 50 at a time, each once even when another fails; returns each entry's new id,
 * or its error. With a `guard` the batches are guarded against replays (`guardedEach`): the entries
 * of a batch the browser replayed come back with the `REPLAYED` error — written once, ids unknown.
 */
export async function writeLogEntries(client: PortalClient, writes: ReadonlyArray<readonly [string, LogWrite]>, guard: ReplayGuard | null = null, options: GuardedOptions = {}): Promise<Map<string, { id: number } | { error: unknown }>> {
  const out = new Map<string, { id: number } | { error: unknown }>()
  for (let i = 0; i < writes.length; i += 50) {
    const chunk = writes.slice(i, i + 50)
    let outcomes: Record<string, BatchOutcome>
    try {
      const calls = Object.fromEntries(chunk.map(([key, write]) => [key, logAddCall(write)]))
      outcomes = guard ? await guardedEach(client, guard, calls, options) : await client.batch(calls)
    }
    catch (error) {
      chunk.forEach(([key]) => out.set(key, { error }))
      continue
    }
    for (const [key] of chunk) {
      const outcome = outcomes[key]
      const error = errorOf(outcome, 'crm.timeline.logmessage.add')
      out.set(key, error ? { error } : { id: Number(optional<{ logMessage?: { id?: number | string } }>(outcome, {}).logMessage?.id ?? 0) })
    }
  }
  return out
}

/** A timeline write of a reminder record on an invoice. */
export function recordWrite(invoiceId: number, title: string, text: string): LogWrite {
  return { entityTypeId: ENTITY.invoice, entityId: invoiceId, title, text }
}

/** What a dead sweep's claim left behind, looked up by origin: an e-mail with the `ORIGIN_ID`, or a task with the title. */
export interface OriginProbe {
  readonly key: string
  readonly channel: 'email' | 'task'
  readonly origin: string
}

/**
 * What a probe found: `found` (an e-mail activity with the origin, or a task with the title),
 * `absent`, or `unreadable` (the read failed: nothing can be concluded, the step is left alone).
 */
export type ProbeResult = 'found' | 'absent' | 'unreadable'

/**
 * Looks up what the things dead sweeps claimed left in the portal (ONE round trip per 50 probes).
 * A task found is the task itself; an e-mail activity found is NOT proof that the e-mail went out
 * (a refused send leaves one too: R: tutorials/crm/how-to-add-crm-objects/how-to-send-email.md).
 */
export async function probeOrigins(client: PortalClient, probes: readonly OriginProbe[]): Promise<Map<string, ProbeResult>> {
  const out = new Map<string, ProbeResult>()
  for (let i = 0; i < probes.length; i += 50) {
    const chunk = probes.slice(i, i + 50)
    let outcomes: Record<string, BatchOutcome>
    try {
      outcomes = await client.batch(Object.fromEntries(chunk.map(probe => [probe.key, probe.channel === 'email'
        ? { method: 'crm.activity.list', params: { filter: { TYPE_ID: 4, ORIGIN_ID: probe.origin }, select: ['ID'] } }
        : { method: 'tasks.task.list', params: { filter: { TITLE: probe.origin }, select: ['ID'] } }])))
    }
    catch {
      chunk.forEach(probe => out.set(probe.key, 'unreadable'))
      continue
    }
    for (const probe of chunk) {
      const outcome = outcomes[probe.key]
      if (!outcome?.ok) {
        out.set(probe.key, 'unreadable')
        continue
      }
      const result = outcome.result as unknown[] | { tasks?: unknown[] }
      const rows = Array.isArray(result) ? result : result.tasks ?? []
      out.set(probe.key, rows.length > 0 ? 'found' : 'absent')
    }
  }
  return out
}

/** A notification delivery and the `sent` record written in the same request. */
export interface RecordedNotice {
  readonly key: string
  readonly delivery: Extract<ReminderDelivery, { kind: 'notify' }>
  readonly record: LogWrite
}

/**
 * Sends notifications (`im.notify.system.add`), each followed by its `sent` record in the same
 * halted batch (`sendAndRecord`): no `sent` record follows a refused notification, and no runner
 * can die between a notification and its record — nothing found later could tell whether a
 * notification went out. A batch without an answer leaves its notices `unknown`: their claims stay
 * open and the next sweep after the lease sends them again with the same `TAG`, which replaces a
 * notification that did arrive (R: api-reference/chats/notifications/im-notify-system-add.md).
 */
export async function sendRecordedNotices(client: PortalClient, notices: readonly RecordedNotice[]): Promise<Map<string, SendAndRecordOutcome>> {
  return sendAndRecord(client, notices.map(notice => ({ key: notice.key, sends: deliveryCalls(notice.key, notice.delivery), records: [logAddCall(notice.record)] })))
}
