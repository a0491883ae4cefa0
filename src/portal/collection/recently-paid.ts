import type { Invoice } from '../../domain/invoice.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import type { Stage } from '../../domain/stage.ts'
import type { InvoiceItemDto } from '../crm/crm-dto.ts'
import type { PortalClient } from '../portal-client.ts'
import { calendarDateOf } from '../../domain/calendar-date.ts'
import { ENTITY, required } from '../batch-outcome.ts'
import { INVOICE_SELECT } from '../crm/crm-dto.ts'
import { invoiceFromDto } from '../crm/crm-mappers.ts'
import { INVOICE_PIPELINES_CALL, invoicePipelinesOf, pipelineStageCalls, pipelineStagesOf } from '../crm/invoice-pipelines.ts'

/** An invoice in a paid (success) stage, with the day it got there. */
export interface PaidInvoice {
  readonly invoice: Invoice
  /** The portal day of `movedTime`: when the invoice reached the paid stage. */
  readonly paidOn: CalendarDate
}

export interface RecentlyPaid {
  readonly stages: readonly Stage[]
  readonly paid: readonly PaidInvoice[]
  /** Deal id → its invoices still open (not paid, not cancelled), for the "whole deal paid" check. */
  readonly openByDeal: ReadonlyMap<number, readonly number[]>
}

/**
 * Invoices that reached a paid stage since `since` (any pipeline), and the still-open invoices of
 * their deals: round trip 1 the pipelines, 2 their stages, 3 the paid invoices (50; more pages
 * follow one by one — a day rarely has more), 4 the open invoices of those deals.
 */
export async function loadRecentlyPaid(client: PortalClient, since: CalendarDate): Promise<RecentlyPaid> {
  const categories = invoicePipelinesOf((await client.batch({ c: INVOICE_PIPELINES_CALL })).c)
  const stages = pipelineStagesOf(await client.batch(Object.fromEntries(pipelineStageCalls(categories))), categories)
  const success = stages.filter(stage => stage.semantics === 'success').map(stage => stage.id)
  const open = stages.filter(stage => stage.semantics === 'process').map(stage => stage.id)
  if (success.length === 0)
    return { stages, paid: [], openByDeal: new Map() }
  const rows: Array<InvoiceItemDto & { movedTime?: string | null }> = []
  for (let start = 0, total = 1; start < total; start += 50) {
    const page = await client.call<{ items: Array<InvoiceItemDto & { movedTime?: string | null }> }>('crm.item.list', {
      entityTypeId: ENTITY.invoice,
      select: [...INVOICE_SELECT, 'movedTime'],
      filter: { '@stageId': success, '>=movedTime': `${since}T00:00:00` },
      order: { id: 'ASC' },
      start,
    })
    rows.push(...page.items)
    total = page.items.length === 50 ? start + 51 : 0
  }
  const paid = rows.map(row => ({ invoice: invoiceFromDto(row), paidOn: calendarDateOf(row.movedTime) ?? since }))
  const dealIds = [...new Set(paid.map(p => p.invoice.dealId).filter((id): id is number => id !== null))]
  const openByDeal = new Map<number, number[]>()
  if (dealIds.length > 0 && open.length > 0) {
    const outcome = await client.batch({ open: { method: 'crm.item.list', params: { entityTypeId: ENTITY.invoice, select: ['id', 'parentId2'], filter: { '@parentId2': dealIds, '@stageId': open } } } })
    for (const row of required<{ items: InvoiceItemDto[] }>(outcome.open, 'crm.item.list').items) {
      const deal = Number(row.parentId2)
      openByDeal.set(deal, [...openByDeal.get(deal) ?? [], Number(row.id)])
    }
  }
  return { stages, paid, openByDeal }
}
