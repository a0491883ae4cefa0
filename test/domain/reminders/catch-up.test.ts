import type { CollectionState } from '../../../src/domain/collection/collection-state.ts'
import type { ReminderPlan } from '../../../src/domain/reminders/plan-reminders.ts'
import { describe, expect, it } from 'vitest'
import { planReminders } from '../../../src/domain/reminders/plan-reminders.ts'
import { audienceOf } from '../../../src/domain/reminders/reminder-history.ts'
import { clockAt, openInvoice, reminderRecord, reminderSettings, stateOf } from './reminder-fixtures.ts'

// The default invoice is due Monday 30 November 2026; its schedule (business days, 09:00):
// -3 Fri 27 Nov, 0 Mon 30 Nov, +3 Thu 3 Dec (e-mails to the client), +7 Mon 7 Dec (task),
// +14 Mon 14 Dec (escalate), r1 21 Dec, r2 28 Dec, r3 11 Jan 2027 (escalate).

/** Records as the app writes them: each with its step's own channel. */
const CHANNEL = { '-3': 'email', '0': 'email', '+3': 'email', '+7': 'task', '+14': 'escalate', 'r1': 'escalate', 'r2': 'escalate', 'r3': 'escalate' } as const
type Step = keyof typeof CHANNEL
const history = (...steps: Array<[Step, 'sent' | 'failed']>): Map<number, CollectionState> =>
  new Map([[1, stateOf(1, { reminders: steps.map(([step, status], i) => reminderRecord(i + 1, step, status, { channel: CHANNEL[step] })) })]])
const sent = (result: ReminderPlan) => result.sends.flatMap(send => send.items.map(item => `${item.stepKey} ${send.channel}`))

describe('domain/reminders: catch-up per audience (the client\'s latest e-mail and the team\'s latest step)', () => {
  it.each<[string, Array<[Step, 'sent' | 'failed']>, string, string[]]>([
    ['15 days overdue, never reminded: the client is e-mailed, the team escalated', [], '2026-12-15', ['+3 email', '+14 escalate']],
    ['downtime after the first two e-mails', [['-3', 'sent'], ['0', 'sent']], '2026-12-21', ['+3 email', 'r1 escalate']],
    ['the client\'s e-mails all sent: only the team\'s step', [['-3', 'sent'], ['0', 'sent'], ['+3', 'sent']], '2026-12-15', ['+14 escalate']],
    ['the escalation went, the client e-mail failed: the e-mail is tried again', [['+3', 'failed'], ['+14', 'sent']], '2026-12-16', ['+3 email']],
    ['both caught up the day before: nothing more', [['+3', 'sent'], ['+14', 'sent']], '2026-12-16', []],
    ['a day with only the client\'s step due', [['-3', 'sent']], '2026-11-30', ['0 email']],
    ['3 days overdue: the client\'s e-mail alone (no team step due yet)', [], '2026-12-03', ['+3 email']],
  ])('%s', (_name, steps, today, expected) => {
    expect(sent(planReminders([openInvoice()], history(...steps), reminderSettings(), clockAt(today, 10)))).toEqual(expected)
  })

  it('an old invoice found at first install: one e-mail to the client and one escalation, not the whole schedule', () => {
    const result = planReminders([openInvoice({ dueDate: '2026-09-01' })], new Map(), reminderSettings(), clockAt('2026-11-02'))
    expect(sent(result)).toEqual(['+3 email', 'r3 escalate'])
    expect(result.skips.map(skip => `${skip.stepKey} ${skip.reason}`)).toEqual(['-3 superseded', '0 superseded', '+7 superseded', '+14 superseded', 'r1 superseded', 'r2 superseded'])
  })

  it.each([['email', 'client'], ['task', 'team'], ['notify', 'team'], ['escalate', 'team']] as const)('%s speaks to the %s', (channel, audience) => {
    expect(audienceOf(channel)).toBe(audience)
  })
})
