import { describe, expect, it } from 'vitest'
import { addDays, calendarDateIn, calendarDateOf, daysBetween } from '../../src/domain/calendar-date.ts'

describe('domain/calendar-date', () => {
  it.each<[string | null, string | null]>([
    ['2026-12-01T00:00:00+03:00', '2026-12-01'],
    ['2026-12-01', '2026-12-01'],
    ['2026-02-30T00:00:00+03:00', null],
    ['01.12.2026', null],
    ['', null],
    [null, null],
  ])('reads the portal day of %s', (value, expected) => {
    expect(calendarDateOf(value)).toBe(expected)
  })

  it('finds the day of an instant in a time zone', () => {
    expect(calendarDateIn(new Date('2026-12-31T21:00:00Z'), 'Europe/Moscow')).toBe('2027-01-01')
    expect(calendarDateIn(new Date('2026-12-31T21:00:00Z'), 'UTC')).toBe('2026-12-31')
  })

  it('counts and adds whole days across month and year ends', () => {
    expect(daysBetween('2026-11-28', '2026-12-01')).toBe(3)
    expect(daysBetween('2026-12-01', '2026-11-28')).toBe(-3)
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02')
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29')
  })
})
