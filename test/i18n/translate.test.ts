import { describe, expect, it } from 'vitest'
import { en } from '../../src/i18n/messages-en.ts'
import { ru } from '../../src/i18n/messages-ru.ts'
import { localeForPortalLang } from '../../src/i18n/messages.ts'
import { createTranslator } from '../../src/i18n/translate.ts'

describe('i18n', () => {
  it.each([['ru', 'ru'], ['RU', 'ru'], ['ua', 'ru'], ['kz', 'ru'], ['by', 'ru'], ['en', 'en'], ['de', 'en'], ['', 'ru'], [null, 'ru']] as const)(
    'portal LANG %s speaks %s',
    (lang, locale) => expect(localeForPortalLang(lang)).toBe(locale),
  )

  it('fills parameters and picks Russian plural forms', () => {
    const { t } = createTranslator('ru')
    expect(t('dealTab.summary', { n: 1 })).toBe('1 счёт')
    expect(t('dealTab.summary', { n: 3 })).toBe('3 счёта')
    expect(t('dealTab.summary', { n: 5 })).toBe('5 счетов')
    expect(t('dealTab.summary', { n: 21 })).toBe('21 счёт')
    expect(t('app.placement.text', { placement: 'LEFT_MENU' })).toContain('«LEFT_MENU»')
  })

  it.each([
    ['ru', 'reminders.queue.skipped', 16546, 'Пропущено 16\u00A0546 счетов'],
    ['ru', 'dealTab.summary', 100000, '100\u00A0000 счетов'],
    ['en', 'reminders.queue.skipped', 16546, '16,546 invoices skipped'],
  ] as const)('(%s) writes the count of %s with thousands separators, like the sums beside it', (locale, key, n, text) => {
    expect(createTranslator(locale).t(key, { n })).toContain(text)
  })

  it('has the same keys in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort())
  })
})
