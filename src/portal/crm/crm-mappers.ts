import type { Deal, Invoice } from '../../domain/invoice.ts'
import type { Stage, StageSemantics } from '../../domain/stage.ts'
import type { DealItemDto, InvoiceItemDto, StatusDto } from './crm-dto.ts'
import { calendarDateOf } from '../../domain/calendar-date.ts'
import { moneyFromDecimal } from '../../domain/money.ts'

/** A positive integer id, or null for 0, empty and garbage (Bitrix24 sends 0 for "none"). */
export function idOrNull(value: unknown): number | null {
  const id = Number(value)
  return Number.isInteger(id) && id > 0 ? id : null
}

/** The default currency when a record has none (a portal's base currency is usually RUB). */
const FALLBACK_CURRENCY = 'RUB'

export function dealFromDto(dto: DealItemDto): Deal {
  const currency = dto.currencyId || FALLBACK_CURRENCY
  return {
    id: Number(dto.id),
    title: dto.title ?? '',
    stageId: dto.stageId ?? '',
    categoryId: dto.categoryId === null || dto.categoryId === undefined ? null : Number(dto.categoryId),
    amount: moneyFromDecimal(dto.opportunity ?? 0, currency) ?? { amountMinor: 0, currency },
    companyId: idOrNull(dto.companyId),
    contactId: idOrNull(dto.contactId),
    responsibleId: idOrNull(dto.assignedById),
  }
}

export function invoiceFromDto(dto: InvoiceItemDto): Invoice {
  const currency = dto.currencyId || FALLBACK_CURRENCY
  return {
    id: Number(dto.id),
    title: dto.title ?? '',
    number: dto.accountNumber ?? '',
    dealId: idOrNull(dto.parentId2),
    stageId: dto.stageId ?? '',
    categoryId: dto.categoryId === null || dto.categoryId === undefined ? null : Number(dto.categoryId),
    issueDate: calendarDateOf(dto.begindate),
    dueDate: calendarDateOf(dto.closedate),
    amount: moneyFromDecimal(dto.opportunity ?? 0, currency) ?? { amountMinor: 0, currency },
    companyId: idOrNull(dto.companyId),
    contactId: idOrNull(dto.contactId),
    responsibleId: idOrNull(dto.assignedById),
  }
}

/** Reads `SEMANTICS` (invoices, SPAs: `S`/`F`/null) and falls back to `EXTRA.SEMANTICS` (deals, leads). */
export function semanticsOf(dto: StatusDto): StageSemantics {
  const short = (dto.SEMANTICS ?? '').toUpperCase()
  const extra = (dto.EXTRA?.SEMANTICS ?? '').toLowerCase()
  if (short === 'S' || extra === 'success')
    return 'success'
  if (short === 'F' || extra === 'failure')
    return 'failure'
  return 'process'
}

export function stageFromDto(dto: StatusDto): Stage {
  return {
    id: dto.STATUS_ID,
    name: dto.NAME,
    sort: Number(dto.SORT),
    categoryId: dto.CATEGORY_ID === null || dto.CATEGORY_ID === undefined || dto.CATEGORY_ID === '' ? null : Number(dto.CATEGORY_ID),
    semantics: semanticsOf(dto),
    color: dto.COLOR ?? dto.EXTRA?.COLOR ?? null,
  }
}

/** The status directory of a smart-invoice pipeline: `SMART_INVOICE_STAGE_<categoryId>`. */
export function invoiceStageEntityId(categoryId: number | string): string {
  return `SMART_INVOICE_STAGE_${categoryId}`
}
