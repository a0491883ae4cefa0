// @vitest-environment happy-dom
import type { DealInvoiceRow } from '../../src/flows/load-deal-invoices.ts'
import type { CollectionState } from '../../src/domain/collection/collection-state.ts'
import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import InvoiceTable from '../../src/components/invoice/InvoiceTable.vue'
import { makeInvoice } from '../domain/fixtures.ts'
import { mountWithKit } from './mount-with-kit.ts'

const nothing = (invoiceId: number): CollectionState => ({ invoiceId, payments: [], promisedOn: null, dispute: null, reminders: [] })
const rows: DealInvoiceRow[] = [
  { invoice: makeInvoice({ id: 7, number: 'СЧ-7', amount: { amountMinor: 12_345_650, currency: 'RUB' }, dueDate: '2026-12-01' }), state: { kind: 'sent', daysLeft: 3 }, stageName: 'Отправлен', collection: { status: 'ready', state: nothing(7) } },
  { invoice: makeInvoice({ id: 6, number: '', amount: { amountMinor: 99_900, currency: 'USD' }, dueDate: null }), state: { kind: 'paid' }, stageName: 'Оплачен', collection: { status: 'ready', state: nothing(6) } },
]

/** An open invoice of 5 000 ₽ with 1 500 ₽ paid, a promise and a dispute, and reminder records. */
const collected: CollectionState = {
  invoiceId: 9,
  payments: [{ logId: 3, amount: { amountMinor: 150_000, currency: 'RUB' }, paidOn: '2026-11-20' }],
  promisedOn: '2026-12-10',
  dispute: { since: '2026-11-25', reason: 'Не та цена' },
  reminders: [
    { logId: 1, stepKey: '-3', status: 'sent', channel: 'email', at: '2026-11-27T09:00:00+03:00', runner: 'r1', reason: null },
    { logId: 4, stepKey: '0', status: 'skipped', channel: 'notify', at: '2026-11-30T09:00:00+03:00', runner: 'r2', reason: 'promised' },
  ],
}
const partlyPaid: DealInvoiceRow = { invoice: makeInvoice({ id: 9, number: 'СЧ-9', amount: { amountMinor: 500_000, currency: 'RUB' } }), state: { kind: 'sent', daysLeft: 2 }, stageName: 'Отправлен', collection: { status: 'ready', state: collected } }

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

  it('shows what is paid and left, the promise and the dispute of a partly paid invoice, and offers the balance', async () => {
    const wrapper = mountWithKit(InvoiceTable, { props: { rows: [partlyPaid], today: '2026-11-28' } })
    expect(wrapper.findAll('[data-testid="invoice-balance"] div').map(line => line.text().replace(/\s/g, ' '))).toEqual(['Оплачено 1 500,00 ₽', 'Остаток 3 500,00 ₽'])
    expect(wrapper.findAll('[data-testid="invoice-collection-badge"]').map(b => b.text())).toEqual(['Частично оплачен', 'Обещал до 10.12.2026', 'Спор'])
    expect(wrapper.get('[data-testid="invoice-dispute"]').text()).toBe('Снять спор')
    await wrapper.get('[data-testid="invoice-mark-paid"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="invoice-pay-amount"]').exists()).toBe(true))
    expect(wrapper.get<HTMLInputElement>('[data-testid="invoice-pay-amount"]').element.value).toBe('3500,00')
    wrapper.unmount()
  })

  it('expands the history: payments, promise, dispute, reminders newest first, and the next reminder', async () => {
    const wrapper = mountWithKit(InvoiceTable, { props: { rows: [partlyPaid], nextReminders: new Map([[9, { on: '2026-12-11', stepKey: '+1', channel: 'email' }]]) } })
    await wrapper.get('[data-testid="invoice-history-toggle"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="invoice-history"]').exists()).toBe(true))
    const history = wrapper.get('[data-testid="invoice-history"]')
    expect(history.get('[data-testid="invoice-history-payment"]').text().replace(/\s/g, ' ')).toBe('Оплата 1 500,00 ₽ (20.11.2026)')
    expect(history.text()).toContain('Обещал оплатить до 10.12.2026')
    expect(history.text()).toContain('Спор с 25.11.2026: Не та цена')
    expect(history.findAll('[data-testid="invoice-history-reminder"]').map(r => r.text())).toEqual([
      '30.11.2026 · Шаг 0 · Уведомление менеджеру · пропущено · клиент обещал оплатить',
      '27.11.2026 · Шаг -3 · Письмо клиенту · отправлено',
    ])
    expect(history.get('[data-testid="invoice-next-reminder"]').text()).toBe('Следующее напоминание: 11.12.2026, Письмо клиенту')
    expect(wrapper.get('[data-testid="invoice-history-toggle"]').text()).toBe('Скрыть историю')
    wrapper.unmount()
  })

  it.each([
    ['pending', { status: 'pending' }, 'Читаем историю…'],
    ['failed', { status: 'failed', error: new Error('x') }, 'История не прочитана'],
  ] as const)('says when the records are %s instead of guessing, and offers the sum', async (_case, collection, badge) => {
    const row: DealInvoiceRow = { ...partlyPaid, collection }
    const wrapper = mountWithKit(InvoiceTable, { props: { rows: [row], today: '2026-11-28' } })
    expect(wrapper.get('[data-testid="invoice-collection-badge"]').text()).toBe(badge)
    expect(wrapper.find('[data-testid="invoice-balance"]').exists()).toBe(false)
    wrapper.unmount()
  })
  it('offers only cancelling for a draft waiting for approval: it has not gone to the client, so nothing can be paid, promised or disputed', () => {
    const waiting: DealInvoiceRow = { invoice: makeInvoice({ id: 11, number: 'СЧ-11' }), state: { kind: 'draft' }, stageName: 'Новый', collection: { status: 'ready', state: { ...nothing(11), approval: 'waiting' } } }
    const wrapper = mountWithKit(InvoiceTable, { props: { rows: [waiting], today: '2026-11-28' } })
    expect(wrapper.get('[data-testid="invoice-state"]').text()).toBe('Ждёт согласования')
    expect(wrapper.find('[data-testid="invoice-mark-paid"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="invoice-promise"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="invoice-dispute"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="invoice-cancel"]').exists()).toBe(true)
    wrapper.unmount()
  })
})
