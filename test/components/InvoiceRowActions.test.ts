// @vitest-environment happy-dom
import type { DealInvoiceRow } from '../../src/flows/load-deal-invoices.ts'
import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import InvoiceRowActions from '../../src/components/invoice/InvoiceRowActions.vue'
import InvoiceTable from '../../src/components/invoice/InvoiceTable.vue'
import { makeInvoice } from '../domain/fixtures.ts'
import { mountWithKit } from './mount-with-kit.ts'

const open = { actions: ['markPaid', 'cancel'], today: '2026-11-28', number: 'СЧ-7', balance: { amountMinor: 500_000, currency: 'RUB' } }
const ready = { status: 'ready', state: { invoiceId: 7, payments: [], promisedOn: null, dispute: null, reminders: [] } } as const

/** The day a date field holds (its ISO value) and shows (in the app's language). */
function dateField(wrapper: ReturnType<typeof mountWithKit>, testId: string) {
  const field = wrapper.get(`[data-testid="${testId}"]`)
  return {
    value: () => field.get<HTMLInputElement>('input').element.value,
    shown: () => field.findAll('[data-slot="segment"]').map(segment => segment.text()).join(''),
    /** Types the day into the segments, as a person does. */
    set: async (day: string) => {
      const [year, month, date] = day.split('-') as [string, string, string]
      for (const [segment, digits] of [['day', date], ['month', month], ['year', year]] as const) {
        for (const key of digits)
          await field.get(`[data-segment="${segment}"]`).trigger('keydown', { key })
      }
      await flushPromises()
    },
  }
}

/** The forms load lazily: wait until the one asked for is there. */
async function openForm(wrapper: ReturnType<typeof mountWithKit>, button: string, form: string) {
  await wrapper.get(`[data-testid="${button}"]`).trigger('click')
  await flushPromises()
  await vi.waitFor(() => expect(wrapper.find(`[data-testid="${form}"]`).exists()).toBe(true))
}

