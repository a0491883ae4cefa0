// @vitest-environment happy-dom
import type { DealInvoiceRow } from '../../src/flows/load-deal-invoices.ts'
import { describe, expect, it } from 'vitest'
import InvoiceTable from '../../src/components/invoice/InvoiceTable.vue'
import { makeInvoice } from '../domain/fixtures.ts'
import { mountWithKit } from './mount-with-kit.ts'

const rows: DealInvoiceRow[] = [
  { invoice: makeInvoice({ id: 7, number: 'СЧ-7', amount: { amountMinor: 12_345_650, currency: 'RUB' }, dueDate: '2026-12-01' }), state: { kind: 'sent', daysLeft: 3 }, stageName: 'Отправлен' },
  { invoice: makeInvoice({ id: 6, number: '', amount: { amountMinor: 99_900, currency: 'USD' }, dueDate: null }), state: { kind: 'paid' }, stageName: 'Оплачен' },
]

describe('components/InvoiceTable', () => {
  it('lists number, sum with currency, due date and state per invoice', () => {
    const wrapper = mountWithKit(InvoiceTable, { props: { rows } })
    const lines = wrapper.findAll('tbody tr')
    expect(lines).toHaveLength(2)
    expect(lines[0]!.get('[data-testid="invoice-number"]').text()).toBe('СЧ-7')
    expect(lines[0]!.get('[data-testid="invoice-sum"]').text().replace(/\s/g, ' ')).toBe('123 456,50 ₽')
    expect(lines[0]!.text()).toContain('01.12.2026')
    expect(lines[1]!.get('[data-testid="invoice-number"]').text()).toBe('б/н')
    expect(lines[1]!.get('[data-testid="invoice-sum"]').text().replace(/\s/g, ' ')).toBe('999,00 $')
    expect(lines[1]!.get('[data-testid="invoice-state"]').text()).toBe('Оплачен')
    wrapper.unmount()
  })

  it('emits the invoice id when its number is clicked', async () => {
    const wrapper = mountWithKit(InvoiceTable, { props: { rows } })
    await wrapper.findAll('[data-testid="invoice-number"]')[1]!.trigger('click')
    expect(wrapper.emitted('open')).toEqual([[6]])
    wrapper.unmount()
  })

  it('speaks English when the portal does', () => {
    const wrapper = mountWithKit(InvoiceTable, { props: { rows }, locale: 'en' })
    expect(wrapper.get('thead').text()).toContain('Amount')
    expect(wrapper.findAll('[data-testid="invoice-number"]')[1]!.text()).toBe('no number')
    wrapper.unmount()
  })
})
