// @vitest-environment happy-dom
// The sections' rows of fields (reminder steps, follow-up tasks, the auto-issue's deal-field conditions) on the one
// row component: each row's fields edit its own entry, «Удалить» removes that entry, a read-only page removes nothing.
import type { DealSettings } from '../../../src/domain/settings/settings.ts'
import type { Draft } from '../../../src/stores/settings.ts'
import { describe, expect, it } from 'vitest'
import { reactive } from 'vue'
import SettingsDealSection from '../../../src/components/settings/SettingsDealSection.vue'
import SettingsNotificationsSection from '../../../src/components/settings/SettingsNotificationsSection.vue'
import SettingsRemindersSection from '../../../src/components/settings/SettingsRemindersSection.vue'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { catalogFixture } from '../../domain/settings/catalog-fixture.ts'
import { mountWithKit } from '../mount-with-kit.ts'

const removeButtons = (row: { findAll: (selector: string) => Array<{ text: () => string }> }) => row.findAll('button').filter(button => button.text() === 'Удалить')

describe('components/settings: rows of fields in the sections', () => {
  it('reminder steps: one row per step, its offset edits that step, «Удалить» removes that step', async () => {
    const reminders = reactive(structuredClone(defaultSettings().reminders))
    const count = reminders.steps.length
    const wrapper = mountWithKit(SettingsRemindersSection, { props: { modelValue: reminders, currency: 'RUB', issues: [], disabled: false } })
    const rows = wrapper.findAll('[data-testid="reminder-step"]')
    expect(rows).toHaveLength(count)
    await rows[1]!.get('[data-testid="input-step-offset"]').setValue('12')
    expect(reminders.steps[1]!.offsetDays).toBe(12)
    const second = reminders.steps[1]
    const button = rows[0]!.findAll('button').find(candidate => candidate.text() === 'Удалить')!
    await button.trigger('click')
    expect(reminders.steps).toHaveLength(count - 1)
    expect(reminders.steps[0]).toEqual(second)
    wrapper.unmount()
  })

  it('follow-up tasks: «Удалить» removes the task; read only, the rows have no button', async () => {
    const notifications = reactive(structuredClone(defaultSettings().notifications))
    const editable = mountWithKit(SettingsNotificationsSection, { props: { modelValue: notifications, catalog: catalogFixture(), issues: [], disabled: false } })
    const row = editable.get('[data-testid="follow-up-task"]')
    expect(row.findAll('input').map(input => (input.element as HTMLInputElement).value)).toContain(notifications.tasks[0]!.title)
    await row.findAll('button').find(button => button.text() === 'Удалить')!.trigger('click')
    expect(notifications.tasks).toHaveLength(0)
    editable.unmount()

    const readOnly = mountWithKit(SettingsNotificationsSection, { props: { modelValue: reactive(structuredClone(defaultSettings().notifications)), catalog: catalogFixture(), issues: [], disabled: true } })
    expect(removeButtons(readOnly.get('[data-testid="follow-up-task"]'))).toHaveLength(0)
    readOnly.unmount()
  })

  it('auto-issue: the payment-method and region conditions, each a pair of fields in its own row with its own names', async () => {
    const deal = reactive(structuredClone(defaultSettings().deal) as Draft<DealSettings>)
    deal.autoIssue.regionField = 'UF_CRM_REGION'
    const wrapper = mountWithKit(SettingsDealSection, { props: { modelValue: deal, catalog: catalogFixture({ dealFields: [{ code: 'UF_CRM_REGION', title: 'Регион', type: 'string', multiple: false, items: null }] }), issues: [{ path: 'deal.autoIssue.paymentMethodField', code: 'fieldMissing', params: { code: 'UF_CRM_PAY' } }], disabled: false } })
    for (const id of ['payment', 'region'])
      expect(wrapper.get(`[data-testid="field-deal-${id}-field"]`).element.parentElement).toBe(wrapper.get(`[data-testid="field-deal-${id}-values"]`).element.parentElement)
    expect(wrapper.get('[data-testid="field-deal-payment-field"]').text()).toContain('Поле сделки со способом оплаты')
    expect(wrapper.get('[data-testid="field-deal-region-field"]').text()).toContain('Поле сделки с регионом')
    // Each condition's problem under its own field only.
    expect(wrapper.get('[data-testid="field-deal-payment-field"]').text()).toContain('(UF_CRM_PAY)')
    expect(wrapper.get('[data-testid="field-deal-region-field"]').text()).not.toContain('(UF_CRM_PAY)')
    // A text field's values are typed as a list, written on change; the unmapped payment field's input stays off.
    const regions = wrapper.get('[data-testid="field-deal-region-values"] input')
    await regions.setValue('Москва, Казань')
    await regions.trigger('change')
    expect(deal.autoIssue.regions).toEqual(['Москва', 'Казань'])
    expect(wrapper.get('[data-testid="field-deal-payment-values"] input').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })
})
