import type { InvoiceFacts } from '../../../src/domain/issue/invoice-changes.ts'
import { describe, expect, it } from 'vitest'
import { blocksSending, invoiceChanges } from '../../../src/domain/issue/invoice-changes.ts'

const rub = (amountMinor: number) => ({ amountMinor, currency: 'RUB' })
const facts = (over: Partial<InvoiceFacts> = {}): InvoiceFacts => ({ amount: rub(172_500), dueDate: '2026-12-10', companyId: 4, contactId: 7, closed: null, ...over })

describe('domain/issue/invoice-changes', () => {
  it.each([
    ['nothing changed', facts(), []],
    ['the sum', facts({ amount: rub(2_190_000) }), [{ field: 'amount', expected: rub(172_500), actual: rub(2_190_000) }]],
    ['the currency alone', facts({ amount: { amountMinor: 172_500, currency: 'USD' } }), [{ field: 'amount', expected: rub(172_500), actual: { amountMinor: 172_500, currency: 'USD' } }]],
    ['the due date', facts({ dueDate: '2026-12-31' }), [{ field: 'dueDate', expected: '2026-12-10', actual: '2026-12-31' }]],
    ['the contact', facts({ contactId: 8 }), [{ field: 'client' }]],
    ['cancelled', facts({ closed: 'cancelled' }), [{ field: 'closed', actual: 'cancelled' }]],
  ] as const)('finds %s', (_case, actual, expected) => {
    expect(invoiceChanges(facts(), actual)).toEqual(expected)
  })

  it('treats a missing id and id 0 as the same (the portal answers 0 for "none")', () => {
    expect(invoiceChanges(facts({ companyId: null }), facts({ companyId: 0 }))).toEqual([])
  })

  it('stops sending for a closed invoice or another client, not for an edited sum or date the manager has seen', () => {
    expect(blocksSending([{ field: 'closed', actual: 'paid' }])).toBe(true)
    expect(blocksSending([{ field: 'client' }])).toBe(true)
    expect(blocksSending([{ field: 'amount', expected: rub(1), actual: rub(2) }, { field: 'dueDate', expected: null, actual: '2026-12-01' }])).toBe(false)
  })
})
