import type { InjectionKey } from 'vue'
import type { Translator } from './translator.ts'
import { inject } from 'vue'

export const translatorKey: InjectionKey<Translator> = Symbol('translator')

/** The app's translator, provided once at the root (`main.ts`; tests provide their own). */
export function useI18n(): Translator {
  const translator = inject(translatorKey, null)
  if (!translator)
    throw new Error('useI18n() needs a translator provided at the app root')
  return translator
}
