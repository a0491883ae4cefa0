// @vitest-environment happy-dom
import type { InvoiceState } from '../../src/domain/invoice-state.ts'
import type { Locale } from '../../src/i18n/messages.ts'
import { describe, expect, it } from 'vitest'
import InvoiceStatusBadge from '../../src/components/invoice/InvoiceStatusBadge.vue'
import { mountWithKit } from './mount-with-kit.ts'

describe('components/InvoiceStatusBadge', () => {
  it.each<[InvoiceState, Locale, string, string]>([
    [{ kind: 'draft' }, 'ru', 'Черновик', 'draft'],
    [{ kind: 'sent', daysLeft: 1 }, 'ru', 'Осталось 1 день', 'sent'],
    [{ kind: 'sent', daysLeft: 3 }, 'ru', 'Осталось 3 дня', 'sent'],
    [{ kind: 'sent', daysLeft: 0 }, 'ru', 'Срок сегодня', 'dueToday'],
    [{ kind: 'sent', daysLeft: null }, 'ru', 'Отправлен', 'sent'],
    [{ kind: 'overdue', days: 1 }, 'ru', 'Просрочен на 1 день', 'overdue'],
    [{ kind: 'overdue', days: 22 }, 'ru', 'Просрочен на 22 дня', 'overdue'],
    [{ kind: 'overdue', days: 11 }, 'ru', 'Просрочен на 11 дней', 'overdue'],
    [{ kind: 'paid' }, 'ru', 'Оплачен', 'paid'],
    [{ kind: 'cancelled' }, 'ru', 'Отменён', 'cancelled'],
    [{ kind: 'overdue', days: 1 }, 'en', 'Overdue by 1 day', 'overdue'],
    [{ kind: 'overdue', days: 5 }, 'en', 'Overdue by 5 days', 'overdue'],
    [{ kind: 'sent', daysLeft: 0 }, 'en', 'Due today', 'dueToday'],
  ])('shows %o in %s as «%s»', (state, locale, text, tone) => {
    const wrapper = mountWithKit(InvoiceStatusBadge, { props: { state }, locale })
    const badge = wrapper.get('[data-testid="invoice-state"]')
    expect(badge.text()).toBe(text)
    expect(badge.attributes('data-state')).toBe(tone)
    wrapper.unmount()
  })

  it.each([['ru', 'Ждёт согласования'], ['en', 'Awaiting approval']] as const)('shows a draft waiting for approval as such, capitalised like the other states (%s)', (locale, text) => {
    const wrapper = mountWithKit(InvoiceStatusBadge, { props: { state: { kind: 'draft' }, awaitingApproval: true }, locale })
    expect(wrapper.get('[data-testid="invoice-state"]').text()).toBe(text)
    wrapper.unmount()
  })
})
