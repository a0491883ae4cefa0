import type { Locale, Messages } from './messages.ts'
import type { Translator } from './translator.ts'
import { en } from './messages-en.ts'
import { ru } from './messages-ru.ts'
import { translatorFor } from './translator.ts'

export type { MessageParams, Translator } from './translator.ts'

const catalogs: Record<Locale, Messages> = { ru, en }

/**
 * A translator with both catalogs loaded up front, for tests and Node code. The app itself uses
 * `loadTranslator` (translator.ts), which loads only the portal's language.
 */
export function createTranslator(locale: Locale): Translator {
  return translatorFor(locale, catalogs[locale])
}
