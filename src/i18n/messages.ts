import type { ru } from './messages-ru.ts'

/** A message with plural forms, chosen by Intl.PluralRules for the count `n`. */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }

/** Every key the UI uses; both languages must provide all of them (the compiler checks). */
export type MessageKey = keyof typeof ru
export type Messages = Record<MessageKey, string | PluralMessage>

/** The languages the app speaks. */
export type Locale = 'ru' | 'en'

/** Portal languages that read Russian better than English. */
const RUSSIAN_READERS = new Set(['ru', 'ua', 'by', 'kz'])

/**
 * The app's language for the portal's `LANG` (`ru`, `en`, `de`, `ua` …): Russian for the
 * Russian-speaking portals and when LANG is missing, English for everyone else.
 */
export function localeForPortalLang(lang: string | null | undefined): Locale {
  if (!lang)
    return 'ru'
  return RUSSIAN_READERS.has(lang.toLowerCase()) ? 'ru' : 'en'
}
