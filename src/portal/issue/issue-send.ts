import type { EmailActivity } from '../email-activity.ts'
import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import type { PortalError } from '../portal-error.ts'
import type { ReplayGuard } from '../replay-guard.ts'
import { ENTITY, errorOf } from '../batch-outcome.ts'
import { emailActivityCall } from '../email-activity.ts'
import { guardedBatch, guardedEach } from '../replay-guard.ts'
import { EMAIL_SENT_LOG_TITLE, RESENT_LOG_TITLE } from './issue-read.ts'

/** The invoice's e-mail as Bitrix24 sends it (`emailActivityCall`), recorded on the invoice. */
export interface InvoiceEmail extends Omit<EmailActivity, 'owner'> {
  readonly invoiceId: number
  /** Activities a failed send left behind with the same key: deleted before this one is sent. */
  readonly staleActivityIds: readonly number[]
}

export interface StageMoves {
  readonly invoiceId: number
  readonly invoiceStageId: string
  readonly dealId: number
  /** Null: the deal stays where it is. */
  readonly dealStageId: string | null
}

export interface SendResult {
  readonly error: PortalError | null
  /**
   * Which part failed: the e-mail (the portal refused it, or the batch had no answer: nothing
   * after it ran), its "sent" marker (the portal DID answer that the e-mail was sent; the marker
   * and the stages still have to be written), or a stage move.
   */
  readonly failedPart: 'email' | 'marker' | 'stages' | null
}

function sentMarkerCall(invoiceId: number, title: string, text: string): RestCall {
  return { method: 'crm.timeline.logmessage.add', params: { fields: { entityTypeId: ENTITY.invoice, entityId: invoiceId, title, text, iconCode: 'info' } } }
}

function emailCalls(email: InvoiceEmail, markerTitle = EMAIL_SENT_LOG_TITLE): Record<string, RestCall> {
  const stale = Object.fromEntries(email.staleActivityIds.map(id => [`stale${id}`, { method: 'crm.activity.delete', params: { id } }]))
  return {
    ...stale,
    email: emailActivityCall({ ...email, owner: { entityTypeId: ENTITY.invoice, id: email.invoiceId } }),
    // Bitrix24 keeps the activity even when sending fails; only this marker, written after a
    // successful send in the same halted batch, tells a later run that the e-mail really went out.
    sentMarker: sentMarkerCall(email.invoiceId, markerTitle, `${email.to}: ${email.subject}`),
  }
}

function stageCalls(moves: StageMoves): Record<string, RestCall> {
  return {
    invoiceStage: { method: 'crm.item.update', params: { entityTypeId: ENTITY.invoice, id: moves.invoiceId, fields: { stageId: moves.invoiceStageId } } },
    ...(moves.dealStageId === null ? {} : { dealStage: { method: 'crm.item.update', params: { entityTypeId: ENTITY.deal, id: moves.dealId, fields: { stageId: moves.dealStageId } } } }),
  }
}

/** The e-mail command's own outcome decides: its success answer is the proof it went out, whatever came after. */
function emailOutcome(outcomes: Record<string, BatchOutcome>, calls: Record<string, RestCall>): SendResult | null {
  const before = Object.keys(calls).filter(key => key.startsWith('stale') || key === 'email')
  const emailError = before.map(key => errorOf(outcomes[key], calls[key]!.method)).find(Boolean) ?? null
  if (emailError)
    return { error: emailError, failedPart: 'email' }
  const markerError = errorOf(outcomes.sentMarker, 'crm.timeline.logmessage.add')
  return markerError ? { error: markerError, failedPart: 'marker' } : null
}

/**
 * ONE round trip with `halt`, guarded against replays (`guardedBatch`, throws `REPLAYED`): stale
 * unsent activities are removed, the e-mail sent and confirmed, then the stages move — so a failed
 * e-mail moves nothing — and the follow-ups' token is minted. `email: null` moves the stages only
 * (resuming after the e-mail went out).
 */
export async function sendAndMove(client: PortalClient, email: InvoiceEmail | null, moves: StageMoves, guard: ReplayGuard): Promise<SendResult> {
  const emailPart = email ? emailCalls(email) : {}
  const outcomes = await guardedBatch(client, guard, { ...emailPart, ...stageCalls(moves) }, { mintNext: true })
  const emailResult = email ? emailOutcome(outcomes, emailPart) : null
  if (emailResult)
    return emailResult
  const stageError = errorOf(outcomes.invoiceStage, 'crm.item.update') ?? (moves.dealStageId === null ? null : errorOf(outcomes.dealStage, 'crm.item.update'))
  return { error: stageError, failedPart: stageError ? 'stages' : null }
}

/**
 * Writes the "sent" marker alone: after the portal answered that the e-mail was sent but the
 * marker in the same batch failed, or when a person has confirmed that an e-mail went out.
 */