describe('components/InvoiceRowActions', () => {
  it('offers the balance and today, and emits the amount in minor units with the date', async () => {
    const wrapper = mountWithKit(InvoiceRowActions, { props: open })
    await openForm(wrapper, 'invoice-mark-paid', 'invoice-pay-form')
    const amount = wrapper.get<HTMLInputElement>('[data-testid="invoice-pay-amount"]')
    const date = dateField(wrapper, 'invoice-paid-on')
    expect(amount.element.value).toBe('5000,00')
    expect(date.value()).toBe('2026-11-28')
    expect(date.shown()).toBe('28.11.2026')
    expect(wrapper.get('[data-testid="invoice-confirm-paid"]').text()).toBe('Оплачен полностью')
    await amount.setValue('1 500,5')
    await date.set('2026-11-20')
    expect(wrapper.get('[data-testid="invoice-confirm-paid"]').text()).toBe('Записать оплату')
    await wrapper.get('[data-testid="invoice-pay-form"]').trigger('submit')
    expect(wrapper.emitted('recordPayment')).toEqual([[{ amountMinor: 150_050, currency: 'RUB' }, '2026-11-20']])
    wrapper.unmount()
  })

  it.each([
    ['a date after today', '5000', '2026-11-29'],
    ['more than the balance', '5000,01', '2026-11-28'],
    ['a zero amount', '0', '2026-11-28'],
    ['more decimals than kopecks', '10,005', '2026-11-28'],
    ['not a number', '10 р.', '2026-11-28'],
  ])('refuses %s', async (_case, amountText, day) => {
    const wrapper = mountWithKit(InvoiceRowActions, { props: open })
    await openForm(wrapper, 'invoice-mark-paid', 'invoice-pay-form')
    await wrapper.get('[data-testid="invoice-pay-amount"]').setValue(amountText)
    await dateField(wrapper, 'invoice-paid-on').set(day)
    expect(wrapper.get('[data-testid="invoice-confirm-paid"]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="invoice-pay-form"]').trigger('submit')
    expect(wrapper.emitted('recordPayment')).toBeUndefined()
    wrapper.unmount()
  })

  it('shows the payment and promise days in the English format in English', async () => {
    const wrapper = mountWithKit(InvoiceRowActions, { locale: 'en', props: { ...open, promisedOn: '2026-12-10' } })
    await openForm(wrapper, 'invoice-mark-paid', 'invoice-pay-form')
    expect(dateField(wrapper, 'invoice-paid-on').shown()).toBe('28/11/2026')
    wrapper.unmount()
    const promise = mountWithKit(InvoiceRowActions, { locale: 'en', props: { ...open, promisedOn: '2026-12-10' } })
    await openForm(promise, 'invoice-promise', 'invoice-promise-form')
    expect(dateField(promise, 'invoice-promise-on').shown()).toBe('10/12/2026')
    promise.unmount()
  })

  it('records a promised day not before today, and removes a recorded one', async () => {
    const wrapper = mountWithKit(InvoiceRowActions, { props: { ...open, promisedOn: '2026-12-10' } })
    await openForm(wrapper, 'invoice-promise', 'invoice-promise-form')
    const on = dateField(wrapper, 'invoice-promise-on')
    expect(on.value()).toBe('2026-12-10')
    expect(on.shown()).toBe('10.12.2026')
    await on.set('2026-11-27')
    expect(wrapper.get('[data-testid="invoice-confirm-promise"]').attributes('disabled')).toBeDefined()
    await on.set('2026-12-05')
    await wrapper.get('[data-testid="invoice-promise-form"]').trigger('submit')
    await wrapper.get('[data-testid="invoice-clear-promise"]').trigger('click')
    expect(wrapper.emitted('promise')).toEqual([['2026-12-05'], [null]])
    wrapper.unmount()
  })

  it('opens a dispute only with a reason; an open one is closed without', async () => {
    const wrapper = mountWithKit(InvoiceRowActions, { props: open })
    await openForm(wrapper, 'invoice-dispute', 'invoice-dispute-form')
    expect(wrapper.get('[data-testid="invoice-confirm-dispute"]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="invoice-dispute-reason"]').setValue('  Не та цена  ')
    await wrapper.get('[data-testid="invoice-dispute-form"]').trigger('submit')
    expect(wrapper.emitted('dispute')).toEqual([[true, 'Не та цена']])
    wrapper.unmount()

    const closing = mountWithKit(InvoiceRowActions, { props: { ...open, disputed: true } })
    expect(closing.get('[data-testid="invoice-dispute"]').text()).toBe('Снять спор')
    await openForm(closing, 'invoice-dispute', 'invoice-dispute-form')
    await closing.get('[data-testid="invoice-dispute-form"]').trigger('submit')
    expect(closing.emitted('dispute')).toEqual([[false, '']])
    closing.unmount()
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
    expect(wrapper.get('[data-testid="invoice-mark-paid"]').text()).toBe('Payment')
    expect(wrapper.get('[data-testid="invoice-promise"]').text()).toBe('Promised to pay')
    expect(wrapper.get('[data-testid="invoice-cancel"]').text()).toBe('Cancel')
    wrapper.unmount()
  })
})

describe('components/InvoiceTable with row actions', () => {
  const rows: DealInvoiceRow[] = [
    { invoice: makeInvoice({ id: 7, number: 'СЧ-7' }), state: { kind: 'overdue', days: 2 }, stageName: 'Отправлен', collection: ready },
    { invoice: makeInvoice({ id: 6, number: 'СЧ-6' }), state: { kind: 'paid' }, stageName: 'Оплачен', collection: ready },
  ]

  it('offers actions in the state cell of open invoices only, and emits them with the invoice id', async () => {
    const wrapper = mountWithKit(InvoiceTable, { props: { rows, today: '2026-11-28' } })
    const lines = wrapper.findAll('tbody tr')
    expect(wrapper.findAll('thead th')).toHaveLength(5)
    expect(lines[0]!.find('[data-testid="invoice-actions"]').exists()).toBe(true)
    expect(lines[1]!.find('[data-testid="invoice-actions"]').exists()).toBe(false)
    await lines[0]!.get('[data-testid="invoice-mark-paid"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="invoice-pay-form"]').exists()).toBe(true))
    await wrapper.get('[data-testid="invoice-pay-form"]').trigger('submit')
    expect(wrapper.emitted('recordPayment')).toEqual([[7, { amountMinor: 1_500_000, currency: 'RUB' }, '2026-11-28']])
    wrapper.unmount()
  })

  it('is a read-only list without a day to date payments by', () => {
    const wrapper = mountWithKit(InvoiceTable, { props: { rows } })
    expect(wrapper.find('[data-testid="invoice-actions"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
