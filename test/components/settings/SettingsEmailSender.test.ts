// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import SettingsEmailSection from '../../../src/components/settings/SettingsEmailSection.vue'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { validateSettings } from '../../../src/domain/settings/validate-settings.ts'
import { catalogFixture } from '../../domain/settings/catalog-fixture.ts'
import { mountWithKit } from '../mount-with-kit.ts'

function mountSection(sender: Partial<NonNullable<ReturnType<typeof defaultSettings>['email']['sender']>>, locale: 'ru' | 'en' = 'ru') {
  const settings = defaultSettings()
  const email = structuredClone({ ...settings.email, sender: { ...settings.email.sender!, ...sender } })
  const issues = validateSettings({ ...settings, email }, catalogFixture())
  return { email, wrapper: mountWithKit(SettingsEmailSection, { locale, props: { modelValue: email, issues, disabled: false, sample: null, companyName: 'ООО «Инвойс Деск»' } }) }
}

describe('components/settings/SettingsEmailSection: the sender', () => {
  it.each([
    ['ru', 'portal', 'Битрикс24 отправит из почтового ящика ответственного'],
    ['en', 'responsible', 'of the deal\'s or invoice\'s responsible, from their profile'],
  ] as const)('(%s) %s: explains who sends and what reaches the client, no company fields', (locale, source, help) => {
    const { wrapper } = mountSection({ source }, locale)
    expect(wrapper.get('[data-testid="field-email-sender"]').text()).toContain(help)
    expect(wrapper.find('[data-testid="field-email-sender-address"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="settings-email-delivery"]').text()).toContain(locale === 'ru' ? 'ссылку на публичную страницу счёта' : 'a link to the invoice\'s public page')
    wrapper.unmount()
  })

  it.each([
    ['ru', 'Адрес отправителя неверный: billing@example', 'Имя отправителя: укажите имя'],
    ['en', 'The sender address is not valid: billing@example', 'Sender name: enter a name'],
  ] as const)('(%s) a company sender is validated, the message naming the field', (locale, addressError, nameError) => {
    const { wrapper } = mountSection({ source: 'company', name: '', address: 'billing@example' }, locale)
    expect(wrapper.get('[data-testid="field-email-sender-address"]').text()).toContain(addressError)
    expect(wrapper.get('[data-testid="field-email-sender-name"]').text()).toContain(nameError)
    wrapper.unmount()
  })

  it('edits the company name, address and the copy to the sender in place', async () => {
    const { wrapper, email } = mountSection({ source: 'company' })
    await wrapper.get('[data-testid="input-email-sender-name"]').setValue('Бухгалтерия')
    await wrapper.get('[data-testid="input-email-sender-address"]').setValue('billing@invoice-desk.example')
    await wrapper.get('[role="checkbox"]').trigger('click')
    expect(email.sender).toEqual({ source: 'company', name: 'Бухгалтерия', address: 'billing@invoice-desk.example', copyToSender: true })
    wrapper.unmount()
  })
})
