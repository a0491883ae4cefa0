import { describe, expect, it } from 'vitest'
import { CATCH_UP_DAYS, reminderDueWindow } from '../../../src/domain/reminders/reminder-window.ts'
import { reminderSettings } from './reminder-fixtures.ts'

describe('domain/reminders/reminder-window', () => {
  it('spans the due dates from the last occurrence (repeats included) plus catch-up back to the earliest step ahead', () => {
    // Default steps −3 … +14, then 3 weekly repeats: the last occurrence is +35.
    expect(reminderDueWindow(reminderSettings(), '2026-12-04')).toEqual({ from: '2026-09-30', to: '2026-12-07' })
    expect(CATCH_UP_DAYS).toBe(30)
    expect(reminderDueWindow(reminderSettings({ repeat: null }), '2026-12-04')?.from).toBe('2026-10-21')
  })

  it('widens for a company\'s own schedule and is null when nothing can be due', () => {
    const own = reminderSettings({ companyOverrides: [{ companyId: 7, optOut: false, steps: [{ offsetDays: -10, channel: 'email', templateId: 'reminderBeforeDue' }, { offsetDays: 60, channel: 'task', templateId: 'reminderOverdue' }] }] })
    expect(reminderDueWindow(own, '2026-12-04')).toEqual({ from: '2026-08-15', to: '2026-12-14' })
    expect(reminderDueWindow(reminderSettings({ enabled: false }), '2026-12-04')).toBeNull()
    expect(reminderDueWindow(reminderSettings({ steps: [] }), '2026-12-04')).toBeNull()
  })
})
