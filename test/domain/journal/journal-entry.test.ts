import type { JournalEntry } from '../../../src/domain/journal/journal-entry.ts'
import { describe, expect, it } from 'vitest'
import { journalTag, journalTagFilter, journalTitle, parseJournalItem } from '../../../src/domain/journal/journal-entry.ts'

const failed: JournalEntry = {
  action: 'process', result: 'failed', by: 'runner', dealId: 7, invoiceId: 12, summary: 'Бизнес-процесс «Контроль оплаты» (sent)',
  error: { code: 'ERROR_WRONG_WORKFLOW_ID', message: 'bizproc.workflow.start: Template not found' },
}
const ok: JournalEntry = { action: 'email', result: 'ok', by: 'user', dealId: null, invoiceId: null, summary: 'Счёт СЧ-1 отправлен на a@b.ru', error: null }

function stored(entry: JournalEntry, id = 5) {
  return { id, xmlId: journalTag(entry), title: journalTitle(entry), createdTime: '2026-12-02T12:00:00+03:00', createdBy: 1, parentId2: entry.dealId }
}

describe('domain/journal/journal-entry', () => {
  it('tags an entry so one substring selects its action, its result, or both', () => {
    expect(journalTag(failed)).toBe('idj|process|failed|runner|12|ERROR_WRONG_WORKFLOW_ID|')
    expect(journalTag(ok)).toBe('idj|email|ok|user|-|-|')
    expect(journalTagFilter('process', 'failed')).toBe('idj|process|failed|')
    expect(journalTagFilter('process', null)).toBe('idj|process|')
    expect(journalTagFilter(null, 'failed')).toBe('|failed|')
    expect(journalTagFilter(null, null)).toBeNull()
    for (const [action, result] of [['process', 'failed'], ['process', null], [null, 'failed']] as const)
      expect(journalTag(failed).includes(journalTagFilter(action, result)!)).toBe(true)
    expect(journalTag(ok).includes(journalTagFilter(null, 'failed')!)).toBe(false)
  })

  it.each([
    ['a failed process with its Bitrix24 error', failed],
    ['a plain e-mail without deal or invoice', ok],
    ['an invoice the robot issued', { ...ok, by: 'robot', dealId: 7, invoiceId: 12 } as JournalEntry],
    ['an auto-issue refusal', { ...ok, action: 'invoice', result: 'needsAdmin', by: 'auto', dealId: 7 } as JournalEntry],
    ['a poll\'s skip', { ...ok, action: 'invoice', result: 'skipped', by: 'poll', dealId: 7 } as JournalEntry],
  ])('reads back %s exactly', (_name, entry) => {
    expect(parseJournalItem(stored(entry))).toEqual({ ...entry, id: 5, at: '2026-12-02T12:00:00+03:00', userId: 1 })
  })

  it('keeps title and tag within Bitrix24\'s 255 characters', () => {
    const long = { ...failed, summary: 'х'.repeat(300), error: { code: 'X'.repeat(300), message: 'y' } }
    expect(journalTitle(long)).toHaveLength(255)
    expect(journalTag(long).length).toBeLessThanOrEqual(255)
  })

  it('ignores items of the smart process that are not journal entries', () => {
    expect(parseJournalItem({ id: 1, xmlId: null, title: 'Added by hand', createdTime: '', createdBy: 1, parentId2: null })).toBeNull()
    expect(parseJournalItem({ id: 1, xmlId: 'idj|unknown|ok|user|-|-|', title: '', createdTime: '', createdBy: 1, parentId2: null })).toBeNull()
  })

  describe('the entry\'s words in no language (`text`)', () => {
    const paid: JournalEntry = {
      action: 'payment', result: 'failed', by: 'user', dealId: 7, invoiceId: 12, summary: 'Оплата 1 500,00 ₽ по счёту #12',
      text: [{ key: 'payment', values: { amount: '150000 RUB', n: '#12' } }, { key: 'paymentPartFailed', values: { part: 'a|failed|;b,c=d%20' } }],
      error: { code: 'X', message: 'boom' },
    }

    it('travels in the tag after the filters\' fields and reads back exactly, separators in values and all', () => {
      const tag = journalTag(paid)
      expect(tag.startsWith('idj|payment|failed|user|12|X|')).toBe(true)
      // `#12` says no more than the invoice's id: it is not stored, and read back from it.
      expect(tag).not.toContain('#12')
      expect(tag.slice('idj|payment|failed|user|12|X|'.length)).not.toContain('|')
      expect(parseJournalItem(stored(paid))).toEqual({ ...paid, id: 5, at: '2026-12-02T12:00:00+03:00', userId: 1 })
    })

    it('never lets a value meet the substring filters', () => {
      const text = [{ key: 'plain' as const, values: { text: '|failed|idj|email|' } }]
      const entry: JournalEntry = { ...ok, action: 'reminder', text }
      expect(journalTag(entry).includes(journalTagFilter(null, 'failed')!)).toBe(false)
      expect(journalTag(entry).includes(journalTagFilter('email', null)!)).toBe(false)
      expect(journalTag(entry).includes(journalTagFilter('reminder', 'ok')!)).toBe(true)
      expect(parseJournalItem(stored(entry))!.text).toEqual(text)
    })

    it('is left out when it does not fit in 255 characters: the summary speaks for the entry', () => {
      const long: JournalEntry = { ...ok, text: [{ key: 'email', values: { n: 'СЧ-1', to: 'x'.repeat(260) } }] }
      expect(journalTag(long)).toBe('idj|email|ok|user|-|-|')
      expect(parseJournalItem(stored(long))).toEqual({ ...ok, id: 5, at: '2026-12-02T12:00:00+03:00', userId: 1 })
    })

    it.each([
      ['an entry written before it existed', 'idj|email|ok|user|-|-|'],
      ['a key this app does not know (a newer app wrote it)', 'idj|email|ok|user|-|-|sentByPigeon,n=1'],
      ['a broken value', 'idj|email|ok|user|-|-|email,n'],
    ])('is absent for %s, and the entry still reads', (_name, xmlId) => {
      const read = parseJournalItem({ ...stored(ok), xmlId })
      expect(read).toMatchObject({ action: 'email', summary: ok.summary })
      expect(read!.text).toBeUndefined()
    })
  })
})
