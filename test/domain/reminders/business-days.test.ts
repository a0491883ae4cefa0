import { describe, expect, it } from 'vitest'
import { isBusinessDay, nextBusinessDay } from '../../../src/domain/reminders/business-days.ts'
import { RU_HOLIDAYS, RU_WORKING_WEEKENDS } from '../../../src/domain/reminders/ru-production-calendar.ts'

const ru = { holidays: RU_HOLIDAYS, workingWeekends: RU_WORKING_WEEKENDS }
const withWorkingSaturday = { holidays: RU_HOLIDAYS, workingWeekends: ['2026-12-05'] }

describe('domain/reminders/business-days', () => {
  it.each([
    ['an ordinary Monday', '2026-11-30', ru, true],
    ['a Saturday', '2026-11-28', ru, false],
    ['a Sunday', '2026-11-29', ru, false],
    ['New Year', '2026-01-01', ru, false],
    ['Friday 9 January 2026, the day off moved from Saturday 3 January', '2026-01-09', ru, false],
    ['Monday 12 January 2026, the first working day of the year', '2026-01-12', ru, true],
    ['Monday 9 March 2026 (8 March is a Sunday)', '2026-03-09', ru, false],
    ['Monday 11 May 2026 (9 May is a Saturday)', '2026-05-11', ru, false],
    ['Thursday 31 December 2026, moved from Sunday 4 January', '2026-12-31', ru, false],
    ['Monday 3 May 2027 (1 May is a Saturday)', '2027-05-03', ru, false],
    ['a Saturday the calendar made a working day', '2026-12-05', withWorkingSaturday, true],
    ['a holiday even when also listed as a working weekend', '2026-01-03', { holidays: RU_HOLIDAYS, workingWeekends: ['2026-01-03'] }, false],
    ['a weekday without a calendar', '2026-01-01', { holidays: [], workingWeekends: [] }, true],
  ])('%s (%s) is a business day: %s', (_name, day, calendar, expected) => {
    expect(isBusinessDay(day, calendar)).toBe(expected)
  })

  it.each([
    ['a business day stays', '2026-11-30', ru, '2026-11-30'],
    ['a Saturday moves to Monday', '2026-11-28', ru, '2026-11-30'],
    ['New Year\'s Day moves past the holidays and the weekend to Monday 12 January', '2026-01-01', ru, '2026-01-12'],
    ['31 December 2026 moves into 2027, past 1–8 January and the weekend', '2026-12-31', ru, '2027-01-11'],
    ['a Saturday that is a working day stays', '2026-12-05', withWorkingSaturday, '2026-12-05'],
    ['a Friday before a May holiday weekend', '2026-05-08', ru, '2026-05-08'],
    ['the May holidays move to Tuesday', '2026-05-09', ru, '2026-05-12'],
  ])('%s: %s → %s', (_name, day, calendar, expected) => {
    expect(nextBusinessDay(day, calendar)).toBe(expected)
  })

  it('lists the production calendar in order, with valid days only', () => {
    expect([...RU_HOLIDAYS].sort()).toEqual(RU_HOLIDAYS)
    expect(new Set(RU_HOLIDAYS).size).toBe(RU_HOLIDAYS.length)
    expect(RU_HOLIDAYS.every(day => /^202[67]-\d{2}-\d{2}$/.test(day))).toBe(true)
  })
})
