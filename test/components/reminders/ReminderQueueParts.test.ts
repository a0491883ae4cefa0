// @vitest-environment happy-dom
import type { ReminderSkip } from '../../../src/domain/reminders/plan-reminders.ts'
import type { ReminderPreview } from '../../../src/flows/run-reminders.ts'
import { describe, expect, it } from 'vitest'
import ReminderPreviewCard from '../../../src/components/reminders/ReminderPreviewCard.vue'
import ReminderSkipList from '../../../src/components/reminders/ReminderSkipList.vue'
import { makeInvoice } from '../../domain/fixtures.ts'
import { mountWithKit } from '../mount-with-kit.ts'

const skip = (invoiceId: number, stepKey: string, reason: ReminderSkip['reason']): ReminderSkip => ({ invoiceId, stepKey, reason, until: null, recorded: false })
const skips = [skip(3, '-3', 'superseded'), skip(3, '0', 'superseded'), skip(3, '+3', 'superseded'), skip(5, '+7', 'disputed')]
const invoices = new Map([[3, { number: 'СЧ-0003', client: 'ООО «Ромашка»' }], [5, { number: 'СЧ-0005', client: 'ИП Петров' }]])

describe('components/reminders', () => {
  it.each([
    ['ru', 'Пропущено 2 счёта', 'СЧ-0003 · ООО «Ромашка»'],
    ['en', '2 invoices skipped', 'СЧ-0003 · ООО «Ромашка»'],
  ] as const)('(%s) counts skipped invoices, not steps, and lists them by number with the client', (locale, heading, first) => {
    const wrapper = mountWithKit(ReminderSkipList, { locale, props: { skips, invoices, locale } })
    expect(wrapper.get('[data-testid="reminder-skips-title"]').text()).toBe(heading)
    const items = wrapper.findAll('[data-testid="reminder-skip-invoice"]')
    expect(items).toHaveLength(2)
    expect(items[0]!.get('[data-testid="reminder-skip-name"]').text()).toBe(first)
    expect(items[0]!.text()).not.toContain('#3')
    expect(items[0]!.findAll('[data-testid="reminder-skip"]')).toHaveLength(3)
    wrapper.unmount()
  })

  it('opens the full text of an escalation (a notification or task), not only e-mails', async () => {
    const body = `Счёт СЧ-0003 просрочен на 14 дней. ${'Длинный текст. '.repeat(20)}Конец.`
    const preview: ReminderPreview = { keys: ['3:+14'], channel: 'notify', invoices: [makeInvoice({ id: 3, number: 'СЧ-0003' })], to: '1', subject: '', body, problem: null }
    const wrapper = mountWithKit(ReminderPreviewCard, { props: { preview, locale: 'ru', selected: false, outcome: null } })
    await wrapper.get('[data-testid="reminder-toggle-body"]').trigger('click')
    expect(wrapper.get('[data-testid="reminder-body"]').text()).toBe(body)
    wrapper.unmount()
  })
  it.each([
    ['ru', 'повтор 3', 'через 7 дн. после срока'],
    ['en', 'repeat 3', '7 days overdue'],
  ] as const)('(%s) names the steps in words, not by their raw keys', (locale, repeat, base) => {
    const preview: ReminderPreview = { keys: ['3:r3'], channel: 'email', invoices: [makeInvoice({ id: 3, number: 'СЧ-0003' })], to: 'a@b.c', subject: 's', body: 'b', problem: null }
    const card = mountWithKit(ReminderPreviewCard, { locale, props: { preview, locale, selected: false, outcome: null } })
    expect(card.text()).toContain(repeat)
    expect(card.text()).not.toMatch(/\br3\b/)
    card.unmount()
    const list = mountWithKit(ReminderSkipList, { locale, props: { skips: [skip(3, 'r3', 'superseded'), skip(3, '+7', 'superseded')], invoices, locale } })
    const steps = list.findAll('[data-testid="reminder-skip"]').map(item => item.text())
    expect(steps[0]).toContain(repeat)
    expect(steps[0]).not.toMatch(/\br3\b/)
    expect(steps[1]).toContain(base)
    list.unmount()
  })
  it('(en) writes every currency the same way: the code before the amount', () => {
    const invoices = [makeInvoice({ id: 3, number: 'A-3', amount: { amountMinor: 3_400_000, currency: 'RUB' } }), makeInvoice({ id: 4, number: 'A-4', amount: { amountMinor: 17_800, currency: 'USD' } })]
    const preview: ReminderPreview = { keys: ['3:+7', '4:+7'], channel: 'email', invoices, to: 'a@b.c', subject: 's', body: 'b', problem: null }
    const card = mountWithKit(ReminderPreviewCard, { locale: 'en', props: { preview, locale: 'en', selected: false, outcome: null } })
    const text = card.text().replace(/\u00A0/g, ' ')
    expect(text).toContain('RUB 34,000.00')
    expect(text).toContain('USD 178.00')
    expect(text).not.toContain('US$')
    card.unmount()
  })
})