export async function markEmailSent(client: PortalClient, invoiceId: number, text: string): Promise<void> {
  const call = sentMarkerCall(invoiceId, EMAIL_SENT_LOG_TITLE, text)
  await client.call(call.method, call.params)
}

/**
 * After the portal REFUSED the e-mail (it answered with an error), removes the activity such a
 * refusal leaves behind (how-to-send-email.md: "the activity has already been created while the
 * e-mail did not go out"), so that a later read does not mistake it for an e-mail of unknown fate.
 * Returns how many it removed; throws when it could not look or delete.
 */
export async function removeRefusedEmails(client: PortalClient, invoiceId: number, originId: string): Promise<number> {
  const activities = await client.call<Array<{ ID: number | string }>>('crm.activity.list', { filter: { OWNER_TYPE_ID: ENTITY.invoice, OWNER_ID: invoiceId, ORIGIN_ID: originId }, select: ['ID'] })
  if (activities.length === 0)
    return 0
  const calls = Object.fromEntries(activities.map(activity => [`delete${activity.ID}`, { method: 'crm.activity.delete', params: { id: Number(activity.ID) } }]))
  const outcomes = await client.batch(calls)
  const error = Object.keys(calls).map(key => errorOf(outcomes[key], 'crm.activity.delete')).find(Boolean)
  if (error)
    throw error
  return activities.length
}

/**
 * ONE round trip with `halt`, guarded against replays (throws `REPLAYED`): the invoice e-mailed again (its own `ORIGIN_ID`), then a timeline
 * entry saying so. Stages and follow-ups are left as they are. Null when the portal answered that
 * the e-mail was sent (a failed timeline entry after it does not make it unsent).
 */
export async function resendEmail(client: PortalClient, email: InvoiceEmail, guard: ReplayGuard): Promise<PortalError | null> {
  const calls = emailCalls(email, RESENT_LOG_TITLE)
  const outcomes = await guardedBatch(client, guard, calls)
  const result = emailOutcome(outcomes, calls)
  return result?.failedPart === 'email' ? result.error : null
}

/** What happens after the e-mail: people told, follow-ups scheduled, robots woken, history written. */
export interface AfterSend {
  readonly invoiceId: number
  readonly dealId: number
  readonly notifications: ReadonlyArray<{ readonly userId: number, readonly message: string, readonly tag: string }>
  readonly tasks: ReadonlyArray<{ readonly title: string, readonly responsibleId: number, readonly deadline: string, readonly description: string }>
  /** App trigger to fire (registered at install), or null. */
  readonly triggerCode: string | null
  readonly dealLog: { readonly title: string, readonly text: string }
  /** The chain's last mark on the invoice: with it, a later run knows the follow-ups were done. */
  readonly invoiceLog: { readonly title: string, readonly text: string }
}

/** A follow-up that failed; the invoice stays sent, the manager is told. */
export interface AfterSendFailure {
  readonly part: 'notify' | 'task' | 'trigger' | 'dealLog' | 'invoiceLog'
  readonly error: PortalError
}

/**
 * ONE guarded round trip (`guardedEach`; throws `REPLAYED`): every follow-up runs once, and each
 * failure is reported rather than retried (a second run would duplicate the tasks and wake the
 * robots twice); a failure costs a round trip for the follow-ups after it.
 */
export async function runAfterSend(client: PortalClient, after: AfterSend, guard: ReplayGuard): Promise<AfterSendFailure[]> {
  const calls: Record<string, RestCall> = {}
  after.notifications.forEach((n, i) => {
    calls[`notify${i}`] = { method: 'im.notify.system.add', params: { USER_ID: n.userId, MESSAGE: n.message, TAG: n.tag } }
  })
  after.tasks.forEach((task, i) => {
    calls[`task${i}`] = { method: 'tasks.task.add', params: { fields: { TITLE: task.title, RESPONSIBLE_ID: task.responsibleId, DEADLINE: task.deadline, DESCRIPTION: task.description, UF_CRM_TASK: [`D_${after.dealId}`] } } }
  })
  if (after.triggerCode)
    calls.trigger = { method: 'crm.automation.trigger.execute', params: { CODE: after.triggerCode, OWNER_TYPE_ID: ENTITY.invoice, OWNER_ID: after.invoiceId } }
  calls.dealLog = { method: 'crm.timeline.logmessage.add', params: { fields: { entityTypeId: ENTITY.deal, entityId: after.dealId, title: after.dealLog.title, text: after.dealLog.text, iconCode: 'info' } } }
  calls.invoiceLog = { method: 'crm.timeline.logmessage.add', params: { fields: { entityTypeId: ENTITY.invoice, entityId: after.invoiceId, title: after.invoiceLog.title, text: after.invoiceLog.text, iconCode: 'info' } } }
  const outcomes = await guardedEach(client, guard, calls)
  return Object.entries(calls).flatMap(([key, call]) => {
    const error = errorOf(outcomes[key], call.method)
    return error ? [{ part: key.replace(/\d+$/, '') as AfterSendFailure['part'], error }] : []
  })
}
