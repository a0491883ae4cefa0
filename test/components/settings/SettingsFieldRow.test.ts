// @vitest-environment happy-dom
// One row of fields in the settings: the fields it is given in the columns it is given, a block of its own in a
// narrow frame, and a «Remove» button that says so.
import { describe, expect, it } from 'vitest'
import { h } from 'vue'
import SettingsFieldRow from '../../../src/components/settings/SettingsFieldRow.vue'
import { mount } from '@vue/test-utils'
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin'
import { createTranslator } from '../../../src/i18n/translate.ts'
import { translatorKey } from '../../../src/i18n/use-i18n.ts'

function mountRow(props: Record<string, unknown>, locale: 'ru' | 'en' = 'ru') {
  return mount(SettingsFieldRow, {
    props: { columns: '6rem minmax(0,1fr) auto', ...props },
    slots: { default: () => [h('input', { 'data-testid': 'first' }), h('input', { 'data-testid': 'second' })] },
    attachTo: document.body,
    global: { plugins: [b24UiPlugin] as never[], provide: { [translatorKey as symbol]: createTranslator(locale) } },
  })
}

describe('components/settings/SettingsFieldRow', () => {
  it('puts its fields in the given columns from sm on, one under another below', () => {
    const wrapper = mountRow({})
    expect(wrapper.findAll('input').map(input => input.attributes('data-testid'))).toEqual(['first', 'second'])
    const root = wrapper.element as HTMLElement
    expect(root.style.getPropertyValue('--row-columns')).toBe('6rem minmax(0,1fr) auto')
    expect(root.className).toContain('grid-cols-[minmax(0,1fr)]')
    expect(root.className).toContain('sm:grid-cols-(--row-columns)')
    wrapper.unmount()
  })

  it.each([
    ['entry', ['border', 'p-2', 'sm:border-0', 'gap-2', 'items-end'], ['sm:col-span-2']],
    ['pair', ['sm:col-span-2', 'gap-4'], ['border', 'items-end']],
  ] as const)('%s: a layout of its own', (layout, has, hasNot) => {
    const wrapper = mountRow({ layout })
    const classes = (wrapper.element as HTMLElement).className.split(/\s+/)
    expect(classes).toEqual(expect.arrayContaining([...has]))
    for (const name of hasNot)
      expect(classes).not.toContain(name)
    wrapper.unmount()
  })

  it.each([['ru', 'Удалить'], ['en', 'Remove']] as const)('(%s) removable: a «%s» button after the fields that emits remove', async (locale, label) => {
    const wrapper = mountRow({ removable: true }, locale)
    const button = wrapper.get('button')
    expect(button.text()).toBe(label)
    await button.trigger('click')
    expect(wrapper.emitted('remove')).toHaveLength(1)
    wrapper.unmount()
  })

  it('shows no button unless removable (a read-only page, a pair of fields)', () => {
    const wrapper = mountRow({})
    expect(wrapper.find('button').exists()).toBe(false)
    wrapper.unmount()
  })
})
