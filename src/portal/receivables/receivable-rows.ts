import type { ClientKey, PaymentInput, ReceivableInvoice } from '../../domain/receivables/receivable-invoice.ts'
import type { StageIndex } from '../../domain/stage.ts'
import type { ReceivableItemDto } from './receivables-dto.ts'
import { receivableFromDto } from './receivables-mappers.ts'

/**
 * An invoice row as the portal sent it, kept as it is so that changed rows can be merged in later
 * (`refresh-receivables.ts`, the browser's cache). Only the portal's functions below look inside.
 */
export type ReceivableRow = ReceivableItemDto

/** The invoices of `rows` with their statuses by `stages`, and each one's recorded part payments (by invoice id). */
export function receivablesOf(rows: readonly ReceivableRow[], stages: StageIndex, payments?: ReadonlyMap<number, readonly PaymentInput[]>): ReceivableInvoice[] {
  return rows.map(row => receivableFromDto(row, stages, payments?.get(Number(row.id))))
}

/** Ids of the invoices still open (not paid, not cancelled, not a draft) by their stage. */
export function openInvoiceIds(rows: readonly ReceivableRow[], stages: StageIndex): number[] {
  return rows.filter(row => receivableFromDto(row, stages).status === 'open').map(row => Number(row.id))
}

/** The pipelines (not among `knownPipelines`) and the responsible users the rows name, for the names to read. */
export function rowReferences(rows: readonly ReceivableRow[], knownPipelines: ReadonlySet<number | null>): { categoryIds: number[], userIds: number[] } {
  const categoryIds = new Set<number>()
  const userIds = new Set<number>()
  for (const row of rows) {
    const categoryId = Number(row.categoryId)
    if (row.categoryId !== null && row.categoryId !== undefined && !knownPipelines.has(categoryId))
      categoryIds.add(categoryId)
    if (Number(row.assignedById) > 0)
      userIds.add(Number(row.assignedById))
  }
  return { categoryIds: [...categoryIds], userIds: [...userIds].sort((a, b) => a - b) }
}

/**
 * Client keys, the largest invoiced sum first: when not all names fit in one batch, the big
 * clients get theirs. (Stages, and so balances, are not all known yet: they come in the same batch.)
 */
export function rankClients(rows: readonly ReceivableRow[]): ClientKey[] {
  const invoiced = new Map<ClientKey, number>()
  for (const row of rows) {
    const key = Number(row.companyId) > 0 ? `company:${Number(row.companyId)}` : Number(row.contactId) > 0 ? `contact:${Number(row.contactId)}` : null
    if (key)
      invoiced.set(key, (invoiced.get(key) ?? 0) + (Number(row.opportunity) || 0))
  }
  return [...invoiced.keys()].sort((a, b) => invoiced.get(b)! - invoiced.get(a)! || a.localeCompare(b))
}
