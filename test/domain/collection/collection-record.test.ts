import type { TimelineEntry } from '../../../src/domain/collection/collection-record.ts'
import { describe, expect, it } from 'vitest'
import { foldCollection, parseRecord, taggedText } from '../../../src/domain/collection/collection-record.ts'
import { balanceOf, paidAmount } from '../../../src/domain/collection/collection-state.ts'
import { claimWinner, openClaims } from '../../../src/domain/collection/reminder-claim.ts'
import { stepLabel } from '../../../src/domain/collection/reminder-messages.ts'
import { portalClockOf } from '../../../src/domain/portal-clock.ts'
import { withMachineTag } from '../../../src/domain/text/machine-tag.ts'

const entry = (id: number, text: string, created = '2026-03-03T10:00:00+03:00'): TimelineEntry => ({ id, created, title: 'Invoice Desk', text })
const reminder = (id: number, step: string, status: 'claim' | 'sent' | 'skipped' | 'failed', created: string, runner = 'r1') =>
  entry(id, taggedText('…', { kind: 'reminder', step, status, channel: 'email', runner, reason: null, origin: status === 'claim' ? `INVOICE_DESK|REMIND|7|${step}` : null }), created)

describe('collection records in the invoice timeline', () => {
  it('round-trips every kind through the tag line under the human sentence', () => {
    const records = [
      { kind: 'payment', amountMinor: 150_000, currency: 'RUB', paidOn: '2026-03-05' },
      { kind: 'promise', on: '2026-03-11' },
      { kind: 'promise', on: null },
      { kind: 'dispute', open: true, reason: 'Не та сумма' },
      { kind: 'reminder', step: '+3', status: 'sent', channel: 'email', runner: 'abc', reason: null, origin: null },
    ] as const
    for (const record of records)
      expect(parseRecord(taggedText('Оплачено 1 500,00 ₽', record))).toEqual(record)
  })

  it.each([
    ['no tag', 'Просто комментарий'],
    ['broken JSON', '#invoice-desk {"kind":'],
    ['unknown kind', '#invoice-desk {"kind":"party","on":null}'],
    ['unknown kind, hidden', withMachineTag('x', { kind: 'party', on: null })],
    ['negative payment', '#invoice-desk {"kind":"payment","amountMinor":-5,"currency":"RUB","paidOn":"2026-03-05"}'],
    ['impossible date', '#invoice-desk {"kind":"payment","amountMinor":5,"currency":"RUB","paidOn":"2026-02-30"}'],
    ['unknown channel', '#invoice-desk {"kind":"reminder","step":"0","status":"sent","channel":"fax"}'],
  ])('ignores entries that are not ours or are damaged: %s', (_name, text) => {
    expect(parseRecord(text)).toBeNull()
  })

  it('folds in id order: payments add up, the last promise and dispute win, reminders are kept', () => {
    const state = foldCollection(7, [
      entry(5, taggedText('', { kind: 'promise', on: null })),
      entry(2, taggedText('', { kind: 'payment', amountMinor: 100_000, currency: 'RUB', paidOn: '2026-03-01' })),
      entry(3, taggedText('', { kind: 'promise', on: '2026-03-20' })),
      entry(4, taggedText('', { kind: 'payment', amountMinor: 50_000, currency: 'RUB', paidOn: '2026-03-02' })),
      entry(6, taggedText('', { kind: 'dispute', open: true, reason: 'акт' }), '2026-03-04T12:00:00+03:00'),
      entry(1, 'чужая запись'),
      reminder(8, '-3', 'sent', '2026-03-03T10:00:00+03:00'),
    ])
    expect(state.promisedOn).toBeNull()
    expect(state.dispute).toEqual({ since: '2026-03-04', reason: 'акт' })
    expect(paidAmount(state, 'RUB')).toEqual({ amountMinor: 150_000, currency: 'RUB' })
    expect(balanceOf({ amountMinor: 120_000, currency: 'RUB' }, state)).toEqual({ amountMinor: 0, currency: 'RUB' })
    expect(balanceOf({ amountMinor: 200_000, currency: 'RUB' }, state)).toEqual({ amountMinor: 50_000, currency: 'RUB' })
    expect(paidAmount(state, 'USD').amountMinor).toBe(0)
    expect(state.reminders.map(r => [r.logId, r.stepKey, r.status])).toEqual([[8, '-3', 'sent']])
  })
})

