// @vitest-environment happy-dom
import type { PaymentMatch } from '../../../src/domain/bank/match-payments.ts'
import { describe, expect, it } from 'vitest'
import BankMatchCard from '../../../src/components/bank/BankMatchCard.vue'
import { mountWithKit } from '../mount-with-kit.ts'

const rub = (amountMinor: number) => ({ amountMinor, currency: 'RUB' })
const document = {
  line: 21, number: '512', date: '2026-11-21', receivedOn: '2026-11-21', amount: rub(1_300_000), payerAccount: '', payerInn: '7701000026',
  payerName: 'ООО «Ромашка»', recipientAccount: '40702810900000000001', purpose: 'Оплата по счету № СЧ-00012', key: 'k512',
}
const match = (overrides: Partial<PaymentMatch>): PaymentMatch => ({
  document, status: 'matched', confidence: 'high', allocations: [{ invoiceId: 12, amount: rub(1_200_000), full: true }], overpayment: null, reasons: ['number', 'amount'], recordedOn: [], ...overrides,
})
const props = (m: PaymentMatch, extra: Record<string, unknown> = {}) => ({ match: m, locale: 'ru', selected: true, invoiceNumbers: new Map([[12, 'СЧ-00012']]), picking: false, choices: [], outcome: null, ...extra })

describe('components/BankMatchCard', () => {
  it.each<[string, Partial<PaymentMatch>, string, boolean]>([
    ['high', {}, 'Точно', true],
    ['medium', { confidence: 'medium' }, 'Вероятно', true],
    ['low', { confidence: 'low' }, 'Проверьте', true],
    ['manual', { confidence: 'manual' }, 'Выбрано вручную', true],
    ['unmatched', { status: 'unmatched', confidence: null, allocations: [], reasons: ['unknownPayer'] }, 'Счёт не найден', false],
    ['paid before (its invoice exists and is paid)', { status: 'unmatched', confidence: null, allocations: [], reasons: ['number', 'numberClosed'] }, 'Счёт уже оплачен', false],
    ['recorded', { status: 'recorded', confidence: null, allocations: [], reasons: ['recordedByRef'], recordedOn: [12] }, 'Уже проведено', false],
  ])('labels a %s match, with a checkbox only when it can be recorded', (_name, overrides, label, checkbox) => {
    const wrapper = mountWithKit(BankMatchCard, { props: props(match(overrides)) })
    expect(wrapper.get('[data-testid="bank-confidence"]').text()).toBe(label)
    expect(wrapper.find('[data-testid="bank-select"]').exists()).toBe(checkbox)
    wrapper.unmount()
  })

  it.each([['ru', 'Счёт СЧ-00010 уже оплачен'], ['en', 'Invoice СЧ-00010 is already paid']] as const)('says which named invoice is already paid (%s), proposes none and still lets one be chosen', (locale, text) => {
    const paid = match({ status: 'unmatched', confidence: null, allocations: [], reasons: ['number', 'numberClosed'], closedNamed: [10] })
    const wrapper = mountWithKit(BankMatchCard, { locale, props: props(paid, { locale, invoiceNumbers: new Map([[10, 'СЧ-00010'], [12, 'СЧ-00012']]) }) })
    expect(wrapper.get('[data-testid="bank-paid-named"]').text()).toBe(text)
    expect(wrapper.find('[data-testid="bank-allocation"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="bank-change"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('shows the payment, where it goes, why, and the overpayment', () => {
    const wrapper = mountWithKit(BankMatchCard, { props: props(match({ overpayment: rub(100_000), reasons: ['number', 'overpayment'] })) })
    const text = wrapper.text().replace(/\s/g, ' ')
    expect(text).toContain('13 000,00 ₽')
    expect(text).toContain('П/п № 512 от 21.11.2026 · ООО «Ромашка» · ИНН 7701000026')
    expect(wrapper.get('[data-testid="bank-allocation-invoice"]').text()).toBe('№ СЧ-00012')
    expect(wrapper.get('[data-testid="bank-allocation"]').text().replace(/\s/g, ' ')).toContain('12 000,00 ₽ · полностью')
    expect(wrapper.get('[data-testid="bank-reasons"]').text()).toBe('номер счёта в назначении · переплата')
    expect(wrapper.get('[data-testid="bank-overpayment"]').text().replace(/\s/g, ' ')).toBe('Переплата 1 000,00 ₽ останется непроведённой')
    wrapper.unmount()
  })

  it('emits pick and open, and hides the change button while recording or for a recorded payment', async () => {
    const wrapper = mountWithKit(BankMatchCard, { props: props(match({})) })
    await wrapper.get('[data-testid="bank-change"]').trigger('click')
    await wrapper.get('[data-testid="bank-allocation-invoice"]').trigger('click')
    expect(wrapper.emitted('pick')).toHaveLength(1)
    expect(wrapper.emitted('open')).toEqual([[12]])
    await wrapper.setProps({ disabled: true })
    expect(wrapper.find('[data-testid="bank-change"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('shows each allocation\'s outcome after recording', () => {
    const outcome = { key: 'k512', outcomes: [{ allocation: { invoiceId: 12, amount: rub(1_200_000), full: true }, status: 'paid', result: { status: 'done' } }] }
    const wrapper = mountWithKit(BankMatchCard, { props: props(match({}), { outcome, disabled: true }) })
    expect(wrapper.get('[data-testid="bank-outcome"]').text()).toBe('Оплачен')
    wrapper.unmount()
  })
})
