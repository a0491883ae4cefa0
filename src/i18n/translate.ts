import type { Locale, MessageKey, Messages, PluralMessage } from './messages.ts'
import { en } from './messages-en.ts'
import { ru } from './messages-ru.ts'

const catalogs: Record<Locale, Messages> = { ru, en }

export type MessageParams = Record<string, string | number>

/** Translates message keys for one locale, with `{name}` parameters and plural forms by `n`. */
export interface Translator {
  readonly locale: Locale
  readonly t: (key: MessageKey, params?: MessageParams) => string
}

function interpolate(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

function pick(message: PluralMessage, locale: Locale, n: number): string {
  const rule = new Intl.PluralRules(locale).select(n)
  return message[rule] ?? message.other
}

export function createTranslator(locale: Locale): Translator {
  const catalog = catalogs[locale]
  return {
    locale,
    t(key, params = {}) {
      const message = catalog[key]
      const text = typeof message === 'string' ? message : pick(message, locale, Number(params.n ?? 0))
      return interpolate(text, params)
    },
  }
}
