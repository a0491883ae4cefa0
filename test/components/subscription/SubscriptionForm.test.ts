// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import SubscriptionForm from '../../../src/components/subscription/SubscriptionForm.vue'
import { draftOf } from '../../../src/domain/subscription/subscription-schedule.ts'
import { mountWithKit } from '../mount-with-kit.ts'

function input(wrapper: ReturnType<typeof mountWithKit>, testId: string) {
  const found = wrapper.find(`[data-testid="${testId}"]`)
  return found.element.tagName === 'INPUT' ? found : found.get('input')
}

describe('components/subscription/SubscriptionForm', () => {
  it.each([
    ['ru', { ...draftOf(null, '2026-03-01', 'RUB'), frequency: 'days', everyDays: '-3' }, 'Число дней — целое, от 1 до 3660.'],
    ['ru', { ...draftOf(null, '2026-03-01', 'RUB'), endKind: 'date', endDate: '2026-02-01' }, 'Дата окончания раньше даты начала.'],
    ['en', { ...draftOf(null, '2026-03-01', 'RUB'), amountKind: 'fixed', fixedSum: '0' }, 'The amount must be above zero.'],
  ] as const)('(%s) refuses %o with a message and emits nothing', async (locale, initial, message) => {
    const wrapper = mountWithKit(SubscriptionForm, { locale, props: { initial } })
    await wrapper.get('form').trigger('submit')
    expect(wrapper.get('[data-testid="subscription-problems"]').text()).toContain(message)
    expect(wrapper.emitted('save')).toBeUndefined()
    wrapper.unmount()
  })

  it.each([['ru', '01.03.2026', '31.12.2026'], ['en', '01/03/2026', '31/12/2026']] as const)('(%s) shows the start and end days as %s and %s, the portal\'s language, not the browser\'s', (locale, start, end) => {
    const wrapper = mountWithKit(SubscriptionForm, { locale, props: { initial: { ...draftOf(null, '2026-03-01', 'RUB'), endKind: 'date', endDate: '2026-12-31' } } })
    const shown = (testId: string) => wrapper.get(`[data-testid="${testId}"]`).findAll('[data-slot="segment"]').map(segment => segment.text()).join('')
    expect(shown('subscription-start')).toBe(start)
    expect(shown('subscription-end-date')).toBe(end)
    wrapper.unmount()
  })

  it('emits the validated schedule, the fixed sum in minor units', async () => {
    const wrapper = mountWithKit(SubscriptionForm, { props: { initial: { ...draftOf(null, '2026-03-01', 'RUB'), amountKind: 'fixed', endKind: 'count' } } })
    await input(wrapper, 'subscription-fixed-sum').setValue('1 990,50')
    await input(wrapper, 'subscription-end-count').setValue('6')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('save')).toEqual([[{
      frequency: 'monthly',
      everyDays: null,
      startDate: '2026-03-01',
      end: { kind: 'count', periods: 6 },
      amount: { kind: 'fixed', amount: { amountMinor: 199050, currency: 'RUB' } },
      renewOnPayment: false,
    }]])
    wrapper.unmount()
  })
})
