// @vitest-environment happy-dom
import type { StoredJournalEntry } from '../../../src/domain/journal/journal-entry.ts'
import { describe, expect, it } from 'vitest'
import JournalEntryList from '../../../src/components/journal/JournalEntryList.vue'
import { mountWithKit } from '../mount-with-kit.ts'

const entry = (over: Partial<StoredJournalEntry>): StoredJournalEntry => ({ id: 1, at: '2026-12-02T10:00:00Z', userId: 4, action: 'reminder', result: 'ok', by: 'user', dealId: 7, invoiceId: 3, summary: 'Напоминание +7 (email) по счёту #3', error: null, ...over })
const names = { users: new Map([[4, 'Ирина Соколова'], [1, 'Анна Админова']]), invoices: new Map([[3, 'СЧ-0003']]) }

describe('components/JournalEntryList', () => {
  it.each([
    ['ru', 'Ирина Соколова', 'Напоминание +7 (email) по счёту СЧ-0003', 'Счёт СЧ-0003', 'планировщик (вебхук: Анна Админова)'],
    ['en', 'Ирина Соколова', 'Напоминание +7 (email) по счёту СЧ-0003', 'Invoice СЧ-0003', 'scheduled runner (webhook of Анна Админова)'],
  ] as const)('names users and invoices (%s)', (locale, user, summary, button, runner) => {
    const wrapper = mountWithKit(JournalEntryList, { locale, props: { entries: [entry({}), entry({ id: 2, by: 'runner', userId: 1 })], ...names } })
    const items = wrapper.findAll('[data-testid="journal-entry"]')
    expect(items[0]!.text()).toContain(user)
    expect(items[0]!.text()).not.toMatch(/пользователь 4|user 4/)
    expect(items[0]!.get('[data-testid="journal-summary"]').text()).toBe(summary)
    expect(items[0]!.text()).toContain(button)
    expect(items[1]!.text()).toContain(runner)
    wrapper.unmount()
  })

  it('falls back to the id while a name is unknown', () => {
    const wrapper = mountWithKit(JournalEntryList, { props: { entries: [entry({ userId: 9, invoiceId: 5, summary: 'x #5' })] } })
    expect(wrapper.text()).toContain('пользователь 9')
    expect(wrapper.text()).toContain('Счёт #5')
    wrapper.unmount()
  })

  it('shows the time on the portal\'s clock (the offset its stamp carries), not the browser\'s', () => {
    const wrapper = mountWithKit(JournalEntryList, { props: { entries: [entry({ at: '2026-12-02T07:35:00+03:00' })] } })
    expect(wrapper.text()).toContain('02.12.2026, 07:35')
    wrapper.unmount()
  })

  it.each([['ru', '02.12.2026, 19:35'], ['en', '02/12/2026, 19:35']] as const)('(%s) writes a dry run of this browser as %s, like every other date', (locale, text) => {
    // TZ=UTC in the tests: the browser's clock is UTC here.
    const wrapper = mountWithKit(JournalEntryList, { locale, props: { entries: [entry({ id: -1, result: 'dryRun', at: '2026-12-02T19:35:00Z' })] } })
    expect(wrapper.text()).toContain(text)
    wrapper.unmount()
  })

  it.each([
    ['ru', 'Напоминание +7 (email) по счёту СЧ-0003', 'Сделка: Поставка лицензий', 'Сделка 8'],
    ['en', 'Reminder +7 (email) for invoice СЧ-0003', 'Deal: Поставка лицензий', 'Deal 8'],
  ] as const)('(%s) says an entry in the reader\'s language and names a deal by its title, or by number when unknown', (locale, summary, titled, numbered) => {
    const text = [{ key: 'reminder', values: { step: '+7', channel: 'email', n: '#3' } }] as const
    const wrapper = mountWithKit(JournalEntryList, { locale, props: { entries: [entry({ text }), entry({ id: 2, dealId: 8, text })], ...names, deals: new Map([[7, 'Поставка лицензий']]) } })
    const items = wrapper.findAll('[data-testid="journal-entry"]')
    expect(items[0]!.get('[data-testid="journal-summary"]').text()).toBe(summary)
    expect(items[0]!.find('[data-testid="journal-as-written"]').exists()).toBe(false)
    expect(items[0]!.findAll('button').map(button => button.text())).toContain(titled)
    expect(items[1]!.findAll('button').map(button => button.text())).toContain(numbered)
    wrapper.unmount()
  })

  it.each([
    ['en', 'Напоминание +7 (email) по счёту #3', true],
    ['ru', 'Напоминание +7 (email) по счёту #3', false],
    ['ru', 'Reminder +7 (email) for invoice #3', true],
    ['en', 'Reminder +7 (email) for invoice #3', false],
  ] as const)('(%s) shows an entry older than its words in no language as written: «%s» says so: %s', (locale, summary, says) => {
    const wrapper = mountWithKit(JournalEntryList, { locale, props: { entries: [entry({ summary })] } })
    expect(wrapper.get('[data-testid="journal-summary"]').text()).toBe(summary)
    expect(wrapper.find('[data-testid="journal-as-written"]').exists()).toBe(says)
    wrapper.unmount()
  })
})
