import type { PortalClient } from '../portal-client.ts'

/** A deal's change times as the portal gives them (ISO date-times with the portal's offset). */
export interface DealChange {
  readonly id: number
  readonly createdTime: string
  readonly updatedTime: string
}

/**
 * Up to 50 deals last changed after `after` and at or before `until`, newest first: `crm.item.list`
 * with `entityTypeId: 2`, `>updatedTime` / `<=updatedTime`, one page without a count (`start: -1`)
 * (R: api-reference/crm/universal/crm-item-list.md; settings/performance/huge-data.md). The service
 * compares them with the deal events it received (README «The Invoice Desk service» › «Events or polling»).
 */
export async function listDealsChangedBetween(client: PortalClient, after: Date, until: Date): Promise<DealChange[]> {
  const answer = await client.call<{ items?: Array<{ id?: unknown, createdTime?: unknown, updatedTime?: unknown }> }>('crm.item.list', {
    entityTypeId: 2,
    select: ['id', 'createdTime', 'updatedTime'],
    filter: { '>updatedTime': after.toISOString(), '<=updatedTime': until.toISOString() },
    order: { updatedTime: 'DESC' },
    start: -1,
  })
  return (answer.items ?? []).map(item => ({ id: Number(item.id), createdTime: String(item.createdTime ?? ''), updatedTime: String(item.updatedTime ?? '') }))
}
