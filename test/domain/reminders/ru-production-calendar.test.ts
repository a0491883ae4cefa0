import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addDays } from '../../../src/domain/calendar-date.ts'
import { isBusinessDay, yearsWithoutCalendar } from '../../../src/domain/reminders/business-days.ts'
import { RU_CALENDAR, RU_HOLIDAYS, RU_WORKING_WEEKENDS, withCalendarDefaults } from '../../../src/domain/reminders/ru-production-calendar.ts'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { readSettings, SETTINGS_OPTION } from '../../../src/domain/settings/read-settings.ts'

/** The cited source's verdict per listed day: t=1 a day off, t=2 (shortened) or t=3 a working day. */
function source(year: number): Map<string, boolean> {
  const xml = readFileSync(resolve(import.meta.dirname, `../../fixtures/calendar/xmlcalendar-ru-${year}.xml`), 'utf8')
  return new Map([...xml.matchAll(/<day d="(\d\d)\.(\d\d)" t="(\d)"/g)].map(([, month, day, type]) => [`${year}-${month}-${day}`, type !== '1']))
}

/** Saturday or Sunday, from a known Monday. */
const weekend = (day: string) => [5, 6].includes(((Date.parse(`${day}T00:00:00Z`) - Date.parse('1970-01-05T00:00:00Z')) / 86_400_000) % 7)

const defaults = { holidays: RU_HOLIDAYS, workingWeekends: RU_WORKING_WEEKENDS }
/** What the release before this one shipped (and portals saved): 2027 without its decree. */
const OLD_2027 = ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08', '2027-02-23', '2027-03-08', '2027-05-01', '2027-05-03', '2027-05-09', '2027-05-10', '2027-06-12', '2027-06-14', '2027-11-04']

describe('domain/reminders/ru-production-calendar', () => {
  it.each([2026, 2027])('agrees with xmlcalendar/data for every day of %i', (year) => {
    const listed = source(year)
    const wrong: string[] = []
    for (let day = `${year}-01-01`; day.startsWith(`${year}-`); day = addDays(day, 1)) {
      const working = listed.get(day) ?? !weekend(day)
      if (isBusinessDay(day, defaults) !== working)
        wrong.push(day)
    }
    expect(wrong).toEqual([])
  })

  it('makes 20.02.2027 a working Saturday and 22.02, 05.11 and 31.12.2027 days off', () => {
    expect(['2027-02-20', '2027-02-22', '2027-11-05', '2027-12-31'].map(day => isBusinessDay(day, defaults))).toEqual([true, false, false, false])
  })

  it('warns of a year with no data, and not of the years it has', () => {
    expect(yearsWithoutCalendar([2026, 2027, 2028], defaults)).toEqual([2028])
    expect(yearsWithoutCalendar([2027], { holidays: ['2026-01-01'], workingWeekends: [] })).toEqual([2027])
  })
})

describe('domain/reminders/withCalendarDefaults', () => {
  it('gives lists saved before a year existed that year\'s defaults', () => {
    const saved = { holidays: [...RU_CALENDAR[2026]!.holidays], workingWeekends: [] }
    expect(withCalendarDefaults(saved)).toEqual({ holidays: [...RU_HOLIDAYS].sort(), workingWeekends: ['2027-02-20'] })
  })

  it('replaces a year saved exactly as an earlier release shipped it (the corrected 2027)', () => {
    const saved = { holidays: [...RU_CALENDAR[2026]!.holidays, ...OLD_2027], workingWeekends: [] }
    const merged = withCalendarDefaults(saved)
    expect(merged.holidays).toEqual(expect.arrayContaining(['2027-02-22', '2027-11-05', '2027-12-31']))
    expect(merged.workingWeekends).toEqual(['2027-02-20'])
  })

  it('keeps the admin\'s additions and removals in the years they edited', () => {
    const edited2026 = [...RU_CALENDAR[2026]!.holidays.filter(day => day !== '2026-12-31'), '2026-06-15']
    const edited2027 = [...OLD_2027, '2027-12-30']
    const merged = withCalendarDefaults({ holidays: [...edited2026, ...edited2027], workingWeekends: ['2026-06-13'] })
    expect(merged.holidays.filter(day => day.startsWith('2026-')).sort()).toEqual([...edited2026].sort())
    expect(merged.holidays.filter(day => day.startsWith('2027-')).sort()).toEqual([...edited2027].sort())
    expect(merged.workingWeekends).toEqual(['2026-06-13'])
  })

  it('hands back lists that already hold the defaults unchanged', () => {
    const saved = { holidays: ['2025-12-31', ...RU_HOLIDAYS], workingWeekends: [...RU_WORKING_WEEKENDS] }
    expect(withCalendarDefaults(saved)).toBe(saved)
  })

  it('applies when the settings are read: saved 2026 edits survive and 2027 comes in corrected', () => {
    const base = defaultSettings()
    const stored = { ...base, reminders: { ...base.reminders, holidays: ['2026-06-15', ...RU_CALENDAR[2026]!.holidays, ...OLD_2027], workingWeekends: [] } }
    const read = readSettings({ [SETTINGS_OPTION]: JSON.stringify(stored) }).reminders
    expect(read.holidays).toContain('2026-06-15')
    expect(read.holidays).toEqual(expect.arrayContaining(['2027-02-22', '2027-11-05', '2027-12-31']))
    expect(read.workingWeekends).toEqual(['2027-02-20'])
  })
})
