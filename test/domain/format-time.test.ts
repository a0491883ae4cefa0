import { describe, expect, it } from 'vitest'
import { formatPortalStamp, formatTimeIn, offsetZoneOf } from '../../src/domain/format.ts'

describe('domain/format: times in the portal\'s zone', () => {
  it.each([
    ['2026-12-02T07:35:00+03:00', 'ru', '02.12.2026, 07:35'],
    ['2026-12-02T07:35:00+03:00', 'en', '02/12/2026, 07:35'],
    ['2026-12-02T23:10:00+05:30', 'ru', '02.12.2026, 23:10'],
    ['2026-12-02T04:35:00Z', 'ru', '02.12.2026, 04:35'],
  ] as const)('writes the portal stamp %s in its own offset (%s)', (stamp, locale, text) => {
    expect(formatPortalStamp(stamp, locale)).toBe(text)
  })

  it('writes an instant in a given zone, not the machine\'s', () => {
    expect(formatTimeIn(new Date('2026-12-02T04:35:00Z'), 'Europe/Moscow', 'ru')).toBe('07:35')
    expect(formatTimeIn(new Date('2026-12-02T04:35:00Z'), offsetZoneOf('2026-12-02T07:35:00+03:00')!, 'en')).toBe('07:35')
    expect(offsetZoneOf('2026-12-02T07:35:00+05:30')).toBeNull()
    expect(offsetZoneOf('nonsense')).toBeNull()
  })
})
