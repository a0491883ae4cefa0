import type { PortalClient, RestCall } from '../portal-client.ts'
import type { PortalError } from '../portal-error.ts'
import type { LogWrite } from './collection-log.ts'
import { NOTIFY_CLIENT_ID } from '../../domain/issue/issue-key.ts'
import { ENTITY, errorOf } from '../batch-outcome.ts'
import { logAddCall } from './collection-log.ts'

/** What following up one invoice paid outside the app writes. */
export interface PaidFollowUpWrite {
  readonly invoiceId: number
  /** The deal moved to this stage; null: it stays. */
  readonly dealMove: { readonly dealId: number, readonly stageId: string } | null
  /** `im.notify.system.add` to each user, with the same message and `TAG` (a repeat replaces rather than adds). */
  readonly notify: { readonly userIds: readonly number[], readonly message: string, readonly tag: string }
  /** The deal's timeline entry; null when the invoice has no deal. */
  readonly dealLog: LogWrite | null
  /** The invoice's payment record, written last: once it is there the invoice counts as followed up. */
  readonly invoiceLog: LogWrite
}

/** One invoice's follow-up as the portal answered it. */
export interface PaidFollowUpOutcome {
  /** The first of its commands the portal refused; null when all ran. */
  readonly error: PortalError | null
  /** The invoice's payment record was written. */
  readonly recorded: boolean
  /** The deal was moved (false when no move was asked). */
  readonly dealMoved: boolean
}

function callsOf(write: PaidFollowUpWrite): Array<[string, RestCall]> {
  const id = write.invoiceId
  return [
    ...(write.dealMove ? [[`deal${id}`, { method: 'crm.item.update', params: { entityTypeId: ENTITY.deal, id: write.dealMove.dealId, fields: { stageId: write.dealMove.stageId } } }] as [string, RestCall]] : []),
    ...write.notify.userIds.map((userId, n) => [`notify${id}_${n}`, { method: 'im.notify.system.add', params: { USER_ID: userId, MESSAGE: write.notify.message, TAG: write.notify.tag, CLIENT_ID: NOTIFY_CLIENT_ID } }] as [string, RestCall]),
    ...(write.dealLog ? [[`dealLog${id}`, logAddCall(write.dealLog)] as [string, RestCall]] : []),
    [`log${id}`, logAddCall(write.invoiceLog)],
  ]
}

/**
 * ONE batch without halt for the invoices' follow-ups (at most 10 invoices, about 5 commands each):
 * one invoice's refusal does not stop the others. Returns each invoice's outcome by id; throws when
 * the batch got no answer (nothing can be said of any of them).
 */
export async function writePaidFollowUps(client: PortalClient, writes: readonly PaidFollowUpWrite[]): Promise<Map<number, PaidFollowUpOutcome>> {
  const perInvoice = writes.map(write => [write, callsOf(write)] as const)
  const outcomes = await client.batch(Object.fromEntries(perInvoice.flatMap(([, calls]) => calls)))
  return new Map(perInvoice.map(([write, calls]) => {
    const id = write.invoiceId
    const error = calls.map(([key, call]) => errorOf(outcomes[key], call.method)).find(Boolean) ?? null
    return [id, {
      error,
      recorded: !errorOf(outcomes[`log${id}`], 'crm.timeline.logmessage.add'),
      dealMoved: write.dealMove !== null && !errorOf(outcomes[`deal${id}`], 'crm.item.update'),
    }]
  }))
}
