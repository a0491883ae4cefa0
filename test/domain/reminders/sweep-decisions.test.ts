import type { ReminderDue, ReminderPlan, ReminderSend } from '../../../src/domain/reminders/plan-reminders.ts'
import type { ReminderRecord } from '../../../src/domain/collection/collection-state.ts'
import { describe, expect, it } from 'vitest'
import { capSends, deadClaimVerdict, dueKey, hasSentMark, lostAnswerVerdict, ownClaimIn, sendOrigin, staleClaimOrigin, wonStep } from '../../../src/domain/reminders/sweep-decisions.ts'
import { clockAt, openInvoice, reminderRecord, reminderSettings, stateOf } from './reminder-fixtures.ts'

// The default invoice (id 1) is due Monday 30 November 2026: its step `0` is due that day from 09:00.

function due(invoiceId: number, stepKey: string, patch: Partial<ReminderDue> = {}): ReminderDue {
  return { invoiceId, stepKey, channel: 'email', templateId: 'reminderOnDue', scheduledOn: '2026-11-30', balance: { amountMinor: 1_500_000, currency: 'RUB' }, daysOverdue: 0, staleClaim: false, ...patch }
}
const sendOf = (...items: ReminderDue[]): ReminderSend => ({ channel: items[0]!.channel, clientKey: 'company:3', items })
const claim = (logId: number, stepKey: string, runner: string, origin: string | null = null): ReminderRecord => ({ ...reminderRecord(logId, stepKey, 'claim', { at: '2026-11-30T10:00:00+03:00' }), runner, origin })

describe('domain/reminders/sweep-decisions', () => {
  it('keeps the freshest sends within the cap, in the plan\'s order, and counts the rest as deferred', () => {
    const sends = ['2026-11-02', '2026-11-30', '2026-11-16', '2026-11-23'].map((day, i) => sendOf(due(i + 1, '0', { scheduledOn: day })))
    const plan: ReminderPlan = { sends, skips: [] }
    const capped = capSends(plan, 2)
    expect(capped.deferred).toBe(2)
    expect(capped.plan.sends.map(send => send.items[0]!.scheduledOn)).toEqual(['2026-11-30', '2026-11-23'])
    expect(capSends(plan, 4)).toEqual({ plan, deferred: 0 })
  })

  it('names what a send leaves to be found by: the e-mail\'s origin (a grouped one by client, day and steps), the task\'s title, nothing for a notification', () => {
    expect(sendOrigin(sendOf(due(7, '+3')), 'ignored', '2026-11-30')).toBe('INVOICE_DESK|REMIND|7|+3')
    expect(sendOrigin(sendOf(due(7, '+3'), due(8, '0')), 'ignored', '2026-11-30')).toBe('INVOICE_DESK|REMIND|company:3|2026-11-30|7:+3,8:0')
    expect(sendOrigin(sendOf(due(7, '+7', { channel: 'task' })), 'Call the client', '2026-11-30')).toBe('Call the client')
    expect(sendOrigin(sendOf(due(7, '+7', { channel: 'notify' })), 'x', '2026-11-30')).toBeNull()
    expect(dueKey(due(7, 'r2'))).toBe('7:r2')
  })

  it('looks into a dead sweep\'s claim only for a stale e-mail or task claim that named an origin', () => {
    const state = stateOf(1, { reminders: [claim(5, '0', 'dead', 'INVOICE_DESK|REMIND|1|0')] })
    expect(staleClaimOrigin(state, due(1, '0', { staleClaim: true }))).toBe('INVOICE_DESK|REMIND|1|0')
    expect(staleClaimOrigin(state, due(1, '0'))).toBeNull()
    expect(staleClaimOrigin(state, due(1, '0', { staleClaim: true, channel: 'notify' }))).toBeNull()
    expect(staleClaimOrigin(stateOf(1), due(1, '0', { staleClaim: true }))).toBeNull()
  })

  it.each([
    [undefined, 'email', 'send'],
    ['absent', 'email', 'send'],
    ['unreadable', 'task', 'unknown'],
    ['found', 'task', 'recovered'],
    ['found', 'email', 'undecided'],
  ] as const)('a dead claim looked into: %s %s → %s', (found, channel, verdict) => {
    expect(deadClaimVerdict(found, channel)).toBe(verdict)
  })

  it.each([
    [[true], undefined, 'email', { status: 'done', recorded: true }],
    [[true, false], undefined, 'email', { status: 'done', recorded: false }],
    [[false], 'found', 'email', { status: 'undecided' }],
    [[false], 'found', 'task', { status: 'done', recorded: false }],
    [[false], 'absent', 'email', { status: 'unknown' }],
    [[false], 'unreadable', 'task', { status: 'unknown' }],
  ] as const)('a send whose answer was lost: sent records %j, look-up %s, %s → %j', (marks, found, channel, verdict) => {
    expect(lostAnswerVerdict(marks, found, channel)).toEqual(verdict)
  })

  it('finds only this sweep\'s own `sent` record and claim for the step', () => {
    const state = stateOf(1, { reminders: [{ ...reminderRecord(3, '0', 'sent'), runner: 'other' }, claim(4, '0', 'mine'), { ...reminderRecord(6, '+3', 'sent'), runner: 'mine' }] })
    expect(hasSentMark(state, due(1, '0'), 'mine')).toBe(false)
    expect(hasSentMark(state, due(1, '+3'), 'mine')).toBe(true)
    expect(hasSentMark(undefined, due(1, '0'), 'mine')).toBe(false)
    expect(ownClaimIn(state, due(1, '0'), 'mine')).toEqual({ id: 4 })
    expect(ownClaimIn(state, due(1, '0'), 'other')).toBeNull()
  })

  it('wins a step when its claim is the winner and the step is still due now; loses it to an earlier claim, a sent record since, or a failed claim', () => {
    const { invoice } = openInvoice()
    const now = clockAt('2026-11-30', 10, 1)
    const settings = reminderSettings()
    const history = [reminderRecord(1, '-3', 'sent')]
    const mine = stateOf(1, { reminders: [...history, claim(8, '0', 'mine')] })
    expect(wonStep(due(1, '0'), { id: 8 }, mine, invoice, settings, now)).toBe(true)
    expect(wonStep(due(1, '0'), null, mine, invoice, settings, now)).toBe(false)
    expect(wonStep(due(1, '0'), { id: 8 }, mine, undefined, settings, now)).toBe(false)
    const earlier = stateOf(1, { reminders: [...history, claim(7, '0', 'other'), claim(8, '0', 'mine')] })
    expect(wonStep(due(1, '0'), { id: 8 }, earlier, invoice, settings, now)).toBe(false)
    const sentSince = stateOf(1, { reminders: [...history, { ...reminderRecord(7, '0', 'sent'), runner: 'other' }, claim(8, '0', 'mine')] })
    expect(wonStep(due(1, '0'), { id: 8 }, sentSince, invoice, settings, now)).toBe(false)
  })
})