describe('claimWinner: the lowest fresh claim after the last result wins', () => {
  const now = Date.parse('2026-03-03T10:05:00+03:00')
  const lease = 10 * 60_000

  it('elects the lower id of two fresh claims, whoever reads', () => {
    const state = foldCollection(7, [reminder(11, '0', 'claim', '2026-03-03T10:04:00+03:00', 'b'), reminder(10, '0', 'claim', '2026-03-03T10:04:00+03:00', 'a')])
    expect(claimWinner(state, '0', now, lease)).toMatchObject({ logId: 10, runner: 'a' })
    expect(openClaims(state, '0').map(c => c.logId)).toEqual([10, 11])
  })

  it('ignores claims closed by a later result, and claims of other steps', () => {
    const state = foldCollection(7, [
      reminder(10, '0', 'claim', '2026-03-03T10:04:00+03:00', 'a'),
      reminder(12, '0', 'failed', '2026-03-03T10:04:00+03:00', 'a'),
      reminder(13, '-3', 'claim', '2026-03-03T10:04:00+03:00', 'c'),
      reminder(14, '0', 'claim', '2026-03-03T10:04:30+03:00', 'b'),
    ])
    expect(claimWinner(state, '0', now, lease)).toMatchObject({ logId: 14, runner: 'b' })
  })

  it('lets a claim older than the lease no longer block', () => {
    const state = foldCollection(7, [reminder(10, '0', 'claim', '2026-03-03T09:50:00+03:00', 'dead'), reminder(15, '0', 'claim', '2026-03-03T10:04:00+03:00', 'alive')])
    expect(claimWinner(state, '0', now, lease)).toMatchObject({ logId: 15, runner: 'alive' })
  })
})

describe('portalClockOf(server.time)', () => {
  it.each([
    ['2026-12-01T09:30:00+03:00', { today: '2026-12-01', hour: 9, instantMs: Date.parse('2026-12-01T06:30:00Z') }],
    ['2026-12-31T23:59:59-05:00', { today: '2026-12-31', hour: 23, instantMs: Date.parse('2027-01-01T04:59:59Z') }],
    ['2026-12-01T00:00:00Z', { today: '2026-12-01', hour: 0, instantMs: Date.parse('2026-12-01T00:00:00Z') }],
  ])('reads the portal\'s own day and hour from %s', (text, clock) => {
    expect(portalClockOf(text)).toEqual(clock)
  })

  it.each(['', 'yesterday', '2026-12-01', '2026-13-01T00:00:00+03:00'])('refuses %j', (text) => {
    expect(portalClockOf(text)).toBeNull()
  })
})

describe('stepLabel', () => {
  it.each([
    ['-3', 'за 3 дн. до срока', '3 days before due'],
    ['0', 'в день срока', 'on the due date'],
    ['+7', 'через 7 дн. после срока', '7 days overdue'],
    ['+7:task', 'через 7 дн. после срока', '7 days overdue'],
    ['r2', 'повтор 2', 'repeat 2'],
    ['none', 'без срока оплаты', 'no due date'],
  ])('%s', (key, ru, en) => {
    expect(stepLabel(key, 'ru')).toBe(ru)
    expect(stepLabel(key, 'en')).toBe(en)
  })
})

describe('domain/collection-record: approval marker', () => {
  it('folds the approval marker the issue chain writes, and its stop', async () => {
    const { APPROVAL_LOG_TITLE, APPROVAL_STOPPED, processLogText } = await import('../../../src/domain/bizproc/process-log.ts')
    const started = { id: 1, created: '2026-12-01T10:00:00+03:00', title: APPROVAL_LOG_TITLE, text: processLogText('Согласование', 5, 'approval', 'SMART_INVOICE_3', 'abc123.1') }
    expect(foldCollection(3, [started]).approval).toBe('waiting')
    const stopped = { ...started, id: 2, text: processLogText('Согласование', 5, APPROVAL_STOPPED, 'SMART_INVOICE_3', 'abc123.1') }
    expect(foldCollection(3, [started, stopped]).approval).toBe('stopped')
    expect(foldCollection(3, []).approval).toBeUndefined()
  })
})
