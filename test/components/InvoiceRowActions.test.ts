// @vitest-environment happy-dom
import type { DealInvoiceRow } from '../../src/flows/load-deal-invoices.ts'
import { describe, expect, it } from 'vitest'
import InvoiceRowActions from '../../src/components/invoice/InvoiceRowActions.vue'
import InvoiceTable from '../../src/components/invoice/InvoiceTable.vue'
import { makeInvoice } from '../domain/fixtures.ts'
import { mountWithKit } from './mount-with-kit.ts'

const open = { actions: ['markPaid', 'cancel'], today: '2026-11-28', number: 'СЧ-7' }

describe('components/InvoiceRowActions', () => {
  it('asks for the payment date, offering today, and emits it', async () => {
    const wrapper = mountWithKit(InvoiceRowActions, { props: open })
    await wrapper.get('[data-testid="invoice-mark-paid"]').trigger('click')
    const date = wrapper.get<HTMLInputElement>('[data-testid="invoice-paid-on"]')
    expect(date.element.value).toBe('2026-11-28')
    expect(date.attributes('max')).toBe('2026-11-28')
    await date.setValue('2026-11-20')
    await wrapper.get('[data-testid="invoice-pay-form"]').trigger('submit')
    expect(wrapper.emitted('markPaid')).toEqual([['2026-11-20']])
    wrapper.unmount()
  })

  it('refuses a payment date after today', async () => {
    const wrapper = mountWithKit(InvoiceRowActions, { props: open })
    await wrapper.get('[data-testid="invoice-mark-paid"]').trigger('click')
    await wrapper.get('[data-testid="invoice-paid-on"]').setValue('2026-11-29')
    expect(wrapper.get('[data-testid="invoice-confirm-paid"]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="invoice-pay-form"]').trigger('submit')
    expect(wrapper.emitted('markPaid')).toBeUndefined()
    wrapper.unmount()
  })

  it('cancels only after the confirmation, and «No» goes back', async () => {
    const wrapper = mountWithKit(InvoiceRowActions, { props: open })
    await wrapper.get('[data-testid="invoice-cancel"]').trigger('click')
    expect(wrapper.get('[data-testid="invoice-cancel-confirm"]').text()).toContain('Отменить счёт?')
    expect(wrapper.emitted('cancel')).toBeUndefined()
    await wrapper.get('[data-testid="invoice-confirm-cancel"]').trigger('click')
    expect(wrapper.emitted('cancel')).toHaveLength(1)
    const buttons = wrapper.findAll('[data-testid="invoice-cancel-confirm"] button')
    await buttons[buttons.length - 1]!.trigger('click')
    expect(wrapper.find('[data-testid="invoice-mark-paid"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it.each([
    ['renders nothing for a closed invoice', { ...open, actions: [] }, false],
    ['waits while another row\'s action runs', { ...open, disabled: true }, true],
  ])('%s', (_case, props, shown) => {
    const wrapper = mountWithKit(InvoiceRowActions, { props })
    expect(wrapper.find('[data-testid="invoice-actions"]').exists()).toBe(shown)
    if (shown)
      expect(wrapper.get('[data-testid="invoice-mark-paid"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })

  it('speaks English when the portal does', () => {
    const wrapper = mountWithKit(InvoiceRowActions, { props: open, locale: 'en' })
    expect(wrapper.get('[data-testid="invoice-mark-paid"]').text()).toBe('Mark paid')
    expect(wrapper.get('[data-testid="invoice-cancel"]').text()).toBe('Cancel')
    wrapper.unmount()
  })
})

describe('components/InvoiceTable with row actions', () => {
  const rows: DealInvoiceRow[] = [
    { invoice: makeInvoice({ id: 7, number: 'СЧ-7' }), state: { kind: 'overdue', days: 2 }, stageName: 'Отправлен' },
    { invoice: makeInvoice({ id: 6, number: 'СЧ-6' }), state: { kind: 'paid' }, stageName: 'Оплачен' },
  ]

  it('offers actions in the state cell of open invoices only, and emits them with the invoice id', async () => {
    const wrapper = mountWithKit(InvoiceTable, { props: { rows, today: '2026-11-28' } })
    const lines = wrapper.findAll('tbody tr')
    expect(wrapper.findAll('thead th')).toHaveLength(5)
    expect(lines[0]!.find('[data-testid="invoice-actions"]').exists()).toBe(true)
    expect(lines[1]!.find('[data-testid="invoice-actions"]').exists()).toBe(false)
    await lines[0]!.get('[data-testid="invoice-mark-paid"]').trigger('click')
    await lines[0]!.get('[data-testid="invoice-pay-form"]').trigger('submit')
    expect(wrapper.emitted('markPaid')).toEqual([[7, '2026-11-28']])
    wrapper.unmount()
  })

  it('is a read-only list without a day to date payments by', () => {
    const wrapper = mountWithKit(InvoiceTable, { props: { rows } })
    expect(wrapper.find('[data-testid="invoice-actions"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
