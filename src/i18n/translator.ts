import type { Locale, MessageKey, Messages, PluralMessage } from './messages.ts'

export type MessageParams = Record<string, string | number>

/** Translates message keys for one locale, with `{name}` parameters and plural forms by `n`. */
export interface Translator {
  readonly locale: Locale
  readonly t: (key: MessageKey, params?: MessageParams) => string
}

const NUMBER_TAGS: Readonly<Record<Locale, string>> = { ru: 'ru-RU', en: 'en-GB' }

/** `{n}`, the count a plural form is chosen by, with the language's thousands separators (16 546, 16,546) like the sums beside it. */
function interpolate(template: string, params: MessageParams, locale: Locale): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params))
      return whole
    const value = params[name]
    return name === 'n' && typeof value === 'number' ? new Intl.NumberFormat(NUMBER_TAGS[locale]).format(value) : String(value)
  })
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
      return interpolate(text, params, locale)
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
