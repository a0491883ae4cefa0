import type { InvoiceState } from '../../src/domain/invoice-state.ts'
import { describe, expect, it } from 'vitest'
import { calendarDateIn } from '../../src/domain/calendar-date.ts'
import { invoiceState } from '../../src/domain/invoice-state.ts'
import { indexStages } from '../../src/domain/stage.ts'
import { invoiceStages, makeInvoice } from './fixtures.ts'

const stages = indexStages(invoiceStages)

describe('domain/invoice-state', () => {
  it.each<[string, string, string | null, string, InvoiceState]>([
    ['a draft stays a draft past its due date', 'DT31_5:N', '2026-11-20', '2026-11-28', { kind: 'draft' }],
    ['a sent invoice due in 2 days', 'DT31_5:S', '2026-11-30', '2026-11-28', { kind: 'sent', daysLeft: 2 }],
    ['a sent invoice due today is not overdue', 'DT31_5:S', '2026-11-28', '2026-11-28', { kind: 'sent', daysLeft: 0 }],
    ['a sent invoice one day past due is overdue 1 day', 'DT31_5:S', '2026-11-27', '2026-11-28', { kind: 'overdue', days: 1 }],
    ['overdue across a month end', 'DT31_5:UC_WAIT', '2026-10-31', '2026-11-02', { kind: 'overdue', days: 2 }],
    ['overdue across a year end', 'DT31_5:S', '2025-12-31', '2026-01-01', { kind: 'overdue', days: 1 }],
    ['overdue across a leap day', 'DT31_5:S', '2028-02-28', '2028-03-01', { kind: 'overdue', days: 2 }],
    ['a paid invoice is paid whatever the date', 'DT31_5:P', '2026-01-01', '2026-11-28', { kind: 'paid' }],
    ['a declined invoice is cancelled', 'DT31_5:D', '2026-01-01', '2026-11-28', { kind: 'cancelled' }],
    ['a sent invoice without a due date', 'DT31_5:S', null, '2026-11-28', { kind: 'sent', daysLeft: null }],
    ['an unknown custom stage still shows overdue', 'DT31_5:UC_GONE', '2026-11-01', '2026-11-28', { kind: 'overdue', days: 27 }],
  ])('%s', (_case, stageId, dueDate, today, expected) => {
    expect(invoiceState(makeInvoice({ stageId, dueDate }), stages, today)).toEqual(expected)
  })

  it('takes "today" in the portal\'s time zone: 23:30 UTC is already tomorrow in Moscow', () => {
    const at = new Date('2026-11-27T23:30:00Z')
    const invoice = makeInvoice({ dueDate: '2026-11-27' })
    expect(invoiceState(invoice, stages, calendarDateIn(at, 'UTC'))).toEqual({ kind: 'sent', daysLeft: 0 })
    expect(invoiceState(invoice, stages, calendarDateIn(at, 'Europe/Moscow'))).toEqual({ kind: 'overdue', days: 1 })
  })

  it('takes "today" in the portal\'s time zone: 07:00 UTC is still yesterday in Los Angeles', () => {
    const at = new Date('2026-11-28T07:00:00Z')
    const invoice = makeInvoice({ dueDate: '2026-11-27' })
    expect(invoiceState(invoice, stages, calendarDateIn(at, 'America/Los_Angeles'))).toEqual({ kind: 'sent', daysLeft: 0 })
    expect(invoiceState(invoice, stages, calendarDateIn(at, 'Asia/Vladivostok'))).toEqual({ kind: 'overdue', days: 1 })
  })

  it('treats the first open stage of each pipeline as the draft', () => {
    const twoPipelines = indexStages([
      ...invoiceStages,
      { id: 'DT31_9:NEW', name: 'Черновик', sort: 100, categoryId: 9, semantics: 'process', color: null },
      { id: 'DT31_9:SENT', name: 'Отправлен', sort: 200, categoryId: 9, semantics: 'process', color: null },
    ])
    expect(invoiceState(makeInvoice({ stageId: 'DT31_9:NEW', categoryId: 9 }), twoPipelines, '2026-11-28')).toEqual({ kind: 'draft' })
    expect(invoiceState(makeInvoice({ stageId: 'DT31_9:SENT', categoryId: 9, dueDate: '2026-11-29' }), twoPipelines, '2026-11-28'))
      .toEqual({ kind: 'sent', daysLeft: 1 })
  })
})
