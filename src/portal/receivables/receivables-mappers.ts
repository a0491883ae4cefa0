import type { PaymentInput, ReceivableInvoice, ReceivableStatus } from '../../domain/receivables/receivable-invoice.ts'
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
  const currency = (dto.currencyId || FALLBACK_CURRENCY).toUpperCase()
  const amount = moneyFromDecimal(dto.opportunity ?? 0, currency) ?? { amountMinor: 0, currency }
  const status = receivableStatusOf(dto.stageId ?? '', stages)
  const issueDate = calendarDateOf(dto.begindate)
  const companyId = idOrNull(dto.companyId)
  const contactId = idOrNull(dto.contactId)
  const payments = [...recorded]
  if (status === 'paid') {
    const recordedMinor = recorded.reduce((sum, payment) => sum + (payment.amount.currency === currency ? payment.amount.amountMinor : 0), 0)
    const paidOn = calendarDateOf(dto.movedTime) ?? issueDate
    if (recordedMinor < amount.amountMinor && paidOn)
      payments.push({ amount: { amountMinor: amount.amountMinor - recordedMinor, currency }, paidOn })
  }
  return receivableInvoice({
    id: Number(dto.id),
    number: dto.accountNumber ?? '',
    status,
    categoryId: dto.categoryId === null || dto.categoryId === undefined || dto.categoryId === '' ? null : Number(dto.categoryId),
    responsibleId: idOrNull(dto.assignedById),
    dealId: idOrNull(dto.parentId2),
    client: companyId !== null ? { kind: 'company', id: companyId } : contactId !== null ? { kind: 'contact', id: contactId } : null,
    amount,
    issueDate,
    dueDate: calendarDateOf(dto.closedate),
    payments,
  })
}
