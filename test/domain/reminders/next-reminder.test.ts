import type { CollectionState } from '../../../src/domain/collection/collection-state.ts'
import type { ReminderClock, ReminderInvoice } from '../../../src/domain/reminders/plan-reminders.ts'
import { describe, expect, it } from 'vitest'
import { nextReminder } from '../../../src/domain/reminders/plan-reminders.ts'
import { clockAt, openInvoice, reminderRecord, reminderSettings, sentSteps, stateOf } from './reminder-fixtures.ts'

// The default invoice is due Monday 30 November 2026 (schedule: see plan-reminders.test.ts).
const dispute = { since: '2026-12-01', reason: 'Не та сумма' }

describe('domain/reminders/nextReminder', () => {
  it.each<[string, ReminderInvoice, CollectionState, ReminderClock, ReturnType<typeof nextReminder>]>([
    ['a fresh invoice: the first step on its day', openInvoice(), stateOf(1), clockAt('2026-11-20'), { on: '2026-11-27', stepKey: '-3', channel: 'email' }],
    ['the step of the day before the send hour: today', openInvoice(), stateOf(1, { reminders: sentSteps('-3') }), clockAt('2026-11-30', 7), { on: '2026-11-30', stepKey: '0', channel: 'email' }],
    ['a step due but not sent yet: today, the latest one', openInvoice(), stateOf(1, { reminders: sentSteps('-3') }), clockAt('2026-12-08', 12), { on: '2026-12-08', stepKey: '+7', channel: 'task' }],
    ['after a sent step: the next one', openInvoice(), stateOf(1, { reminders: sentSteps('-3', '0', '+3') }), clockAt('2026-12-03', 12), { on: '2026-12-07', stepKey: '+7', channel: 'task' }],
    ['on a Saturday with a step due: Monday', openInvoice(), stateOf(1, { reminders: sentSteps('-3', '0') }), clockAt('2026-12-05'), { on: '2026-12-07', stepKey: '+7', channel: 'task' }],
    ['promised until Thursday 10 December: the catch-up on Friday 11th', openInvoice(), stateOf(1, { promisedOn: '2026-12-10', reminders: sentSteps('-3', '0') }), clockAt('2026-12-04'), { on: '2026-12-11', stepKey: '+7', channel: 'task' }],
    ['promised until before the next step: that step on its day', openInvoice(), stateOf(1, { promisedOn: '2026-12-08', reminders: sentSteps('-3', '0', '+3', '+7') }), clockAt('2026-12-07', 12), { on: '2026-12-14', stepKey: '+14', channel: 'escalate' }],
    ['a step that failed 3 times: the step after it', openInvoice(), stateOf(1, { reminders: [...sentSteps('-3', '0'), ...[5, 6, 7].map(id => reminderRecord(id, '+3', 'failed'))] }), clockAt('2026-12-04'), { on: '2026-12-07', stepKey: '+7', channel: 'task' }],
    ['the last repeat ahead', openInvoice(), stateOf(1, { reminders: sentSteps('-3', '0', '+3', '+7', '+14', 'r1', 'r2') }), clockAt('2026-12-29'), { on: '2027-01-11', stepKey: 'r3', channel: 'escalate' }],
  ])('%s', (_name, entry, state, now, expected) => {
    expect(nextReminder(entry, state, reminderSettings(), now)).toEqual(expected)
  })

  it.each<[string, ReminderInvoice, CollectionState]>([
    ['paid', { ...openInvoice(), closed: 'paid' }, stateOf(1)],
    ['cancelled', { ...openInvoice(), closed: 'cancelled' }, stateOf(1)],
    ['disputed', openInvoice(), stateOf(1, { dispute })],
    ['without a due date', openInvoice({ dueDate: null }), stateOf(1)],
    ['at the end of its schedule', openInvoice(), stateOf(1, { reminders: sentSteps('-3', '0', '+3', '+7', '+14', 'r1', 'r2', 'r3') })],
  ])('has no next reminder when %s', (_name, entry, state) => {
    expect(nextReminder(entry, state, reminderSettings(), clockAt('2026-12-03'))).toBeNull()
  })

  it('has none for an opted-out company or with reminders off', () => {
    const optedOut = reminderSettings({ companyOverrides: [{ companyId: 3, optOut: true, steps: null }] })
    expect(nextReminder(openInvoice(), stateOf(1), optedOut, clockAt('2026-11-20'))).toBeNull()
    expect(nextReminder(openInvoice(), stateOf(1), reminderSettings({ enabled: false }), clockAt('2026-11-20'))).toBeNull()
  })
})
