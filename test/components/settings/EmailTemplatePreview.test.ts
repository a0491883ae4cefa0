// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import EmailTemplatePreview from '../../../src/components/settings/EmailTemplatePreview.vue'
import { mountWithKit } from '../mount-with-kit.ts'

describe('components/settings/EmailTemplatePreview', () => {
  it('shows a client named <script> as text, never as markup', () => {
    const wrapper = mountWithKit(EmailTemplatePreview, {
      props: {
        text: { subject: 'Счёт для {client.name}', body: 'Здравствуйте, {client.name}!\n<i>Спасибо</i>' },
        values: { 'client.name': '<script>alert(1)</script>' },
        caption: 'По счёту СЧ-7',
      },
    })
    const body = wrapper.get('[data-testid="email-preview-body"]')
    expect(body.element.querySelector('script')).toBeNull()
    expect(body.element.querySelector('i')).toBeNull()
    expect(body.text()).toContain('<script>alert(1)</script>')
    expect(body.element.querySelectorAll('br')).toHaveLength(1)
    expect(wrapper.get('[data-testid="email-preview-subject"]').text()).toBe('Счёт для <script>alert(1)</script>')
    wrapper.unmount()
  })
})
