// @vitest-environment happy-dom
import type { ReminderSettings } from '../../../src/domain/settings/settings.ts'
import type { Draft } from '../../../src/stores/settings.ts'
import { describe, expect, it } from 'vitest'
import { reactive } from 'vue'
import SettingsRemindersSection from '../../../src/components/settings/SettingsRemindersSection.vue'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { mountWithKit } from '../mount-with-kit.ts'

function mountSection(props: Record<string, unknown> = {}, locale: 'ru' | 'en' = 'ru') {
  // Reactive like the store's draft, so changes made here re-render the section.
  const reminders = reactive(structuredClone(defaultSettings().reminders) as Draft<ReminderSettings>)
  const wrapper = mountWithKit(SettingsRemindersSection, {
    locale,
    props: { modelValue: reminders, currency: 'RUB', users: [{ id: 1, name: 'Анна' }], issues: [], disabled: false, ...props },
  })
  return { reminders, wrapper }
}

describe('components/settings/SettingsRemindersSection', () => {
  it('says where an escalation goes when no one is named (the default steps escalate), and stops saying it once someone is', async () => {
    const { wrapper, reminders } = mountSection()
    expect(wrapper.get('[data-testid="field-escalation"]').text()).toContain('эскалация уйдёт только руководителю отдела ответственного')
    reminders.escalationUserIds.push(1)
    await wrapper.vm.$nextTick()
    expect(wrapper.get('[data-testid="field-escalation"]').text()).not.toContain('эскалация уйдёт только')
    wrapper.unmount()
  })

  it.each([
    ['ru', { path: 'reminders.repeat.everyDays', code: 'outOfRange', params: { min: 1, max: 90 } }, 'field-repeat-every', 'Допустимо целое число от 1 до 90.'],
    ['en', { path: 'reminders.repeat.maxTimes', code: 'outOfRange', params: { min: 1, max: 24 } }, 'field-repeat-times', 'Enter a whole number from 1 to 24.'],
    ['ru', { path: 'reminders.workingWeekends', code: 'dateInvalid', params: { value: '2026-13-01' } }, 'field-working-weekends', 'Неверная дата: 2026-13-01'],
    ['ru', { path: 'reminders.escalationUserIds', code: 'userMissing' }, 'field-escalation', 'Одного из сотрудников больше нет в портале.'],
    ['en', { path: 'reminders.companyOverrides.0.companyId', code: 'duplicate' }, 'reminder-overrides', 'Repeated'],
  ] as const)('(%s) shows %j next to its field', async (locale, issue, field, message) => {
    const { wrapper, reminders } = mountSection({ issues: [issue] }, locale)
    reminders.companyOverrides.push({ companyId: 7, optOut: true, steps: null })
    await wrapper.vm.$nextTick()
    expect(wrapper.get(`[data-testid="${field}"]`).text()).toContain(message)
    wrapper.unmount()
  })

  it('shows the production calendar one date per line and reads edited lines back', async () => {
    const { wrapper, reminders } = mountSection()
    const holidays = wrapper.get('[data-testid="input-holidays"]')
    expect((holidays.element as HTMLTextAreaElement).value.split('\n')).toContain('2026-01-09')
    await holidays.setValue('2026-12-30\n 2026-12-31 \n\n')
    await holidays.trigger('change')
    expect(reminders.holidays).toEqual(['2026-12-30', '2026-12-31'])
    wrapper.unmount()
  })

  it.each([
    [2026, true, null],
    [2027, true, 'Нет производственного календаря на 2028'],
    [2028, true, 'Нет производственного календаря на 2028, 2029'],
    [2028, false, null],
  ])('in %i (business days only: %s) warns of a year without calendar: %s', (year, businessDaysOnly, warning) => {
    const { wrapper, reminders } = mountSection({ year })
    reminders.businessDaysOnly = businessDaysOnly
    return wrapper.vm.$nextTick().then(() => {
      const alert = wrapper.find('[data-testid="calendar-missing"]')
      expect(alert.exists() ? alert.text() : null).toEqual(warning === null ? null : expect.stringContaining(warning))
      wrapper.unmount()
    })
  })

  it('edits the repeat in place and hides its fields when repeats are off', async () => {
    const { wrapper, reminders } = mountSection()
    await wrapper.get('[data-testid="input-repeat-every"]').setValue('14')
    expect(reminders.repeat).toEqual({ everyDays: 14, maxTimes: 3 })
    reminders.repeat = null
    await wrapper.vm.$nextTick()
    expect(wrapper.find('[data-testid="input-repeat-every"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('adds a company exception as an opt-out to fill in, and offers the common schedule back for own steps', async () => {
    const { wrapper, reminders } = mountSection()
    await wrapper.get('[data-testid="add-override"]').trigger('click')
    expect(reminders.companyOverrides).toEqual([{ companyId: 0, optOut: true, steps: null }])
    // The company is searched by name (test/components/settings/SettingsReminderOverrides.test.ts); without a portal the box stays idle.
    expect(wrapper.find('[data-testid="override-company-search"]').exists()).toBe(true)
    reminders.companyOverrides.push({ companyId: 8, optOut: false, steps: [{ offsetDays: 5, channel: 'notify', templateId: 'reminderOverdue' }] })
    await wrapper.vm.$nextTick()
    expect(wrapper.get('[data-testid="reminder-overrides"]').text()).toContain('Своё расписание: 1 шаг')
    wrapper.unmount()
  })

  it('is read-only when disabled: no add buttons', () => {
    const { wrapper } = mountSection({ disabled: true })
    expect(wrapper.find('[data-testid="add-override"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="input-holidays"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })
})
