import type { InvoiceState } from '../../src/domain/invoice-state.ts'
import { describe, expect, it } from 'vitest'
import { closingStage, invoiceActions } from '../../src/domain/invoice-actions.ts'
import { indexStages } from '../../src/domain/stage.ts'
import { invoiceStages, makeInvoice } from './fixtures.ts'

describe('domain/invoice-actions', () => {
  it.each<[string, InvoiceState, readonly string[]]>([
    ['a draft', { kind: 'draft' }, ['markPaid', 'cancel']],
    ['a sent invoice', { kind: 'sent', daysLeft: 3 }, ['markPaid', 'cancel']],
    ['a sent invoice without a due date', { kind: 'sent', daysLeft: null }, ['markPaid', 'cancel']],
    ['an overdue invoice', { kind: 'overdue', days: 12 }, ['markPaid', 'cancel']],
    ['a paid invoice', { kind: 'paid' }, []],
    ['a cancelled invoice', { kind: 'cancelled' }, []],
  ])('offers %s the actions %j', (_case, state, expected) => {
    expect(invoiceActions(state)).toEqual(expected)
  })

  it('lets a draft waiting for approval only be cancelled; approval does not change a sent invoice', () => {
    expect(invoiceActions({ kind: 'draft' }, true)).toEqual(['cancel'])
    expect(invoiceActions({ kind: 'sent', daysLeft: 3 }, true)).toEqual(['markPaid', 'cancel'])
  })

  it('finds the success and failure stages of the invoice\'s own pipeline', () => {
    const stages = indexStages(invoiceStages)
    expect(closingStage(makeInvoice(), stages, 'success')?.id).toBe('DT31_5:P')
    expect(closingStage(makeInvoice(), stages, 'failure')?.id).toBe('DT31_5:D')
  })

  it('takes the first by sort when a pipeline has several, and ignores other pipelines', () => {
    const stages = indexStages([
      ...invoiceStages,
      { id: 'DT31_5:P2', name: 'Оплачен наличными', sort: 35, categoryId: 5, semantics: 'success', color: null },
      { id: 'DT31_9:P', name: 'Оплачен', sort: 1, categoryId: 9, semantics: 'success', color: null },
    ])
    expect(closingStage(makeInvoice(), stages, 'success')?.id).toBe('DT31_5:P2')
    expect(closingStage(makeInvoice({ categoryId: 9, stageId: 'DT31_9:N' }), stages, 'success')?.id).toBe('DT31_9:P')
  })

  it('gives null when the pipeline has no such stage', () => {
    const stages = indexStages(invoiceStages.filter(stage => stage.semantics !== 'failure'))
    expect(closingStage(makeInvoice(), stages, 'failure')).toBeNull()
    expect(closingStage(makeInvoice({ categoryId: 7 }), indexStages(invoiceStages), 'success')).toBeNull()
  })
})
