import type { Locale, MessageKey, Messages, PluralMessage } from './messages.ts'

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

/** A translator over one locale's catalog. */
export function translatorFor(locale: Locale, catalog: Messages): Translator {
  return {
    locale,
    t(key, params = {}) {
      const message = catalog[key]
      const text = typeof message === 'string' ? message : pick(message, locale, Number(params.n ?? 0))
      return interpolate(text, params)
    },
  }
}

/**
 * The translator of the portal's language, its catalog loaded on demand: a frame downloads only
 * the language it speaks, and no catalog weighs on the placement's first JS chunk.
 */
export async function loadTranslator(locale: Locale): Promise<Translator> {
  const catalog = locale === 'en' ? (await import('./messages-en.ts')).en : (await import('./messages-ru.ts')).ru
  return translatorFor(locale, catalog)
}
