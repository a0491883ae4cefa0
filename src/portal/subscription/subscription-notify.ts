import type { PortalClient, RestCall } from '../portal-client.ts'
import { NOTIFY_CLIENT_ID } from '../../domain/issue/issue-key.ts'
import { errorOf } from '../batch-outcome.ts'
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
 * Sends the notices and records each in its deal's timeline, ONE round trip for up to 25
 * notices (two commands each). Returns the keys whose notification the portal refused, with the error.
 */
export async function deliverNotices(client: PortalClient, deliveries: readonly NoticeDelivery[]): Promise<Map<string, unknown>> {
  const failed = new Map<string, unknown>()
  for (let i = 0; i < deliveries.length; i += 25) {
    const chunk = deliveries.slice(i, i + 25)
    const calls: Record<string, RestCall> = {}
    chunk.forEach((d, n) => {
      calls[`notify${n}`] = { method: 'im.notify.system.add', params: { USER_ID: d.userId, MESSAGE: d.message, TAG: noticeTag(d.dealId, d.key), CLIENT_ID: NOTIFY_CLIENT_ID } }
      calls[`log${n}`] = subscriptionLogCall(d.dealId, d.message, { kind: 'subscriptionNotice', key: d.key })
    })
    const outcomes = await client.batch(calls)
    chunk.forEach((d, n) => {
      const error = errorOf(outcomes[`notify${n}`], 'im.notify.system.add') ?? errorOf(outcomes[`log${n}`], 'crm.timeline.logmessage.add')
      if (error)
        failed.set(`${d.dealId}:${d.key}`, error)
    })
  }
  return failed
}
