import { describe, expect, it } from 'vitest'
import { indexStages } from '../../../src/domain/stage.ts'
import { receivableFromDto } from '../../../src/portal/receivables/receivables-mappers.ts'
import { invoiceStages } from '../../domain/fixtures.ts'

const stages = indexStages(invoiceStages)
const dto = { id: 7, accountNumber: 'СЧ-7', categoryId: 5, begindate: '2026-11-01T00:00:00+03:00', closedate: '2026-11-15T00:00:00+03:00', opportunity: '1500.50', currencyId: 'RUB', companyId: '0', contactId: 4, assignedById: 2, movedTime: '2026-11-20T18:30:00+03:00' }

describe('portal/receivables/receivables-mappers', () => {
  it('takes an invoice in a success stage as paid in full on the day it moved there', () => {
    const invoice = receivableFromDto({ ...dto, stageId: 'DT31_5:P' }, stages)
    expect(invoice).toMatchObject({ status: 'paid', paidAmount: { amountMinor: 150_050, currency: 'RUB' }, paidOn: '2026-11-20', client: { kind: 'contact', id: 4 }, issueDate: '2026-11-01', dueDate: '2026-11-15' })
  })

  it('keeps recorded partial payments of an open invoice, and tops a paid one up to its sum', () => {
    const partial = [{ amount: { amountMinor: 50_000, currency: 'RUB' }, paidOn: '2026-11-10' }]
    expect(receivableFromDto({ ...dto, stageId: 'DT31_5:S' }, stages, partial)).toMatchObject({ status: 'open', paidAmount: { amountMinor: 50_000 }, paidOn: '2026-11-10', fullyPaidDay: null })
    const paid = receivableFromDto({ ...dto, stageId: 'DT31_5:P' }, stages, partial)
    expect(paid.payments.map(p => [p.amountMinor, p.paidOn])).toEqual([[50_000, '2026-11-10'], [100_050, '2026-11-20']])
  })

  it('reads drafts (first stage) and cancelled ones (failure stage); nothing is paid for them', () => {
    expect(receivableFromDto({ ...dto, stageId: 'DT31_5:N' }, stages).status).toBe('draft')
    expect(receivableFromDto({ ...dto, stageId: 'DT31_5:D' }, stages)).toMatchObject({ status: 'cancelled', paidOn: null })
  })
})
