// @vitest-environment happy-dom
// The subject and body of one e-mail template with its preview: shows what it is given, says what the admin typed.
import { describe, expect, it } from 'vitest'
import EmailTextFields from '../../../src/components/settings/EmailTextFields.vue'
import { mountWithKit } from '../mount-with-kit.ts'

const text = { subject: 'Счёт № {invoice.number}', body: 'Здравствуйте, {client.name}!' }
const values = { 'invoice.number': 'СЧ-7', 'client.name': 'ООО «Ромашка»' }

function mountFields(props: Record<string, unknown> = {}, locale: 'ru' | 'en' = 'ru') {
  return mountWithKit(EmailTextFields, { locale, props: { text, values, caption: 'По счёту СЧ-7', disabled: false, rows: 7, testId: 'closing-email', ...props } })
}

describe('components/settings/EmailTextFields', () => {
  it.each([
    ['ru', 'Тема', 'Текст'],
    ['en', 'Subject', 'Text'],
  ] as const)('(%s) shows the subject and body in fields named after testId, and previews them with the values', (locale, subjectLabel, bodyLabel) => {
    const wrapper = mountFields({}, locale)
    expect(wrapper.get('[data-testid="field-closing-email-subject"]').text()).toContain(subjectLabel)
    expect(wrapper.get('[data-testid="field-closing-email-body"]').text()).toContain(bodyLabel)
    expect(wrapper.get<HTMLInputElement>('[data-testid="input-closing-email-subject"]').element.value).toBe(text.subject)
    const body = wrapper.get<HTMLTextAreaElement>('[data-testid="input-closing-email-body"]')
    expect(body.element.value).toBe(text.body)
    expect(body.attributes('rows')).toBe('7')
    expect(wrapper.get('[data-testid="email-preview-subject"]').text()).toBe('Счёт № СЧ-7')
    expect(wrapper.get('[data-testid="email-preview-body"]').text()).toBe('Здравствуйте, ООО «Ромашка»!')
    expect(wrapper.get('[data-testid="email-preview"]').text()).toContain('По счёту СЧ-7')
    wrapper.unmount()
  })

  it('previews previewText when the caller gives one, the fields still showing text', () => {
    const wrapper = mountFields({ previewText: { subject: 'Акт по счёту {invoice.number}', body: 'Акт' } })
    expect(wrapper.get<HTMLInputElement>('[data-testid="input-closing-email-subject"]').element.value).toBe(text.subject)
    expect(wrapper.get('[data-testid="email-preview-subject"]').text()).toBe('Акт по счёту СЧ-7')
    wrapper.unmount()
  })

  it('emits what the admin types and leaves the text it was given as it is', async () => {
    const given = { ...text }
    const wrapper = mountFields({ text: given, testId: 'email' })
    await wrapper.get('[data-testid="input-email-subject"]').setValue('Новая тема')
    await wrapper.get('[data-testid="input-email-body"]').setValue('Новый текст')
    expect(wrapper.emitted('update:subject')).toEqual([['Новая тема']])
    expect(wrapper.emitted('update:body')).toEqual([['Новый текст']])
    expect(given).toEqual(text)
    wrapper.unmount()
  })

  it('shows each problem under its own field', () => {
    const wrapper = mountFields({ subjectError: 'Укажите тему письма.', bodyError: 'Неизвестная переменная {x}.' })
    expect(wrapper.get('[data-testid="field-closing-email-subject"]').text()).toContain('Укажите тему письма.')
    expect(wrapper.get('[data-testid="field-closing-email-subject"]').text()).not.toContain('Неизвестная')
    expect(wrapper.get('[data-testid="field-closing-email-body"]').text()).toContain('Неизвестная переменная {x}.')
    wrapper.unmount()
  })

  it('is read-only when disabled', () => {
    const wrapper = mountFields({ disabled: true })
    expect(wrapper.get('[data-testid="input-closing-email-subject"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="input-closing-email-body"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })
})
