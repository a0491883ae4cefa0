// @vitest-environment happy-dom
// Date inputs follow the portal's language, not the browser's: the same day reads 07.12.2026 in
// Russian and 07/12/2026 in English (as every other date the app writes), and the value is an ISO day.
import { describe, expect, it } from 'vitest'
import CalendarDateInput from '../../../src/components/common/CalendarDateInput.vue'
import { mountWithKit } from '../mount-with-kit.ts'

function shown(wrapper: ReturnType<typeof mountWithKit>): string {
  return wrapper.findAll('[data-slot="segment"]').map(segment => segment.text()).join('')
}

describe('components/common/CalendarDateInput', () => {
  it.each([
    ['ru', '07.12.2026', ['day', 'literal', 'month', 'literal', 'year']],
    ['en', '07/12/2026', ['day', 'literal', 'month', 'literal', 'year']],
  ] as const)('(%s) shows 2026-12-07 as %s whatever the browser\'s locale', (locale, text, order) => {
    const wrapper = mountWithKit(CalendarDateInput, { locale, props: { modelValue: '2026-12-07' } })
    expect(shown(wrapper)).toBe(text)
    expect(wrapper.findAll('[data-slot="segment"]').map(segment => segment.attributes('data-segment'))).toEqual(order)
    wrapper.unmount()
  })

  it.each(['ru', 'en'] as const)('(%s) emits the day typed as an ISO calendar date', async (locale) => {
    const wrapper = mountWithKit(CalendarDateInput, { locale, props: { modelValue: '2026-12-07' } })
    const day = wrapper.get('[data-segment="day"]')
    await day.trigger('keydown', { key: '2' })
    await day.trigger('keydown', { key: '0' })
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['2026-12-20'])
    wrapper.unmount()
  })

  it('shows empty segments for no day and never emits a half-typed one as a date', async () => {
    const wrapper = mountWithKit(CalendarDateInput, { locale: 'ru', props: { modelValue: '' } })
    expect(wrapper.findAll('[data-slot="segment"]').map(segment => segment.attributes('data-placeholder') !== undefined)).toContain(true)
    await wrapper.get('[data-segment="day"]').trigger('keydown', { key: '5' })
    for (const emitted of wrapper.emitted('update:modelValue') ?? [])
      expect(emitted[0]).toBe('')
    wrapper.unmount()
  })
})
