import type { PortalClient, RestCall } from '../portal-client.ts'
import { NOTIFY_CLIENT_ID } from '../../domain/issue/issue-key.ts'
import { sendAndRecord } from '../send-and-record.ts'
import { subscriptionLogCall } from './subscription-log.ts'

/** A notice to send: to whom, what, and the key recorded on the deal so it goes once. */
export interface NoticeDelivery {
  readonly dealId: number
  readonly userId: number
  readonly key: string
  readonly message: string
}

/** `TAG` of a subscription notice: Bitrix24 replaces a notification with the same tag, so two runners at once leave one. */
export function noticeTag(dealId: number, key: string): string {
  return `INVOICE_DESK|SUBSCRIPTION|${dealId}|${key}`
}

/**
 * Sends the notices, each recorded in its deal's timeline in the same halted batch
 * (`sendAndRecord`): a notice the portal refused — an empty-code error too — gets no record, so the
 * next run sends it again; no runner can die between a notice and its record. ONE round trip for up
 * to 25 notices (one more per refusal). Returns the keys whose notice was refused or got no answer,
 * with the error; a notice sent whose record the portal refused is returned too (it may go again,
 * its `TAG` then replaces the first).
 */
export async function deliverNotices(client: PortalClient, deliveries: readonly NoticeDelivery[]): Promise<Map<string, unknown>> {
  const failed = new Map<string, unknown>()
  const items = deliveries.map((d, n) => ({
    key: `notice${n}`,
    sends: [[`notify${n}`, { method: 'im.notify.system.add', params: { USER_ID: d.userId, MESSAGE: d.message, TAG: noticeTag(d.dealId, d.key), CLIENT_ID: NOTIFY_CLIENT_ID } }] as [string, RestCall]],
    records: [subscriptionLogCall(d.dealId, d.message, { kind: 'subscriptionNotice', key: d.key })],
  }))
  const outcomes = await sendAndRecord(client, items)
  deliveries.forEach((d, n) => {
    const outcome = outcomes.get(`notice${n}`)
    const error = !outcome ? new Error('not sent') : outcome.status === 'done' ? outcome.recordError : outcome.error
    if (error)
      failed.set(`${d.dealId}:${d.key}`, error)
  })
  return failed
}
