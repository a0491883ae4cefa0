import type { ClientRef, PaymentInput, ReceivableInvoice, ReceivableStatus } from '../../domain/receivables/receivable-invoice.ts'
import type { CalendarDate } from '../../domain/calendar-date.ts'
import type { StageIndex } from '../../domain/stage.ts'
import type { ReceivableItemDto } from './receivables-dto.ts'
import { calendarDateOf } from '../../domain/calendar-date.ts'
import { moneyFromDecimal } from '../../domain/money.ts'
import { receivableInvoice } from '../../domain/receivables/receivable-invoice.ts'
import { isInitialStage } from '../../domain/stage.ts'
import { idOrNull } from '../crm/crm-mappers.ts'

const FALLBACK_CURRENCY = 'RUB'

/** Stage semantics as the dashboard needs them; a stage the portal no longer lists counts as open. */
export function receivableStatusOf(stageId: string, stages: StageIndex): ReceivableStatus {
  const stage = stages.get(stageId)
  if (!stage)
    return 'open'
  if (stage.semantics === 'success')
    return 'paid'
  if (stage.semantics === 'failure')
    return 'cancelled'
  return isInitialStage(stage, stages) ? 'draft' : 'open'
}

/**
 * Maps a scanned invoice row. `recorded` are payments recorded for it elsewhere (partial
 * payments; may be empty). An invoice in a success stage is paid in full: whatever the recorded
 * payments leave open is taken as paid on the day it moved into that stage (`movedTime`).
 */
export function receivableFromDto(dto: ReceivableItemDto, stages: StageIndex, recorded: readonly PaymentInput[] = []): ReceivableInvoice {
  return mapReceivable(dto, recorded, stage => receivableStatusOf(stage, stages), calendarDateOf)
}

/**
 * `receivableFromDto` for many rows of one scan: each distinct stage and date string is looked at
 * once (100,000 invoices share a few hundred of them), each client's reference is one object, the rows mapped alike.
 */
export function receivableMapper(stages: StageIndex): (dto: ReceivableItemDto, recorded?: readonly PaymentInput[]) => ReceivableInvoice {
  const statuses = new Map<string, ReceivableStatus>()
  const dates = new Map<string, CalendarDate | null>()
  const statusOf = (stageId: string): ReceivableStatus => {
    let status = statuses.get(stageId)
    if (status === undefined) {
      status = receivableStatusOf(stageId, stages)
      statuses.set(stageId, status)
    }
    return status
  }
  const dateOf = (value: string | null | undefined): CalendarDate | null => {
    if (!value)
      return null
    let date = dates.get(value)
    if (date === undefined) {
      date = calendarDateOf(value)
      dates.set(value, date)
    }
    return date
  }
  const companies = new Map<number, ClientRef>()
  const contacts = new Map<number, ClientRef>()
  const clientOf = (kind: ClientRef['kind'], id: number): ClientRef => {
    const known = kind === 'company' ? companies : contacts
    let client = known.get(id)
    if (client === undefined) {
      client = { kind, id }
      known.set(id, client)
    }
    return client
  }
  return (dto, recorded = []) => mapReceivable(dto, recorded, statusOf, dateOf, clientOf)
}

/** A client reference; the mapper of many rows hands out one object per client (thousands of invoices share it). */
type ClientOf = (kind: ClientRef['kind'], id: number) => ClientRef
const newClient: ClientOf = (kind, id) => ({ kind, id })

function mapReceivable(dto: ReceivableItemDto, recorded: readonly PaymentInput[], statusOf: (stageId: string) => ReceivableStatus, dateOf: (value: string | null | undefined) => CalendarDate | null, clientOf: ClientOf = newClient): ReceivableInvoice {
  const currency = (dto.currencyId || FALLBACK_CURRENCY).toUpperCase()
  const amount = moneyFromDecimal(dto.opportunity ?? 0, currency) ?? { amountMinor: 0, currency }
  const status = statusOf(dto.stageId ?? '')
  const issueDate = dateOf(dto.begindate)
  const companyId = idOrNull(dto.companyId)
  const contactId = idOrNull(dto.contactId)
  let payments = recorded
  if (status === 'paid') {
    const recordedMinor = recorded.reduce((sum, payment) => sum + (payment.amount.currency === currency ? payment.amount.amountMinor : 0), 0)
    const paidOn = dateOf(dto.movedTime) ?? issueDate
    if (recordedMinor < amount.amountMinor && paidOn)
      payments = [...recorded, { amount: { amountMinor: amount.amountMinor - recordedMinor, currency }, paidOn }]
  }
  return receivableInvoice({
    id: Number(dto.id),
    number: dto.accountNumber ?? '',
    status,
    categoryId: dto.categoryId === null || dto.categoryId === undefined || dto.categoryId === '' ? null : Number(dto.categoryId),
    responsibleId: idOrNull(dto.assignedById),
    dealId: idOrNull(dto.parentId2),
    client: companyId !== null ? clientOf('company', companyId) : contactId !== null ? clientOf('contact', contactId) : null,
    amount,
    issueDate,
    dueDate: dateOf(dto.closedate),
    payments,
  })
}
