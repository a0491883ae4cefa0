// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import SettingsInvoiceSection from '../../../src/components/settings/SettingsInvoiceSection.vue'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { catalogFixture } from '../../domain/settings/catalog-fixture.ts'
import { mountWithKit } from '../mount-with-kit.ts'

function mountSection(props: Record<string, unknown>, locale: 'ru' | 'en' = 'ru') {
  const invoice = structuredClone(defaultSettings().invoice)
  return { invoice, wrapper: mountWithKit(SettingsInvoiceSection, { locale, props: { modelValue: invoice, catalog: catalogFixture(), issues: [], disabled: false, ...props } }) }
}

describe('components/settings/SettingsInvoiceSection', () => {
  it.each([
    ['ru', { path: 'invoice.paymentTermDays.b2b', code: 'outOfRange', params: { min: 0, max: 365 } }, 'field-term-b2b', 'Допустимо целое число от 0 до 365.'],
    ['en', { path: 'invoice.paymentTermDays.b2c', code: 'outOfRange', params: { min: 0, max: 365 } }, 'field-term-b2c', 'Enter a whole number from 0 to 365.'],
    ['ru', { path: 'invoice.documentTemplateId', code: 'templateMissing' }, 'field-invoice-template', 'Такого шаблона больше нет в портале'],
    ['en', { path: 'invoice.sentStageId', code: 'stageMissing' }, 'field-invoice-sent-stage', 'This stage no longer exists in the portal'],
  ] as const)('(%s) shows %j next to its field', (locale, issue, field, message) => {
    const { wrapper } = mountSection({ issues: [issue] }, locale)
    expect(wrapper.get(`[data-testid="${field}"]`).text()).toContain(message)
    wrapper.unmount()
  })

  it('edits the payment term in place', async () => {
    const { wrapper, invoice } = mountSection({})
    await wrapper.get('[data-testid="input-term-b2b"]').setValue('21')
    expect(invoice.paymentTermDays.b2b).toBe(21)
    wrapper.unmount()
  })

  it('adds a per-company term for the first company not yet listed', async () => {
    const { wrapper, invoice } = mountSection({})
    await wrapper.get('[data-testid="add-company-term"]').trigger('click')
    expect(invoice.companyTerms).toEqual([{ companyId: 7, days: 5 }])
    wrapper.unmount()
  })

  it('is read-only when disabled: inputs disabled, no add button', () => {
    const { wrapper } = mountSection({ disabled: true })
    expect(wrapper.get('[data-testid="input-term-b2b"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="add-company-term"]').exists()).toBe(false)
    wrapper.unmount()
  })
})

describe('components/settings/SettingsInvoiceSection for a user who may not list templates', () => {
  it.each([
    ['ru', 'показан шаблон, сохранённый администратором'],
    ['en', 'this is the template an administrator stored'],
  ] as const)('(%s) says the list needs the modify-templates right', (locale, text) => {
    const catalog = { ...catalogFixture(), documentTemplates: [{ id: 4, name: 'Счёт на оплату' }], documentTemplatesListed: false }
    const { wrapper } = mountSection({ catalog, disabled: true }, locale)
    expect(wrapper.get('[data-testid="field-invoice-template"]').text()).toContain(text)
    wrapper.unmount()
  })

  it('says nothing of it to an admin', () => {
    const { wrapper } = mountSection({})
    expect(wrapper.get('[data-testid="field-invoice-template"]').text()).not.toContain('администратор')
    wrapper.unmount()
  })
})
