// Writing the kept copy back after a refresh: only the chunks whose rows changed are encoded again
// (the others are the very chunks read), one chunk per task of the page; what is read back is
// exactly the refreshed rows.
import type * as Columns from '../../src/portal/receivables/receivable-columns.ts'
import type { ReceivableItemDto } from '../../src/portal/receivables/receivables-dto.ts'
import { IDBFactory } from 'fake-indexeddb'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { indexedDbReceivablesCache } from '../../src/browser/receivables-cache.ts'
import { snapshotKey, type ReceivablesSnapshot } from '../../src/flows/refresh-receivables.ts'
import { CHUNK_ROWS, encodeChunk, unchangedChunk } from '../../src/portal/receivables/receivable-columns.ts'

vi.mock('../../src/portal/receivables/receivable-columns.ts', async (original) => {
  const actual = await original<typeof Columns>()
  return { ...actual, encodeChunk: vi.fn(actual.encodeChunk) }
})

const row = (id: number, stageId = 'DT31_1:N'): ReceivableItemDto => ({ id, accountNumber: `СЧ-${id}`, stageId, opportunity: 1000 + (id % 7), currencyId: 'RUB' })
const rowsOf = (count: number): ReceivableItemDto[] => Array.from({ length: count }, (_, i) => row(i + 1))

function snapshot(rows: readonly ReceivableItemDto[]): ReceivablesSnapshot {
  return {
    key: snapshotKey('a', 4), memberId: 'a', userId: 4, fingerprint: 'user:4;admin:N', rows,
    stages: [], user: { id: 4, isAdmin: false, name: 'U', timeZone: null }, currencies: [], baseCurrency: 'RUB', pipelines: [],
    managers: [], clients: [], portalTime: '2026-12-05T09:00:00+03:00', fullReadPortalTime: '2026-12-05T09:00:00+03:00', checkedAtMs: 1, fullReadAtMs: 1,
  }
}

/** The fields a row keeps through the cache (the decoded row has every stored field, absent ones undefined). */
const plain = (rows: readonly ReceivableItemDto[] | undefined) => rows?.map(r => ({ id: r.id, accountNumber: r.accountNumber, stageId: r.stageId, opportunity: r.opportunity }))

beforeEach(() => {
  vi.mocked(encodeChunk).mockClear()
})

describe('portal/receivable-columns: unchangedChunk', () => {
  const rows = rowsOf(CHUNK_ROWS * 2 + 5)
  const before = { rows, chunks: [0, CHUNK_ROWS, CHUNK_ROWS * 2].map(start => encodeChunk(rows, start)) }

  it('gives back the chunk itself while every row in it is the same object', () => {
    expect(unchangedChunk([...rows], CHUNK_ROWS, before)).toBe(before.chunks[1])
  })

  it('gives null for a chunk with one row replaced, a chunk that grew, and without rows before', () => {
    const replaced = [...rows]
    replaced[CHUNK_ROWS + 17] = row(CHUNK_ROWS + 18, 'DT31_1:P')
    expect(unchangedChunk(replaced, CHUNK_ROWS, before)).toBeNull()
    expect(unchangedChunk(replaced, 0, before)).toBe(before.chunks[0])
    expect(unchangedChunk([...rows, row(99_999)], CHUNK_ROWS * 2, before)).toBeNull()
    expect(unchangedChunk(rows, 0, null)).toBeNull()
  })
})

describe('browser/receivables-cache: writing a refreshed copy', () => {
  it('encodes only the changed chunk after a read, and reads back the refreshed rows', async () => {
    const factory = new IDBFactory()
    const rows = rowsOf(CHUNK_ROWS * 2 + 500)
    await indexedDbReceivablesCache(factory).write(snapshot(rows))
    expect(encodeChunk).toHaveBeenCalledTimes(3)

    // The re-opened page: a new cache object reads the copy, a refresh replaces one row, the copy is written back.
    const cache = indexedDbReceivablesCache(factory)
    const kept = (await cache.read(snapshotKey('a', 4)))!
    const refreshed = [...kept.rows]
    refreshed[CHUNK_ROWS + 3] = row(CHUNK_ROWS + 4, 'DT31_1:P')
    vi.mocked(encodeChunk).mockClear()
    await cache.write(snapshot(refreshed))
    expect(encodeChunk).toHaveBeenCalledTimes(1)

    const again = await indexedDbReceivablesCache(factory).read(snapshotKey('a', 4))
    expect(plain(again?.rows)).toEqual(plain(refreshed))
    expect(again?.rows[CHUNK_ROWS + 3]?.stageId).toBe('DT31_1:P')
  })

  it('after a write, the next write of the same page reuses what it wrote', async () => {
    const cache = indexedDbReceivablesCache(new IDBFactory())
    const rows = rowsOf(CHUNK_ROWS + 10)
    await cache.write(snapshot(rows))
    vi.mocked(encodeChunk).mockClear()
    const appended = [...rows, row(CHUNK_ROWS + 11)]
    await cache.write(snapshot(appended))
    expect(encodeChunk).toHaveBeenCalledTimes(1)
    expect(plain((await cache.read(snapshotKey('a', 4)))?.rows)).toEqual(plain(appended))
  })
})
