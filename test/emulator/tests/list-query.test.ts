import { describe, expect, it } from 'vitest'
import { compareLoose, parseFilterKey, projectRow, runListQuery, type ListOptions } from '../rest/list-query.ts'
import { RestError } from '../rest/rest-error.ts'

const rows = Array.from({ length: 120 }, (_, index) => ({
  id: index + 1,
  title: `Invoice ${index + 1}`,
  amount: (index % 10) * 100,
  stageId: index % 3 === 0 ? 'DT31_5:P' : 'DT31_5:S',
  closedate: `2026-01-${String((index % 28) + 1).padStart(2, '0')}T03:00:00+03:00`,
  createdTime: `2026-01-01T${String(index % 24).padStart(2, '0')}:00:00+03:00`,
  contactIds: [index, index + 1000],
}))
const options: ListOptions = {
  sortedByKey: 'id',
  defaultOrder: { id: 'ASC' },
  temporalFields: new Map([['closedate', 'date'], ['createdTime', 'datetime']]),
  allowedFields: new Set(['id', 'title', 'amount', 'stageId', 'closedate', 'createdTime', 'contactIds']),
}

describe('filter keys', () => {
  it.each([
    ['>=id', '>=', 'id'], ['>id', '>', 'id'], ['<=id', '<=', 'id'], ['<id', '<', 'id'], ['!=id', '!=', 'id'], ['!id', '!=', 'id'],
    ['@id', '@', 'id'], ['!@id', '!@', 'id'], ['%title', '%', 'title'], ['=%title', '=%', 'title'], ['!%title', '!%', 'title'], ['=id', '=', 'id'], ['id', '=', 'id'],
  ])('%s → %s on %s', (key, operator, field) => {
    expect(parseFilterKey(key)).toEqual({ operator, field })
  })
})

describe('paging', () => {
  it('pages by 50 with next only when more rows match, and total', () => {
    const first = runListQuery(rows, {}, options)
    expect(first.rows).toHaveLength(50)
    expect(first.total).toBe(120)
    expect(first.next).toBe(50)
    const last = runListQuery(rows, { start: 100 }, options)
    expect(last.rows.map(row => row.id)).toEqual(Array.from({ length: 20 }, (_, index) => 101 + index))
    expect(last.next).toBeUndefined()
    expect(runListQuery(rows, { start: 50 }, options).next).toBe(100)
    expect(runListQuery(rows, { start: '50' }, options).rows[0]?.id).toBe(51)
  })

  it('start -1: keyset mode with no count and no next, binary search on >id', () => {
    const page = runListQuery(rows, { start: -1, order: { id: 'ASC' }, filter: { '>id': 100 } }, options)
    expect(page.total).toBe(0)
    expect(page.next).toBeUndefined()
    expect(page.rows.map(row => row.id)).toEqual(Array.from({ length: 20 }, (_, index) => 101 + index))
    expect(page.scanned).toBe(20)
    const full = runListQuery(rows, { start: -1, order: { id: 'asc' }, filter: { '>id': '0' } }, options)
    expect(full.rows).toHaveLength(50)
    expect(full.scanned).toBe(50)
  })
})

describe('operators', () => {
  const ids = (filter: Record<string, unknown>, extra: { order?: unknown, start?: unknown } = {}): number[] =>
    runListQuery(rows, { filter, ...extra, start: extra.start ?? 0 }, { ...options, pageSize: 500 }).rows.map(row => row.id)

  it('equality without prefix, loose number/string comparison', () => {
    expect(ids({ id: '7' })).toEqual([7])
    expect(ids({ '=id': 7 })).toEqual([7])
    expect(ids({ amount: '900' })).toHaveLength(12)
    expect(ids({ '=amount': [0, 100] })).toHaveLength(24)
  })

  it('comparisons and IN / NOT IN', () => {
    expect(ids({ '>id': 115 })).toEqual([116, 117, 118, 119, 120])
    expect(ids({ '>=id': 119 })).toEqual([119, 120])
    expect(ids({ '<id': 3 })).toEqual([1, 2])
    expect(ids({ '<=id': '2' })).toEqual([1, 2])
    expect(ids({ '@id': [3, 5, 999] })).toEqual([3, 5])
    expect(ids({ '@id': { 0: '3', 1: '5' } })).toEqual([3, 5])
    expect(ids({ '!@id': Array.from({ length: 118 }, (_, index) => index + 1) })).toEqual([119, 120])
    expect(ids({ '!=stageId': 'DT31_5:S' })).toHaveLength(40)
    expect(ids({ '!stageId': 'DT31_5:S' })).toHaveLength(40)
  })

  it('LIKE, case-insensitive substring', () => {
    expect(ids({ '%title': 'invoice 11' })).toEqual([11, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119])
    expect(ids({ '=%title': 'Invoice 1_' })).toHaveLength(10)
    expect(ids({ '!%title': 'Invoice 1' })).toHaveLength(120 - 1 - 10 - 21)
  })

  it('dates compare as calendar dates, datetimes as instants', () => {
    expect(ids({ '=closedate': '2026-01-05' })).toEqual(rows.filter(row => row.closedate.startsWith('2026-01-05')).map(row => row.id))
    expect(ids({ '<closedate': '2026-01-02' })).toEqual(ids({ '=closedate': '2026-01-01' }))
    expect(ids({ '>=createdTime': '2026-01-01T19:30:00Z' })).toEqual(rows.filter(row => Number(row.createdTime.slice(11, 13)) === 23).map(row => row.id))
    expect(ids({ '<createdTime': '2026-01-01T01:00:00+03:00' })).toEqual(rows.filter(row => row.createdTime.slice(11, 13) === '00').map(row => row.id))
  })

  it('multiple fields match any element', () => {
    expect(ids({ contactIds: 1005 })).toEqual([6])
  })

  it('logic OR blocks', () => {
    expect(ids({ '0': { logic: 'OR', 0: { id: 1 }, 1: { id: 2 } }, '<id': 100 })).toEqual([1, 2])
  })

  it('refuses unknown fields and bad directions with INVALID_ARG_VALUE', () => {
    expect(() => runListQuery(rows, { filter: { nope: 1 } }, options)).toThrowError(RestError)
    expect(() => runListQuery(rows, { order: { id: 'UP' } }, options)).toThrowError(/allowed sort directions/)
    expect(() => runListQuery(rows, { order: { nope: 'ASC' } }, options)).toThrowError(/not allowed in order/)
  })
})

describe('order and select', () => {
  it('orders by several keys, case-insensitive directions', () => {
    const page = runListQuery(rows, { order: { amount: 'desc', id: 'ASC' } }, options)
    expect(page.rows.slice(0, 3).map(row => row.id)).toEqual([10, 20, 30])
    const byId = runListQuery(rows, { order: { id: 'DESC' } }, options)
    expect(byId.rows[0]?.id).toBe(120)
  })

  it('select keeps listed fields plus id; * keeps all', () => {
    const row = rows[0] ?? { id: 0 }
    expect(projectRow(row, ['title'], { alwaysInclude: ['id'] })).toEqual({ id: 1, title: 'Invoice 1' })
    expect(projectRow(row, ['*'])).toEqual(row)
    expect(projectRow({ id: 1, fm: [] }, ['id', 'fm'], { starOnly: new Set(['fm']) })).toEqual({ id: 1 })
  })

  it('compares like PHP: numbers vs numeric strings', () => {
    expect(compareLoose(10, '9')).toBe(1)
    expect(compareLoose('10', '9')).toBe(1)
    expect(compareLoose('abc', 'abd')).toBe(-1)
  })
})
