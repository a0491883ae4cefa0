import type { Component } from 'vue'
import type { Locale } from '../../src/i18n/messages.ts'
import b24UiPlugin from '@bitrix24/b24ui-nuxt/vue-plugin'
import { mount } from '@vue/test-utils'
import { createTranslator } from '../../src/i18n/translate.ts'
import { translatorKey } from '../../src/i18n/use-i18n.ts'

/** Mounts a component with the b24ui kit and the translator for `locale`. */
export function mountWithKit<C extends Component>(component: C, options: { props?: Record<string, unknown>, locale?: Locale, provide?: Record<symbol, unknown>, plugins?: unknown[] } = {}) {
  return mount(component as Component, {
    props: options.props,
    attachTo: document.body,
    global: {
      plugins: [b24UiPlugin, ...(options.plugins ?? [])] as never[],
      provide: { [translatorKey as symbol]: createTranslator(options.locale ?? 'ru'), ...options.provide },
    },
  })
}
