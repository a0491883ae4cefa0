// @vitest-environment happy-dom
// The closing document's e-mail is the admin's template: shown with the defaults, edited in place,
// previewed with made-up values marked as samples, and its problems shown under its fields.
import { describe, expect, it } from 'vitest'
import { nextTick, reactive } from 'vue'
import SettingsInvoiceSection from '../../../src/components/settings/SettingsInvoiceSection.vue'
import { DEFAULT_CLOSING_EMAIL, defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { catalogFixture } from '../../domain/settings/catalog-fixture.ts'
import { mountWithKit } from '../mount-with-kit.ts'

function mountSection(patch: Record<string, unknown>, props: Record<string, unknown> = {}, locale: 'ru' | 'en' = 'ru') {
  // Reactive like the settings store's draft, so the preview follows an edit.
  const invoice = reactive({ ...structuredClone(defaultSettings().invoice), ...patch })
  return { invoice, wrapper: mountWithKit(SettingsInvoiceSection, { locale, props: { modelValue: invoice, catalog: catalogFixture(), issues: [], disabled: false, ...props } }) }
}

describe('components/settings/SettingsClosingEmail (in the invoice section)', () => {
  it('is offered only once a closing template is chosen', () => {
    const { wrapper } = mountSection({ closingDocumentTemplateId: null })
    expect(wrapper.find('[data-testid="settings-closing-email"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it.each([
    ['ru', 'Закрывающий документ по счёту № 2026-0042 (пример)', 'Закрывающий документ «Счёт (англ.)»', 'Пример на вымышленных данных (отмечены «пример»)'],
    ['en', 'Closing document for invoice No. 2026-0042 (sample)', 'Closing document «Счёт (англ.)»', 'A sample with made-up data (marked «sample»)'],
  ] as const)('(%s) shows the default text and previews it with marked samples', (locale, subject, body, caption) => {
    const { wrapper } = mountSection({ closingDocumentTemplateId: 12 }, {}, locale)
    const section = wrapper.get('[data-testid="settings-closing-email"]')
    expect(section.get<HTMLInputElement>('[data-testid="input-closing-email-subject"]').element.value).toBe(DEFAULT_CLOSING_EMAIL[locale].subject)
    expect(section.get('[data-testid="email-preview-subject"]').text()).toBe(subject)
    expect(section.get('[data-testid="email-preview-body"]').text()).toContain(body)
    expect(section.get('[data-testid="email-preview"]').text()).toContain(caption)
    expect(section.get('[data-testid="email-preview"]').text()).not.toContain('{')
    wrapper.unmount()
  })

  it('edits the text in place, and the preview follows', async () => {
    const { wrapper, invoice } = mountSection({ closingDocumentTemplateId: 12 })
    await wrapper.get('[data-testid="input-closing-email-subject"]').setValue('{document.name} по счёту {invoice.number}')
    expect(invoice.closingDocumentEmail!.ru.subject).toBe('{document.name} по счёту {invoice.number}')
    expect(invoice.closingDocumentEmail!.en).toEqual(DEFAULT_CLOSING_EMAIL.en)
    await nextTick()
    expect(wrapper.get('[data-testid="email-preview-subject"]').text()).toBe('Счёт (англ.) по счёту 2026-0042 (пример)')
    wrapper.unmount()
  })

  it.each([
    ['ru', { path: 'invoice.closingDocumentEmail.ru.body', code: 'unknownVariable', params: { name: '{document.nam}' } }, 'field-closing-email-body', 'Неизвестная переменная {document.nam}.'],
    ['ru', { path: 'invoice.closingDocumentEmail.ru.subject', code: 'subjectEmpty' }, 'field-closing-email-subject', 'Укажите тему письма.'],
  ] as const)('(%s) shows %j under its field', (locale, issue, field, message) => {
    const { wrapper } = mountSection({ closingDocumentTemplateId: 12 }, { issues: [issue] }, locale)
    expect(wrapper.get(`[data-testid="${field}"]`).text()).toContain(message)
    wrapper.unmount()
  })

  it('is read-only when disabled', () => {
    const { wrapper } = mountSection({ closingDocumentTemplateId: 12 }, { disabled: true })
    expect(wrapper.get('[data-testid="input-closing-email-subject"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })
})
