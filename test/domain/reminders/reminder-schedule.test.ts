import type { ReminderStep } from '../../../src/domain/settings/settings.ts'
import { describe, expect, it } from 'vitest'
import { offsetOfStepKey, reminderSchedule, repeatKeyOf, stepKeyOf } from '../../../src/domain/reminders/reminder-schedule.ts'
import { reminderSettings } from './reminder-fixtures.ts'

const plainDays = reminderSettings({ businessDaysOnly: false })
const email = (offsetDays: number): ReminderStep => ({ offsetDays, channel: 'email', templateId: 'reminderOverdue' })

describe('domain/reminders/reminder-schedule', () => {
  it.each([[-3, '-3'], [0, '0'], [3, '+3'], [14, '+14']])('keys offset %i as %s', (offset, key) => {
    expect(stepKeyOf(offset)).toBe(key)
  })

  it('places the default schedule for an invoice due Monday 30 November 2026, repeats r1–r3 and no r4', () => {
    const schedule = reminderSchedule('2026-11-30', reminderSettings().steps, reminderSettings())
    expect(schedule.map(entry => [entry.stepKey, entry.scheduledOn, entry.channel])).toEqual([
      ['-3', '2026-11-27', 'email'],
      ['0', '2026-11-30', 'email'],
      ['+3', '2026-12-03', 'email'],
      ['+7', '2026-12-07', 'task'],
      ['+14', '2026-12-14', 'escalate'],
      ['r1', '2026-12-21', 'escalate'],
      ['r2', '2026-12-28', 'escalate'],
      // +35 is Monday 4 January 2027: a holiday, the next business day is 11 January.
      ['r3', '2027-01-11', 'escalate'],
    ])
    expect(schedule.map(entry => entry.stepKey)).not.toContain(repeatKeyOf(4))
  })

  it.each([
    ['a month end: due 31 January + 3', '2026-01-31', 3, plainDays, '2026-02-03'],
    ['a year end: due 28 December + 7', '2026-12-28', 7, plainDays, '2027-01-04'],
    ['a leap-free February: due 27 February + 3', '2026-02-27', 3, plainDays, '2026-03-02'],
    ['a weekend shift: Saturday 28 November → Monday', '2026-12-01', -3, reminderSettings(), '2026-11-30'],
    ['a holiday shift: 1 January 2026 → Monday 12 January (1–9 January off, then a weekend)', '2025-12-29', 3, reminderSettings(), '2026-01-12'],
    ['a holiday shift across the year: 31 December 2026 → 11 January 2027', '2026-12-28', 3, reminderSettings(), '2027-01-11'],
    ['a working Saturday keeps its day', '2026-12-02', 3, reminderSettings({ workingWeekends: ['2026-12-05'] }), '2026-12-05'],
    ['no shift when business days are off', '2026-12-01', -3, plainDays, '2026-11-28'],
  ])('%s', (_name, dueDate, offset, settings, expected) => {
    expect(reminderSchedule(dueDate, [email(offset)], settings)[0]?.scheduledOn).toBe(expected)
  })

  it('orders steps by offset whatever order the admin entered them in', () => {
    const schedule = reminderSchedule('2026-11-30', [email(7), email(-3), email(0)], reminderSettings({ repeat: null }))
    expect(schedule.map(entry => entry.stepKey)).toEqual(['-3', '0', '+7'])
  })

  it('repeats the last step\'s channel and template every N days', () => {
    const steps: ReminderStep[] = [email(3), { offsetDays: 10, channel: 'notify', templateId: 'reminderOnDue' }]
    const schedule = reminderSchedule('2026-11-02', steps, reminderSettings({ businessDaysOnly: false, repeat: { everyDays: 5, maxTimes: 2 } }))
    expect(schedule.map(entry => [entry.stepKey, entry.offsetDays, entry.channel, entry.templateId])).toEqual([
      ['+3', 3, 'email', 'reminderOverdue'],
      ['+10', 10, 'notify', 'reminderOnDue'],
      ['r1', 15, 'notify', 'reminderOnDue'],
      ['r2', 20, 'notify', 'reminderOnDue'],
    ])
  })

  it('has no repeats when repeat is off, and nothing at all without steps', () => {
    expect(reminderSchedule('2026-11-30', [email(0)], reminderSettings({ repeat: null })).map(entry => entry.stepKey)).toEqual(['0'])
    expect(reminderSchedule('2026-11-30', [], reminderSettings())).toEqual([])
  })

  it('tells apart two steps on one day by their channel', () => {
    const steps: ReminderStep[] = [email(7), { offsetDays: 7, channel: 'task', templateId: 'reminderOverdue' }]
    expect(reminderSchedule('2026-11-30', steps, reminderSettings({ repeat: null })).map(entry => entry.stepKey)).toEqual(['+7:email', '+7:task'])
  })

  it.each([
    ['a step of the schedule', '+3', 3],
    ['a repeat of the schedule', 'r2', 28],
    ['a step no longer in the schedule', '+5', 5],
    ['a two-channel step', '+7:task', 7],
    ['a repeat beyond the schedule', 'r9', Number.POSITIVE_INFINITY],
    ['garbage', 'soon', null],
  ])('places %s (%s) at offset %s', (_name, key, expected) => {
    expect(offsetOfStepKey(key, reminderSchedule('2026-11-30', reminderSettings().steps, reminderSettings()))).toBe(expected)
  })
})
