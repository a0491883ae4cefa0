import type { InjectionKey } from 'vue'
import type { Translator } from './translate.ts'
import { inject } from 'vue'
import { createTranslator } from './translate.ts'

export const translatorKey: InjectionKey<Translator> = Symbol('translator')

/** The app's translator, provided once at the root; Russian when nothing was provided (tests). */
export function useI18n(): Translator {
  return inject(translatorKey, () => createTranslator('ru'), true)
}
