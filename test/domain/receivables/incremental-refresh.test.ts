// The pure part of the dashboard's refresh: the changes window on the portal's clock, the merge by id,
// and the check that the kept rows are still what the user may read.
import { describe, expect, it } from 'vitest'
import { changesSince, fullReadDue, mergeChangedRows, sameVisibleSet } from '../../../src/domain/receivables/incremental-refresh.ts'

const row = (id: number, stageId = 'N') => ({ id, stageId })

describe('domain/receivables/incremental-refresh: mergeChangedRows', () => {
  const kept = [row(1), row(2), row(3), row(5)]
  it.each([
    ['nothing changed', [], [row(1), row(2), row(3), row(5)]],
    ['added (a new id between and after)', [row(4), row(9)], [row(1), row(2), row(3), row(4), row(5), row(9)]],
    ['changed (replaced in place)', [row(2, 'S')], [row(1), row(2, 'S'), row(3), row(5)]],
    ['moved to a paid stage', [row(5, 'P')], [row(1), row(2), row(3), row(5, 'P')]],
    ['read twice in the overlap: the last read wins', [row(3, 'A'), row(3, 'B')], [row(1), row(2), row(3, 'B'), row(5)]],
    ['ids as strings, as the portal may send them', [{ id: '2', stageId: 'S' }], [row(1), { id: '2', stageId: 'S' }, row(3), row(5)]],
  ] as const)('%s', (_name, changed, expected) => {
    expect(mergeChangedRows<{ id: number | string, stageId: string }>(kept, changed)).toEqual(expected)
  })
})

describe('domain/receivables/incremental-refresh: sameVisibleSet (deletions and rights)', () => {
  const rows = [row(1), row(2), row(3), row(5)]
  it.each([
    ['the same invoices', { total: 4, firstIds: [1, 2, 3, 5], maxId: 5 }, true],
    ['one deleted on the portal (one fewer)', { total: 3, firstIds: [1, 3, 5], maxId: 5 }, false],
    ['the highest deleted and another created: same count, other highest id', { total: 4, firstIds: [1, 2, 3, 5], maxId: 6 }, false],
    ['rights narrowed: another first id', { total: 4, firstIds: [2, 3, 5, 7], maxId: 7 }, false],
    ['rights widened: more invoices', { total: 9, firstIds: [1, 2, 3, 4, 5], maxId: 12 }, false],
  ] as const)('%s', (_name, portal, same) => {
    expect(sameVisibleSet(rows, portal)).toBe(same)
  })
  it('nothing kept and nothing on the portal is the same', () => {
    expect(sameVisibleSet([], { total: 0, firstIds: [], maxId: 0 })).toBe(true)
    expect(sameVisibleSet([], { total: 1, firstIds: [7], maxId: 7 })).toBe(false)
  })
})

describe('domain/receivables/incremental-refresh: the window on the portal clock', () => {
  it('reaches back the overlap, in the offset the portal wrote', () => {
    expect(changesSince('2026-12-05T03:10:00+03:00', 300)).toBe('2026-12-05T03:05:00+03:00')
    expect(changesSince('2026-12-05T00:02:00+03:00', 300)).toBe('2026-12-04T23:57:00+03:00')
    expect(changesSince('2026-12-04T20:00:00-05:30', 60)).toBe('2026-12-04T19:59:00-05:30')
  })
  it('a write stamped before the reported portal time (another node\'s clock, 2 min behind) still falls in the window', () => {
    const reported = '2026-12-05T03:10:00+03:00'
    const skewedWrite = Date.parse('2026-12-05T03:08:00+03:00')
    expect(Date.parse(changesSince(reported))).toBeLessThanOrEqual(skewedWrite)
  })
  it('refuses a time it cannot read', () => {
    expect(() => changesSince('05.12.2026 03:10')).toThrow()
  })
  it('a full read is due after a day, or when a time is unreadable', () => {
    expect(fullReadDue('2026-12-04T03:00:00+03:00', '2026-12-05T02:59:00+03:00')).toBe(false)
    expect(fullReadDue('2026-12-04T03:00:00+03:00', '2026-12-05T03:01:00+03:00')).toBe(true)
    expect(fullReadDue('', '2026-12-05T03:01:00+03:00')).toBe(true)
  })
})
